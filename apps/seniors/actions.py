"""Writes of senior support: check, save with explicit fields, publish on commit, notify.

Invalid transitions raise ValidationError with a code (→ 400 in the API, a form or flash error
in pages); acting on something one may not touch raises PermissionDenied (→ 403).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.messaging import actions as messaging
from apps.moderation import actions as moderation
from apps.moderation import registry
from apps.notifications import actions as notifications
from apps.realtime import groups
from apps.realtime.events import publish_on_commit
from apps.residences import access as residence_access
from apps.residences.models import Residence
from apps.seniors import selectors
from apps.seniors.access import acts_for, current_aidant_consents
from apps.seniors.events import help_request_data
from apps.seniors.models import (
    DETAILS_MAX_LENGTH,
    WHEN_MAX_LENGTH,
    Consent,
    ConsentHow,
    ConsentScope,
    Contact,
    HelpRequest,
    Kind,
    Status,
    Volunteer,
)


def _publish(help_request: HelpRequest, event_type: str, *extra_user_ids: int) -> None:
    """The request's event to the moderators and the people concerned; and to the whole
    residence a bare "the help list changed" (no id, no kind: partners' sockets are in that
    group too and must learn nothing about a help request), which refreshes every member's
    help list."""
    people = {help_request.senior_id, help_request.posted_by_id, *extra_user_ids}
    if help_request.volunteer_id:
        people.add(help_request.volunteer_id)
    names = [groups.moderators(help_request.residence_id)]
    names += [groups.user(uid) for uid in sorted(people)]
    publish_on_commit(names, event_type, help_request_data(help_request))
    publish_on_commit(
        groups.members(help_request.residence_id),
        "help_list.changed",
        {"residence_id": help_request.residence_id},
    )


def _check_member(user_id: int, residence_id: int) -> None:
    if user_id not in residence_access.active_member_ids(residence_id, [user_id]):
        raise ValidationError(_("You are no longer a member of this residence."), code="not_member")


def _url(help_request: HelpRequest) -> str:
    return reverse("seniors:detail", args=[help_request.pk])


def _clean_phone(phone: str) -> str:
    phone = (phone or "").strip()
    digits = [c for c in phone if c.isdigit()]
    if len(digits) < 8 or len(phone) > 30 or any(c not in "0123456789 +.-()" for c in phone):
        raise ValidationError(_("Give a phone number where we can call you."), code="phone")
    return phone


@transaction.atomic
def post_help_request(
    actor: Any,
    residence: Residence,
    *,
    kind: str,
    when_text: str,
    contact: str,
    when_date: datetime.date | None = None,
    details: str = "",
    phone: str = "",
    senior_id: int | None = None,
    consent_how: str = "",
    consent_expires_on: datetime.date | None = None,
) -> HelpRequest:
    """A senior asks for help; or someone asks on behalf of a senior member: a moderator, with
    the consent recorded for this request, or the senior's registered helper (aidant), whose
    standing consent covers it. Matching volunteers are notified."""
    _check_member(actor.pk, residence.pk)
    on_behalf = senior_id is not None and senior_id != actor.pk
    as_aidant = False
    if on_behalf:
        assert senior_id is not None
        role = residence_access.role_in(actor, residence.pk)
        if role not in residence_access.MODERATOR_ROLES:
            if not acts_for(actor.pk, senior_id, residence.pk):
                raise PermissionDenied
            as_aidant = True
        if senior_id not in residence_access.active_member_ids(residence.pk, [senior_id]):
            raise ValidationError(_("This person is not a member of the residence."), code="senior")
        if not as_aidant and consent_how not in ConsentHow.values:
            raise ValidationError(
                _("Record how the person agreed that you ask on their behalf."), code="consent"
            )
    if kind not in Kind.values:
        raise ValidationError(_("Choose what you need."), code="kind")
    when_text = (when_text or "").strip()
    details = (details or "").strip()
    if not when_text:
        raise ValidationError(_("Say when you need help."), code="when_text")
    if len(when_text) > WHEN_MAX_LENGTH or len(details) > DETAILS_MAX_LENGTH:
        raise ValidationError(_("This text is too long."), code="too_long")
    if when_date is not None and when_date < timezone.localdate():
        raise ValidationError(_("This date is already past."), code="when_date")
    if contact not in Contact.values:
        raise ValidationError(_("Choose how we can reach you."), code="contact")
    phone = _clean_phone(phone) if contact == Contact.PHONE else ""
    held = moderation.screen(actor, residence.pk, f"{when_text}\n{details}")
    help_request = HelpRequest.objects.create(
        moderation=registry.HELD if held else registry.VISIBLE,
        residence=residence,
        senior_id=senior_id if on_behalf and senior_id is not None else actor.pk,
        posted_by=actor,
        kind=kind,
        when_text=when_text,
        when_date=when_date,
        details=details,
        contact=contact,
        phone=phone,
    )
    if on_behalf and not as_aidant:
        Consent.objects.create(
            residence=residence,
            senior_id=help_request.senior_id,
            given_to=actor,
            recorded_by=actor,
            how=consent_how,
            expires_on=consent_expires_on,
        )
    if held:
        moderation.record_held("help_request", help_request.pk, residence.pk, actor.pk, held)
        _publish(help_request, "help_request.created")  # the requester's own pages
        return help_request
    announce_help_request(help_request)
    return help_request


def announce_help_request(help_request: HelpRequest) -> None:
    """Tell the matching volunteers and every member's help list about a request that is
    visible (at once, or once a moderator approved it)."""
    recipients = [
        uid
        for uid in selectors.matching_volunteer_ids(help_request.residence_id, help_request.kind)
        if uid not in (help_request.senior_id, help_request.posted_by_id)
    ]
    notifications.notify(
        recipients,
        kind="help",
        title=_("A neighbour needs help: %(kind)s") % {"kind": help_request.get_kind_display()},
        body=help_request.when_text,
        url=_url(help_request),
        batch_key=f"help-new-{help_request.residence_id}",
        source=f"help_request:{help_request.pk}",
    )
    _publish(help_request, "help_request.created", *recipients)


@transaction.atomic
def set_moderation(help_request_id: int, state: str) -> None:
    """Moderation hides, holds or shows a help request (``registry.Moderatable.set_state``).
    Hidden or held: its notifications are withdrawn and open pages update; approved (held →
    visible): announced to the volunteers as if just posted; restored: pages update."""
    help_request = (
        HelpRequest.objects.select_for_update(of=("self",))
        .select_related("posted_by")
        .get(pk=help_request_id)
    )
    before = help_request.moderation
    help_request.moderation = state
    help_request.save(update_fields=["moderation", "updated_at"])
    if state != registry.VISIBLE:
        notifications.withdraw([f"help_request:{help_request_id}"])
        _publish(help_request, "help_request.updated")
    elif before == registry.HELD:
        announce_help_request(help_request)
    else:
        _publish(help_request, "help_request.updated")


@transaction.atomic
def opt_in_volunteer(
    actor: Any, residence: Residence, *, skills: list[str], availability: str = ""
) -> Volunteer:
    """A member becomes a volunteer (or changes their skills and availability)."""
    _check_member(actor.pk, residence.pk)
    skills = sorted(set(skills or []))
    if not skills or any(s not in Kind.values for s in skills):
        raise ValidationError(_("Choose at least one way you can help."), code="skills")
    availability = (availability or "").strip()
    if len(availability) > 200:
        raise ValidationError(_("This text is too long."), code="too_long")
    volunteer, _created = Volunteer.objects.update_or_create(
        residence=residence,
        user=actor,
        defaults={"skills": skills, "availability": availability, "active": True},
    )
    return volunteer


@transaction.atomic
def opt_out_volunteer(actor: Any, residence: Residence) -> None:
    Volunteer.objects.filter(residence=residence, user=actor).update(active=False)


def _acts_as_requester(actor: Any, help_request: HelpRequest) -> bool:
    """The senior, the person who posted for them, or the senior's registered helper."""
    return actor.pk == help_request.posted_by_id or acts_for(
        actor.pk, help_request.senior_id, help_request.residence_id
    )


def _locked(help_request: HelpRequest) -> HelpRequest:
    return HelpRequest.objects.select_for_update().get(pk=help_request.pk)


def _take(volunteer_user: Any, help_request: HelpRequest) -> HelpRequest:
    help_request = _locked(help_request)
    _check_member(volunteer_user.pk, help_request.residence_id)
    if volunteer_user.pk in (help_request.senior_id, help_request.posted_by_id):
        raise ValidationError(_("You cannot take your own request."), code="own")
    if help_request.status == Status.TAKEN:
        raise ValidationError(
            _("Another volunteer has already taken this request. Thank you all the same!"),
            code="already_taken",
        )
    if help_request.status != Status.OPEN:
        raise ValidationError(_("This request is no longer open."), code="not_open")
    if not Volunteer.objects.filter(
        residence_id=help_request.residence_id, user_id=volunteer_user.pk, active=True
    ).exists():
        raise ValidationError(
            _("Become a volunteer of the residence before taking a request."),
            code="not_volunteer",
        )
    conversation, _created = messaging.start_direct(
        volunteer_user, help_request.residence, help_request.senior_id
    )
    help_request.status = Status.TAKEN
    help_request.volunteer = volunteer_user
    help_request.taken_at = timezone.now()
    help_request.conversation = conversation
    help_request.save(
        update_fields=["status", "volunteer", "taken_at", "conversation", "updated_at"]
    )
    notifications.notify(
        {help_request.senior_id, help_request.posted_by_id},
        kind="help",
        title=_("%(name)s will help you") % {"name": volunteer_user.display_name},
        body=help_request.get_kind_display(),
        url=_url(help_request),
        direct=True,
    )
    _publish(help_request, "help_request.updated")
    return help_request


@transaction.atomic
def take_request(volunteer_user: Any, help_request: HelpRequest) -> HelpRequest:
    """The first volunteer to take an open request becomes its volunteer: the row is locked and
    its status checked again, so that of two volunteers at the same moment exactly one wins."""
    return _take(volunteer_user, help_request)


@transaction.atomic
def assign_volunteer(actor: Any, help_request: HelpRequest, volunteer_id: int) -> HelpRequest:
    """A moderator gives an unanswered request to a volunteer, who is notified."""
    role = residence_access.role_in(actor, help_request.residence_id)
    if role not in residence_access.MODERATOR_ROLES:
        raise PermissionDenied
    volunteer = (
        Volunteer.objects.select_related("user")
        .filter(residence_id=help_request.residence_id, user_id=volunteer_id, active=True)
        .first()
    )
    if volunteer is None:
        raise ValidationError(_("Choose a volunteer of the residence."), code="volunteer")
    volunteer_user = volunteer.user
    help_request = _take(volunteer_user, help_request)
    notifications.notify(
        [volunteer_user.pk],
        kind="help",
        title=_("%(name)s asks you to help a neighbour") % {"name": actor.display_name},
        body=help_request.get_kind_display(),
        url=_url(help_request),
        direct=True,
    )
    return help_request


@transaction.atomic
def complete_request(actor: Any, help_request: HelpRequest) -> HelpRequest:
    """The senior (or their helper), the person who posted for them, or the volunteer marks the
    help done."""
    help_request = _locked(help_request)
    if actor.pk != help_request.volunteer_id and not _acts_as_requester(actor, help_request):
        raise PermissionDenied
    _check_member(actor.pk, help_request.residence_id)
    if help_request.status == Status.DONE:
        raise ValidationError(_("This request is already done."), code="already_done")
    if help_request.status != Status.TAKEN:
        raise ValidationError(
            _("A volunteer must take the request before it is done."), code="not_taken"
        )
    help_request.status = Status.DONE
    help_request.done_at = timezone.now()
    help_request.save(update_fields=["status", "done_at", "updated_at"])
    _publish(help_request, "help_request.updated")
    return help_request


@transaction.atomic
def cancel_request(actor: Any, help_request: HelpRequest) -> HelpRequest:
    """The senior (or their helper) or the person who posted for them withdraws the request."""
    help_request = _locked(help_request)
    if not _acts_as_requester(actor, help_request):
        raise PermissionDenied
    _check_member(actor.pk, help_request.residence_id)
    if help_request.status not in (Status.OPEN, Status.TAKEN):
        raise ValidationError(_("This request can no longer be cancelled."), code="not_open")
    help_request.status = Status.CANCELLED
    help_request.save(update_fields=["status", "updated_at"])
    _publish(help_request, "help_request.updated")
    return help_request


@transaction.atomic
def thank_volunteer(actor: Any, help_request: HelpRequest, text: str) -> HelpRequest:
    """After the help, the senior (or the helper on their behalf) says thank you, once."""
    help_request = _locked(help_request)
    if not _acts_as_requester(actor, help_request):
        raise PermissionDenied
    _check_member(actor.pk, help_request.residence_id)
    if help_request.status != Status.DONE or help_request.volunteer_id is None:
        raise ValidationError(_("You can say thank you once the help is done."), code="not_done")
    if help_request.thanks_text:
        raise ValidationError(_("You have already said thank you."), code="twice")
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Write a few words of thanks."), code="empty")
    if len(text) > 500:
        raise ValidationError(_("This text is too long."), code="too_long")
    help_request.thanks_text = text
    help_request.save(update_fields=["thanks_text", "updated_at"])
    notifications.notify(
        [help_request.volunteer_id],
        kind="help",
        title=_("%(name)s thanks you") % {"name": actor.display_name},
        body=text,
        url=_url(help_request),
    )
    _publish(help_request, "help_request.updated")
    return help_request


# --- registered helpers (aidants) ---------------------------------------------------------


def _aidant_url(residence_id: int) -> str:
    return reverse("seniors:aidants", args=[residence_id])


@transaction.atomic
def register_aidant(
    actor: Any,
    residence: Residence,
    *,
    senior_id: int,
    aidant_id: int,
    how: str,
    expires_on: datetime.date | None = None,
) -> Consent:
    """A moderator records that a senior agreed that a member (a relative, a neighbour) asks
    for help and follows their requests on their behalf: who, how, when, until when."""
    if residence_access.role_in(actor, residence.pk) not in residence_access.MODERATOR_ROLES:
        raise PermissionDenied
    ids = residence_access.active_member_ids(residence.pk, [senior_id, aidant_id])
    if senior_id not in ids or aidant_id not in ids:
        raise ValidationError(_("Choose members of the residence."), code="member")
    if senior_id == aidant_id:
        raise ValidationError(_("Choose two different people."), code="same")
    if how not in ConsentHow.values:
        raise ValidationError(_("Record how the person agreed."), code="consent")
    if expires_on is not None and expires_on < timezone.localdate():
        raise ValidationError(_("This date is already past."), code="expires_on")

    if (
        current_aidant_consents(residence.pk)
        .filter(senior_id=senior_id, given_to_id=aidant_id)
        .exists()
    ):
        raise ValidationError(_("This person is already their helper."), code="already")
    consent = Consent.objects.create(
        residence=residence,
        senior_id=senior_id,
        given_to_id=aidant_id,
        recorded_by=actor,
        how=how,
        scope=ConsentScope.AIDANT,
        expires_on=expires_on,
    )
    consent = Consent.objects.select_related("senior", "given_to").get(pk=consent.pk)
    notifications.notify(
        [senior_id],
        kind="help",
        title=_("%(name)s may now ask for help for you") % {"name": consent.given_to.display_name},
        body=_("You can withdraw this at any time."),
        url=_aidant_url(residence.pk),
        direct=True,
    )
    notifications.notify(
        [aidant_id],
        kind="help",
        title=_("You may now ask for help for %(name)s") % {"name": consent.senior.display_name},
        body="",
        url=reverse("seniors:on_behalf", args=[residence.pk]),
        direct=True,
    )
    return consent


@transaction.atomic
def revoke_aidant(actor: Any, consent: Consent) -> Consent:
    """The senior (or a moderator) withdraws a helper's consent; it stops at once."""
    consent = Consent.objects.select_for_update().get(pk=consent.pk)
    if actor.pk != consent.senior_id and (
        residence_access.role_in(actor, consent.residence_id)
        not in residence_access.MODERATOR_ROLES
    ):
        raise PermissionDenied
    if consent.revoked_at is not None:
        raise ValidationError(_("This consent was already withdrawn."), code="revoked")
    consent.revoked_at = timezone.now()
    consent.revoked_by = actor
    consent.save(update_fields=["revoked_at", "revoked_by"])
    notifications.notify(
        {consent.given_to_id, consent.senior_id} - {actor.pk},
        kind="help",
        title=_("A helper's consent was withdrawn"),
        body="",
        url=_aidant_url(consent.residence_id),
    )
    return consent

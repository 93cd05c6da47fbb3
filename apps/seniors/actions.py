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
from apps.notifications import actions as notifications
from apps.realtime import groups
from apps.realtime.events import publish_on_commit
from apps.residences import access as residence_access
from apps.residences.models import Residence
from apps.seniors import selectors
from apps.seniors.events import help_request_data
from apps.seniors.models import (
    DETAILS_MAX_LENGTH,
    WHEN_MAX_LENGTH,
    Consent,
    ConsentHow,
    Contact,
    HelpRequest,
    Kind,
    Status,
    Volunteer,
)


def _publish(help_request: HelpRequest, event_type: str, *extra_user_ids: int) -> None:
    people = {help_request.senior_id, help_request.posted_by_id, *extra_user_ids}
    if help_request.volunteer_id:
        people.add(help_request.volunteer_id)
    names = [groups.moderators(help_request.residence_id)]
    names += [groups.user(uid) for uid in sorted(people)]
    publish_on_commit(names, event_type, help_request_data(help_request))


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
    """A senior asks for help, or a moderator asks on behalf of a senior member who agreed
    (the consent is recorded). Matching volunteers are notified."""
    _check_member(actor.pk, residence.pk)
    on_behalf = senior_id is not None and senior_id != actor.pk
    if on_behalf:
        role = residence_access.role_in(actor, residence.pk)
        if role not in residence_access.MODERATOR_ROLES:
            raise PermissionDenied
        assert senior_id is not None
        if senior_id not in residence_access.active_member_ids(residence.pk, [senior_id]):
            raise ValidationError(_("This person is not a member of the residence."), code="senior")
        if consent_how not in ConsentHow.values:
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
    help_request = HelpRequest.objects.create(
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
    if on_behalf:
        Consent.objects.create(
            residence=residence,
            senior_id=help_request.senior_id,
            given_to=actor,
            recorded_by=actor,
            how=consent_how,
            expires_on=consent_expires_on,
        )
    recipients = [
        uid
        for uid in selectors.matching_volunteer_ids(residence.pk, kind)
        if uid not in (help_request.senior_id, actor.pk)
    ]
    notifications.notify(
        recipients,
        kind="help",
        title=_("A neighbour needs help: %(kind)s") % {"kind": help_request.get_kind_display()},
        body=when_text,
        url=_url(help_request),
        batch_key=f"help-new-{residence.pk}",
    )
    _publish(help_request, "help_request.created", *recipients)
    return help_request


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
    """The senior, the person who posted for them, or the volunteer marks the help done."""
    help_request = _locked(help_request)
    people = (help_request.senior_id, help_request.posted_by_id, help_request.volunteer_id)
    if actor.pk not in people:
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
    """The senior or the person who posted for them withdraws the request."""
    help_request = _locked(help_request)
    if actor.pk not in (help_request.senior_id, help_request.posted_by_id):
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
    if actor.pk not in (help_request.senior_id, help_request.posted_by_id):
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

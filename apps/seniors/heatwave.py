"""Writes of the heatwave plan (plan canicule): the register of seniors, the heatwave mode of a
residence (started and stopped by landlord staff), and the daily call list.

While the mode is on, every senior on the register checks in each day ("Ça va !", see
``checkins.check_in``) and a call list is made each day: one line per registered senior, each
given to an active volunteer of the residence in turn. A volunteer records "called, all right"
or "no answer"; "no answer" tells the co-animators and staff at once. Live events never carry
a phone number.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.notifications import actions as notifications
from apps.realtime import groups
from apps.realtime.events import publish_on_commit
from apps.residences import access as residence_access
from apps.residences.models import Residence, Role
from apps.seniors.access import acts_for
from apps.seniors.actions import _check_member, _clean_phone
from apps.seniors.models import (
    NOTE_MAX_LENGTH,
    CallOutcome,
    Heatwave,
    HeatwaveCall,
    HeatwaveRegistration,
    Volunteer,
)


def _calls_url(residence_id: int) -> str:
    return reverse("seniors:heatwave_calls", args=[residence_id])


def _register_url(residence_id: int) -> str:
    return reverse("seniors:heatwave_register", args=[residence_id])


def _clean_note(note: str) -> str:
    note = (note or "").strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise ValidationError(_("This text is too long."), code="too_long")
    return note


def _registered_ids(residence_id: int) -> list[int]:
    return list(
        HeatwaveRegistration.objects.filter(residence_id=residence_id, active=True).values_list(
            "senior_id", flat=True
        )
    )


def _volunteer_ids(residence_id: int) -> list[int]:
    """Active volunteers of the residence, by id: the order of the round-robin."""
    return list(
        Volunteer.objects.filter(residence_id=residence_id, active=True)
        .order_by("user_id")
        .values_list("user_id", flat=True)
    )


# --- the mode --------------------------------------------------------------------------------


@transaction.atomic
def start_heatwave(actor: Any, residence: Residence) -> Heatwave:
    """Landlord staff switch the residence to heatwave mode: the registered seniors and the
    active volunteers are told at once, and today's call list is made."""
    if residence_access.role_in(actor, residence.pk) != Role.STAFF:
        raise PermissionDenied
    already = ValidationError(
        _("The heatwave plan is already on in this residence."), code="already_on"
    )
    if Heatwave.objects.filter(residence=residence, ended_at__isnull=True).exists():
        raise already
    try:
        with transaction.atomic():
            heatwave = Heatwave.objects.create(residence=residence, started_by=actor)
    except IntegrityError:  # started by someone else at the same moment
        raise already from None
    notifications.notify(
        _registered_ids(residence.pk),
        kind="help",
        title=_("Heatwave plan: press “Ça va !” every day"),
        body=_("If you do not, a volunteer neighbour will call you. Drink water often."),
        url=reverse("seniors:checkin"),
        direct=True,
    )
    notifications.notify(
        _volunteer_ids(residence.pk),
        kind="help",
        title=_("Heatwave plan: neighbours to call every day"),
        body=_("Your calls for today are on the call list."),
        url=_calls_url(residence.pk),
        direct=True,
    )
    make_call_list(residence.pk)
    publish_on_commit(
        groups.members(residence.pk),
        "heatwave.started",
        {"residence_id": residence.pk, "heatwave_id": heatwave.pk},
    )
    return heatwave


@transaction.atomic
def stop_heatwave(actor: Any, residence: Residence) -> Heatwave:
    """Landlord staff end the heatwave mode (who and when are recorded)."""
    if residence_access.role_in(actor, residence.pk) != Role.STAFF:
        raise PermissionDenied
    heatwave = (
        Heatwave.objects.select_for_update()
        .filter(residence=residence, ended_at__isnull=True)
        .first()
    )
    if heatwave is None:
        raise ValidationError(_("The heatwave plan is not on in this residence."), code="not_on")
    heatwave.ended_at = timezone.now()
    heatwave.ended_by = actor
    heatwave.save(update_fields=["ended_at", "ended_by"])
    notifications.notify(
        set(_registered_ids(residence.pk)) | set(_volunteer_ids(residence.pk)),
        kind="help",
        title=_("The heatwave plan is over"),
        body=_("Thank you all for looking after each other."),
        url=reverse("seniors:list", args=[residence.pk]),
    )
    publish_on_commit(
        groups.members(residence.pk),
        "heatwave.stopped",
        {"residence_id": residence.pk, "heatwave_id": heatwave.pk},
    )
    return heatwave


# --- the register ----------------------------------------------------------------------------


def _check_for(actor: Any, residence: Residence, senior_id: int) -> None:
    """The senior themselves; or a moderator, or their registered helper."""
    if senior_id == actor.pk:
        return
    if residence_access.role_in(actor, residence.pk) in residence_access.MODERATOR_ROLES:
        return
    if not acts_for(actor.pk, senior_id, residence.pk):
        raise PermissionDenied


def _publish_register(registration: HeatwaveRegistration) -> None:
    publish_on_commit(
        [groups.moderators(registration.residence_id), groups.user(registration.senior_id)],
        "heatwave.register_changed",
        {
            "residence_id": registration.residence_id,
            "senior_id": registration.senior_id,
            "active": registration.active,
        },
    )


@transaction.atomic
def join_register(
    actor: Any,
    residence: Residence,
    *,
    phone: str,
    note: str = "",
    senior_id: int | None = None,
) -> HeatwaveRegistration:
    """A senior joins the heatwave register, with a phone number for the call and an optional
    note ("lives alone, 4th floor"); a moderator or a registered helper may do it for them."""
    senior = actor.pk if senior_id is None else senior_id
    _check_for(actor, residence, senior)
    _check_member(actor.pk, residence.pk)
    if senior not in residence_access.active_member_ids(residence.pk, [senior]):
        raise ValidationError(_("This person is not a member of the residence."), code="senior")
    phone = _clean_phone(phone)
    note = _clean_note(note)
    registration = (
        HeatwaveRegistration.objects.select_for_update()
        .filter(residence=residence, senior_id=senior)
        .first()
    )
    already = ValidationError(
        _("This person is already on the heatwave register."), code="already_registered"
    )
    if registration is not None and registration.active:
        raise already
    if registration is not None:
        registration.phone, registration.note = phone, note
        registration.registered_by = actor
        registration.active, registration.left_at = True, None
        registration.save(update_fields=["phone", "note", "registered_by", "active", "left_at"])
    else:
        try:
            with transaction.atomic():
                registration = HeatwaveRegistration.objects.create(
                    residence=residence,
                    senior_id=senior,
                    phone=phone,
                    note=note,
                    registered_by=actor,
                )
        except IntegrityError:  # registered by someone else at the same moment
            raise already from None
    if senior != actor.pk:
        notifications.notify(
            [senior],
            kind="help",
            title=_("%(name)s put you on the heatwave register") % {"name": actor.display_name},
            body=_("During a heatwave, a neighbour will check on you. You can leave at any time."),
            url=_register_url(residence.pk),
            direct=True,
        )
    _publish_register(registration)
    return registration


@transaction.atomic
def leave_register(
    actor: Any, residence: Residence, *, senior_id: int | None = None
) -> HeatwaveRegistration:
    """The senior (or a moderator, or their registered helper) leaves the register."""
    senior = actor.pk if senior_id is None else senior_id
    _check_for(actor, residence, senior)
    registration = (
        HeatwaveRegistration.objects.select_for_update()
        .filter(residence=residence, senior_id=senior, active=True)
        .first()
    )
    if registration is None:
        raise ValidationError(
            _("This person is not on the heatwave register."), code="not_registered"
        )
    registration.active = False
    registration.left_at = timezone.now()
    registration.save(update_fields=["active", "left_at"])
    _publish_register(registration)
    return registration


# --- the daily call list ---------------------------------------------------------------------


def assign_round_robin(
    senior_ids: list[int], volunteer_ids: list[int], day: datetime.date
) -> dict[int, int | None]:
    """Each senior (in id order) gets the next volunteer (in id order), starting at an offset
    that moves on each day: stable for the day, fair over days. Nobody calls themselves when
    another volunteer exists. No volunteer: ``None`` (the moderators call)."""
    seniors = sorted(senior_ids)
    volunteers = sorted(volunteer_ids)
    if not volunteers:
        return dict.fromkeys(seniors)
    count = len(volunteers)
    offset = day.toordinal() % count
    result: dict[int, int | None] = {}
    for index, senior in enumerate(seniors):
        volunteer = volunteers[(index + offset) % count]
        if volunteer == senior and count > 1:
            volunteer = volunteers[(index + offset + 1) % count]
        result[senior] = volunteer if volunteer != senior else None
    return result


@transaction.atomic
def make_call_list(residence_id: int, day: datetime.date | None = None) -> int:
    """Today's call list of a residence in heatwave mode: one line per registered senior who is
    still a member, made once (the lines of the day are never reassigned; a senior who joins
    during the day gets a line the next time). Idempotent; returns how many lines were added."""
    day = day or timezone.localdate()
    heatwave = Heatwave.objects.filter(residence_id=residence_id, ended_at__isnull=True).first()
    if heatwave is None:
        return 0
    registrations = dict(
        HeatwaveRegistration.objects.filter(residence_id=residence_id, active=True).values_list(
            "senior_id", "pk"
        )
    )
    members = residence_access.active_member_ids(residence_id, list(registrations))
    registrations = {s: pk for s, pk in registrations.items() if s in members}
    existing = set(
        HeatwaveCall.objects.filter(
            residence_id=residence_id, day=day, registration_id__in=registrations.values()
        ).values_list("registration_id", flat=True)
    )
    missing = [s for s, pk in registrations.items() if pk not in existing]
    if not missing:
        return 0
    assigned = assign_round_robin(list(registrations), _volunteer_ids(residence_id), day)
    HeatwaveCall.objects.bulk_create(
        [
            HeatwaveCall(
                residence_id=residence_id,
                heatwave=heatwave,
                registration_id=registrations[senior],
                day=day,
                volunteer_id=assigned[senior],
            )
            for senior in missing
        ],
        ignore_conflicts=True,
    )
    return len(missing)


def make_call_lists(day: datetime.date | None = None) -> int:
    """The day's call list of every residence in heatwave mode (``manage.py heatwave_calls``)."""
    residence_ids = Heatwave.objects.filter(ended_at__isnull=True).values_list(
        "residence_id", flat=True
    )
    return sum(make_call_list(rid, day) for rid in list(residence_ids))


@transaction.atomic
def record_call(actor: Any, call: HeatwaveCall, *, outcome: str, note: str = "") -> HeatwaveCall:
    """The volunteer (or a moderator) records today's call: "called, all right" or "no
    answer". "No answer" tells the co-animators and staff at once; it may be followed by "all
    right" when a later call gets through."""
    call = (
        HeatwaveCall.objects.select_for_update(of=("self",))
        .select_related("registration__senior")
        .get(pk=call.pk)
    )
    is_moderator = (
        residence_access.role_in(actor, call.residence_id) in residence_access.MODERATOR_ROLES
    )
    if actor.pk != call.volunteer_id and not is_moderator:
        raise PermissionDenied
    _check_member(actor.pk, call.residence_id)
    if outcome not in CallOutcome.values:
        raise ValidationError(_("Choose how the call went."), code="outcome")
    note = _clean_note(note)
    if call.day != timezone.localdate():
        raise ValidationError(_("This call was for another day."), code="other_day")
    if not Heatwave.objects.filter(residence_id=call.residence_id, ended_at__isnull=True).exists():
        raise ValidationError(_("The heatwave plan is not on in this residence."), code="not_on")
    if call.outcome == CallOutcome.OK:
        raise ValidationError(_("This call is already recorded: all is well."), code="already_ok")
    call.outcome = outcome
    call.note = note
    call.called_at = timezone.now()
    call.called_by = actor
    call.save(update_fields=["outcome", "note", "called_at", "called_by"])
    senior = call.registration.senior
    if outcome == CallOutcome.NO_ANSWER:
        notifications.notify(
            residence_access.moderator_ids(call.residence_id) - {actor.pk},
            kind="help",
            title=_("%(name)s did not answer the heatwave call") % {"name": senior.display_name},
            body=note or _("Please check on them today."),
            url=_calls_url(call.residence_id),
            direct=True,
        )
    people = {actor.pk} | ({call.volunteer_id} if call.volunteer_id else set())
    publish_on_commit(
        [groups.moderators(call.residence_id), *(groups.user(uid) for uid in sorted(people))],
        "heatwave.call_updated",
        {
            "id": call.pk,
            "residence_id": call.residence_id,
            "senior_id": senior.pk,
            "volunteer_id": call.volunteer_id,
            "outcome": call.outcome,
        },
    )
    return call

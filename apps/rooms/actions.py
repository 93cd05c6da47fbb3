"""Writes of common rooms: declare a room, ask for a slot, approve, decline, cancel, turn a public
booking into an event. Refusals: ValidationError with a code (→ 400) and a clear message,
PermissionDenied with the reason (→ 403).

No double booking: approving inserts the booking's 30-minute slots into ``BookingSlot``
(unique on room and start) inside the approval's transaction. The check made when a request is
sent only gives an early, friendly answer; the constraint is what guarantees it, also when two
moderators approve overlapping requests at the same moment."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from apps.events import actions as events
from apps.notifications import actions as notifications
from apps.realtime import groups
from apps.realtime.events import publish_on_commit
from apps.residences import access as residence_access
from apps.residences.access import ResidenceAccess
from apps.residences.models import Residence
from apps.rooms import access
from apps.rooms.models import (
    MAX_CAPACITY,
    MAX_DAYS_AHEAD,
    MAX_DURATION,
    NAME_MAX_LENGTH,
    PURPOSE_MAX_LENGTH,
    REASON_MAX_LENGTH,
    SLOT,
    TEXT_MAX_LENGTH,
    Booking,
    BookingSlot,
    CommonRoom,
)

Status = Booking.Status


def already_booked() -> ValidationError:
    return ValidationError(_("This slot is already booked."), code="already_booked")


# ---- checks of what people type -----------------------------------------------------------


def _one_line(value: Any, *, field: str, limit: int, required_text: str) -> str:
    text = " ".join(str(value or "").split())
    if not text:
        raise ValidationError(required_text, code=field)
    if len(text) > limit:
        raise ValidationError(
            _("This text is too long (%(max)d characters at most).") % {"max": limit},
            code="too_long",
        )
    return text


def _long_text(value: Any) -> str:
    text = str(value or "").replace("\r\n", "\n").strip()
    if len(text) > TEXT_MAX_LENGTH:
        raise ValidationError(
            _("This text is too long (%(max)d characters at most).") % {"max": TEXT_MAX_LENGTH},
            code="too_long",
        )
    return text


def _clean_capacity(capacity: Any) -> int:
    if isinstance(capacity, bool) or not isinstance(capacity, int):
        raise ValidationError(_("Give the number of people as a whole number."), code="capacity")
    if not 1 <= capacity <= MAX_CAPACITY:
        raise ValidationError(
            _("The capacity is between 1 and %(max)d people.") % {"max": MAX_CAPACITY},
            code="capacity",
        )
    return capacity


def _on_boundary(moment: datetime.datetime) -> bool:
    return moment.microsecond == 0 and int(moment.timestamp()) % int(SLOT.total_seconds()) == 0


def clean_times(
    starts_at: Any, ends_at: Any, now: datetime.datetime | None = None
) -> tuple[datetime.datetime, datetime.datetime]:
    """A booking starts and ends on a half hour, lasts 30 minutes to 12 hours, starts in the
    future and within the next 180 days."""
    if not isinstance(starts_at, datetime.datetime):
        raise ValidationError(_("Say when it starts."), code="starts_at")
    if not isinstance(ends_at, datetime.datetime):
        raise ValidationError(_("Say when it ends."), code="ends_at")
    if timezone.is_naive(starts_at):
        starts_at = timezone.make_aware(starts_at)
    if timezone.is_naive(ends_at):
        ends_at = timezone.make_aware(ends_at)
    now = now or timezone.now()
    if ends_at <= starts_at:
        raise ValidationError(_("A booking ends after it starts."), code="ends_at")
    if not (_on_boundary(starts_at) and _on_boundary(ends_at)):
        raise ValidationError(
            _("Bookings start and end on the hour or the half hour (10:00, 10:30…)."),
            code="boundary",
        )
    if ends_at - starts_at > MAX_DURATION:
        raise ValidationError(_("A booking lasts 12 hours at most."), code="too_long_booking")
    if starts_at <= now:
        raise ValidationError(_("A booking starts in the future."), code="past")
    if starts_at > now + datetime.timedelta(days=MAX_DAYS_AHEAD):
        raise ValidationError(
            _("Rooms are booked %(days)d days ahead at most.") % {"days": MAX_DAYS_AHEAD},
            code="too_far",
        )
    return starts_at, ends_at


def slot_starts(
    starts_at: datetime.datetime, ends_at: datetime.datetime
) -> list[datetime.datetime]:
    slots = []
    moment = starts_at
    while moment < ends_at:
        slots.append(moment)
        moment += SLOT
    return slots


def when_text(booking: Booking) -> str:
    start = timezone.localtime(booking.starts_at)
    end = timezone.localtime(booking.ends_at)
    return _("%(day)s from %(start)s to %(end)s") % {
        "day": formats.date_format(start, "l j F"),
        "start": formats.time_format(start, "H:i"),
        "end": formats.time_format(end, "H:i")
        if start.date() == end.date()
        else formats.date_format(end, "l j F H:i"),
    }


# ---- rooms --------------------------------------------------------------------------------


def _staff_here(actor: Any, residence_id: int) -> ResidenceAccess:
    here = access.access_rooms(actor, residence_id)
    access.check_may_manage(here)
    return here


def _clean_room(name: Any, capacity: Any, accessibility: Any, rules: Any) -> dict[str, Any]:
    return {
        "name": _one_line(
            name, field="name", limit=NAME_MAX_LENGTH, required_text=_("Give the room a name.")
        ),
        "capacity": _clean_capacity(capacity),
        "accessibility": _long_text(accessibility),
        "rules": _long_text(rules),
    }


def _check_name_free(residence_id: int, name: str, room_id: int | None = None) -> None:
    same = CommonRoom.objects.filter(residence_id=residence_id, name__iexact=name)
    if room_id is not None:
        same = same.exclude(pk=room_id)
    if same.exists():
        raise ValidationError(_("A room of the residence already has this name."), code="name")


@transaction.atomic
def create_room(
    actor: Any,
    residence: Residence,
    *,
    name: str,
    capacity: int,
    accessibility: str = "",
    rules: str = "",
) -> CommonRoom:
    """The landlord's staff declare a common room of the residence."""
    _staff_here(actor, residence.pk)
    fields = _clean_room(name, capacity, accessibility, rules)
    _check_name_free(residence.pk, fields["name"])
    try:
        with transaction.atomic():
            return CommonRoom.objects.create(residence=residence, **fields)
    except IntegrityError:
        raise ValidationError(
            _("A room of the residence already has this name."), code="name"
        ) from None


@transaction.atomic
def update_room(
    actor: Any,
    room: CommonRoom,
    *,
    name: str,
    capacity: int,
    accessibility: str = "",
    rules: str = "",
    active: bool = True,
) -> CommonRoom:
    """The landlord's staff edit a room; a closed room (``active`` false) takes no new request
    (approved bookings stay)."""
    _staff_here(actor, room.residence_id)
    fields = _clean_room(name, capacity, accessibility, rules)
    _check_name_free(room.residence_id, fields["name"], room.pk)
    for key, value in fields.items():
        setattr(room, key, value)
    room.active = bool(active)
    room.save(update_fields=[*fields, "active"])
    return room


# ---- bookings -----------------------------------------------------------------------------


def _rooms_url(residence_id: int) -> str:
    return reverse("rooms:index", args=[residence_id]) + "#my-bookings"


def _requests_url(residence_id: int) -> str:
    return reverse("rooms:requests", args=[residence_id])


def _publish(booking: Booking, residence_id: int) -> None:
    """``booking.updated`` (ids and status only) to the residence's moderators and the
    neighbour who asked."""
    publish_on_commit(
        [groups.moderators(residence_id), groups.user(booking.requested_by_id)],
        "booking.updated",
        {
            "id": booking.pk,
            "residence_id": residence_id,
            "room_id": booking.room_id,
            "status": str(booking.status),
        },
    )


@transaction.atomic
def request_booking(
    actor: Any,
    room: CommonRoom,
    *,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    purpose: str,
    public: bool = False,
) -> Booking:
    """A member asks for a slot of a room; co-animators and staff are told (news, batched per
    residence). A slot already taken is refused at once; two requests for the same free slot
    may wait side by side: the first approved wins."""
    access.access_rooms(actor, room.residence_id)
    if not room.active:
        raise ValidationError(_("This room takes no booking for now."), code="inactive")
    starts_at, ends_at = clean_times(starts_at, ends_at)
    purpose = _one_line(
        purpose,
        field="purpose",
        limit=PURPOSE_MAX_LENGTH,
        required_text=_("Say what the room is for."),
    )
    if BookingSlot.objects.filter(
        room=room, starts_at__in=slot_starts(starts_at, ends_at)
    ).exists():
        raise already_booked()
    booking = Booking.objects.create(
        room=room,
        requested_by=actor,
        starts_at=starts_at,
        ends_at=ends_at,
        purpose=purpose,
        public=bool(public),
    )
    notifications.notify(
        [uid for uid in residence_access.moderator_ids(room.residence_id) if uid != actor.pk],
        kind="news",
        title=_("Booking request: %(room)s") % {"room": room.name},
        body=_("%(who)s · %(when)s · %(purpose)s")
        % {"who": actor.display_name, "when": when_text(booking), "purpose": purpose},
        url=_requests_url(room.residence_id),
        batch_key=f"room-requests-{room.residence_id}",
        source=f"booking:{booking.pk}",
    )
    _publish(booking, room.residence_id)
    return booking


def _locked(booking: Booking) -> Booking:
    locked = (
        Booking.objects.select_for_update(of=("self",))
        .select_related("room", "requested_by")
        .get(pk=booking.pk)
    )
    return locked


def _decide_here(actor: Any, booking: Booking) -> None:
    here = access.access_rooms(actor, booking.room.residence_id)
    access.check_may_decide(here)


def _check_waiting(booking: Booking) -> None:
    if booking.status != Status.REQUESTED:
        raise ValidationError(_("This request was already answered or cancelled."), code="decided")


@transaction.atomic
def approve_booking(actor: Any, booking: Booking) -> Booking:
    """A co-animator or staff member approves a request: its slots are reserved in the same
    transaction (refused if any is taken: "This slot is already booked")."""
    _decide_here(actor, booking)
    booking = _locked(booking)
    _check_waiting(booking)
    if booking.starts_at <= timezone.now():
        raise ValidationError(_("This slot has already started."), code="past")
    try:
        with transaction.atomic():
            BookingSlot.objects.bulk_create(
                [
                    BookingSlot(room_id=booking.room_id, booking=booking, starts_at=moment)
                    for moment in slot_starts(booking.starts_at, booking.ends_at)
                ]
            )
    except IntegrityError:
        raise already_booked() from None
    booking.status = Status.APPROVED
    booking.decided_by = actor
    booking.decided_at = timezone.now()
    booking.save(update_fields=["status", "decided_by", "decided_at"])
    notifications.notify(
        [booking.requested_by_id],
        kind="news",
        title=_("Booking approved: %(room)s") % {"room": booking.room.name},
        body=when_text(booking),
        url=_rooms_url(booking.room.residence_id),
        direct=True,
        source=f"booking:{booking.pk}",
    )
    _publish(booking, booking.room.residence_id)
    return booking


@transaction.atomic
def decline_booking(actor: Any, booking: Booking, *, reason: str) -> Booking:
    """A co-animator or staff member declines a request, saying why (the neighbour is told)."""
    _decide_here(actor, booking)
    reason = _one_line(
        reason,
        field="reason",
        limit=REASON_MAX_LENGTH,
        required_text=_("Say why, for the neighbour who asked."),
    )
    booking = _locked(booking)
    _check_waiting(booking)
    booking.status = Status.DECLINED
    booking.decided_by = actor
    booking.decided_at = timezone.now()
    booking.decline_reason = reason
    booking.save(update_fields=["status", "decided_by", "decided_at", "decline_reason"])
    notifications.notify(
        [booking.requested_by_id],
        kind="news",
        title=_("Booking declined: %(room)s") % {"room": booking.room.name},
        body=_("%(when)s · %(reason)s") % {"when": when_text(booking), "reason": reason},
        url=_rooms_url(booking.room.residence_id),
        direct=True,
        source=f"booking:{booking.pk}",
    )
    _publish(booking, booking.room.residence_id)
    return booking


@transaction.atomic
def cancel_booking(actor: Any, booking: Booking) -> Booking:
    """The neighbour who asked cancels a request or an approved booking: its slots are free
    again at once."""
    access.check_may_cancel(actor, booking)
    booking = _locked(booking)
    if booking.status not in (Status.REQUESTED, Status.APPROVED):
        raise ValidationError(_("This booking is no longer current."), code="not_current")
    if booking.ends_at <= timezone.now():
        raise ValidationError(_("This booking is over."), code="past")
    BookingSlot.objects.filter(booking=booking).delete()
    booking.status = Status.CANCELLED
    booking.save(update_fields=["status"])
    _publish(booking, booking.room.residence_id)
    return booking


@transaction.atomic
def make_event(actor: Any, booking: Booking, *, title: str = "", body: str = "") -> Booking:
    """An approved booking for a public activity becomes an event of the residence (published by
    the co-animator or staff member, in the room, at the booking's times); the link is kept and
    it is done once."""
    _decide_here(actor, booking)
    booking = _locked(booking)
    if booking.status != Status.APPROVED or not booking.public:
        raise ValidationError(
            _("Only an approved booking for a public activity becomes an event."),
            code="not_public",
        )
    if booking.event_id is not None:
        raise ValidationError(_("This booking is already an event."), code="already_event")
    residence = Residence.objects.get(pk=booking.room.residence_id)
    post = events.publish_event(
        actor,
        residence,
        title=title or booking.purpose,
        body=body,
        starts_at=booking.starts_at,
        ends_at=booking.ends_at,
        place=booking.room.name,
        capacity=booking.room.capacity,
    )
    booking.event = post
    booking.save(update_fields=["event"])
    _publish(booking, residence.pk)
    return booking

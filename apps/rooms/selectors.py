"""Reads of common rooms, each in a constant number of queries whatever the number of rooms and
bookings."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from apps.rooms.models import Booking, CommonRoom

Status = Booking.Status
LIST_LIMIT = 200
PANEL_LIMIT = 5


def rooms(residence_id: int, *, active_only: bool = False) -> list[CommonRoom]:
    rows = CommonRoom.objects.filter(residence_id=residence_id)
    if active_only:
        rows = rows.filter(active=True)
    return list(rows.order_by("name", "pk"))


def week_start(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


@dataclass
class Day:
    date: datetime.date
    bookings: list[Booking] = field(default_factory=list)


@dataclass
class RoomWeek:
    room: CommonRoom
    days: list[Day]


def week(rooms_list: list[CommonRoom], monday: datetime.date) -> list[RoomWeek]:
    """Each room's approved bookings of the week starting on ``monday`` (local time), day by day:
    one query."""
    start = timezone.make_aware(datetime.datetime.combine(monday, datetime.time()))
    end = timezone.make_aware(
        datetime.datetime.combine(monday + datetime.timedelta(days=7), datetime.time())
    )
    by_room: dict[int, dict[datetime.date, list[Booking]]] = {r.pk: {} for r in rooms_list}
    rows = Booking.objects.filter(
        room_id__in=list(by_room),
        status=Status.APPROVED,
        starts_at__lt=end,
        ends_at__gt=start,
    ).order_by("starts_at", "pk")
    for booking in rows[:LIST_LIMIT]:
        day = timezone.localtime(booking.starts_at).date()
        by_room[booking.room_id].setdefault(max(day, monday), []).append(booking)
    dates = [monday + datetime.timedelta(days=i) for i in range(7)]
    return [
        RoomWeek(room, [Day(d, by_room[room.pk].get(d, [])) for d in dates]) for room in rooms_list
    ]


def _upcoming(residence_id: int) -> QuerySet[Booking]:
    return Booking.objects.filter(
        room__residence_id=residence_id, ends_at__gt=timezone.now()
    ).select_related("room", "requested_by")


def my_bookings(user: Any, residence_id: int) -> list[Booking]:
    """The person's current and coming bookings in the residence, whatever their status."""
    return list(_upcoming(residence_id).filter(requested_by_id=user.pk)[:LIST_LIMIT])


def pending_requests(residence_id: int) -> list[Booking]:
    """Requests waiting for an answer, soonest first."""
    return list(
        _upcoming(residence_id).filter(status=Status.REQUESTED, starts_at__gt=timezone.now())[
            :LIST_LIMIT
        ]
    )


def public_without_event(residence_id: int) -> list[Booking]:
    """Approved bookings for a public activity that are not an event yet."""
    return list(
        _upcoming(residence_id).filter(
            status=Status.APPROVED, public=True, event__isnull=True, starts_at__gt=timezone.now()
        )[:LIST_LIMIT]
    )


def next_approved(residence_id: int, limit: int = PANEL_LIMIT) -> list[Booking]:
    return list(_upcoming(residence_id).filter(status=Status.APPROVED)[:limit])


def visible_bookings(user: Any, residence_id: int, *, moderator: bool) -> list[Booking]:
    """For the API: current and coming approved bookings, the person's own, and for co-animators
    and staff the requests waiting for an answer."""
    shown = Q(status=Status.APPROVED) | Q(requested_by_id=user.pk)
    if moderator:
        shown |= Q(status=Status.REQUESTED)
    return list(_upcoming(residence_id).filter(shown)[:LIST_LIMIT])

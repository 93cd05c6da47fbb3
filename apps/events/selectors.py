"""Reads of events, each built for a constant number of queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from apps.community.models import Post
from apps.events.models import Attendance, Event
from apps.moderation import registry
from apps.residences import access as residence_access

GOING = Attendance.Status.GOING
WAITING = Attendance.Status.WAITING
ATTENDEES_LIMIT = 500
# The calendar feed: events from this long ago onwards (calendar apps keep the older ones).
FEED_PAST = datetime.timedelta(days=90)
FEED_LIMIT = 500


@dataclass(frozen=True)
class EventView:
    """What a card and the post page say about an event."""

    starts_at: datetime.datetime
    ends_at: datetime.datetime | None
    place: str
    capacity: int | None
    cancelled: bool
    going_count: int
    waiting_count: int
    my_status: str  # "going", "waiting" or ""

    @property
    def places_left(self) -> int | None:
        if self.capacity is None:
            return None
        return max(self.capacity - self.going_count, 0)

    @property
    def is_full(self) -> bool:
        return self.places_left == 0

    @property
    def is_past(self) -> bool:
        return self.starts_at <= timezone.now()

    @property
    def is_open(self) -> bool:
        """People may still say whether they come."""
        return not self.cancelled and not self.is_past


def events_with_counts(viewer: Any) -> QuerySet[Event]:
    mine = Attendance.objects.filter(event=OuterRef("pk"), user_id=viewer.pk)
    return Event.objects.annotate(
        going_count=Count("attendances", filter=Q(attendances__status=GOING)),
        waiting_count=Count("attendances", filter=Q(attendances__status=WAITING)),
        my_status=Subquery(mine.values("status")[:1]),
    )


def prepare(posts: list[Post], viewer: Any) -> None:
    """Sets ``post.event_view`` on event posts (one query for all of them)."""
    rows = {e.pk: e for e in events_with_counts(viewer).filter(pk__in=[p.pk for p in posts])}
    for post in posts:
        event: Any = rows.get(post.pk)
        post.event_view = (  # type: ignore[attr-defined]
            EventView(
                starts_at=event.starts_at,
                ends_at=event.ends_at,
                place=event.place,
                capacity=event.capacity,
                cancelled=event.cancelled_at is not None,
                going_count=event.going_count,
                waiting_count=event.waiting_count,
                my_status=event.my_status or "",
            )
            if event is not None
            else None
        )


def waiting_position(post: Post, viewer: Any) -> int | None:
    """The viewer's place on the waiting list (1: next to get a place), or None (one query)."""
    mine = Attendance.objects.filter(event_id=post.pk, user_id=viewer.pk, status=WAITING)
    ahead = Attendance.objects.filter(event_id=post.pk, status=WAITING).filter(
        Q(created_at__lt=Subquery(mine.values("created_at")[:1]))
        | Q(
            created_at=Subquery(mine.values("created_at")[:1]),
            pk__lte=Subquery(mine.values("pk")[:1]),
        )
    )
    row = ahead.aggregate(n=Count("pk"), mine=Count("pk", filter=Q(user_id=viewer.pk)))
    return row["n"] if row["mine"] else None


def attendees(post: Post) -> list[Attendance]:
    """Who comes, then the waiting list, each in the order they answered (one query)."""
    return list(
        Attendance.objects.filter(event_id=post.pk)
        .select_related("user")
        .order_by("status", "created_at", "pk")  # "going" before "waiting"[:ATTENDEES_LIMIT]
    )


def calendar_events(user: Any) -> list[Event]:
    """The events a person comes to, in the residences where they are still a member, recent
    and to come (one query); cancelled ones too, so that calendar apps drop them."""
    return list(
        Event.objects.filter(
            attendances__user_id=user.pk,
            attendances__status=GOING,
            post__moderation=registry.VISIBLE,
            post__residence_id__in=residence_access.member_residence_ids(user),
            starts_at__gte=timezone.now() - FEED_PAST,
        )
        .select_related("post", "post__residence")
        .order_by("starts_at", "pk")[:FEED_LIMIT]
    )

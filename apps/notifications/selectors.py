"""Reads, each built for a constant number of queries."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Case, CharField, Count, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from apps.notifications.models import (
    DEFAULT_FREQUENCY,
    Frequency,
    Kind,
    Notification,
    Preference,
)

# A digest lists what is at most this old: older unread items are not dug up (e.g. after a
# person switched a kind from "off" to "digest").
DIGEST_MAX_AGE = timedelta(days=7)


def unread_count(user: Any) -> int:
    return Notification.objects.filter(user_id=user.pk, read_at__isnull=True).count()


def unread_counts(user_ids: Iterable[int]) -> dict[int, int]:
    """Unread notifications of each user, in one query (users with none are absent)."""
    rows = (
        Notification.objects.filter(user_id__in=list(user_ids), read_at__isnull=True)
        .values("user_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["user_id"]: row["n"] for row in rows}


def my_notifications(user: Any) -> QuerySet[Notification]:
    """A person's notifications, newest first."""
    return Notification.objects.filter(user_id=user.pk).order_by("-created_at", "-pk")


def page_before(user: Any, *, limit: int, before: int | None = None) -> list[Notification]:
    """Keyset paging for the API: the ``limit`` newest notifications older than ``before`` (one
    of this user's notification ids), in one query. An id that is not theirs gives nothing."""
    rows = my_notifications(user)
    if before is not None:
        anchor = Notification.objects.filter(pk=before, user_id=user.pk).values("created_at")[:1]
        rows = rows.filter(
            Q(created_at__lt=Subquery(anchor)) | Q(created_at=Subquery(anchor), pk__lt=before)
        )
    return list(rows[:limit])


def _default_frequency_of_kind(kind_field: str = "kind") -> Case:
    return Case(
        *(
            When(**{kind_field: kind}, then=Value(str(freq)))
            for kind, freq in DEFAULT_FREQUENCY.items()
        ),
        output_field=CharField(),
    )


def frequencies(user: Any) -> dict[str, str]:
    """The effective email frequency of each kind for one person (defaults filled in)."""
    chosen = dict(Preference.objects.filter(user_id=user.pk).values_list("kind", "frequency"))
    return {kind: chosen.get(kind, DEFAULT_FREQUENCY[kind]) for kind in Kind.values}


def _with_frequency(rows: QuerySet[Notification]) -> QuerySet[Notification]:
    chosen = Preference.objects.filter(user_id=OuterRef("user_id"), kind=OuterRef("kind"))
    return rows.annotate(
        frequency=Coalesce(Subquery(chosen.values("frequency")[:1]), _default_frequency_of_kind())
    )


def _digest_candidates(now: datetime) -> QuerySet[Notification]:
    rows = Notification.objects.filter(
        read_at__isnull=True,
        emailed_at__isnull=True,
        created_at__gte=now - DIGEST_MAX_AGE,
        user__is_active=True,
    )
    return _with_frequency(rows).filter(Q(frequency=Frequency.DIGEST))


def digest_due_user_ids(now: datetime | None = None) -> list[int]:
    """People with unread, never emailed notifications of kinds they get as a daily digest."""
    now = now or timezone.now()
    return list(
        _digest_candidates(now).values_list("user_id", flat=True).distinct().order_by("user_id")
    )


def digest_items(user_id: int, now: datetime | None = None) -> QuerySet[Notification]:
    """What one person's digest lists, oldest first."""
    now = now or timezone.now()
    return _digest_candidates(now).filter(user_id=user_id).order_by("created_at", "pk")

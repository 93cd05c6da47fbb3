"""Reads of senior support, each built for a constant number of queries."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from apps.seniors.models import HelpRequest, Status, Volunteer

LIST_LIMIT = 100


def help_requests_in(residence_id: int, *, status: str = "") -> QuerySet[HelpRequest]:
    """A residence's help requests, newest first, people joined (one query)."""
    rows = HelpRequest.objects.filter(residence_id=residence_id).select_related(
        "senior", "posted_by", "volunteer"
    )
    if status in Status.values:
        rows = rows.filter(status=status)
    return rows.order_by("-created_at", "-pk")


def waiting(residence_id: int) -> list[HelpRequest]:
    """Open requests, the longest waiting first (one query)."""
    return list(
        HelpRequest.objects.filter(residence_id=residence_id, status=Status.OPEN)
        .select_related("senior", "posted_by")
        .order_by("created_at", "pk")[:LIST_LIMIT]
    )


def open_count(residence_id: int) -> int:
    return HelpRequest.objects.filter(residence_id=residence_id, status=Status.OPEN).count()


def volunteer_of(user: Any, residence_id: int) -> Volunteer | None:
    return Volunteer.objects.filter(residence_id=residence_id, user_id=user.pk).first()


def active_volunteers(residence_id: int) -> list[Volunteer]:
    return list(
        Volunteer.objects.filter(residence_id=residence_id, active=True)
        .select_related("user")
        .order_by("user__first_name", "pk")
    )


def matching_volunteer_ids(residence_id: int, kind: str) -> list[int]:
    """Active volunteers whose skills include ``kind`` (one query; skills filtered here, so that
    it works the same on SQLite and PostgreSQL)."""
    rows = Volunteer.objects.filter(residence_id=residence_id, active=True).values_list(
        "user_id", "skills"
    )
    return [user_id for user_id, skills in rows if kind in (skills or [])]

"""Reads, each built for a constant number of queries."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from apps.residences.models import Accreditation, Membership, Residence, Role, Status


def active_members(residence: Residence) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(residence=residence, status=Status.ACTIVE)
        .select_related("user", "entrance")
        .order_by("user__first_name", "user__last_name", "pk")
    )


def pending_requests(residence: Residence) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(residence=residence, status=Status.PENDING)
        .select_related("user")
        .order_by("requested_at", "pk")
    )


def co_animators(residence: Residence) -> QuerySet[Membership]:
    return active_members(residence).filter(role=Role.CO_ANIMATOR)


def accreditations(residence: Residence) -> QuerySet[Accreditation]:
    return (
        Accreditation.objects.filter(residence=residence)
        .select_related("organisation")
        .order_by("organisation__name")
    )


def my_pending_requests(user: Any) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user_id=user.pk, status=Status.PENDING)
        .select_related("residence")
        .order_by("requested_at")
    )


def landlord_residences(landlord_ids: list[int]) -> QuerySet[Residence]:
    """Residences of the given landlords, with member and pending counts, in one query."""
    return (
        Residence.objects.filter(landlord_id__in=landlord_ids)
        .select_related("landlord")
        .annotate(
            member_count=Count("memberships", filter=Q(memberships__status=Status.ACTIVE)),
            pending_count=Count("memberships", filter=Q(memberships__status=Status.PENDING)),
        )
        .order_by("landlord__name", "name")
    )


def member_counts(residence_ids: list[int]) -> dict[int, int]:
    rows = (
        Membership.objects.filter(residence_id__in=residence_ids, status=Status.ACTIVE)
        .values("residence_id")
        .annotate(n=Count("pk"))
    )
    return {row["residence_id"]: row["n"] for row in rows}


def charter_text(residence: Residence) -> str:
    """The charter a member of ``residence`` accepts: its own version, else its landlord's,
    else "" (the platform's default, in the templates). ``residence.landlord`` should be
    joined."""
    return residence.charter or residence.landlord.charter

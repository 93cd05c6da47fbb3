"""Moderation's panels: on the residence page (the log and charter for members; what waits for
review, for moderators) and on a member's profile (report it; moderate the member)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from apps.moderation.models import Case, Decision
from apps.residences import panels
from apps.residences.access import ResidenceAccess
from apps.residences.models import Membership


def residence_panel(here: ResidenceAccess, viewer: Any) -> dict[str, Any] | None:
    """Members: links; moderators: how many cases and decisions wait (two queries)."""
    if not here.is_member:
        return None
    data: dict[str, Any] = {"here": here}
    if here.can_moderate:
        residence_id = here.residence.pk
        data["open_cases"] = Case.objects.filter(
            residence_id=residence_id, status=Case.Status.OPEN
        ).count()
        data["pending"] = (
            Decision.objects.filter(residence_id=residence_id)
            .filter(
                Q(status=Decision.Status.PENDING)
                | Q(status=Decision.Status.APPLIED, urgent=True, second_at__isnull=True)
            )
            .count()
        )
    return data


def profile_panel(here: ResidenceAccess, viewer: Any, member: Membership) -> dict[str, Any] | None:
    """Report someone else's profile; moderators may also take a decision about the member."""
    if member.user_id == viewer.pk:
        return None
    return {"here": here, "member": member}


def register() -> None:
    panels.register_residence_panel(
        "moderation", "moderation/_residence_panel.html", residence_panel, order=90
    )
    panels.register_profile_panel(
        "moderation", "moderation/_profile_panel.html", profile_panel, order=90
    )

"""Senior support's panels on the residence page and on a member's profile (registered with
``apps.residences.panels`` in ``SeniorsConfig.ready``)."""

from __future__ import annotations

from typing import Any

from apps.residences import panels
from apps.residences.access import ResidenceAccess
from apps.residences.models import Membership
from apps.seniors import selectors
from apps.seniors.models import Kind


def residence_panel(here: ResidenceAccess, viewer: Any) -> dict[str, Any]:
    """How many requests wait for a volunteer, and whether the heatwave plan is on (two
    queries; members only)."""
    if not here.is_member:
        return {"here": here}
    return {
        "here": here,
        "open_count": selectors.open_count(here.residence.pk),
        "heatwave": selectors.active_heatwave(here.residence.pk),
    }


def profile_panel(here: ResidenceAccess, viewer: Any, member: Membership) -> dict[str, Any] | None:
    """A volunteer's badge, what they offer and how many neighbours they helped (two
    queries). Nothing for members who are not volunteers."""
    volunteer = selectors.volunteer_of(member.user, here.residence.pk)
    if volunteer is None or not volunteer.active:
        return None
    return {
        "volunteer": volunteer,
        "skills": [str(Kind(s).label) for s in volunteer.skills if s in Kind.values],
        "helped": selectors.helped_count(here.residence.pk, member.user_id),
    }


def register() -> None:
    panels.register_residence_panel(
        "seniors", "seniors/_residence_panel.html", residence_panel, order=30
    )
    panels.register_profile_panel("seniors", "seniors/_profile_panel.html", profile_panel, order=30)

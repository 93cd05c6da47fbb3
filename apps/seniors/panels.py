"""Senior support's panels on the residence page and on a member's profile (registered with
``apps.residences.panels`` in ``SeniorsConfig.ready``)."""

from __future__ import annotations

import datetime
from typing import Any

from apps.residences import feed, panels
from apps.residences.access import ResidenceAccess
from apps.residences.models import Membership
from apps.seniors import selectors
from apps.seniors.models import HelpRequest, Kind


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


def feed_source(
    here: ResidenceAccess,
    viewer: Any,
    before: datetime.datetime | None,
    limit: int,
    kind: str = "",
) -> list[feed.FeedItem]:
    """New help requests in the residence feed (one query; members only)."""
    if not here.is_member:
        return []
    rows = HelpRequest.objects.filter(residence_id=here.residence.pk, moderation="").select_related(
        "senior"
    )
    if before is not None:
        rows = rows.filter(created_at__lt=before)
    return [
        feed.FeedItem(
            "help",
            hr.created_at,
            "seniors/_feed_help.html",
            {"help_request": hr},
            key=f"help:{hr.pk}",
        )
        for hr in rows.order_by("-created_at", "-pk")[:limit]
    ]


def register() -> None:
    panels.register_residence_panel(
        "seniors", "seniors/_residence_panel.html", residence_panel, order=30
    )
    panels.register_profile_panel("seniors", "seniors/_profile_panel.html", profile_panel, order=30)
    feed.register_source("seniors", ("help",), feed_source)

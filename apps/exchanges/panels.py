"""The exchanges' panels on the residence page and on a member's profile (registered with
``apps.residences.panels`` in ``ExchangesConfig.ready``)."""

from __future__ import annotations

from typing import Any

from apps.exchanges import selectors
from apps.residences import panels
from apps.residences.access import ResidenceAccess
from apps.residences.models import Membership


def residence_panel(here: ResidenceAccess, viewer: Any) -> dict[str, Any]:
    """Newest open exchanges and this month's thanks (three queries; members only see them)."""
    if not here.is_member:
        return {"here": here}
    thanks_count, thanks = selectors.month_thanks(here.residence.pk)
    return {
        "here": here,
        "newest": selectors.newest_open(here.residence.pk),
        "thanks_count": thanks_count,
        "thanks": thanks,
    }


def profile_panel(here: ResidenceAccess, viewer: Any, member: Membership) -> dict[str, Any]:
    """Services given and received, thanks received, open offers and requests (five queries).
    Counts only: no ranking."""
    residence_id = here.residence.pk
    counts = selectors.recognition(residence_id, member.user_id).get(
        member.user_id, {"given": 0, "received": 0, "thanks": 0}
    )
    return {
        "member": member,
        "counts": counts,
        "thanks": selectors.thanks_received(residence_id, member.user_id),
        "open": selectors.open_by(residence_id, member.user_id),
    }


def register() -> None:
    panels.register_residence_panel(
        "exchanges", "exchanges/_residence_panel.html", residence_panel, order=20
    )
    panels.register_profile_panel(
        "exchanges", "exchanges/_profile_panel.html", profile_panel, order=20
    )

"""The common rooms' panel on the residence page (registered with ``apps.residences.panels`` in
``RoomsConfig.ready``)."""

from __future__ import annotations

from typing import Any

from apps.residences import panels
from apps.residences.access import ResidenceAccess
from apps.rooms import selectors


def residence_panel(here: ResidenceAccess, viewer: Any) -> dict[str, Any] | None:
    """The rooms and the next approved bookings (two queries; members only)."""
    if not here.is_member:
        return None
    return {
        "here": here,
        "rooms": selectors.rooms(here.residence.pk, active_only=True),
        "next_bookings": selectors.next_approved(here.residence.pk),
    }


def register() -> None:
    panels.register_residence_panel(
        "rooms", "rooms/_residence_panel.html", residence_panel, order=40
    )

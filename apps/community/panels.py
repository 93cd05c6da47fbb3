"""Residence life on the residence page (registered with apps.residences.panels), and its part
of the residence feed (registered with apps.residences.feed)."""

from __future__ import annotations

from typing import Any

from apps.community import access, selectors
from apps.community.models import Kind
from apps.residences import feed, panels
from apps.residences.access import ResidenceAccess

PANEL_ITEMS = 3


def residence_panel(here: ResidenceAccess, viewer: Any) -> dict[str, Any]:
    """The newest posts, pinned first (two queries), and what the viewer may publish."""
    items = selectors.feed_source(here, viewer, None, PANEL_ITEMS)
    done_count, done = selectors.carried_out(here.residence.pk) if here.is_member else (0, [])
    return {
        "here": here,
        "done_count": done_count,
        "done": done,
        "items": items[: PANEL_ITEMS + sum(1 for i in items if i.pinned)],
        "may_notice": access.may_post(here, Kind.NOTICE),
        "may_news": access.may_post(here, Kind.NEWS),
    }


def register() -> None:
    panels.register_residence_panel(
        "community", "community/_residence_panel.html", residence_panel, order=10
    )
    feed.register_source(
        "community",
        (Kind.NOTICE.value, Kind.NEWS.value, Kind.INITIATIVE.value),
        selectors.feed_source,
    )

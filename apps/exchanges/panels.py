"""The exchanges' panels on the residence page and on a member's profile (registered with
``apps.residences.panels`` in ``ExchangesConfig.ready``)."""

from __future__ import annotations

import datetime
from typing import Any

from apps.exchanges import selectors
from apps.exchanges.models import Exchange, Thanks
from apps.residences import feed, panels
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


def feed_source(
    here: ResidenceAccess,
    viewer: Any,
    before: datetime.datetime | None,
    limit: int,
    kind: str = "",
) -> list[feed.FeedItem]:
    """New exchanges and public thanks in the residence feed (two queries; members only)."""
    if not here.is_member:
        return []
    residence_id = here.residence.pk
    exchanges = Exchange.objects.filter(residence_id=residence_id, moderation="").select_related(
        "author"
    )
    thanks = Thanks.objects.filter(
        exchange__residence_id=residence_id, public=True, exchange__moderation=""
    ).select_related("from_user", "to_user", "exchange")
    if before is not None:
        exchanges = exchanges.filter(created_at__lt=before)
        thanks = thanks.filter(created_at__lt=before)
    items = (
        []
        if kind == "thanks"
        else [
            feed.FeedItem(
                "exchange",
                e.created_at,
                "exchanges/_feed_exchange.html",
                {"exchange": e},
                key=f"exchange:{e.pk}",
            )
            for e in exchanges.order_by("-created_at", "-pk")[:limit]
        ]
    )
    items += (
        []
        if kind == "exchange"
        else [
            feed.FeedItem(
                "thanks",
                t.created_at,
                "exchanges/_feed_thanks.html",
                {"thanks": t},
                key=f"thanks:{t.pk}",
            )
            for t in thanks.order_by("-created_at", "-pk")[:limit]
        ]
    )
    return items


def register() -> None:
    panels.register_residence_panel(
        "exchanges", "exchanges/_residence_panel.html", residence_panel, order=20
    )
    panels.register_profile_panel(
        "exchanges", "exchanges/_profile_panel.html", profile_panel, order=20
    )
    feed.register_source("exchanges", ("exchange", "thanks"), feed_source)

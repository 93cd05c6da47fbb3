"""``{% newest_exchanges residence_id as rows %}``: the residence page's panel (one query)."""

from __future__ import annotations

from django import template

from apps.exchanges import selectors
from apps.exchanges.models import Exchange

register = template.Library()


@register.simple_tag
def newest_exchanges(residence_id: int, limit: int = 3) -> list[Exchange]:
    return selectors.newest_open(residence_id, limit)

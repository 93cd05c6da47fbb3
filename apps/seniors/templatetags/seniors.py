"""``{% open_help_count residence_id as n %}``: the residence page's panel (one query)."""

from __future__ import annotations

from django import template

from apps.seniors import selectors

register = template.Library()


@register.simple_tag
def open_help_count(residence_id: int) -> int:
    return selectors.open_count(residence_id)

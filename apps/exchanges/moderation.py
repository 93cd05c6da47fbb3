"""Exchanges are moderatable (type "exchange"): the adapter registered with
``apps.moderation.registry`` in ``ExchangesConfig.ready``. The responses to an exchange are
private messages (moderated as messages), not separately."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.exchanges.access import access_exchange
from apps.exchanges.models import Exchange
from apps.moderation import registry

TYPE = "exchange"


def _target(exchange: Exchange) -> registry.Target:
    parts = [exchange.title, exchange.description, exchange.availability]
    return registry.Target(
        type=TYPE,
        id=exchange.pk,
        residence_id=exchange.residence_id,
        author_id=exchange.author_id,
        author_name=exchange.author.display_name,
        excerpt="\n".join(p for p in parts if p),
        url=reverse("exchanges:detail", args=[exchange.pk]),
        state=exchange.moderation,
    )


def find(user: Any, exchange_id: int) -> registry.Target:
    """An exchange the user can see (members of its residence; held or hidden: its author)."""
    return _target(access_exchange(user, exchange_id).exchange)  # Http404 when they may not


def load(ids: Iterable[int]) -> dict[int, registry.Target]:
    rows = Exchange.objects.select_related("author").filter(pk__in=list(ids))
    return {e.pk: _target(e) for e in rows}


def set_state(exchange_id: int, state: str) -> None:
    from apps.exchanges import actions

    actions.set_moderation(exchange_id, state)


def register() -> None:
    registry.register(
        registry.Moderatable(
            type=TYPE, label=_("Service exchange"), find=find, load=load, set_state=set_state
        )
    )

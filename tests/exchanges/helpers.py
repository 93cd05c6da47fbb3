from __future__ import annotations

from typing import Any

from apps.exchanges import actions
from apps.exchanges.models import Exchange
from tests.conftest import World


def post(world: World, author: Any = None, **fields: Any) -> Exchange:
    values: dict[str, Any] = {
        "kind": "request",
        "category": "diy",
        "title": "Monter une étagère",
        "description": "Il me faut une perceuse et deux mains.",
    }
    values.update(fields)
    return actions.post_exchange(author or world.alice.user, world.residence, **values)

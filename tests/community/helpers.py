from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from apps.community import actions
from apps.community.models import Post
from tests.conftest import World


def notice(world: World, **extra: Any) -> Post:
    values: dict[str, Any] = {
        "kind": "notice",
        "title": "Coupure d'eau jeudi",
        "body": "L'eau sera coupée de 9 h à 12 h.",
        "category": "water",
        "urgency": "info",
        "valid_until": timezone.now() + datetime.timedelta(days=2),
    }
    values.update(extra)
    return actions.publish_post(world.claire, world.residence, **values)


def news(world: World, author: Any = None, **extra: Any) -> Post:
    values: dict[str, Any] = {
        "kind": "news",
        "title": "Atelier couture samedi",
        "body": "Au local, à 14 h. Infos : https://exemple.fr/couture",
    }
    values.update(extra)
    return actions.publish_post(author or world.bob.user, world.residence, **values)

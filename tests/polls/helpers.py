from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from apps.community.models import Post
from apps.polls import actions
from tests.conftest import World

QUESTION = "À quoi doit servir la salle commune ?"
ANSWERS = ["Des ateliers", "Des fêtes", "Une salle d'étude"]


def poll(world: World, author: Any = None, **extra: Any) -> Post:
    values: dict[str, Any] = {
        "title": QUESTION,
        "body": "Donnez votre avis avant la réunion.",
        "choices": ANSWERS,
        "closes_at": timezone.now() + datetime.timedelta(days=7),
    }
    values.update(extra)
    return actions.publish_poll(author or world.bob.user, world.residence, **values)


def choice_ids(post: Post) -> list[int]:
    return list(post.poll.choices.order_by("position").values_list("pk", flat=True))

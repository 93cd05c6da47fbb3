from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from apps.community.models import Post
from apps.events import actions
from apps.residences.models import Membership, Role, Status
from tests.conftest import World, make_user


def in_days(days: float, hour: int | None = None) -> datetime.datetime:
    moment = timezone.now() + datetime.timedelta(days=days)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0) if hour else moment


def event(world: World, author: Any = None, **extra: Any) -> Post:
    values: dict[str, Any] = {
        "title": "Fête des voisins",
        "body": "Apportez un plat.",
        "starts_at": in_days(5),
        "place": "Salle commune",
    }
    values.update(extra)
    return actions.publish_event(author or world.bob.user, world.residence, **values)


def resident(world: World, email: str, first: str) -> Any:
    user = make_user(email, first, "Voisin")
    Membership.objects.create(
        user=user,
        residence=world.residence,
        role=Role.RESIDENT,
        status=Status.ACTIVE,
        charter_accepted_at=timezone.now(),
    )
    return user

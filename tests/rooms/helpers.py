from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from apps.rooms import actions
from apps.rooms.models import Booking, CommonRoom
from tests.conftest import World

ROOM_NAME = "Salle des Tilleuls"


def at(days: int = 3, hour: int = 18, minute: int = 0) -> datetime.datetime:
    """A local time ``days`` from today, on a half hour."""
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def room(world: World, **extra: Any) -> CommonRoom:
    values: dict[str, Any] = {
        "name": ROOM_NAME,
        "capacity": 30,
        "accessibility": "Rez-de-chaussée, sans marche",
        "rules": "Rendre la salle propre.",
    }
    values.update(extra)
    return actions.create_room(world.claire, world.residence, **values)


def ask(
    world: World,
    the_room: CommonRoom,
    who: Any = None,
    *,
    days: int = 3,
    hour: int = 18,
    hours: float = 2,
    purpose: str = "Anniversaire",
    public: bool = False,
) -> Booking:
    starts_at = at(days, hour)
    return actions.request_booking(
        who or world.alice.user,
        the_room,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=hours),
        purpose=purpose,
        public=public,
    )

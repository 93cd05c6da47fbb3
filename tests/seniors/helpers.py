"""People of the senior-support tests: Alice is the senior; Zoé and Yann are volunteers."""

from __future__ import annotations

from typing import Any

from apps.residences.models import Membership, Role, Status
from apps.seniors import actions
from tests.conftest import World, make_user


def resident(world: World, email: str, first: str) -> Any:
    user = make_user(email, first, "Voisin")
    Membership.objects.create(
        user=user, residence=world.residence, role=Role.RESIDENT, status=Status.ACTIVE
    )
    return user


def volunteer(world: World, email: str, first: str, skills: tuple[str, ...] = ("shopping",)) -> Any:
    user = resident(world, email, first)
    actions.opt_in_volunteer(user, world.residence, skills=list(skills), availability="Le soir")
    return user


def post(world: World, **extra: Any) -> Any:
    fields: dict[str, Any] = {
        "kind": "shopping",
        "when_text": "Mardi matin",
        "contact": "phone",
        "phone": "06 12 34 56 78",
    }
    fields.update(extra)
    return actions.post_help_request(world.alice.user, world.residence, **fields)

"""Shared by the moderation tests: profiles are the moderatable kind that the moderation app
registers itself, so the rules are tested on them; content apps test their own adapters."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from apps.moderation import actions
from apps.moderation.models import Decision
from apps.residences.models import Membership, Role, Status
from tests.conftest import World, make_user


def profile_of(member: Any) -> int:
    """The membership id: a profile as shown in one residence."""
    return int(member.pk)


def bio(member: Any, text: str = "J'aime le jardinage et les échecs.") -> None:
    member.user.bio = text
    member.user.save(update_fields=["bio"])


def resident(world: World, first: str, *, role: str = Role.RESIDENT) -> Any:
    n = Membership.objects.count()
    user = make_user(f"{first.lower()}{n}@test.fr", first, "Voisin")
    return Membership.objects.create(
        user=user,
        residence=world.residence,
        role=role,
        status=Status.ACTIVE,
        charter_accepted_at=timezone.now(),
        decided_at=timezone.now() - datetime.timedelta(days=90),
    )


def hide(actor: Any, member: Any, **extra: Any) -> Decision:
    values: dict[str, Any] = {
        "target_type": "profile",
        "target_id": profile_of(member),
        "action": "hide",
        "reason": "disrespect",
        "explanation": "Propos blessants envers un voisin.",
    }
    values.update(extra)
    return actions.decide(actor, member.residence, **values)


def on_member(actor: Any, member: Any, action: str, **extra: Any) -> Decision:
    values: dict[str, Any] = {
        "target_type": actions.MEMBER_TARGET,
        "target_id": member.user_id,
        "action": action,
        "reason": "disrespect",
        "explanation": "Insultes répétées dans le salon.",
        "message": "Merci de respecter la charte." if action == "warn" else "",
        "until": timezone.now() + datetime.timedelta(days=7)
        if action in ("mute", "suspend")
        else None,
    }
    values.update(extra)
    return actions.decide(actor, member.residence, **values)

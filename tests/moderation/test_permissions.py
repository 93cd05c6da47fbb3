"""The permission matrix: every moderation action, by the role of who acts, the role of whom it
concerns and the residence. "applied" takes effect at once; "staff" / "co_animator" waits for that
side's agreement (the two-key rule); "403" is refused."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from apps.moderation.models import Decision
from apps.residences.models import Membership, Role, Status
from tests.conftest import World, make_user
from tests.moderation.helpers import hide, on_member, resident

pytestmark = pytest.mark.django_db

ACTIONS = ("hide", "warn", "mute", "suspend", "remove")

# (actor, subject) → outcome for each action, in the order of ACTIONS.
EXPECTED: dict[tuple[str, str], tuple[str, ...]] = {
    ("resident", "resident"): ("403",) * 5,
    ("partner", "resident"): ("403",) * 5,
    ("outsider", "resident"): ("403",) * 5,
    ("co_animator_elsewhere", "resident"): ("403",) * 5,
    ("co_animator", "resident"): ("applied", "applied", "applied", "staff", "staff"),
    ("co_animator", "co_animator"): ("403",) * 5,
    ("staff", "resident"): ("co_animator", "applied", "co_animator", "co_animator", "co_animator"),
    ("staff", "co_animator"): ("applied",) * 5,
}

CASES = [
    (actor, subject, action, outcome)
    for (actor, subject), outcomes in EXPECTED.items()
    for action, outcome in zip(ACTIONS, outcomes, strict=True)
]


def _actor(world: World, who: str) -> Any:
    if who == "co_animator_elsewhere":
        user = make_user("coanim-ailleurs@test.fr", "Karim", "Ailleurs")
        Membership.objects.create(
            user=user,
            residence=world.other,
            role=Role.CO_ANIMATOR,
            status=Status.ACTIVE,
            charter_accepted_at=timezone.now(),
        )
        return user
    return {
        "resident": world.alice.user,
        "co_animator": world.bob.user,
        "staff": world.claire,
        "partner": world.dave,
        "outsider": world.eve.user,
    }[who]


@pytest.mark.parametrize(("actor", "subject", "action", "outcome"), CASES)
def test_the_permission_matrix(
    world: World, actor: str, subject: str, action: str, outcome: str
) -> None:
    target = resident(
        world, "Zoé", role=Role.CO_ANIMATOR if subject == "co_animator" else Role.RESIDENT
    )
    who = _actor(world, actor)

    def run() -> Decision:
        return hide(who, target) if action == "hide" else on_member(who, target, action)

    if outcome == "403":
        with pytest.raises(PermissionDenied):
            run()
        assert not Decision.objects.exists()
        return
    decision = run()
    if outcome == "applied":
        assert (decision.status, decision.needs) == (Decision.Status.APPLIED, "")
    else:
        assert (decision.status, decision.needs) == (Decision.Status.PENDING, outcome)


def test_the_matrix_covers_every_member_action() -> None:
    from apps.moderation.models import MEMBER_ACTIONS

    assert {a.value for a in MEMBER_ACTIONS} | {"hide"} == set(ACTIONS)

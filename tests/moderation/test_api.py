"""The moderation API: reports, the queue, decisions (with the two-key rule), appeals, the log."""

from __future__ import annotations

from typing import Any

import pytest

from apps.moderation.models import Decision
from apps.residences.models import Membership
from tests.conftest import World, client_for
from tests.moderation.helpers import bio, hide

pytestmark = pytest.mark.django_db


def _post(client: Any, url: str, data: dict[str, Any]) -> Any:
    return client.post(f"/api/v1{url}", data, content_type="application/json")


def test_a_report_then_a_decision_through_the_api(world: World) -> None:
    bio(world.alice, "Texte signalé")
    created = _post(
        client_for(world.bob),
        "/reports",
        {"target_type": "profile", "target_id": world.alice.pk, "reason": "disrespect"},
    )
    assert created.status_code == 201, created.content
    report_id = created.json()["id"]
    queue = client_for(world.bob).get(f"/api/v1/residences/{world.residence.pk}/moderation/queue")
    assert queue.status_code == 200
    [case] = queue.json()["cases"]
    assert case["reports"] == 1 and case["target"]["excerpt"] == "Texte signalé"
    decided = _post(
        client_for(world.claire),
        "/moderation/decisions",
        {
            "report_id": report_id,
            "action": "hide",
            "reason": "disrespect",
            "explanation": "Insulte.",
        },
    )
    assert decided.status_code == 201, decided.content
    body = decided.json()
    assert (body["status"], body["needs"]) == ("pending", "co_animator")
    agreed = _post(client_for(world.bob), f"/moderation/decisions/{body['id']}/agree", {})
    assert agreed.status_code == 200 and agreed.json()["status"] == "applied"
    assert Membership.objects.get(pk=world.alice.pk).profile_hidden
    appealed = _post(
        client_for(world.alice),
        f"/moderation/decisions/{body['id']}/appeal",
        {"message": "Je conteste."},
    )
    assert appealed.status_code == 201 and appealed.json()["reviewer_role"] == "co_animator"
    log = client_for(world.alice).get(f"/api/v1/residences/{world.residence.pk}/moderation/log")
    assert log.status_code == 200
    [entry] = log.json()
    assert (entry["decision"], entry["reason"], entry["appeal"]) == (
        "hide",
        "disrespect",
        "pending",
    )
    assert "reporter" not in entry and "explanation" not in entry


def test_a_decision_on_a_member_names_the_residence(world: World) -> None:
    client = client_for(world.bob)
    payload: dict[str, Any] = {
        "target": {"type": "member", "id": world.alice.user_id},
        "action": "warn",
        "reason": "disrespect",
        "explanation": "Ton agressif.",
        "message": "Merci de rester courtois.",
    }
    missing = _post(client, "/moderation/decisions", payload)
    assert missing.status_code == 400
    assert missing.json()["code"] == "target" and "residence_id" in missing.json()["detail"]
    assert not Decision.objects.exists()
    payload["target"]["residence_id"] = world.residence.pk
    done = _post(client, "/moderation/decisions", payload)
    assert done.status_code == 201 and done.json()["status"] == "applied"
    assert Decision.objects.get().pk == done.json()["id"]


@pytest.mark.parametrize(
    ("who", "queue", "decide", "log"),
    [
        ("alice", 403, 403, 200),
        ("dave", 403, 403, 403),
        ("eve", 404, 404, 404),
    ],
)
def test_residents_partners_and_outsiders(
    world: World, who: str, queue: int, decide: int, log: int
) -> None:
    client = client_for(getattr(world, who))
    rid = world.residence.pk
    assert client.get(f"/api/v1/residences/{rid}/moderation/queue").status_code == queue
    assert client.get(f"/api/v1/residences/{rid}/moderation/log").status_code == log
    response = _post(
        client,
        "/moderation/decisions",
        {
            "target": {"type": "member", "id": world.bob.user_id, "residence_id": rid},
            "action": "warn",
            "reason": "other",
            "explanation": "x",
            "message": "x",
        },
    )
    assert response.status_code == decide
    assert not Decision.objects.exists()


def test_bad_input_gets_a_clear_error(world: World) -> None:
    client = client_for(world.bob)
    unknown = _post(
        client, "/reports", {"target_type": "spaceship", "target_id": 1, "reason": "other"}
    )
    assert unknown.status_code == 400 and unknown.json()["detail"]
    malformed = _post(client, "/reports", {"target_type": "profile"})
    assert malformed.status_code == 422
    decision = hide(world.bob.user, world.alice)
    twice = _post(client_for(world.claire), f"/moderation/decisions/{decision.pk}/agree", {})
    assert twice.status_code == 403  # no second key awaited from staff here

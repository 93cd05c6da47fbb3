from __future__ import annotations

import json

import pytest
from django.test import Client

from apps.accounts import actions as account_actions
from apps.residences.models import Membership, Status
from tests.conftest import World, add_members, client_for

pytestmark = pytest.mark.django_db


def test_it_describes_me(world: World) -> None:
    body = client_for(world.bob).get("/api/v1/me").json()
    assert body["display_name"] == "Bob D."
    assert body["memberships"] == [
        {
            "residence_id": world.residence.pk,
            "residence_name": "Les Tilleuls",
            "role": "co_animator",
            "status": "active",
        }
    ]


def test_it_lists_pending_memberships_in_me(world: World) -> None:
    body = client_for(world.pending).get("/api/v1/me").json()
    assert body["memberships"] == [
        {
            "residence_id": world.residence.pk,
            "residence_name": "Les Tilleuls",
            "role": "resident",
            "status": "pending",
        }
    ]


def test_it_lists_only_my_residences(world: World) -> None:
    assert [r["name"] for r in client_for(world.eve).get("/api/v1/residences/").json()] == [
        "Le Vulcain"
    ]
    staff = client_for(world.claire).get("/api/v1/residences/").json()
    assert [(r["name"], r["my_role"]) for r in staff] == [("Les Tilleuls", "staff")]


def test_it_hides_a_foreign_residence_with_a_json_404(world: World) -> None:
    response = client_for(world.eve).get(f"/api/v1/residences/{world.residence.pk}")
    assert response.status_code == 404
    assert response.json() == {"detail": "Introuvable."}


def test_it_lists_members_without_private_details(world: World) -> None:
    alice = world.alice.user
    alice.phone = "0600000000"
    alice.save()
    members = client_for(world.bob).get(f"/api/v1/residences/{world.residence.pk}/members").json()
    assert [m["display_name"] for m in members] == ["Alice M.", "Bob D."]
    assert all("email" not in m for m in members)
    assert members[0]["phone"] == ""
    alice.show_phone = True
    alice.save()
    members = client_for(world.bob).get(f"/api/v1/residences/{world.residence.pk}/members").json()
    assert members[0]["phone"] == "0600000000"


def test_it_joins_with_a_code(world: World) -> None:
    response = client_for(world.eve).post(
        "/api/v1/residences/join",
        {"code": "tilleuls", "charter_accepted": True},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json() == {
        "residence_id": world.residence.pk,
        "residence_name": "Les Tilleuls",
        "role": "resident",
        "status": "pending",
    }


@pytest.mark.parametrize(
    ("payload", "status", "reason"),
    [
        ({"code": "TILLEULS"}, 400, "charte"),
        ({"code": "ZZZZ9999", "charter_accepted": True}, 400, "aucune résidence"),
        ({"charter_accepted": True}, 422, "code"),
        ({"code": "X" * 50, "charter_accepted": True}, 422, "code"),
    ],
)
def test_it_explains_a_bad_join_and_writes_nothing(
    world: World, payload: dict[str, object], status: int, reason: str
) -> None:
    response = client_for(world.eve).post(
        "/api/v1/residences/join", payload, content_type="application/json"
    )
    assert response.status_code == status
    assert reason in response.json()["detail"]
    assert not Membership.objects.filter(user=world.eve.user, residence=world.residence).exists()


def test_it_refuses_joining_twice(world: World) -> None:
    response = client_for(world.pending).post(
        "/api/v1/residences/join",
        {"code": "TILLEULS", "charter_accepted": True},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "already_member"
    assert Membership.objects.get(pk=world.pending.pk).status == Status.PENDING


def test_it_requires_authentication(world: World) -> None:
    response = Client().get("/api/v1/me")
    assert response.status_code == 401
    assert "jeton" in response.json()["detail"]


def test_it_requires_csrf_for_session_writes(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.eve.user)
    response = client.post(
        "/api/v1/residences/join",
        {"code": "TILLEULS", "charter_accepted": True},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not Membership.objects.filter(user=world.eve.user, residence=world.residence).exists()


def test_it_accepts_a_bearer_token_without_csrf(world: World) -> None:
    _token, raw = account_actions.create_api_token(world.eve.user, name="phone")
    client = Client(enforce_csrf_checks=True)
    headers = {"Authorization": f"Bearer {raw}"}
    assert client.get("/api/v1/me", headers=headers).json()["display_name"] == "Eve B."
    response = client.post(
        "/api/v1/residences/join",
        json.dumps({"code": "TILLEULS", "charter_accepted": True}),
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 201


def test_it_refuses_a_revoked_or_wrong_token(world: World) -> None:
    token, raw = account_actions.create_api_token(world.eve.user, name="phone")
    account_actions.revoke_api_token(world.eve.user, token.pk)
    assert Client().get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"}).status_code == 401
    assert Client().get("/api/v1/me", headers={"Authorization": "Bearer nope"}).status_code == 401


def test_it_publishes_its_schema(db: None) -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    for path in (
        "/api/v1/me",
        "/api/v1/residences/",
        "/api/v1/residences/{residence_id}",
        "/api/v1/residences/{residence_id}/members",
        "/api/v1/residences/join",
    ):
        assert path in schema["paths"]


@pytest.mark.parametrize("members", [5, 200])
def test_members_endpoint_uses_a_constant_number_of_queries(
    world: World, members: int, django_assert_num_queries: object
) -> None:
    add_members(world, members)
    client = client_for(world.bob)
    with django_assert_num_queries(4):  # type: ignore[operator]
        response = client.get(f"/api/v1/residences/{world.residence.pk}/members")
    assert len(response.json()) == members + 2

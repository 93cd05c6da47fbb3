from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from apps.messaging.models import Conversation, Message, MessageRevision
from tests.conftest import World, add_members, client_for

pytestmark = pytest.mark.django_db


def _post(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, body, content_type="application/json")


def test_send_list_catch_up_edit_delete(world: World) -> None:
    alice, bob = client_for(world.alice), client_for(world.bob)
    url = f"/api/v1/conversations/{world.conversation.pk}/messages"
    sent = _post(alice, url, {"body": "Tu es là ?"})
    assert sent.status_code == 201
    body = sent.json()
    assert set(body) == {
        "id",
        "conversation_id",
        "body",
        "author",
        "created_at",
        "edited_at",
        "deleted",
        "moderation",
        "image",
    }
    assert body["author"] == {"id": world.alice.user_id, "display_name": "Alice M."}
    assert [m["body"] for m in bob.get(url).json()] == ["Coucou", "Tu es là ?"]
    assert [m["body"] for m in bob.get(f"{url}?after={world.message.pk}").json()] == ["Tu es là ?"]
    listed = bob.get("/api/v1/conversations").json()
    assert [(c["id"], c["unread"]) for c in listed if c["kind"] == "direct"] == [
        (world.conversation.pk, 2)
    ]
    assert _post(bob, f"/api/v1/conversations/{world.conversation.pk}/read", {}).json() == {
        "last_read_id": body["id"]
    }
    assert bob.get("/api/v1/conversations").json()[0]["unread"] == 0

    edited = alice.patch(
        f"/api/v1/messages/{body['id']}",
        {"body": "Tu es là, Bob ?"},
        content_type="application/json",
    )
    assert edited.json()["body"] == "Tu es là, Bob ?"
    assert edited.json()["edited_at"] is not None
    deleted = alice.delete(f"/api/v1/messages/{body['id']}").json()
    assert (deleted["deleted"], deleted["body"]) == (True, "")
    assert list(
        MessageRevision.objects.filter(message_id=body["id"]).values_list("body", flat=True)
    ) == [
        "Tu es là ?",
        "Tu es là, Bob ?",
    ]
    assert [m["deleted"] for m in bob.get(url).json()] == [False, True]


@pytest.mark.parametrize(
    ("body", "status", "reason"),
    [
        ({"body": "   "}, 400, "Écrivez"),
        ({"body": "x" * 4001}, 400, "4000"),
        ({}, 422, "body"),
        ({"body": 12}, 422, "body"),
    ],
)
def test_a_bad_message_is_refused_and_nothing_is_stored(
    world: World, body: dict[str, Any], status: int, reason: str
) -> None:
    before = Message.objects.count()
    response = _post(
        client_for(world.alice), f"/api/v1/conversations/{world.conversation.pk}/messages", body
    )
    assert response.status_code == status
    assert reason in response.json()["detail"]
    assert Message.objects.count() == before


def test_a_message_of_exactly_4000_characters_is_accepted(world: World) -> None:
    response = _post(
        client_for(world.alice),
        f"/api/v1/conversations/{world.conversation.pk}/messages",
        {"body": "é" * 4000},
    )
    assert response.status_code == 201


def test_a_flood_is_rate_limited_per_person(world: World, settings: Any) -> None:
    settings.MESSAGES_PER_MINUTE = 3
    client = client_for(world.alice)
    url = f"/api/v1/conversations/{world.conversation.pk}/messages"
    statuses = [_post(client, url, {"body": f"n°{i}"}).status_code for i in range(5)]
    assert statuses == [201, 201, 201, 429, 429]
    refused = _post(client, url, {"body": "encore"})
    assert refused["Retry-After"] == "60"
    assert "trop vite" in refused.json()["detail"]
    assert Message.objects.filter(conversation=world.conversation).count() == 4
    assert _post(client_for(world.bob), url, {"body": "moi"}).status_code == 201


def test_someone_else_cannot_edit_my_message(world: World) -> None:
    response = client_for(world.bob).patch(
        f"/api/v1/messages/{world.message.pk}", {"body": "pirate"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert Message.objects.get(pk=world.message.pk).body == "Coucou"


def test_unknown_conversation_and_message_are_404(world: World) -> None:
    client = client_for(world.alice)
    assert client.get("/api/v1/conversations/999999/messages").status_code == 404
    assert _post(client, "/api/v1/conversations/999999/messages", {"body": "x"}).status_code == 404
    assert client.delete("/api/v1/messages/999999").status_code == 404


def test_starting_conversations(world: World) -> None:
    client = client_for(world.bob)
    again = _post(
        client,
        "/api/v1/conversations",
        {"residence_id": world.residence.pk, "member_ids": [world.alice.user_id]},
    )
    assert (again.status_code, again.json()["id"]) == (200, world.conversation.pk)
    add_members(world, 2)
    from apps.residences.models import Membership

    others = list(
        Membership.objects.filter(user__email__startswith="m").values_list("user_id", flat=True)
    )
    group = _post(
        client,
        "/api/v1/conversations",
        {"residence_id": world.residence.pk, "member_ids": others, "title": "Fête des voisins"},
    )
    assert group.status_code == 201
    assert group.json()["kind"] == "group"
    assert {p["id"] for p in group.json()["participants"]} == {world.bob.user_id, *others}
    room = _post(
        client, "/api/v1/conversations", {"residence_id": world.residence.pk, "room": True}
    )
    assert room.status_code == 201
    assert (
        _post(
            client_for(world.alice),
            "/api/v1/conversations",
            {"residence_id": world.residence.pk, "room": True},
        ).json()["id"]
        == room.json()["id"]
    )
    assert Conversation.objects.filter(kind="room").count() == 1


def test_one_cannot_start_a_conversation_with_an_outsider(world: World) -> None:
    response = _post(
        client_for(world.alice),
        "/api/v1/conversations",
        {"residence_id": world.residence.pk, "member_ids": [world.eve.user_id]},
    )
    assert response.status_code == 400
    assert "membres" in response.json()["detail"]
    other = _post(
        client_for(world.alice),
        "/api/v1/conversations",
        {"residence_id": world.other.pk, "member_ids": [world.eve.user_id]},
    )
    assert other.status_code == 404


def test_a_suspended_member_can_no_longer_write(world: World) -> None:
    world.bob.status = "suspended"
    world.bob.save()
    response = _post(
        client_for(world.bob),
        f"/api/v1/conversations/{world.conversation.pk}/messages",
        {"body": "Salut"},
    )
    assert response.status_code == 403
    assert not Message.objects.filter(author=world.bob.user).exists()


def test_the_room_is_for_every_active_member(world: World) -> None:
    from apps.messaging.actions import room_of

    room, _ = room_of(world.residence)
    url = f"/api/v1/conversations/{room.pk}/messages"
    assert _post(client_for(world.claire), url, {"body": "Bonjour à tous"}).status_code == 201
    assert [m["body"] for m in client_for(world.alice).get(url).json()] == ["Bonjour à tous"]
    assert client_for(world.eve).get(url).status_code == 404
    assert client_for(world.pending).get(url).status_code == 404
    assert _post(client_for(world.dave), url, {"body": "Promo !"}).status_code == 404

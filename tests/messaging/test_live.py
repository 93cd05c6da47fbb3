"""Messages reach the other participants' sockets, through the real ASGI stack."""

from __future__ import annotations

from typing import Any

import pytest
from asgiref.sync import sync_to_async
from django.test import Client

from apps.messaging import access, actions
from apps.realtime import presence
from tests.conftest import World, build_world
from tests.sockets import next_of as _next_of
from tests.sockets import open_socket as _open

pytestmark = pytest.mark.django_db(transaction=True)


async def _world() -> World:
    return await sync_to_async(build_world)()


def _send_over_api(user: Any, conversation_id: int, body: str) -> dict[str, Any]:
    client = Client()
    client.force_login(user)
    response = client.post(
        f"/api/v1/conversations/{conversation_id}/messages",
        {"body": body},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    return response.json()


async def test_a_message_sent_over_the_api_reaches_the_other_participant() -> None:
    world = await _world()
    bob, _ = await _open(world.bob.user)
    eve, _ = await _open(world.eve.user)
    claire, _ = await _open(world.claire)
    sent = await sync_to_async(_send_over_api)(
        world.alice.user, world.conversation.pk, "Bonjour Bob"
    )
    frame = await _next_of(bob, "message.created")
    assert frame["data"]["id"] == sent["id"]
    assert frame["data"]["body"] == "Bonjour Bob"
    assert frame["data"]["conversation_id"] == world.conversation.pk
    assert frame["data"]["author"] == {"id": world.alice.user_id, "display_name": "Alice M."}
    assert frame["data"]["created_at"]
    # Not a participant: staff of the landlord and the outsider hear nothing.
    assert await eve.receive_nothing(timeout=0.3)
    assert await claire.receive_nothing(timeout=0.1)
    for socket in (bob, eve, claire):
        await socket.disconnect()


async def test_edits_deletions_and_read_markers_are_live() -> None:
    world = await _world()
    alice, _ = await _open(world.alice.user)
    here = await sync_to_async(access.access_conversation)(world.bob.user, world.conversation.pk)
    await sync_to_async(actions.mark_read)(world.bob.user, here)
    read = await _next_of(alice, "conversation.read")
    assert read["data"] == {
        "conversation_id": world.conversation.pk,
        "user_id": world.bob.user_id,
        "last_read_id": world.message.pk,
        "display_name": "Bob D.",
    }
    await sync_to_async(actions.edit_message)(world.alice.user, world.message, "Coucou !")
    assert (await _next_of(alice, "message.updated"))["data"]["body"] == "Coucou !"
    await sync_to_async(actions.delete_message)(world.alice.user, world.message)
    deleted = await _next_of(alice, "message.deleted")
    assert (deleted["data"]["deleted"], deleted["data"]["body"]) == (True, "")
    await alice.disconnect()


async def test_read_markers_can_be_turned_off() -> None:
    world = await _world()
    bob_user = world.bob.user
    bob_user.share_read_receipts = False
    await sync_to_async(bob_user.save)()
    alice, _ = await _open(world.alice.user)
    here = await sync_to_async(access.access_conversation)(bob_user, world.conversation.pk)
    await sync_to_async(actions.mark_read)(bob_user, here)
    assert await alice.receive_nothing(timeout=0.3)
    await alice.disconnect()


async def test_typing_reaches_the_others_but_not_oneself() -> None:
    world = await _world()
    alice, _ = await _open(world.alice.user)
    bob, _ = await _open(world.bob.user)
    await alice.send_json_to({"type": "typing", "data": {"conversation_id": world.conversation.pk}})
    frame = await _next_of(bob, "typing")
    assert frame["data"] == {
        "conversation_id": world.conversation.pk,
        "user_id": world.alice.user_id,
        "display_name": "Alice M.",
    }
    assert await alice.receive_nothing(timeout=0.3)
    await alice.disconnect()
    await bob.disconnect()


@pytest.mark.parametrize("data", [{"conversation_id": "x"}, {}, {"conversation_id": True}])
async def test_a_malformed_typing_frame_gets_an_error(data: dict[str, Any]) -> None:
    world = await _world()
    alice, _ = await _open(world.alice.user)
    await alice.send_json_to({"type": "typing", "data": data})
    assert (await alice.receive_json_from(timeout=5))["data"]["code"] == "malformed"
    await alice.send_json_to({"type": "ping"})
    assert (await alice.receive_json_from(timeout=5))["type"] == "pong"
    await alice.disconnect()


async def test_typing_into_someone_elses_conversation_is_refused_as_not_found() -> None:
    world = await _world()
    eve, _ = await _open(world.eve.user)
    bob, _ = await _open(world.bob.user)
    await eve.send_json_to({"type": "typing", "data": {"conversation_id": world.conversation.pk}})
    assert (await eve.receive_json_from(timeout=5))["data"]["code"] == "not_found"
    assert await bob.receive_nothing(timeout=0.3)
    await eve.disconnect()
    await bob.disconnect()


async def test_presence_follows_open_sockets() -> None:
    world = await _world()
    uid = world.alice.user_id
    assert not await sync_to_async(presence.is_online)(uid)
    first, _ = await _open(world.alice.user)
    second, _ = await _open(world.alice.user)
    assert await sync_to_async(presence.is_online)(uid)
    await first.disconnect()
    assert await sync_to_async(presence.is_online)(uid)
    await second.disconnect()
    assert not await sync_to_async(presence.is_online)(uid)

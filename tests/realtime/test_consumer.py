"""The live socket, through the real ASGI stack (origin check, session auth, consumer)."""

from __future__ import annotations

import json

import pytest
from asgiref.sync import sync_to_async
from django.conf import settings

from apps.realtime.consumers import CLOSE_TOO_MANY_FRAMES
from apps.residences import actions
from tests.conftest import World, build_world
from tests.sockets import connect as _connect
from tests.sockets import open_socket as _open

pytestmark = pytest.mark.django_db(transaction=True)


async def _world() -> World:
    return await sync_to_async(build_world)()


async def test_it_refuses_a_socket_without_a_session() -> None:
    communicator = await _connect(None)
    connected, _ = await communicator.connect()
    assert not connected


async def test_it_refuses_a_foreign_origin() -> None:
    world = await _world()
    communicator = await _connect(world.alice.user, origin=b"https://evil.example")
    connected, _ = await communicator.connect()
    assert not connected


async def test_it_joins_the_groups_of_active_memberships_only() -> None:
    world = await _world()
    communicator, hello = await _open(world.alice.user)
    assert hello["data"]["groups"] == sorted(
        [
            f"user.{world.alice.user_id}",
            f"residence.{world.residence.pk}",
            f"residence.{world.residence.pk}.members",
        ]
    )
    await communicator.disconnect()
    communicator, hello = await _open(world.pending.user)
    assert hello["data"]["groups"] == [f"user.{world.pending.user_id}"]
    await communicator.disconnect()


async def test_it_answers_pings() -> None:
    world = await _world()
    communicator, _ = await _open(world.alice.user)
    await communicator.send_json_to({"type": "ping", "ref": 7})
    assert await communicator.receive_json_from(timeout=5) == {"type": "pong", "data": {"ref": 7}}
    await communicator.disconnect()


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        ("not json", "malformed"),
        ("[1, 2]", "malformed"),
        ('{"no": "type"}', "malformed"),
        ('{"type": "launch.missiles"}', "unknown_type"),
        (json.dumps({"type": "ping", "pad": "x" * 70_000}), "too_large"),
    ],
)
async def test_it_answers_a_bad_frame_with_an_error_and_stays_open(frame: str, code: str) -> None:
    world = await _world()
    communicator, _ = await _open(world.alice.user)
    await communicator.send_to(text_data=frame)
    error = await communicator.receive_json_from(timeout=5)
    assert error["type"] == "error"
    assert error["data"]["code"] == code
    assert error["data"]["reason"]
    await communicator.send_json_to({"type": "ping"})
    assert (await communicator.receive_json_from(timeout=5))["type"] == "pong"
    await communicator.disconnect()


async def test_it_answers_a_binary_frame_with_an_error() -> None:
    world = await _world()
    communicator, _ = await _open(world.alice.user)
    await communicator.send_to(bytes_data=b"\x00\x01")
    assert (await communicator.receive_json_from(timeout=5))["data"]["code"] == "malformed"
    await communicator.disconnect()


async def test_it_rate_limits_frames_then_closes_a_flooding_socket() -> None:
    world = await _world()
    communicator, _ = await _open(world.alice.user)
    limit = settings.WS_FRAMES_PER_10S
    for _ in range(limit):
        await communicator.send_json_to({"type": "ping"})
        assert (await communicator.receive_json_from(timeout=5))["type"] == "pong"
    await communicator.send_json_to({"type": "ping"})
    assert (await communicator.receive_json_from(timeout=5))["data"]["code"] == "rate_limited"
    for _ in range(20):
        await communicator.send_json_to({"type": "ping"})
    frames = []
    while True:
        output = await communicator.receive_output(timeout=5)
        if output["type"] == "websocket.close":
            break
        frames.append(json.loads(output["text"]))
    assert output["code"] == CLOSE_TOO_MANY_FRAMES
    assert {f["data"]["code"] for f in frames} == {"rate_limited"}


async def test_a_join_request_reaches_moderators_and_not_residents() -> None:
    world = await _world()
    bob, _ = await _open(world.bob.user)
    alice, _ = await _open(world.alice.user)
    await sync_to_async(actions.request_join)(world.eve.user, "TILLEULS", charter_accepted=True)
    event = await bob.receive_json_from(timeout=5)
    assert event["type"] == "membership.requested"
    assert event["data"]["residence_id"] == world.residence.pk
    assert await alice.receive_nothing(timeout=0.3)
    await bob.disconnect()
    await alice.disconnect()


async def test_an_approved_member_joins_the_residence_group_live() -> None:
    world = await _world()
    paul, hello = await _open(world.pending.user)
    assert f"residence.{world.residence.pk}" not in hello["data"]["groups"]
    await sync_to_async(actions.approve_join)(world.bob.user, world.pending)
    event = await paul.receive_json_from(timeout=5)
    assert event == {
        "type": "membership.approved",
        "data": {
            "membership_id": world.pending.pk,
            "residence_id": world.residence.pk,
            "status": "active",
            "residence_name": "Les Tilleuls",
        },
    }
    # Now in the residence group: a later join request to the residence does not reach him
    # (moderators only), but a residence-wide event does.
    from apps.realtime import groups
    from apps.realtime.events import publish_now

    await sync_to_async(publish_now)(
        groups.residence(world.residence.pk), "residence.ping", {"n": 1}
    )
    assert (await paul.receive_json_from(timeout=5))["type"] == "residence.ping"
    await paul.disconnect()

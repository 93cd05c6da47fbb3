"""Saying one comes refreshes the event for the members (post.updated), not for outsiders."""

from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async

from apps.events import actions
from tests.conftest import World, build_world
from tests.events.helpers import event
from tests.sockets import next_of, open_socket

pytestmark = pytest.mark.django_db(transaction=True)


async def test_it_publishes_post_updated_on_rsvp() -> None:
    world: World = await sync_to_async(build_world)()
    post = await sync_to_async(event)(world, capacity=1)
    bob, _ = await open_socket(world.bob.user)
    eve, _ = await open_socket(world.eve.user)
    await sync_to_async(actions.rsvp)(world.alice.user, post, True)
    frame = await next_of(bob, "post.updated")
    assert frame["data"] == {"id": post.pk, "residence_id": world.residence.pk, "kind": "event"}
    frames = []
    while not await eve.receive_nothing(timeout=0.3):
        frames.append(await eve.receive_json_from())
    assert not [f for f in frames if f["type"].startswith("post.")]
    for socket in (bob, eve):
        await socket.disconnect()

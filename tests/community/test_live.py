"""post.created and post.updated reach the members' sockets, not partners' nor outsiders'."""

from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async

from apps.community import actions
from tests.community.helpers import news, notice
from tests.conftest import World, build_world
from tests.sockets import next_of, open_socket

pytestmark = pytest.mark.django_db(transaction=True)


async def test_a_new_post_and_its_comments_reach_members_only() -> None:
    world: World = await sync_to_async(build_world)()
    alice, _ = await open_socket(world.alice.user)
    dave, _ = await open_socket(world.dave)
    eve, _ = await open_socket(world.eve.user)
    post = await sync_to_async(notice)(world, urgency="urgent")
    created = await next_of(alice, "post.created")
    assert created["data"] == {"id": post.pk, "residence_id": world.residence.pk, "kind": "notice"}
    await sync_to_async(actions.add_comment)(world.alice.user, post, "Merci pour l'info")
    updated = await next_of(alice, "post.updated")
    assert updated["data"]["id"] == post.pk
    for socket in (dave, eve):
        frames = []
        while not await socket.receive_nothing(timeout=0.3):
            frames.append(await socket.receive_json_from())
        assert not [f for f in frames if f["type"].startswith("post.")]
    for socket in (alice, dave, eve):
        await socket.disconnect()


async def test_a_held_post_reaches_only_its_author() -> None:
    world: World = await sync_to_async(build_world)()
    from apps.moderation import actions as moderation

    await sync_to_async(moderation.update_settings)(
        world.bob.user, world.residence, keywords="vente", hold_new_members=False, charter=""
    )
    alice, _ = await open_socket(world.alice.user)
    bob, _ = await open_socket(world.bob.user)
    post = await sync_to_async(news)(world, title="Grande vente au local")
    assert post.moderation == "held"
    frame = await next_of(bob, "post.created")
    assert frame["data"]["id"] == post.pk
    frames = []
    while not await alice.receive_nothing(timeout=0.3):
        frames.append(await alice.receive_json_from())
    assert not [f for f in frames if f["type"] == "post.created"]
    for socket in (alice, bob):
        await socket.disconnect()

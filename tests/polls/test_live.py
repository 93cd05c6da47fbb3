"""A vote and a close reach the members' sockets as post.updated (ids only)."""

from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async

from apps.polls import actions
from tests.conftest import World, build_world
from tests.polls.helpers import choice_ids, poll
from tests.sockets import next_of, open_socket

pytestmark = pytest.mark.django_db(transaction=True)


async def test_it_publishes_post_updated_on_a_vote_and_a_close() -> None:
    world: World = await sync_to_async(build_world)()
    post = await sync_to_async(poll)(world)
    ids = await sync_to_async(choice_ids)(post)
    bob, _ = await open_socket(world.bob.user)
    await sync_to_async(actions.vote)(world.alice.user, post, ids[:1])
    frame = await next_of(bob, "post.updated")
    assert frame["data"] == {"id": post.pk, "residence_id": world.residence.pk, "kind": "poll"}
    await sync_to_async(actions.close_poll)(world.bob.user, post)
    frame = await next_of(bob, "post.updated")
    assert frame["data"]["id"] == post.pk
    await bob.disconnect()

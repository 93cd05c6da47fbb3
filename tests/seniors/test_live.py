"""help_request.created reaches the co-animators' sockets, not a plain resident's."""

from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async

from apps.seniors import actions
from tests.conftest import World, build_world
from tests.sockets import next_of as _next_of
from tests.sockets import open_socket as _open

pytestmark = pytest.mark.django_db(transaction=True)


async def test_a_new_help_request_reaches_a_co_animators_socket() -> None:
    world: World = await sync_to_async(build_world)()
    bob, _ = await _open(world.bob.user)
    eve, _ = await _open(world.eve.user)
    help_request = await sync_to_async(actions.post_help_request)(
        world.alice.user,
        world.residence,
        kind="call",
        when_text="Demain",
        contact="phone",
        phone="06 12 34 56 78",
    )
    frame = await _next_of(bob, "help_request.created")
    assert frame["data"] == {
        "id": help_request.pk,
        "residence_id": world.residence.pk,
        "kind": "call",
        "status": "open",
        "volunteer_id": None,
    }
    assert "06 12" not in str(frame)
    await sync_to_async(actions.cancel_request)(world.alice.user, help_request)
    updated = await _next_of(bob, "help_request.updated")
    assert updated["data"]["status"] == "cancelled"
    assert await eve.receive_nothing(timeout=0.3)
    for socket in (bob, eve):
        await socket.disconnect()


async def test_every_member_learns_only_that_the_help_list_changed() -> None:
    """A plain resident's help list refreshes; the event says nothing about the request."""
    world: World = await sync_to_async(build_world)()
    alice, _ = await _open(world.alice.user)
    eve, _ = await _open(world.eve.user)
    await sync_to_async(actions.post_help_request)(
        world.bob.user, world.residence, kind="call", when_text="Demain", contact="message"
    )
    frame = await _next_of(alice, "help_list.changed")
    assert frame["data"] == {"residence_id": world.residence.pk}
    assert await eve.receive_nothing(timeout=0.3)
    for socket in (alice, eve):
        await socket.disconnect()

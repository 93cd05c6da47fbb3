"""Requests and decisions reach the moderators' and the requester's sockets as booking.updated
(ids and status only)."""

from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async

from apps.rooms import actions
from tests.conftest import World, build_world
from tests.rooms.helpers import ask, room
from tests.sockets import next_of, open_socket

pytestmark = pytest.mark.django_db(transaction=True)


async def test_it_publishes_booking_updated_to_moderators_and_the_requester() -> None:
    world: World = await sync_to_async(build_world)()
    the_room = await sync_to_async(room)(world)
    bob, _ = await open_socket(world.bob.user)
    alice, _ = await open_socket(world.alice.user)
    booking = await sync_to_async(ask)(world, the_room)
    frame = await next_of(bob, "booking.updated")
    assert frame["data"] == {
        "id": booking.pk,
        "residence_id": world.residence.pk,
        "room_id": the_room.pk,
        "status": "requested",
    }
    frame = await next_of(alice, "booking.updated")
    assert frame["data"]["status"] == "requested"
    await sync_to_async(actions.approve_booking)(world.claire, booking)
    assert (await next_of(alice, "booking.updated"))["data"]["status"] == "approved"
    assert (await next_of(bob, "booking.updated"))["data"]["status"] == "approved"
    await bob.disconnect()
    await alice.disconnect()

"""exchange.created and exchange.updated reach the members' sockets, not outsiders' nor
partners'."""

from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async

from apps.exchanges import actions
from tests.conftest import World, build_world
from tests.sockets import next_of as _next_of
from tests.sockets import open_socket as _open

pytestmark = pytest.mark.django_db(transaction=True)


async def test_a_new_exchange_reaches_a_members_socket() -> None:
    world: World = await sync_to_async(build_world)()
    bob, _ = await _open(world.bob.user)
    eve, _ = await _open(world.eve.user)
    dave, _ = await _open(world.dave)  # an accredited partner: sees the residence, not exchanges
    exchange = await sync_to_async(actions.post_exchange)(
        world.alice.user,
        world.residence,
        kind="offer",
        category="cooking",
        title="Soupe pour les voisins",
    )
    frame = await _next_of(bob, "exchange.created")
    assert frame["data"] == {
        "id": exchange.pk,
        "residence_id": world.residence.pk,
        "kind": "offer",
        "category": "cooking",
        "title": "Soupe pour les voisins",
        "status": "open",
    }
    await sync_to_async(actions.cancel_exchange)(world.alice.user, exchange)
    updated = await _next_of(bob, "exchange.updated")
    assert updated["data"]["status"] == "cancelled"
    assert await eve.receive_nothing(timeout=0.3)
    assert await dave.receive_nothing(timeout=0.3)
    for socket in (bob, eve, dave):
        await socket.disconnect()

"""notification.created and notification.read reach the person's own sockets, through the real
ASGI stack (origin check, session auth, consumer)."""

from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async
from django.core import mail

from apps.notifications import actions
from apps.notifications.models import Notification
from tests.conftest import World, build_world
from tests.notifications.helpers import notify
from tests.sockets import next_of as _next_of
from tests.sockets import open_socket as _open

pytestmark = pytest.mark.django_db(transaction=True)


async def test_a_notification_reaches_my_socket_and_nobody_elses() -> None:
    world: World = await sync_to_async(build_world)()
    alice, _ = await _open(world.alice.user)
    bob, _ = await _open(world.bob.user)
    await sync_to_async(notify)([world.alice], title="Bob D. vous écrit", url="/c/9/")
    frame = await _next_of(alice, "notification.created")
    row = await Notification.objects.aget()
    assert frame["data"] == {
        "id": row.pk,
        "kind": "messages",
        "title": "Bob D. vous écrit",
        "url": "/c/9/",
        "unread": 1,
    }
    await sync_to_async(actions.mark_read)(world.alice.user)
    frame = await _next_of(alice, "notification.read")
    assert frame["data"] == {"ids": None, "unread": 0}
    # Bob's socket heard none of it (its own frames aside).
    while not await bob.receive_nothing(timeout=0.3):
        assert not (await bob.receive_json_from())["type"].startswith("notification.")
    for socket in (alice, bob):
        await socket.disconnect()


async def test_no_instant_email_while_a_socket_is_open() -> None:
    world: World = await sync_to_async(build_world)()
    alice, _ = await _open(world.alice.user)
    await sync_to_async(notify)([world.alice, world.bob])
    await _next_of(alice, "notification.created")
    assert [m.to for m in mail.outbox] == [["bob@test.fr"]]
    await alice.disconnect()

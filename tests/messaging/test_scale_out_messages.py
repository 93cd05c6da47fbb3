"""Scale-out for messages: a message sent through one daphne reaches a socket on another.

Two real daphne processes (the ``workers`` of ``tests/realtime/test_scale_out.py``) share this
run's PostgreSQL test database and Redis. Alice sends over the HTTP API of worker A (bearer
token, one transaction, published on commit); Bob's socket, held by worker B, must receive
``message.created`` with the stored message's id and body. Then the other way round.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from apps.accounts.actions import create_api_token
from apps.messaging.models import Message
from deploy.scale_out_check import LiveSocket, http_json, session_cookie
from tests.conftest import Daphne, build_world

# A module fixture: two daphne workers on this run's database and Redis, started once.
from tests.realtime.test_scale_out import workers  # noqa: F401

pytestmark = [pytest.mark.redis, pytest.mark.postgres]


async def send_through(server: Daphne, token: str, conversation_id: int, body: str) -> Any:
    status, sent = await asyncio.to_thread(
        http_json,
        "POST",
        f"{server.url}/api/v1/conversations/{conversation_id}/messages",
        {"body": body},
        token=token,
    )
    assert status == 201, sent
    return sent


async def created(socket: LiveSocket, message_id: int) -> dict[str, Any]:
    _, frame = await socket.wait_for(
        lambda f: f["type"] == "message.created" and f["data"].get("id") == message_id, 10
    )
    return dict(frame["data"])


def test_a_message_sent_through_one_worker_reaches_the_socket_on_the_other_both_ways(
    transactional_db: None,
    workers: tuple[Daphne, Daphne],  # noqa: F811
) -> None:
    a, b = workers
    world = build_world()
    conversation = world.conversation.pk
    alice, bob = world.alice.user, world.bob.user
    tokens = {u.pk: create_api_token(u, name="scale-out messages")[1] for u in (alice, bob)}
    cookies = {u.pk: session_cookie(u) for u in (alice, bob)}

    async def scenario() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        alice_on_a, bob_on_b = await asyncio.gather(
            LiveSocket.open(a.ws_url, cookie=cookies[alice.pk], origin=a.url),
            LiveSocket.open(b.ws_url, cookie=cookies[bob.pk], origin=b.url),
        )
        try:
            # Alice → daphne A → Redis → daphne B → Bob's socket.
            sent_ab = await send_through(a, tokens[alice.pk], conversation, "Bonjour Bob, via A")
            got_ab = await created(bob_on_b, sent_ab["id"])
            # And the reverse: Bob → daphne B → Redis → daphne A → Alice's socket.
            sent_ba = await send_through(b, tokens[bob.pk], conversation, "Salut Alice, via B")
            got_ba = await created(alice_on_a, sent_ba["id"])
        finally:
            await asyncio.gather(alice_on_a.close(), bob_on_b.close())
        return [sent_ab, got_ab], [sent_ba, got_ba]

    (sent_ab, got_ab), (sent_ba, got_ba) = asyncio.run(scenario())

    for sent, got, author, body in (
        (sent_ab, got_ab, alice, "Bonjour Bob, via A"),
        (sent_ba, got_ba, bob, "Salut Alice, via B"),
    ):
        assert got["id"] == sent["id"]
        assert got["body"] == sent["body"] == body
        assert got["conversation_id"] == sent["conversation_id"] == conversation
        assert (
            got["author"]
            == sent["author"]
            == {"id": author.pk, "display_name": author.display_name}
        )
        assert got["deleted"] is False
        assert got["room"] is False
        # What the socket announced is what was stored (the database shared by both workers).
        stored = Message.objects.get(pk=got["id"])
        assert (stored.body, stored.author_id, stored.conversation_id) == (
            body,
            author.pk,
            conversation,
        )

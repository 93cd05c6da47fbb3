"""Scale-out: two real daphne processes share groups through Redis.

The same path as ``deploy/scale-out-demo`` (``deploy.scale_out_check.run_check``), in-test: a
co-animator's socket on each worker, a join request POSTed through worker 1 then, after a quiet
spell longer than channels_redis's 5 s blocking read, through worker 2; each must reach the
socket on the other worker. Both daphnes use this run's PostgreSQL test database and Redis.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest

from apps.accounts.actions import create_api_token
from apps.realtime import groups
from apps.realtime.events import publish_now
from deploy.scale_out_check import LiveSocket, Scenario, join_and_wait, run_check, session_cookie
from tests.conftest import Daphne, World, build_world, make_user, start_daphne

pytestmark = [pytest.mark.redis, pytest.mark.postgres]


@pytest.fixture(scope="module")
def workers(django_db_setup: None) -> Iterator[tuple[Daphne, Daphne]]:
    """Two daphne workers, started once for the module (the data comes with each test)."""
    first = start_daphne({"LOG_LEVEL": "WARNING"})
    try:
        second = start_daphne({"LOG_LEVEL": "WARNING"})
    except BaseException:
        first.stop()
        raise
    yield first, second
    second.stop()
    first.stop()


def joiner_tokens(count: int) -> list[str]:
    users = [make_user(f"joiner{n}@test.fr", f"Joiner{n}", "Test") for n in range(count)]
    return [create_api_token(user, name="scale-out test")[1] for user in users]


def test_an_event_published_through_one_worker_reaches_a_socket_on_the_other(
    transactional_db: None, workers: tuple[Daphne, Daphne]
) -> None:
    first, second = workers
    world = build_world()
    scenario = Scenario(
        residence_id=world.residence.pk,
        code="TILLEULS",
        moderator_cookie=session_cookie(world.bob.user),
        tokens=joiner_tokens(2),
    )

    deliveries = asyncio.run(run_check(first.url, second.url, scenario, quiet_seconds=6))

    routes = {(d.published_via, d.received_on) for d in deliveries}
    assert (first.url, second.url) in routes  # worker 1 → socket on worker 2
    assert (second.url, first.url) in routes  # and, after the quiet spell, the other way
    assert len(deliveries) == 4


def test_sockets_outside_the_group_hear_nothing_from_the_other_worker(
    transactional_db: None, workers: tuple[Daphne, Daphne]
) -> None:
    first, second = workers
    world = build_world()
    (token,) = joiner_tokens(1)
    cookies = {name: session_cookie(getattr(world, name).user) for name in ("alice", "bob", "eve")}

    async def scenario(world: World) -> dict[str, list[str]]:
        where = {"alice": first, "bob": second, "eve": second}
        sockets = {
            name: await LiveSocket.open(
                where[name].ws_url, cookie=cookies[name], origin=where[name].url
            )
            for name in where
        }
        try:
            # A join request through worker 1: for the moderators (Bob, on worker 2) only.
            await join_and_wait(
                first.url, "TILLEULS", token, {second.url: sockets["bob"]}, world.residence.pk
            )
            # A residence-wide event from this process: Alice (worker 1) and Bob (worker 2).
            await asyncio.to_thread(
                publish_now, groups.residence(world.residence.pk), "residence.ping", {"n": 1}
            )
            for name in ("alice", "bob"):
                await sockets[name].wait_for(lambda f: f["type"] == "residence.ping", timeout=5)
            await asyncio.sleep(0.5)  # time for a stray frame to arrive, if one were sent
            return {name: [f["type"] for f in s.pending()] for name, s in sockets.items()}
        finally:
            for socket in sockets.values():
                await socket.close()

    leftovers = asyncio.run(scenario(world))

    assert leftovers == {"alice": [], "bob": [], "eve": []}

"""Benchmark: live delivery across two daphne processes via Redis, with Redis baselines.

Two daphne workers, A and B, share this run's test database and Redis (as in production, two
processes; here on one machine). Measured in the same run, each as latency from "sent" to
"frame received" in this process (one clock, ``time.perf_counter``):

1. baseline: a raw Redis PUBLISH → SUBSCRIBE round trip (redis-py asyncio, this process);
2. baseline: a channel-layer round trip without daphne (group_send → receive, this process);
3. channel layer → sockets on B: ``group_send`` to a residence group from this process, with
   BENCH_SOCKETS sockets (one per resident) open on daphne B; sequential, each event waits for
   every socket, so this is latency, not throughput;
4. HTTP through A → sockets on A and B: a join request POSTed to daphne A's API (token, one
   transaction, published on commit) reaches the co-animator's sockets on A and on B;
5. bursts: 150 events (below the channel layer's capacity of 200 per channel), then
   BENCH_EVENTS, sent back to back to the sockets on B; time until the last one arrived.

Nothing may be lost in 1 to 4 nor in the small burst (asserted); the big burst reports what
arrived: over capacity, channels_redis drops messages by design, and clients catch up over HTTP.
Wall times are printed, never asserted.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from typing import Any

import pytest
import redis.asyncio as aioredis
from channels.layers import get_channel_layer
from django.conf import settings

from apps.accounts.actions import create_api_token
from apps.accounts.models import User
from apps.realtime import groups
from apps.realtime.events import build
from apps.residences.models import Membership, Role, Status
from deploy.scale_out_check import CheckFailed, LiveSocket, http_json, session_cookie
from tests.bench.stats import Summary, env_count, print_table, summarise
from tests.conftest import Daphne, build_world, start_daphne

pytestmark = [pytest.mark.bench, pytest.mark.redis]

SMALL_BURST = 150  # below channels_redis's capacity of 200 messages per channel


def residents(residence: Any, count: int) -> list[Any]:
    users = User.objects.bulk_create(
        [User(email=f"listener{i}@test.fr", first_name=f"Listener{i}") for i in range(count)]
    )
    Membership.objects.bulk_create(
        [
            Membership(user=u, residence=residence, role=Role.RESIDENT, status=Status.ACTIVE)
            for u in users
        ]
    )
    return users


async def redis_round_trips(count: int) -> list[float]:
    """Baseline 1: PUBLISH on one connection → message on a SUBSCRIBE connection."""
    client = aioredis.Redis.from_url(settings.REDIS_URL)
    pubsub = client.pubsub()
    channel = f"bench-{os.getpid()}"
    await pubsub.subscribe(channel)
    while await pubsub.get_message(timeout=1) is not None:  # the subscribe confirmation
        pass
    samples = []
    try:
        for seq in range(count):
            started = time.perf_counter()
            await client.publish(channel, str(seq))
            while True:
                message = await pubsub.get_message(timeout=5)
                if message is None:
                    raise CheckFailed(f"Redis message {seq} lost")
                if message["type"] == "message":
                    break
            samples.append((time.perf_counter() - started) * 1000)
    finally:
        await pubsub.unsubscribe(channel)
        await pubsub.aclose()
        await client.aclose()
    return samples


async def layer_round_trips(count: int) -> list[float]:
    """Baseline 2: group_send → receive on a channel of this process (no daphne)."""
    layer: Any = get_channel_layer()
    channel = await layer.new_channel()
    group = f"bench.{os.getpid()}"
    await layer.group_add(group, channel)
    samples = []
    try:
        for seq in range(count):
            started = time.perf_counter()
            await layer.group_send(group, build("bench.tick", {"seq": seq}))
            message = await asyncio.wait_for(layer.receive(channel), 5)
            assert message["event"]["data"]["seq"] == seq
            samples.append((time.perf_counter() - started) * 1000)
    finally:
        await layer.group_discard(group, channel)
    return samples


async def open_sockets(server: Daphne, cookies: list[str]) -> list[LiveSocket]:
    return list(
        await asyncio.gather(
            *(LiveSocket.open(server.ws_url, cookie=c, origin=server.url) for c in cookies)
        )
    )


async def fan_out(
    sockets: list[LiveSocket], group: str, count: int
) -> tuple[list[float], list[float]]:
    """Sequential group_send from this process; every socket must receive every event.
    Returns the latency of each delivery, and of each event's last delivery."""
    layer: Any = get_channel_layer()
    each, last = [], []
    for seq in range(count):
        started = time.perf_counter()
        await layer.group_send(group, build("bench.tick", {"seq": seq}))
        latencies = []
        for socket in sockets:
            arrived, frame = await socket.wait_for(lambda f: f["type"] == "bench.tick", 5)
            assert frame["data"]["seq"] == seq, "an event was lost or arrived out of order"
            latencies.append((arrived - started) * 1000)
        each += latencies
        last.append(max(latencies))
    return each, last


async def burst(sockets: list[LiveSocket], group: str, count: int) -> tuple[float, int]:
    """``count`` events sent back to back; seconds until the last arrived, and how many did
    (a socket that gets nothing for 3 s is taken as done)."""
    layer: Any = get_channel_layer()
    started = time.perf_counter()
    for seq in range(count):
        await layer.group_send(group, build("bench.burst", {"seq": seq}))

    async def drain(socket: LiveSocket) -> tuple[int, float]:
        received, last = 0, started
        while received < count:
            try:
                last, _ = await socket.wait_for(lambda f: f["type"] == "bench.burst", 3)
            except CheckFailed:
                break
            received += 1
        return received, last

    results = await asyncio.gather(*(drain(socket) for socket in sockets))
    return max(last for _, last in results) - started, sum(n for n, _ in results)


async def joins_through(
    server: Daphne, code: str, tokens: list[str], watchers: dict[str, LiveSocket], residence: int
) -> dict[str, list[float]]:
    """HTTP join requests through ``server``; latency to each watcher's socket."""
    samples: dict[str, list[float]] = {name: [] for name in watchers}
    url = f"{server.url}/api/v1/residences/join"
    for token in tokens:
        started = time.perf_counter()
        status, body = await asyncio.to_thread(
            http_json, "POST", url, {"code": code, "charter_accepted": True}, token=token
        )
        assert status == 201, body
        for name, socket in watchers.items():
            arrived, _ = await socket.wait_for(
                lambda f: (
                    f["type"] == "membership.requested" and f["data"]["residence_id"] == residence
                ),
                5,
            )
            samples[name].append((arrived - started) * 1000)
    return samples


def test_live_delivery_across_two_daphne_processes(transactional_db: None) -> None:
    events = env_count("BENCH_EVENTS", 500)
    listeners = env_count("BENCH_SOCKETS", 20)
    joins = env_count("BENCH_JOINS", 100)

    world = build_world()
    residence = world.residence.pk
    cookies = [session_cookie(u) for u in residents(world.residence, listeners)]
    moderator_cookie = session_cookie(world.bob.user)
    joiners = User.objects.bulk_create(
        [User(email=f"joiner{i}@test.fr", first_name=f"Joiner{i}") for i in range(joins)]
    )
    tokens = [create_api_token(u, name="bench")[1] for u in joiners]

    # Quiet logs: daphne's stderr goes to a pipe nobody reads while the benchmark runs.
    a = start_daphne({"LOG_LEVEL": "WARNING"})
    b = start_daphne({"LOG_LEVEL": "WARNING"})

    async def run() -> tuple[list[Summary], list[Summary], str]:
        for server in (a, b):  # warm both processes up (imports, first connections)
            await asyncio.to_thread(http_json, "GET", f"{server.url}/api/v1/me", token=tokens[0])
        redis_rtt = summarise(
            "baseline: Redis PUBLISH → SUBSCRIBE", await redis_round_trips(events)
        )
        layer_rtt = summarise(
            "baseline: channel layer send → receive", await layer_round_trips(events)
        )

        sockets = await open_sockets(b, cookies)
        try:
            await fan_out(sockets, groups.residence(residence), 20)  # warm-up, not measured
            each, last = await fan_out(sockets, groups.residence(residence), events)
            small = min(events, SMALL_BURST)
            small_seconds, small_arrived = await burst(sockets, groups.residence(residence), small)
            assert small_arrived == small * listeners, "a burst below the capacity lost frames"
            # Over the channel layer's capacity (200 per channel) events are dropped, by design
            # (clients catch up over HTTP); it says so in the log, once per group_send.
            quiet = logging.getLogger("channels_redis.core")
            level = quiet.level
            quiet.setLevel(logging.WARNING)
            try:
                seconds, arrived = await burst(sockets, groups.residence(residence), events)
            finally:
                quiet.setLevel(level)
        finally:
            await asyncio.gather(*(s.close() for s in sockets))
        layer_rows = [
            redis_rtt,
            layer_rtt,
            summarise(
                f"channel layer → {listeners} sockets on B, each",
                each,
                note=f"{events} events x {listeners} sockets, 0 lost",
            ),
            summarise(
                f"channel layer → {listeners} sockets on B, last",
                last,
                note="per event: when the last socket got it",
            ),
        ]
        burst_note = "\n".join(
            f"  burst of {n} events x {listeners} sockets on B, sent back to back: "
            f"{got}/{n * listeners} frames arrived in {took:.2f} s "
            f"({got / took:,.0f} frames/s), {n * listeners - got} dropped"
            for n, got, took in ((small, small_arrived, small_seconds), (events, arrived, seconds))
        )

        watchers = dict(
            zip(
                ("B (other worker)", "A (same worker)"),
                await asyncio.gather(
                    LiveSocket.open(b.ws_url, cookie=moderator_cookie, origin=b.url),
                    LiveSocket.open(a.ws_url, cookie=moderator_cookie, origin=a.url),
                ),
                strict=True,
            )
        )
        try:
            by_watcher = await joins_through(a, "TILLEULS", tokens, watchers, residence)
        finally:
            await asyncio.gather(*(s.close() for s in watchers.values()))
        http_rows = [
            summarise(
                f"HTTP join via A → socket on {name}",
                samples,
                note=f"{len(samples)} joins, 0 lost",
            )
            for name, samples in by_watcher.items()
        ]
        return layer_rows, http_rows, burst_note

    try:
        layer_rows, http_rows, burst_note = asyncio.run(run())
    finally:
        b.stop()
        a.stop()

    engine = str(settings.DATABASES["default"]["ENGINE"]).rsplit(".", 1)[-1]
    print_table(
        f"Live delivery across two daphne processes via Redis ({engine})",
        layer_rows,
        layer_rows[0],
    )
    print(burst_note)
    print_table(
        "Through daphne A's HTTP API (request sent → frame received)", http_rows, layer_rows[0]
    )

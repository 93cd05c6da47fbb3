"""Benchmarks: message delivery across two daphne processes, and idle sockets per process.

1. Delivery latency. Two daphne workers, A and B, on this run's test database and Redis.
   Alice sends BENCH_MESSAGES messages (default 2,000) at a steady BENCH_RATE per second
   (default 20) to Bob over daphne A's HTTP API: bearer token, an open loop (message i is due
   at i / rate s, whatever the previous answers took) spread over BENCH_SENDERS threads
   (default 4), each with its own kept-alive HTTP connection. Bob's socket is held by daphne
   B. Meanwhile BENCH_OTHER_SOCKETS other members (default 500, idle) have a socket open, half
   on A, half on B. Latency: request sent → ``message.created`` frame received on Bob's socket
   (one clock, ``time.perf_counter``, this process). Baselines in the same run: a bare Redis
   PUBLISH → SUBSCRIBE round trip, and a channel-layer round trip (no daphne). Also printed:
   the CPU time each daphne spent per message (/proc/<pid>/stat). Every message must arrive
   (asserted by count), the idle sockets must stay open and hear nothing of it.
2. Idle sockets. BENCH_HELD_SOCKETS (default 2,000) members each open a socket to ONE daphne
   process; its resident memory (VmRSS) and open files are read before and after, so KiB and
   files per socket; after a quiet spell of BENCH_QUIET_SECONDS (default 10, longer than
   channels_redis's 5 s blocking read) every socket must still be open and receive an event
   sent to the residence group (asserted).

Figures are printed, never asserted (2 cores here: the test process, two daphnes, PostgreSQL
and Redis share them). Targets (tests/bench/README.md): p99 ≤ 50 ms, 0 lost, ≥ 2,000 idle
sockets per process.
"""

from __future__ import annotations

import asyncio
import http.client
import json
import os
import resource
import threading
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta
from importlib import import_module
from typing import Any

import pytest
from channels.layers import get_channel_layer
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.utils import timezone
from django.utils.crypto import get_random_string

from apps.accounts.actions import create_api_token
from apps.accounts.models import User
from apps.realtime import groups
from apps.realtime.events import build
from deploy.scale_out_check import CheckFailed, LiveSocket, http_json, session_cookie
from tests.bench.stats import Summary, env_count, machine, print_table, summarise
from tests.bench.test_live_delivery import layer_round_trips, redis_round_trips
from tests.conftest import Daphne, add_members, build_world, start_daphne

pytestmark = [pytest.mark.bench, pytest.mark.redis]

OPEN_AT_ONCE = 50  # sockets opened concurrently: daphne accepts each within its 5 s handshake


def daphne_settings(**extra: str) -> dict[str, str]:
    """Quiet logs; a PostgreSQL connection pool of BENCH_DB_POOL (default 4) per daphne, as in
    production (10 there) rather than the tests' one new connection per query batch
    (DATABASE_POOL_MAX=0 in daphne_env). BENCH_DB_POOL=0 measures without a pool."""
    return {"LOG_LEVEL": "WARNING", "DATABASE_POOL_MAX": str(env_count("BENCH_DB_POOL", 4))} | extra


# --- helpers -------------------------------------------------------------------------------


def session_cookies(users: Iterable[Any]) -> list[str]:
    """A signed-in session per user, created in one INSERT (``session_cookie`` saves them one
    by one: fine for a few, slow for thousands)."""
    users = list(users)
    engine = import_module(settings.SESSION_ENGINE)
    if settings.SESSION_ENGINE != "django.contrib.sessions.backends.db":
        return [session_cookie(u) for u in users]
    from django.contrib.sessions.models import Session

    store = engine.SessionStore()
    expires = timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE)
    backend = settings.AUTHENTICATION_BACKENDS[0]
    rows = [
        Session(
            session_key=get_random_string(32, "abcdefghijklmnopqrstuvwxyz0123456789"),
            session_data=store.encode(
                {
                    SESSION_KEY: str(u.pk),
                    BACKEND_SESSION_KEY: backend,
                    HASH_SESSION_KEY: u.get_session_auth_hash(),
                }
            ),
            expire_date=expires,
        )
        for u in users
    ]
    Session.objects.bulk_create(rows)
    return [f"{settings.SESSION_COOKIE_NAME}={row.session_key}" for row in rows]


def members(world: Any, count: int, tag: str) -> list[Any]:
    """``count`` more active residents of the world's residence (``add_members``)."""
    add_members(world, count, tag=tag)
    return list(User.objects.filter(email__startswith=tag, email__endswith="@test.fr"))


async def open_many(server: Daphne, cookies: list[str]) -> list[LiveSocket]:
    """Open a socket per cookie, ``OPEN_AT_ONCE`` at a time."""
    sockets: list[LiveSocket] = []
    for start in range(0, len(cookies), OPEN_AT_ONCE):
        batch = cookies[start : start + OPEN_AT_ONCE]
        sockets += await asyncio.gather(
            *(LiveSocket.open(server.ws_url, cookie=c, origin=server.url) for c in batch)
        )
    return sockets


async def close_all(sockets: list[LiveSocket]) -> None:
    for start in range(0, len(sockets), 200):
        await asyncio.gather(*(s.close(timeout=2) for s in sockets[start : start + 200]))


def rss_kib(pid: int) -> int:
    """Resident memory of a process, from /proc/<pid>/status (VmRSS, in KiB)."""
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for process {pid}")


def open_files(pid: int) -> int:
    """How many files (sockets included) a process has open."""
    return len(os.listdir(f"/proc/{pid}/fd"))


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used (/proc/<pid>/stat), in seconds."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def raise_fd_limit(needed: int) -> tuple[int, int]:
    """Soft limit on open files up to the hard one (daphne subprocesses inherit it)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < needed:
        pytest.fail(f"{needed} open files needed, the hard limit is {hard} (ulimit -Hn)")
    if soft != resource.RLIM_INFINITY and soft < needed:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)


@dataclass
class Sent:
    """What a sending thread did: when each message was sent, how each request went."""

    started: dict[int, float] = field(default_factory=dict)  # seq → perf_counter before send
    answered_ms: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    late: int = 0  # sends that missed their slot by over 10 ms (this lane's previous answer)
    connections: int = 0  # TCP connections opened (1 per lane when keep-alive held)
    seconds: float = 0.0

    def merge(self, other: Sent) -> None:
        self.started |= other.started
        self.answered_ms += other.answered_ms
        self.failures += other.failures
        self.late += other.late
        self.connections += other.connections
        self.seconds = max(self.seconds, other.seconds)


def send_lane(
    server: Daphne, token: str, conversation_id: int, slots: list[tuple[int, float]]
) -> Sent:
    """POST ``bench <seq>`` at each (seq, due time) of ``slots`` over one kept-alive HTTP
    connection (reopened only if the server closes it)."""
    sent = Sent()
    path = f"/api/v1/conversations/{conversation_id}/messages"
    headers = {
        "Accept": "application/json",
        "Content-Type": "application/json",
        "Authorization": f"Bearer {token}",
    }
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    began = time.perf_counter()
    try:
        for seq, due in slots:
            wait = due - time.perf_counter()
            if wait > 0:
                time.sleep(wait)
            elif wait < -0.01:
                sent.late += 1
            if connection.sock is None:
                sent.connections += 1
            body = json.dumps({"body": f"bench {seq}"}).encode()
            started = time.perf_counter()
            sent.started[seq] = started
            try:
                connection.request("POST", path, body=body, headers=headers)
                response = connection.getresponse()
                raw = response.read()
            except (OSError, http.client.HTTPException) as error:
                sent.failures.append(f"{seq}: {error!r}")
                connection.close()
                continue
            sent.answered_ms.append((time.perf_counter() - started) * 1000)
            if response.status != 201:
                sent.failures.append(f"{seq}: {response.status} {raw[:200]!r}")
    finally:
        sent.seconds = time.perf_counter() - began
        connection.close()
    return sent


def send_steadily(
    server: Daphne, token: str, conversation_id: int, seqs: range, rate: float, lanes: int
) -> Sent:
    """Message ``seqs[i]`` is due at ``i / rate`` s (an open loop: a slow answer does not slow
    the schedule down), sent by lane ``i % lanes``, each lane a thread with its own kept-alive
    connection: with one lane, any answer slower than 1/rate would lower the rate."""
    began = time.perf_counter() + 0.05
    slots = [(seq, began + i / rate) for i, seq in enumerate(seqs)]
    total = Sent()
    with ThreadPoolExecutor(lanes) as pool:
        for lane in pool.map(
            lambda n: send_lane(server, token, conversation_id, slots[n::lanes]), range(lanes)
        ):
            total.merge(lane)
    return total


async def receive_bench_messages(
    socket: LiveSocket, expected: set[int], done: threading.Event, quiet: float = 10
) -> dict[int, float]:
    """Arrival time of each ``bench <seq>`` message on the socket, until all ``expected`` came
    or, once the sender is done, nothing came for ``quiet`` seconds."""
    arrived: dict[int, float] = {}
    while not expected <= arrived.keys():
        try:
            at, frame = await socket.receive(1 if not done.is_set() else quiet)
        except CheckFailed:
            if done.is_set() or socket.closed.is_set():
                break
            continue
        body = frame["data"].get("body", "") if frame["type"] == "message.created" else ""
        if body.startswith("bench "):
            arrived.setdefault(int(body.removeprefix("bench ")), at)
    return arrived


# --- 1. delivery latency ---------------------------------------------------------------------


def test_message_delivery_latency_across_two_daphne_processes(transactional_db: None) -> None:
    count = env_count("BENCH_MESSAGES", 2000)
    rate = float(os.environ.get("BENCH_RATE", "20"))
    others = env_count("BENCH_OTHER_SOCKETS", 500)
    lanes = env_count("BENCH_SENDERS", 4)
    warm_up = 20
    raise_fd_limit(others + 500)

    world = build_world()
    conversation = world.conversation.pk
    alice_token = create_api_token(world.alice.user, name="bench")[1]
    bob_cookie = session_cookie(world.bob.user)
    other_cookies = session_cookies(members(world, others, "idle"))

    env = daphne_settings(MESSAGES_PER_MINUTE="1000000")  # the rate limit is not measured here
    a = start_daphne(env)
    try:
        b = start_daphne(env)
    except BaseException:
        a.stop()
        raise
    cpu: dict[str, tuple[float, float]] = {}

    async def run() -> tuple[list[Summary], Sent, dict[int, float], int, int]:
        for server in (a, b):  # warm both processes up (imports, first connections)
            await asyncio.to_thread(http_json, "GET", f"{server.url}/api/v1/me", token=alice_token)
        redis_rtt = summarise("baseline: Redis PUBLISH → SUBSCRIBE", await redis_round_trips(count))
        layer_rtt = summarise(
            "baseline: channel layer send → receive", await layer_round_trips(count)
        )
        half = len(other_cookies) // 2
        idle = await open_many(a, other_cookies[:half]) + await open_many(b, other_cookies[half:])
        bob = await LiveSocket.open(b.ws_url, cookie=bob_cookie, origin=b.url)
        try:
            # Warm-up messages, not measured.
            done = threading.Event()
            receiving = asyncio.create_task(
                receive_bench_messages(bob, set(range(-warm_up, 0)), done)
            )
            warm = await asyncio.to_thread(
                send_steadily, a, alice_token, conversation, range(-warm_up, 0), rate, lanes
            )
            done.set()
            await receiving
            assert not warm.failures, warm.failures[:5]

            done = threading.Event()
            receiving = asyncio.create_task(receive_bench_messages(bob, set(range(count)), done))
            cpu["before"] = cpu_seconds(a.process.pid), cpu_seconds(b.process.pid)
            sent = await asyncio.to_thread(
                send_steadily, a, alice_token, conversation, range(count), rate, lanes
            )
            done.set()
            arrived = await receiving
            cpu["after"] = cpu_seconds(a.process.pid), cpu_seconds(b.process.pid)
            still_open = sum(not s.closed.is_set() for s in idle)
            stray = sum(
                f["type"] == "message.created" for s in idle for f in s.pending()
            )  # the others are not in the conversation: they must hear nothing of it
        finally:
            await close_all([bob, *idle])
        return [redis_rtt, layer_rtt], sent, arrived, still_open, stray

    try:
        baselines, sent, arrived, still_open, stray = asyncio.run(run())
    finally:
        b.stop()
        a.stop()

    latencies = [(arrived[seq] - sent.started[seq]) * 1000 for seq in sorted(arrived)]
    lost = count - len(arrived)
    delivery = summarise(
        "HTTP send via A → Bob's socket on B",
        latencies,
        note=f"{count} messages at {rate:g}/s, {lost} lost",
    )
    answer = summarise(
        "HTTP send via A → 201 answer",
        sent.answered_ms,
        note=f"{lanes} senders, {sent.connections} connection(s), {sent.late} sends late",
    )
    engine = str(settings.DATABASES["default"]["ENGINE"]).rsplit(".", 1)[-1]
    print_table(
        f"Message delivery across two daphne processes via Redis ({engine}), "
        f"{others} other sockets open (idle, {others // 2} on A, {others - others // 2} on B)",
        [*baselines, delivery, answer],
        baselines[0],
    )
    print(
        f"  p50 delivery / p50 Redis baseline = {delivery.p50_ms / baselines[0].p50_ms:.0f}x; "
        f"sent {count} in {sent.seconds:.1f} s ({count / sent.seconds:.1f}/s); "
        f"lost {lost}; other sockets still open {still_open}/{others}; target p99 ≤ 50 ms: "
        f"{'met' if delivery.p99_ms <= 50 and lost == 0 else 'not met'}"
    )
    (a_before, b_before), (a_after, b_after) = cpu["before"], cpu["after"]
    print(
        f"  CPU per message: daphne A (HTTP, SQL, publish) "
        f"{(a_after - a_before) / count * 1000:.1f} ms, daphne B (relay to the socket) "
        f"{(b_after - b_before) / count * 1000:.1f} ms"
    )

    assert not sent.failures, sent.failures[:5]
    assert lost == 0, f"{lost} of {count} messages never reached Bob's socket"
    assert still_open == others, "idle sockets were closed during the benchmark"
    assert stray == 0, "a message reached sockets outside the conversation"


# --- 2. idle sockets held by one process -----------------------------------------------------


def test_idle_sockets_held_by_one_daphne_process(transactional_db: None) -> None:
    count = env_count("BENCH_HELD_SOCKETS", 2000)
    quiet = float(os.environ.get("BENCH_QUIET_SECONDS", "10"))
    soft, _ = raise_fd_limit(count + 500)

    world = build_world()
    cookies = session_cookies(members(world, count, "held"))
    warm_cookie = session_cookie(world.alice.user)
    server = start_daphne(daphne_settings())
    pid = server.process.pid

    async def run() -> dict[str, Any]:
        figures: dict[str, Any] = {}
        # Warm up: one socket opened and closed, so that imports and pools are counted before.
        warm = await LiveSocket.open(server.ws_url, cookie=warm_cookie, origin=server.url)
        await warm.close()
        await asyncio.sleep(1)
        figures["rss_before"] = rss_kib(pid)
        figures["fds_before"] = open_files(pid)
        started = time.perf_counter()
        sockets = await open_many(server, cookies)
        figures["open_seconds"] = time.perf_counter() - started
        try:
            figures["rss_open"] = rss_kib(pid)
            figures["fds_open"] = open_files(pid)
            quiet_cpu = cpu_seconds(pid)
            await asyncio.sleep(quiet)
            figures["quiet_cpu_ms"] = (cpu_seconds(pid) - quiet_cpu) * 1000
            figures["rss_quiet"] = rss_kib(pid)
            figures["still_open"] = sum(not s.closed.is_set() for s in sockets)
            figures["close_codes"] = sorted(
                {s.close_code for s in sockets if s.closed.is_set()}, key=str
            )
            # Open, and listening: one event to the residence group reaches every socket.
            layer: Any = get_channel_layer()
            sent_at = time.perf_counter()
            await layer.group_send(
                groups.residence(world.residence.pk), build("bench.alive", {"n": 1})
            )

            async def heard(socket: LiveSocket) -> float | None:
                try:
                    at, _ = await socket.wait_for(lambda f: f["type"] == "bench.alive", 15)
                except CheckFailed:
                    return None
                return at

            heard_at = await asyncio.gather(*(heard(s) for s in sockets))
            figures["heard"] = sum(at is not None for at in heard_at)
            figures["fan_out_ms"] = (
                (max(at for at in heard_at if at is not None) - sent_at) * 1000
                if figures["heard"]
                else float("nan")
            )
        finally:
            await close_all(sockets)
        return figures

    try:
        figures = asyncio.run(run())
    finally:
        server.stop()

    grown = figures["rss_open"] - figures["rss_before"]
    per_socket = grown / count
    print(f"\nIdle sockets held by one daphne process  [{machine()}]")
    print(
        f"  {count} sockets (one member each) opened in {figures['open_seconds']:.1f} s "
        f"({count / figures['open_seconds']:.0f}/s, {OPEN_AT_ONCE} at a time); fd limit {soft}"
    )
    print(
        f"  daphne RSS: {figures['rss_before'] / 1024:.1f} MiB before, "
        f"{figures['rss_open'] / 1024:.1f} MiB with {count} sockets open, "
        f"{figures['rss_quiet'] / 1024:.1f} MiB after {quiet:g} s quiet → "
        f"{per_socket:.1f} KiB per socket; CPU used during the quiet spell "
        f"{figures['quiet_cpu_ms']:.0f} ms"
    )
    print(
        f"  daphne open files: {figures['fds_before']} before, {figures['fds_open']} with "
        f"{count} sockets open → {(figures['fds_open'] - figures['fds_before']) / count:.2f} "
        "per socket (1 is the socket itself; more are connections it holds, e.g. to Redis)"
    )
    print(
        f"  after {quiet:g} s quiet: {figures['still_open']}/{count} still open "
        f"(close codes: {figures['close_codes'] or 'none'}); an event to the residence group "
        f"reached {figures['heard']}/{count} in {figures['fan_out_ms']:.0f} ms; "
        f"target ≥ 2,000 idle sockets per process: "
        f"{'met' if figures['heard'] == count >= 2000 else 'not met'}"
    )

    assert figures["still_open"] == count, f"closed: {figures['close_codes']}"
    assert figures["heard"] == count

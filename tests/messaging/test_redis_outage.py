"""Redis goes away and comes back: no message is lost.

A daphne whose channel layer and cache are a private ``redis-server`` started by this test (on a
free port, no persistence: never the shared Redis). Bob's socket is connected; Redis is stopped;
Alice sends a message over the API: it must be stored and answered 201 (persist first, publish
on commit: the publish fails, the write does not). Redis is started again on the same port; Bob
reconnects as ``live.js`` does (a new socket; the server may have closed the old one) and asks
for what he missed (``GET …/messages?after=<last id he had>``): the message is there. A message
sent after Redis is back reaches his new socket live.

What the server did meanwhile (the old socket's close code, the time the send took, the errors
in daphne's log) is printed for the record, not asserted: timings depend on the machine.
"""

from __future__ import annotations

import asyncio
import contextlib
import http.client
import json
import os
import re
import shutil
import subprocess
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import redis

from apps.accounts.actions import create_api_token
from apps.messaging.models import Message
from deploy.scale_out_check import CheckFailed, LiveSocket, http_json, session_cookie
from tests.conftest import Daphne, build_world, free_port, start_daphne

pytestmark = [pytest.mark.redis, pytest.mark.postgres]


class PrivateRedis:
    """A throwaway redis-server on its own port, which a test may stop and start again."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        binary = shutil.which("redis-server")
        assert binary, "redis-server is not installed"
        # No persistence: restarted, it comes back empty, as a Redis that lost its memory.
        options = ["--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), *options],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port, socket_connect_timeout=0.2)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"redis-server did not start on {self.port}") from None
                time.sleep(0.05)
            finally:
                client.close()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None


@pytest.fixture
def private_redis() -> Iterator[PrivateRedis]:
    server = PrivateRedis(free_port())
    server.start()
    yield server
    server.stop()


def log_of(server: Daphne) -> Path:
    """daphne's output file (start_daphne sends its stdout and stderr to a temporary file)."""
    return Path(os.readlink(f"/proc/{server.process.pid}/fd/1"))


def log_summary(text: str) -> str:
    """The errors a stretch of daphne's log reports, counted (tracebacks and access lines out)."""
    counted = Counter(
        line.strip()[:150]
        for line in text.splitlines()
        if re.match(
            r"(Exception inside application|Internal Server Error|live event|presence "
            r"unavailable|message rate limit|redis\.exceptions\.)",
            line,
        )
    )
    return "\n".join(f"    {n} x {line}" for line, n in counted.most_common()) or "    (none)"


def get_json(url: str, token: str) -> tuple[int, Any]:
    """GET with the query string (deploy.scale_out_check.http_json sends the path only)."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port or 80, timeout=10)
    try:
        connection.request(
            "GET",
            f"{parts.path}?{parts.query}",
            headers={"Accept": "application/json", "Authorization": f"Bearer {token}"},
        )
        response = connection.getresponse()
        return response.status, json.loads(response.read())
    finally:
        connection.close()


async def open_when_possible(server: Daphne, cookie: str, timeout: float = 15) -> LiveSocket:
    """Reconnect as live.js does: try again, waiting a little longer each time, until the
    server says hello."""
    deadline = time.monotonic() + timeout
    delay = 0.1
    while True:
        try:
            return await LiveSocket.open(server.ws_url, cookie=cookie, origin=server.url)
        except CheckFailed:
            if time.monotonic() + delay > deadline:
                raise
            await asyncio.sleep(delay)
            delay = min(delay * 2, 1)


def created(message_id: int) -> Callable[[dict[str, Any]], bool]:
    return lambda f: f["type"] == "message.created" and f["data"]["id"] == message_id


def test_no_message_is_lost_when_redis_goes_away_and_comes_back(
    transactional_db: None, private_redis: PrivateRedis
) -> None:
    world = build_world()
    alice, bob = world.alice.user, world.bob.user
    url = f"/api/v1/conversations/{world.conversation.pk}/messages"
    alice_token = create_api_token(alice, name="outage")[1]
    bob_token = create_api_token(bob, name="outage")[1]
    bob_cookie = session_cookie(bob)
    server = start_daphne({"REDIS_URL": private_redis.url, "LOG_LEVEL": "INFO"})
    log = log_of(server)
    report: dict[str, str] = {}
    marks: dict[str, int] = {}

    def send(body: str) -> tuple[int, Any, float]:
        started = time.perf_counter()
        status, sent = http_json("POST", server.url + url, {"body": body}, token=alice_token)
        return status, sent, (time.perf_counter() - started) * 1000

    async def scenario() -> tuple[Any, list[Any]]:
        old = await LiveSocket.open(server.ws_url, cookie=bob_cookie, origin=server.url)
        try:
            # Redis up: delivered live; Bob has seen this message's id.
            status, before, took = await asyncio.to_thread(send, "Avant la panne")
            assert status == 201, before
            report["send, Redis up"] = f"{status} in {took:.0f} ms"
            _, frame = await old.wait_for(created(before["id"]), 10)
            last_seen = frame["data"]["id"]
            await old.wait_for(lambda f: f["type"] == "notification.created", 10)

            marks["stopped"] = log.stat().st_size
            private_redis.stop()
            stopped = time.perf_counter()
            status, during, took = await asyncio.to_thread(send, "Pendant la panne")
            report["send, Redis down"] = f"{status} in {took:.0f} ms"
            assert status == 201, f"sending failed while Redis was down: {status} {during}"
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(old.closed.wait(), 3)
            frames, closed_at = [], None
            while not old.frames.empty():
                arrived, item = old.frames.get_nowait()
                if item is None:
                    closed_at = arrived
                else:
                    frames.append(item["type"])
            report["Bob's socket"] = (
                f"closed by the server with code {old.close_code}, "
                f"{(closed_at - stopped) * 1000:.0f} ms after Redis stopped"
                if closed_at is not None
                else "still open 3 s after Redis stopped"
            )
            report["frames on it after the stop"] = str(frames)
            try:
                extra = await LiveSocket.open(server.ws_url, cookie=bob_cookie, origin=server.url)
                report["a new socket while Redis is down"] = "accepted, hello received"
                await extra.close(timeout=1)
            except CheckFailed as refused:
                report["a new socket while Redis is down"] = f"refused: {refused}"
        finally:
            await old.close(timeout=1)

        marks["restarted"] = log.stat().st_size
        private_redis.start()
        restarted = time.perf_counter()
        new = await open_when_possible(server, bob_cookie)
        report["Bob's new socket"] = f"hello {time.perf_counter() - restarted:.1f} s after restart"
        try:
            # What live.js does on hello after a reconnect: ask for what was missed.
            status, missed = await asyncio.to_thread(
                get_json, f"{server.url}{url}?after={last_seen}", bob_token
            )
            assert status == 200, missed
            # Live delivery works again, on the new socket.
            status, after, took = await asyncio.to_thread(send, "Après la panne")
            report["send, Redis back"] = f"{status} in {took:.0f} ms"
            assert status == 201, after
            _, frame = await new.wait_for(created(after["id"]), 10)
            assert frame["data"]["body"] == "Après la panne"
        finally:
            await new.close()
        return during, missed

    try:
        during, missed = asyncio.run(scenario())
    finally:
        server.stop()
        raw = log.read_bytes()  # sliced in bytes: the marks are file sizes
        if "stopped" in marks:
            restarted = marks.get("restarted", len(raw))
            report["daphne log while Redis was down"] = "\n" + log_summary(
                raw[marks["stopped"] : restarted].decode(errors="replace")
            )
            if "restarted" in marks:
                report["daphne log after the restart"] = "\n" + log_summary(
                    raw[restarted:].decode(errors="replace")
                )
        print("\nRedis outage, as seen from the client and in daphne's log:")
        for key, value in report.items():
            print(f"  {key}: {value}")

    # Nothing lost: what was sent during the outage was stored, and Bob caught up with it.
    assert [(m["id"], m["body"]) for m in missed] == [(during["id"], "Pendant la panne")]
    assert Message.objects.filter(pk=during["id"], body="Pendant la panne").exists()

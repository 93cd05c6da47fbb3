"""Prove scale-out: an event published through one daphne worker reaches a socket on another.

Run by ``deploy/scale-out-demo`` as ``python -m deploy.scale_out_check WORKER1 WORKER2`` (from the
project folder, with the workers' DATABASE_URL and REDIS_URL). It creates or reuses demo data
in that database (a residence "Scale-out demo", a co-animator and two joiners, all under the
``@scale-out.invalid`` domain), then:

1. opens the co-animator's socket on each worker (session cookie + Origin, as a browser does);
2. POSTs a join request through worker 1's API (``/api/v1/residences/join``, bearer token);
   the co-animator's socket on worker 2 must receive ``membership.requested``;
3. waits a quiet spell longer than channels_redis's 5 s blocking read (a Redis socket timeout
   shorter than that would silently drop the subscriptions), then does the same the other way.

It prints OK with the latencies (request sent → frame received) and exits 0, or says what
failed and exits 1. The socket client and the check itself (``LiveSocket``, ``run_check``) are
also used by ``tests/realtime/test_scale_out.py`` and ``tests/bench/``; they need no Django.

The websocket client is a minimal one written below on asyncio streams: it needs nothing that
production does not already install.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import hashlib
import http.client
import json
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

DEMO_DOMAIN = "scale-out.invalid"
DEMO_NAME = "Scale-out demo"
TOKEN_NAME = "scale-out demo"


class CheckFailed(Exception):
    """The check could not prove delivery; the message says where it stopped."""


# --- a minimal websocket client (RFC 6455 on asyncio streams) ---------------------------------
#
# No websocket client library is installed (websockets, aiohttp, wsproto are not dependencies),
# and autobahn's asyncio client cannot be used in a process where Django has loaded daphne:
# daphne makes txaio use Twisted, and txaio allows one framework per process. The protocol
# subset a client needs is small: a handshake, masked frames out, unmasked frames in.

Frame = dict[str, Any]
_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
_TEXT, _BINARY, _CLOSE, _PING, _PONG = 0x1, 0x2, 0x8, 0x9, 0xA


def _accept_key(key: str) -> str:
    return base64.b64encode(hashlib.sha1((key + _GUID).encode()).digest()).decode()


@dataclass
class LiveSocket:
    """One real websocket to ``/ws/``, authenticated by a session cookie like a browser tab.

    Server frames are read by a background task as they arrive and stamped with
    ``time.perf_counter()`` on arrival, so that latencies do not include the reader's delay."""

    url: str
    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter
    frames: asyncio.Queue[tuple[float, Frame | None]] = field(default_factory=asyncio.Queue)
    closed: asyncio.Event = field(default_factory=asyncio.Event)
    close_code: int | None = None
    groups: list[str] = field(default_factory=list)
    _reading: asyncio.Task[None] | None = None

    @classmethod
    async def open(
        cls, ws_url: str, *, cookie: str, origin: str, timeout: float = 10
    ) -> LiveSocket:
        """Connect and wait for the server's ``hello`` frame (sent once the groups are joined)."""
        parts = urlsplit(ws_url)
        host, port = parts.hostname or "", parts.port or 80
        try:
            reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), timeout)
        except (OSError, TimeoutError) as error:
            raise CheckFailed(f"cannot connect to {ws_url}: {error}") from error
        socket = cls(ws_url, reader, writer)
        try:
            await asyncio.wait_for(
                socket._handshake(host, port, parts.path, cookie, origin), timeout
            )
            socket._reading = asyncio.create_task(socket._read_frames())
            _, hello = await socket.wait_for(lambda f: f["type"] == "hello", timeout)
        except BaseException:
            await socket.close(timeout=1)
            raise
        socket.groups = list(hello["data"]["groups"])
        return socket

    async def _handshake(self, host: str, port: int, path: str, cookie: str, origin: str) -> None:
        key = base64.b64encode(os.urandom(16)).decode()
        request = (
            f"GET {path or '/'} HTTP/1.1\r\n"
            f"Host: {host}:{port}\r\n"
            "Upgrade: websocket\r\n"
            "Connection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\n"
            "Sec-WebSocket-Version: 13\r\n"
            f"Origin: {origin}\r\n"
            f"Cookie: {cookie}\r\n\r\n"
        )
        self.writer.write(request.encode())
        await self.writer.drain()
        try:
            head = (await self.reader.readuntil(b"\r\n\r\n")).decode("latin-1")
        except (asyncio.IncompleteReadError, ConnectionError) as error:
            raise CheckFailed(f"{self.url} closed the connection during the handshake") from error
        status, *lines = head.strip().split("\r\n")
        headers = {k.strip().lower(): v.strip() for k, _, v in (h.partition(":") for h in lines)}
        if status.split(" ")[1:2] != ["101"]:
            raise CheckFailed(f"{self.url} refused the websocket: {status}")
        if headers.get("sec-websocket-accept") != _accept_key(key):
            raise CheckFailed(f"{self.url} answered a wrong Sec-WebSocket-Accept")

    async def _read_frames(self) -> None:
        message = bytearray()
        try:
            while True:
                first, second = await self.reader.readexactly(2)
                opcode, length = first & 0x0F, second & 0x7F
                if length == 126:
                    length = int.from_bytes(await self.reader.readexactly(2))
                elif length == 127:
                    length = int.from_bytes(await self.reader.readexactly(8))
                mask = await self.reader.readexactly(4) if second & 0x80 else b""
                payload = await self.reader.readexactly(length)
                if mask:
                    payload = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
                if opcode == _PING:
                    await self._send(_PONG, payload)
                elif opcode == _CLOSE:
                    self.close_code = int.from_bytes(payload[:2]) if len(payload) >= 2 else 1005
                    if not self.writer.is_closing():
                        await self._send(_CLOSE, payload[:2])
                    return
                elif opcode != _PONG:
                    message += payload
                    if first & 0x80:  # FIN: the message is complete
                        arrived = time.perf_counter()
                        self.frames.put_nowait((arrived, _parse(bytes(message))))
                        message.clear()
        except (asyncio.IncompleteReadError, ConnectionError):
            return
        finally:
            self.frames.put_nowait((time.perf_counter(), None))
            self.closed.set()
            self.writer.close()

    async def _send(self, opcode: int, payload: bytes) -> None:
        mask = os.urandom(4)
        length = len(payload)
        if length < 126:
            header = bytes([0x80 | opcode, 0x80 | length])
        elif length < 1 << 16:
            header = bytes([0x80 | opcode, 0x80 | 126]) + length.to_bytes(2)
        else:
            header = bytes([0x80 | opcode, 0x80 | 127]) + length.to_bytes(8)
        self.writer.write(header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))
        await self.writer.drain()

    async def send_json(self, frame: Frame) -> None:
        await self._send(_TEXT, json.dumps(frame).encode())

    async def receive(self, timeout: float) -> tuple[float, Frame]:
        """The next frame and the ``time.perf_counter()`` of its arrival."""
        try:
            arrived, frame = await asyncio.wait_for(self.frames.get(), timeout)
        except TimeoutError:
            raise CheckFailed(f"no frame on {self.url} within {timeout:g} s") from None
        if frame is None:
            self.frames.put_nowait((arrived, None))  # later calls see the close too
            raise CheckFailed(f"the socket on {self.url} closed (code {self.close_code})")
        return arrived, frame

    async def wait_for(
        self, predicate: Callable[[Frame], bool], timeout: float
    ) -> tuple[float, Frame]:
        """The first frame matching ``predicate`` (others are skipped) and its arrival time."""
        deadline = time.perf_counter() + timeout
        while True:
            left = deadline - time.perf_counter()
            if left <= 0:
                raise CheckFailed(f"the expected frame did not reach {self.url} in {timeout:g} s")
            arrived, frame = await self.receive(left)
            if predicate(frame):
                return arrived, frame

    def pending(self) -> list[Frame]:
        """Frames already received and not read yet."""
        frames = []
        while not self.frames.empty():
            _, frame = self.frames.get_nowait()
            if frame is not None:
                frames.append(frame)
        return frames

    async def close(self, timeout: float = 5) -> None:
        """Send a close frame, wait for the server's, and drop the connection."""
        if self._reading is not None and not self.closed.is_set():
            with contextlib.suppress(ConnectionError):
                await self._send(_CLOSE, (1000).to_bytes(2))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.closed.wait(), timeout)
        if self._reading is not None and not self._reading.done():
            self._reading.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reading
        self.writer.close()
        with contextlib.suppress(ConnectionError):
            await self.writer.wait_closed()


def _parse(raw: bytes) -> Frame:
    try:
        frame = json.loads(raw)
    except ValueError:
        frame = None
    if not isinstance(frame, dict) or not isinstance(frame.get("type"), str):
        return {"type": "client.unparsable", "data": {"raw": raw[:200].decode("latin-1")}}
    return frame


def ws_url(http_url: str) -> str:
    return (
        http_url.replace("http://", "ws://", 1).replace("https://", "wss://", 1).rstrip("/")
        + "/ws/"
    )


# --- HTTP, without adding a client library --------------------------------------------------


def http_json(
    method: str,
    url: str,
    body: dict[str, Any] | None = None,
    *,
    token: str = "",
    timeout: float = 10,
) -> tuple[int, Any]:
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port or 80, timeout=timeout)
    headers = {"Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    payload = None
    if body is not None:
        payload = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    try:
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        connection.request(method, target, body=payload, headers=headers)
        response = connection.getresponse()
        raw = response.read()
    finally:
        connection.close()
    try:
        return response.status, json.loads(raw) if raw else None
    except ValueError:
        return response.status, raw[:300].decode("utf-8", "replace")


def wait_healthy(http_url: str, timeout: float = 30) -> dict[str, Any]:
    """Wait for ``/healthz`` to answer 200 (database and channel layer both checked)."""
    deadline = time.monotonic() + timeout
    last: Any = "no answer"
    while time.monotonic() < deadline:
        try:
            status, body = http_json("GET", http_url.rstrip("/") + "/healthz", timeout=5)
        except OSError as error:
            last = error
        else:
            if status == 200:
                return dict(body)
            last = body
        time.sleep(0.2)
    raise CheckFailed(f"{http_url}/healthz is not healthy after {timeout:g} s: {last}")


# --- the check --------------------------------------------------------------------------------


@dataclass
class Scenario:
    """What the check needs, prepared in the database the workers use."""

    residence_id: int
    code: str
    moderator_cookie: str  # "sessionid=…" of a co-animator of the residence
    tokens: list[str]  # bearer tokens of two people who have not asked to join yet


@dataclass
class Delivery:
    published_via: str
    received_on: str
    latency_ms: float


async def join_and_wait(
    publish_via: str, code: str, token: str, sockets: dict[str, LiveSocket], residence_id: int
) -> list[Delivery]:
    """POST a join request through one worker; every socket must get ``membership.requested``."""
    started = time.perf_counter()
    status, body = await asyncio.to_thread(
        http_json,
        "POST",
        publish_via.rstrip("/") + "/api/v1/residences/join",
        {"code": code, "charter_accepted": True, "message": "scale-out check"},
        token=token,
    )
    if status != 201:
        raise CheckFailed(
            f"POST /api/v1/residences/join on {publish_via} answered {status}: {body}"
        )
    deliveries = []
    for worker, socket in sockets.items():
        arrived, _ = await socket.wait_for(
            lambda f: (
                f["type"] == "membership.requested"
                and f["data"].get("residence_id") == residence_id
            ),
            timeout=10,
        )
        deliveries.append(Delivery(publish_via, worker, (arrived - started) * 1000))
    return deliveries


async def run_check(
    worker1: str, worker2: str, scenario: Scenario, *, quiet_seconds: float = 6
) -> list[Delivery]:
    """A socket on each worker; a join through worker 1, then (after a quiet spell) through
    worker 2. Returns every delivery; raises CheckFailed when one is missing."""
    moderators = f"residence.{scenario.residence_id}.moderators"
    for worker in (worker1, worker2):  # warm up: the first request of a process is slower
        await asyncio.to_thread(
            http_json, "GET", worker.rstrip("/") + "/api/v1/me", token=scenario.tokens[0]
        )
    sockets: dict[str, LiveSocket] = {}
    try:
        for worker in (worker1, worker2):
            socket = await LiveSocket.open(
                ws_url(worker), cookie=scenario.moderator_cookie, origin=worker.rstrip("/")
            )
            sockets[worker] = socket
            if moderators not in socket.groups:
                raise CheckFailed(
                    f"the socket on {worker} did not join {moderators}: {socket.groups}"
                )
        deliveries = await join_and_wait(
            worker1, scenario.code, scenario.tokens[0], sockets, scenario.residence_id
        )
        await asyncio.sleep(quiet_seconds)
        for worker, socket in sockets.items():
            if socket.closed.is_set():
                raise CheckFailed(
                    f"the server closed the socket on {worker} (code {socket.close_code}) during "
                    f"a {quiet_seconds:g} s quiet spell. Likely cause: the channel layer's Redis "
                    "reads time out; channels_redis blocks up to 5 s on each read, so the Redis "
                    "socket_timeout must be longer (redis-py 8 defaults it to 5 s)"
                )
        deliveries += await join_and_wait(
            worker2, scenario.code, scenario.tokens[1], sockets, scenario.residence_id
        )
        return deliveries
    finally:
        for socket in sockets.values():
            await socket.close()


# --- demo data (needs Django, configured like the workers) -------------------------------------


def session_cookie(user: Any) -> str:
    """A ``sessionid=…`` cookie signed in as ``user``, as Django's login() would store it."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.save()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


def prepare_demo() -> Scenario:
    """Create or reuse the demo residence, its co-animator and two joiners (whose previous join
    requests to it are removed, so that the check can be run again)."""
    from django.db import transaction
    from django.utils import timezone

    from apps.accounts.actions import create_api_token
    from apps.accounts.models import ApiToken, User
    from apps.residences.models import Landlord, Membership, Residence, Role, Status

    def person(local: str, first: str) -> Any:
        user, _ = User.objects.get_or_create(
            email=f"{local}@{DEMO_DOMAIN}", defaults={"first_name": first, "last_name": "Demo"}
        )
        return user

    with transaction.atomic():
        landlord, _ = Landlord.objects.get_or_create(name=DEMO_NAME)
        residence, _ = Residence.objects.get_or_create(
            landlord=landlord,
            name=DEMO_NAME,
            defaults={"address": "1 rue de la Démo", "postcode": "69000", "city": "Lyon"},
        )
        moderator = person("co-animator", "Camille")
        Membership.objects.update_or_create(
            user=moderator,
            residence=residence,
            defaults={
                "role": Role.CO_ANIMATOR,
                "status": Status.ACTIVE,
                "charter_accepted_at": timezone.now(),
            },
        )
        joiners = [person(f"joiner-{n}", f"Joiner{n}") for n in (1, 2)]
        Membership.objects.filter(residence=residence, user__in=joiners).delete()
        ApiToken.objects.filter(user__in=joiners, name=TOKEN_NAME).delete()
    tokens = [create_api_token(user, name=TOKEN_NAME)[1] for user in joiners]
    return Scenario(residence.pk, residence.invitation_code, session_cookie(moderator), tokens)


def ensure_database() -> None:
    """Create the PostgreSQL database named by DATABASE_URL when it does not exist yet."""
    import psycopg
    from psycopg import sql

    url = os.environ.get("DATABASE_URL", "")
    parts = urlsplit(url)
    if parts.scheme not in {"postgres", "postgresql"}:
        return
    name = parts.path.lstrip("/")
    maintenance = parts._replace(path="/postgres").geturl()
    with psycopg.connect(maintenance, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"created database {name}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("ensure-database", help="create DATABASE_URL's database if missing")
    check = sub.add_parser("check", help="prove delivery from each worker to the other")
    check.add_argument("worker1", help="e.g. http://127.0.0.1:8001")
    check.add_argument("worker2", help="e.g. http://127.0.0.1:8002")
    check.add_argument("--quiet-seconds", type=float, default=6)
    args = parser.parse_args(argv)

    if args.command == "ensure-database":
        ensure_database()
        return 0

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "voisinage.settings")
    django.setup()
    from django.conf import settings

    if not settings.REDIS_URL:
        print("FAIL: REDIS_URL is not set: without Redis each worker has its own channel layer")
        return 1
    try:
        for worker in (args.worker1, args.worker2):
            health = wait_healthy(worker)
            print(f"{worker}: healthy {health['checks']}")
        scenario = prepare_demo()
        deliveries = asyncio.run(
            run_check(args.worker1, args.worker2, scenario, quiet_seconds=args.quiet_seconds)
        )
    except CheckFailed as error:
        print(f"FAIL: {error}")
        return 1
    for d in deliveries:
        where = "same worker" if d.published_via == d.received_on else "other worker"
        print(
            f"  published via {d.published_via} → socket on {d.received_on} ({where}): "
            f"{d.latency_ms:.1f} ms"
        )
    crossed = [d.latency_ms for d in deliveries if d.published_via != d.received_on]
    print(
        f"OK: events crossed workers both ways, latency {min(crossed):.1f} to "
        f"{max(crossed):.1f} ms (request sent → frame received), the second one after a "
        f"{args.quiet_seconds:g} s quiet spell"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

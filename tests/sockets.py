"""Websocket helpers for tests: sockets through the real ASGI stack (origin check, session
auth, the live consumer), opened with a real session cookie."""

from __future__ import annotations

from typing import Any

from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from voisinage.asgi import application


async def session_cookie(user: Any) -> bytes:
    def login() -> str:
        client = Client()
        client.force_login(user)
        return client.cookies[settings.SESSION_COOKIE_NAME].value

    return f"{settings.SESSION_COOKIE_NAME}={await sync_to_async(login)()}".encode()


async def connect(user: Any | None, origin: bytes = b"http://127.0.0.1") -> WebsocketCommunicator:
    headers = [(b"origin", origin), (b"host", b"127.0.0.1")]
    if user is not None:
        headers.append((b"cookie", await session_cookie(user)))
    return WebsocketCommunicator(application, "/ws/", headers=headers)


async def open_socket(user: Any) -> tuple[WebsocketCommunicator, dict[str, Any]]:
    """A connected socket and its hello frame."""
    communicator = await connect(user)
    connected, _ = await communicator.connect()
    assert connected
    hello = await communicator.receive_json_from(timeout=5)
    assert hello["type"] == "hello"
    return communicator, hello


async def next_of(socket: WebsocketCommunicator, frame_type: str) -> dict[str, Any]:
    """The next frame of that type (others are skipped), within 5 s each."""
    while True:
        frame = await socket.receive_json_from(timeout=5)
        if frame["type"] == frame_type:
            return frame

"""The one websocket per tab, at /ws/. Transport only: it joins the groups the registry allows
and relays group events; client frames are small, validated and rate-limited."""

from __future__ import annotations

import json
import time
from collections import deque
from typing import Any

from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings

from apps.realtime import presence, registry

CLOSE_UNAUTHENTICATED = 4401
CLOSE_TOO_MANY_FRAMES = 4429
# Frames over the rate limit are answered with an error; this many in a row closes the socket.
MAX_REFUSED_IN_A_ROW = 10


class LiveConsumer(AsyncWebsocketConsumer):
    groups_joined: set[str]

    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        self.groups_joined = set()
        self.recent: deque[float] = deque()
        self.refused_in_a_row = 0
        await self.accept()
        await sync_to_async(presence.socket_opened)(user.pk)
        await self.regroup()
        await self.send_frame("hello", {"groups": sorted(self.groups_joined)})

    async def disconnect(self, code: int) -> None:
        if not hasattr(self, "groups_joined"):
            return  # refused before accept
        for group in self.groups_joined:
            await self.channel_layer.group_discard(group, self.channel_name)
        await sync_to_async(presence.socket_closed)(self.scope["user"].pk)

    async def regroup(self) -> None:
        wanted = await database_sync_to_async(registry.groups_for)(self.scope["user"])
        for group in wanted - self.groups_joined:
            await self.channel_layer.group_add(group, self.channel_name)
        for group in self.groups_joined - wanted:
            await self.channel_layer.group_discard(group, self.channel_name)
        self.groups_joined = wanted

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if not self.allow_frame():
            self.refused_in_a_row += 1
            if self.refused_in_a_row >= MAX_REFUSED_IN_A_ROW:
                await self.close(code=CLOSE_TOO_MANY_FRAMES)
            else:
                await self.send_error("rate_limited", "Too many frames; slow down.")
            return
        self.refused_in_a_row = 0
        if text_data is None:
            await self.send_error("malformed", "Frames must be JSON text.")
            return
        if len(text_data.encode()) > settings.WS_MAX_FRAME_BYTES:
            await self.send_error(
                "too_large", f"Frames are limited to {settings.WS_MAX_FRAME_BYTES} bytes."
            )
            return
        try:
            frame = json.loads(text_data)
        except ValueError:
            await self.send_error("malformed", "Frames must be valid JSON.")
            return
        if not isinstance(frame, dict) or not isinstance(frame.get("type"), str):
            await self.send_error("malformed", 'Frames must be objects with a "type".')
            return
        if frame["type"] == "ping":
            # The client pings every 45 s: keeps proxies from closing the socket and tells
            # presence that this person is still here.
            await sync_to_async(presence.socket_alive)(self.scope["user"].pk)
            await self.send_frame("pong", {"ref": frame.get("ref")})
            return
        handler = registry.frame_handler(frame["type"])
        if handler is None:
            await self.send_error("unknown_type", f"Unknown frame type: {frame['type'][:40]}")
            return
        data = frame.get("data")
        if not isinstance(data, dict):
            await self.send_error("malformed", 'This frame needs a "data" object.')
            return
        try:
            await database_sync_to_async(handler)(self.scope["user"], data)
        except registry.FrameRefused as refused:
            await self.send_error(refused.code, refused.reason)

    def allow_frame(self) -> bool:
        now = time.monotonic()
        while self.recent and now - self.recent[0] > 10:
            self.recent.popleft()
        if len(self.recent) >= settings.WS_FRAMES_PER_10S:
            return False
        self.recent.append(now)
        return True

    async def live_event(self, message: dict[str, Any]) -> None:
        if message.get("regroup"):
            await self.regroup()
        skip = message.get("skip_user")
        if skip is not None and skip == self.scope["user"].pk:
            return  # e.g. one's own typing indicator
        await self.send(text_data=json.dumps(message["event"]))

    async def send_frame(self, frame_type: str, data: dict[str, Any]) -> None:
        await self.send(text_data=json.dumps({"type": frame_type, "data": data}))

    async def send_error(self, code: str, reason: str) -> None:
        await self.send_frame("error", {"code": code, "reason": reason})

"""GET /healthz: the database and the channel layer, each checked for real."""

from __future__ import annotations

import asyncio
import time

from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from django.db import connection
from django.http import HttpRequest, JsonResponse


def _check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


async def _check_channel_layer() -> None:
    layer = get_channel_layer()
    if layer is None:
        raise RuntimeError("no channel layer configured")
    channel = await layer.new_channel()
    await layer.send(channel, {"type": "health.ping"})
    message = await layer.receive(channel)
    if message.get("type") != "health.ping":
        raise RuntimeError("channel layer returned an unexpected message")


async def healthz(request: HttpRequest) -> JsonResponse:
    checks: dict[str, dict[str, object]] = {}
    for name, check in (
        ("database", sync_to_async(_check_database)),
        ("channel_layer", _check_channel_layer),
    ):
        started = time.perf_counter()
        try:
            await asyncio.wait_for(check(), timeout=3)
        except Exception as error:  # the failing part is named, whatever went wrong
            checks[name] = {"status": "error", "error": f"{type(error).__name__}: {error}"[:200]}
        else:
            checks[name] = {"status": "ok", "ms": round((time.perf_counter() - started) * 1000, 1)}
    failing = [name for name, result in checks.items() if result["status"] != "ok"]
    body = {"status": "error" if failing else "ok", "failing": failing, "checks": checks}
    return JsonResponse(body, status=503 if failing else 200)

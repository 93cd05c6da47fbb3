"""The one way to publish a live event: persist first, then publish on commit.

An event is ``{"type": "<domain>.<op>", "data": {...}}``. It is round-tripped through JSON when
published, so a model object or a date slipped into an event fails loudly here and in tests,
never silently on the socket.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

logger = logging.getLogger(__name__)

# The consumer method that receives group messages (see consumers.LiveConsumer.live_event).
HANDLER = "live.event"


def build(
    event_type: str, data: dict[str, Any], *, regroup: bool = False, skip_user: int | None = None
) -> dict[str, Any]:
    event: dict[str, Any] = json.loads(json.dumps({"type": event_type, "data": data}))
    message: dict[str, Any] = {"type": HANDLER, "event": event}
    if regroup:
        message["regroup"] = True
    if skip_user is not None:
        message["skip_user"] = skip_user
    return message


def publish_now(
    groups: str | list[str],
    event_type: str,
    data: dict[str, Any],
    *,
    regroup: bool = False,
    skip_user: int | None = None,
) -> None:
    """Send to one or several groups at once (one hop to the event loop for all of them).
    Writes use ``publish_on_commit``; this is for what is not a write (typing, presence)."""
    message = build(event_type, data, regroup=regroup, skip_user=skip_user)
    layer = get_channel_layer()
    if layer is None:
        return
    names = [groups] if isinstance(groups, str) else groups
    try:
        async_to_sync(_send_all_within)(layer, names, message)
    except Exception:
        # The write is already committed; a client that missed the event catches up over HTTP.
        logger.exception("live event %s to %s could not be published", event_type, names)


# A Redis that does not answer must not hold the request for the layer's 15 s read timeout.
PUBLISH_TIMEOUT = 2  # seconds, for all the groups of one event


async def _send_all_within(layer: Any, names: list[str], message: dict[str, Any]) -> None:
    await asyncio.wait_for(_send_all(layer, names, message), PUBLISH_TIMEOUT)


async def _send_all(layer: Any, names: list[str], message: dict[str, Any]) -> None:
    for name in names:
        await layer.group_send(name, message)


def publish_on_commit(
    groups: str | list[str],
    event_type: str,
    data: dict[str, Any],
    *,
    regroup: bool = False,
    skip_user: int | None = None,
) -> None:
    """Publish once the current transaction commits (at once when there is none).

    ``regroup`` asks every socket of the groups to recompute the groups it belongs to (after a
    membership changed); ``skip_user``'s own sockets do not get it.
    """
    build(event_type, data, regroup=regroup)  # fail now, inside the action, if not JSON-safe
    transaction.on_commit(
        lambda: publish_now(groups, event_type, data, regroup=regroup, skip_user=skip_user)
    )

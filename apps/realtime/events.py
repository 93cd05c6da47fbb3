"""The one way to publish a live event: persist first, then publish on commit.

An event is ``{"type": "<domain>.<op>", "data": {...}}``. It is round-tripped through JSON when
published, so a model object or a date slipped into an event fails loudly here and in tests,
never silently on the socket.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

logger = logging.getLogger(__name__)

# The consumer method that receives group messages (see consumers.LiveConsumer.live_event).
HANDLER = "live.event"


def build(event_type: str, data: dict[str, Any], *, regroup: bool = False) -> dict[str, Any]:
    event: dict[str, Any] = json.loads(json.dumps({"type": event_type, "data": data}))
    message: dict[str, Any] = {"type": HANDLER, "event": event}
    if regroup:
        message["regroup"] = True
    return message


def publish_now(
    group: str, event_type: str, data: dict[str, Any], *, regroup: bool = False
) -> None:
    """Send to a group at once. Only for callers outside a transaction (e.g. presence)."""
    message = build(event_type, data, regroup=regroup)
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(group, message)
    except Exception:
        # The write is already committed; a client that missed the event catches up over HTTP.
        logger.exception("live event %s to %s could not be published", event_type, group)


def publish_on_commit(
    group: str, event_type: str, data: dict[str, Any], *, regroup: bool = False
) -> None:
    """Publish once the current transaction commits (at once when there is none).

    ``regroup`` asks every socket of the group to recompute the groups it belongs to (after a
    membership changed).
    """
    build(event_type, data, regroup=regroup)  # fail now, inside the action, if not JSON-safe
    transaction.on_commit(lambda: publish_now(group, event_type, data, regroup=regroup))

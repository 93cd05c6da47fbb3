"""What messaging tells sockets, and to whom. Payloads are plain JSON (no model objects)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from apps.messaging.models import Conversation, Message
from apps.realtime import groups


def targets(conversation: Conversation, participant_ids: list[int]) -> list[str]:
    """The residence room goes to the residence group (every active member's sockets); direct
    and group conversations to each participant's own group."""
    if conversation.kind == Conversation.Kind.ROOM:
        return [groups.members(conversation.residence_id)]
    return [groups.user(user_id) for user_id in participant_ids]


def message_data(message: Message, *, for_author: bool = False) -> dict[str, Any]:
    """A message as its participants see it. A held or hidden message (``moderation``) carries
    no content unless ``for_author`` (what goes to its author only)."""
    author = message.author
    shown = not message.is_deleted and (message.is_visible or for_author)
    return {
        "id": message.pk,
        "conversation_id": message.conversation_id,
        "body": message.body if shown else "",
        "author": {"id": author.pk, "display_name": author.display_name} if author else None,
        "created_at": message.created_at.isoformat(),
        "edited_at": message.edited_at.isoformat() if message.edited_at else None,
        "deleted": message.is_deleted,
        "moderation": message.moderation,
        "room": message.conversation.kind == Conversation.Kind.ROOM,
        "image": reverse("messaging:image", args=[message.pk])
        if message.image_id and shown
        else None,
    }


def message_data_for(message: Message, viewer_id: int | None) -> dict[str, Any]:
    """``message_data`` as one person may see it (API answers)."""
    return message_data(
        message, for_author=viewer_id is not None and viewer_id == message.author_id
    )

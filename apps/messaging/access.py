"""Who may read and write which conversation. Not visible → 404, visible but not allowed → 403.

Direct and group conversations: their participants only. The residence room: every active
member of the residence (residents, co-animators, staff). Writing also needs an active
membership now: a suspended or departed member can no longer write (nor read, for the room).
Moderators see a private message only once it is reported (moderation, later).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from apps.messaging.models import Conversation, Message, Participant
from apps.residences import access as residence_access


@dataclass(frozen=True)
class ConversationAccess:
    conversation: Conversation
    participant: Participant | None  # None in the room until the member first opens it
    can_write: bool


def _load(conversation_id: int) -> Conversation | None:
    return (
        Conversation.objects.select_related("residence", "residence__landlord")
        .filter(pk=conversation_id)
        .first()
    )


def access_conversation(
    user: Any, conversation_id: int, *, for_write: bool = False
) -> ConversationAccess:
    if not user.is_authenticated:
        raise Http404
    conversation = _load(conversation_id)
    if conversation is None:
        raise Http404
    participant = Participant.objects.filter(conversation=conversation, user_id=user.pk).first()
    is_member = residence_access.is_member(user, conversation.residence_id)
    if conversation.kind == Conversation.Kind.ROOM:
        if not is_member:
            raise Http404
    elif participant is None:
        raise Http404
    access = ConversationAccess(conversation, participant, can_write=is_member)
    if for_write and not access.can_write:
        raise PermissionDenied
    return access


def access_message(user: Any, message_id: int, *, for_write: bool = False) -> Message:
    """A message of a conversation the user can read; only its author may change it."""
    message = Message.objects.select_related("author").filter(pk=message_id).first()
    if message is None:
        raise Http404
    access_conversation(user, message.conversation_id, for_write=for_write)
    if for_write and message.author_id != user.pk:
        raise PermissionDenied
    return message


def may_start_with(user: Any, residence_id: int) -> residence_access.ResidenceAccess:
    """Starting a conversation in a residence: its members (partners and outsiders cannot)."""
    return residence_access.access_residence(user, residence_id, for_write=True)

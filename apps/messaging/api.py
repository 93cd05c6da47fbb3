"""Conversations over JSON. Thin: access helper → action → schema."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from apps.messaging import access, actions, events, selectors
from apps.messaging.models import BODY_MAX_LENGTH, Conversation
from apps.residences.access import access_residence

router = Router(tags=["messaging"])


class PersonOut(Schema):
    id: int
    display_name: str


class LastMessageOut(Schema):
    body: str
    deleted: bool


class ConversationOut(Schema):
    id: int
    kind: str
    residence_id: int
    title: str
    participants: list[PersonOut]
    unread: int
    last_message: LastMessageOut | None
    last_message_at: datetime | None


class ConversationIn(Schema):
    residence_id: int
    member_ids: list[int] = Field(default_factory=list, max_length=50)
    room: bool = Field(False, description="The residence room instead of a conversation")
    title: str = Field("", max_length=120)


class MessageOut(Schema):
    id: int
    conversation_id: int
    body: str
    author: PersonOut | None
    created_at: datetime
    edited_at: datetime | None
    deleted: bool
    moderation: str = Field(
        "", description='"" visible, "held" or "hidden" (only their author sees those)'
    )
    image: str | None


class MessageIn(Schema):
    # Longer bodies get a clear 400 from the action (not a schema error), so say so here too.
    body: str = Field(..., description=f"At most {BODY_MAX_LENGTH} characters")


class MessagesQuery(Schema):
    after: int | None = Field(None, ge=0, description="Only messages with a larger id")
    before: int | None = Field(None, ge=0, description="Page back: messages with a smaller id")
    limit: int = Field(selectors.PAGE_SIZE, ge=1, le=200)


class ReadIn(Schema):
    up_to: int | None = Field(None, ge=0)


class ReadOut(Schema):
    last_read_id: int


def _conversation_out(conversation: Conversation) -> dict[str, Any]:
    annotated: Any = conversation
    return {
        "id": conversation.pk,
        "kind": conversation.kind,
        "residence_id": conversation.residence_id,
        "title": conversation.title,
        "participants": [
            {"id": p.user_id, "display_name": p.user.display_name}
            for p in conversation.participants.all()
        ],
        "unread": getattr(annotated, "unread", 0),
        "last_message": None
        if conversation.last_message_at is None
        else {
            "body": "" if annotated.last_deleted_at else annotated.last_body or "",
            "deleted": annotated.last_deleted_at is not None,
        },
        "last_message_at": conversation.last_message_at,
    }


@router.get("/conversations", response=list[ConversationOut])
def list_conversations(request: HttpRequest) -> list[dict[str, Any]]:
    return [_conversation_out(c) for c in selectors.conversations_for(request.auth)]  # type: ignore[attr-defined]


@router.post("/conversations", response={200: ConversationOut, 201: ConversationOut})
def start_conversation(request: HttpRequest, payload: ConversationIn) -> Status[dict[str, Any]]:
    user: Any = request.auth  # type: ignore[attr-defined]
    here = access_residence(user, payload.residence_id, for_write=True)
    if payload.room:
        conversation, created = actions.room_of(here.residence)
    elif len(payload.member_ids) == 1:
        conversation, created = actions.start_direct(user, here.residence, payload.member_ids[0])
    elif payload.member_ids:
        conversation = actions.start_group(
            user, here.residence, payload.member_ids, title=payload.title
        )
        created = True
    else:
        raise ValidationError(
            "Give member_ids (one person: a direct conversation; several: a group) or room.",
            code="no_members",
        )
    row = selectors.conversations_for(user).get(pk=conversation.pk)
    return Status(201 if created else 200, _conversation_out(row))


@router.get("/conversations/{conversation_id}/messages", response=list[MessageOut])
def list_messages(
    request: HttpRequest, conversation_id: int, query: Query[MessagesQuery]
) -> list[dict[str, Any]]:
    user: Any = request.auth  # type: ignore[attr-defined]
    here = access.access_conversation(user, conversation_id)
    rows = selectors.messages(
        here.conversation,
        viewer_id=user.pk,
        after=query.after,
        before=query.before,
        limit=query.limit,
    )
    return [events.message_data_for(m, user.pk) for m in rows]


@router.post("/conversations/{conversation_id}/messages", response={201: MessageOut})
def send_message(
    request: HttpRequest, conversation_id: int, payload: MessageIn
) -> Status[dict[str, Any]]:
    user: Any = request.auth  # type: ignore[attr-defined]
    here = access.access_conversation(user, conversation_id, for_write=True)
    message = actions.send_message(user, here, payload.body)
    return Status(201, events.message_data_for(message, user.pk))


@router.post("/conversations/{conversation_id}/read", response=ReadOut)
def mark_read(request: HttpRequest, conversation_id: int, payload: ReadIn) -> dict[str, int]:
    user: Any = request.auth  # type: ignore[attr-defined]
    here = access.access_conversation(user, conversation_id)
    return {"last_read_id": actions.mark_read(user, here, payload.up_to)}


@router.patch("/messages/{message_id}", response=MessageOut)
def edit_message(request: HttpRequest, message_id: int, payload: MessageIn) -> dict[str, Any]:
    user: Any = request.auth  # type: ignore[attr-defined]
    message = access.access_message(user, message_id, for_write=True)
    return events.message_data_for(actions.edit_message(user, message, payload.body), user.pk)


@router.delete("/messages/{message_id}", response=MessageOut)
def delete_message(request: HttpRequest, message_id: int) -> dict[str, Any]:
    user: Any = request.auth  # type: ignore[attr-defined]
    message = access.access_message(user, message_id, for_write=True)
    return events.message_data_for(actions.delete_message(user, message), user.pk)

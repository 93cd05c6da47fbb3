"""Writes of messaging: persist first, then publish on commit (and notify)."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.messaging import events
from apps.messaging.access import ConversationAccess
from apps.messaging.models import (
    BODY_MAX_LENGTH,
    Conversation,
    Message,
    MessageRevision,
    Participant,
)
from apps.moderation import actions as moderation
from apps.moderation import registry as moderation_registry
from apps.notifications import actions as notifications
from apps.realtime import groups
from apps.realtime.events import publish_now, publish_on_commit
from apps.realtime.registry import FrameRefused
from apps.residences import access as residence_access
from apps.residences.models import Residence

logger = logging.getLogger(__name__)


class RateLimited(ValidationError):
    """Too many messages in the last minute."""


MESSAGE = "message"  # the moderation type of messages (apps.messaging.moderation)


def _source(message: Message) -> str:
    """What notifications about a message are about (withdrawn if it is hidden)."""
    return f"{MESSAGE}:{message.pk}"


def _screen(actor: Any, conversation: Conversation, body: str) -> str:
    """Moderation's word before anything is stored: a muted member is refused (ValidationError
    "muted"); in the residence room, a keyword or a new member's first posts hold the message
    (the origin is returned). In direct and group conversations only the muted check applies:
    moderators see a private message only when someone in it reports it (DESIGN.md §4)."""
    origin = moderation.screen(actor, conversation.residence_id, body)
    return origin if conversation.kind == Conversation.Kind.ROOM else ""


def clean_body(body: str, *, has_image: bool = False) -> str:
    body = (body or "").strip()
    if not body and not has_image:
        raise ValidationError(_("Write a message first."), code="empty")
    if len(body) > BODY_MAX_LENGTH:
        raise ValidationError(
            _("A message is limited to %(limit)s characters (this one has %(length)s).")
            % {"limit": BODY_MAX_LENGTH, "length": len(body)},
            code="too_long",
        )
    return body


def _check_rate(user: Any) -> None:
    """At most MESSAGES_PER_MINUTE per person and minute, counted in the shared cache so that
    every daphne process applies the same limit."""
    window = int(timezone.now().timestamp() // 60)
    key = f"messaging:rate:{user.pk}:{window}"
    try:
        cache.add(key, 0, 90)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, 90)
            count = 1
    except Exception:
        # The shared cache (Redis) is unreachable: a message matters more than the limit.
        logger.exception("message rate limit unavailable; letting user %s send", user.pk)
        return
    if count > settings.MESSAGES_PER_MINUTE:
        raise RateLimited(
            _("You are sending messages too fast. Wait a minute, then try again."),
            code="rate_limited",
        )


def _direct_key(a: int, b: int) -> str:
    return f"{min(a, b)}-{max(a, b)}"


def _check_members(residence: Residence, user_ids: list[int]) -> None:
    missing = set(user_ids) - residence_access.active_member_ids(residence.pk, user_ids)
    if missing:
        raise ValidationError(
            _("You can only write to members of %(residence)s.") % {"residence": residence.name},
            code="not_member",
        )


@transaction.atomic
def start_direct(actor: Any, residence: Residence, other_id: int) -> tuple[Conversation, bool]:
    """The direct conversation of two members of a residence, and whether it was created."""
    if other_id == actor.pk:
        raise ValidationError(_("Choose someone other than yourself."), code="self")
    _check_members(residence, [actor.pk, other_id])
    key = _direct_key(actor.pk, other_id)
    conversation = Conversation.objects.filter(
        residence=residence, kind=Conversation.Kind.DIRECT, direct_key=key
    ).first()
    if conversation is not None:
        return conversation, False
    try:
        with transaction.atomic():
            conversation = Conversation.objects.create(
                residence=residence, kind=Conversation.Kind.DIRECT, direct_key=key, created_by=actor
            )
    except IntegrityError:  # created meanwhile by the other person
        existing = Conversation.objects.get(
            residence=residence, kind=Conversation.Kind.DIRECT, direct_key=key
        )
        return existing, False
    Participant.objects.bulk_create(
        [Participant(conversation=conversation, user_id=uid) for uid in (actor.pk, other_id)]
    )
    return conversation, True


@transaction.atomic
def start_group(
    actor: Any, residence: Residence, member_ids: list[int], *, title: str = ""
) -> Conversation:
    ids = list(dict.fromkeys([actor.pk, *member_ids]))
    if len(ids) < 3:
        raise ValidationError(_("A group needs at least two other members."), code="too_few")
    if len(ids) > 50:
        raise ValidationError(_("A group is limited to 50 members."), code="too_many")
    _check_members(residence, ids)
    conversation = Conversation.objects.create(
        residence=residence,
        kind=Conversation.Kind.GROUP,
        title=title.strip()[:120],
        created_by=actor,
    )
    Participant.objects.bulk_create(
        [Participant(conversation=conversation, user_id=uid) for uid in ids]
    )
    publish_on_commit(
        events.targets(conversation, ids),
        "conversation.created",
        {"id": conversation.pk, "residence_id": residence.pk},
    )
    return conversation


@transaction.atomic
def add_to_group(conversation: Conversation, user_ids: list[int]) -> list[int]:
    """A feature adds members of the residence to one of its group conversations (e.g. an
    initiative's team); returns who was added."""
    if conversation.kind != Conversation.Kind.GROUP:
        raise ValueError("only group conversations take new participants")
    present = set(
        Participant.objects.filter(conversation=conversation).values_list("user_id", flat=True)
    )
    new = [uid for uid in dict.fromkeys(user_ids) if uid not in present]
    if not new:
        return []
    if len(present) + len(new) > 50:
        raise ValidationError(_("A group is limited to 50 members."), code="too_many")
    _check_members(conversation.residence, new)
    Participant.objects.bulk_create(
        [Participant(conversation=conversation, user_id=uid) for uid in new]
    )
    publish_on_commit(
        events.targets(conversation, new),
        "conversation.created",
        {"id": conversation.pk, "residence_id": conversation.residence_id},
    )
    return new


def room_of(residence: Residence) -> tuple[Conversation, bool]:
    """The residence room (created the first time anyone opens it), and whether it was."""
    try:
        with transaction.atomic():
            return Conversation.objects.get_or_create(
                residence=residence, kind=Conversation.Kind.ROOM, defaults={"title": ""}
            )
    except IntegrityError:  # opened at the same moment by someone else
        return Conversation.objects.get(residence=residence, kind=Conversation.Kind.ROOM), False


def _participant(access: ConversationAccess, user: Any) -> Participant:
    if access.participant is not None:
        return access.participant
    participant, _created = Participant.objects.get_or_create(
        conversation=access.conversation, user_id=user.pk
    )
    return participant


@transaction.atomic
def send_message(
    actor: Any, access: ConversationAccess, body: str, *, image: Any = None
) -> Message:
    """Store a message, mark it read for its author, publish it on commit and notify the
    other participants. ``image`` is an already processed upload (apps.uploads)."""
    body = clean_body(body, has_image=image is not None)
    conversation = access.conversation
    held = _screen(actor, conversation, body)
    _check_rate(actor)
    stored_image = None
    if image is not None:
        from apps.uploads.actions import store_image

        stored_image = store_image(actor, image)
    message = Message.objects.create(
        conversation=conversation,
        author=actor,
        body=body,
        image=stored_image,
        moderation=moderation_registry.HELD if held else moderation_registry.VISIBLE,
    )
    participant = _participant(access, actor)
    Participant.objects.filter(pk=participant.pk).update(last_read_id=message.pk)
    if held:
        # Only its author sees it (marked) until a moderator approves it: then it is
        # published as if it had just been sent (``set_moderation``).
        moderation.record_held(MESSAGE, message.pk, conversation.residence_id, actor.pk, held)
        publish_on_commit(
            [groups.user(actor.pk)],
            "message.created",
            events.message_data(message, for_author=True),
        )
        message.held_origin = held  # type: ignore[attr-defined]
        return message
    _published(actor, conversation, message)
    return message


def _published(actor: Any, conversation: Conversation, message: Message) -> None:
    """What a message visible to the conversation causes: activity, event, notifications."""
    Conversation.objects.filter(pk=conversation.pk).update(last_message_at=message.created_at)
    recipients = (
        []
        if conversation.kind == Conversation.Kind.ROOM
        else [uid for uid in _participant_ids(conversation) if uid != message.author_id]
    )
    audience = [message.author_id] if message.author_id else []
    publish_on_commit(
        events.targets(conversation, [*audience, *recipients]),
        "message.created",
        events.message_data(message),
    )
    if actor is not None:
        _notify(actor, conversation, message, recipients)


def _participant_ids(conversation: Conversation) -> list[int]:
    return list(
        Participant.objects.filter(conversation=conversation).values_list("user_id", flat=True)
    )


def _batch_key(conversation: Conversation) -> str:
    return f"conversation:{conversation.pk}"


def _notify(
    actor: Any, conversation: Conversation, message: Message, recipients: list[int]
) -> None:
    """Participants of direct and group conversations are notified (in-app, and by email when
    away, at most once per conversation per 15 minutes); the room notifies no one."""
    if not recipients:
        return
    notifications.notify(
        recipients,
        kind="messages",
        title=_("New message from %(name)s") % {"name": actor.display_name},
        body=message.body[:140] if message.body else _("A photo"),
        url=reverse("messaging:conversation", args=[conversation.pk]),
        batch_key=_batch_key(conversation),
        direct=conversation.kind == Conversation.Kind.DIRECT,
        source=_source(message),
    )


def _locked(message: Message) -> Message:
    locked = Message.objects.select_for_update().get(pk=message.pk)
    locked.author = message.author
    if locked.is_deleted:
        raise ValidationError(_("This message was deleted."), code="deleted")
    return locked


def _publish_change(message: Message, event_type: str) -> None:
    """A change goes to the conversation; that of a held or hidden message to its author only
    (its live events stop)."""
    if not message.is_visible:
        if message.author_id:
            publish_on_commit(
                [groups.user(message.author_id)],
                event_type,
                events.message_data(message, for_author=True),
            )
        return
    conversation = Conversation.objects.get(pk=message.conversation_id)
    publish_on_commit(
        events.targets(conversation, _participant_ids(conversation)),
        event_type,
        events.message_data(message),
    )


@transaction.atomic
def edit_message(actor: Any, message: Message, body: str) -> Message:
    """The author changes the text. Moderation screens it again: a muted member cannot, and a
    new forbidden word (in the room) holds a visible message until a moderator reads it."""
    message = _locked(message)
    body = clean_body(body, has_image=message.image_id is not None)
    if body == message.body:
        return message
    conversation = Conversation.objects.get(pk=message.conversation_id)
    held = _screen(actor, conversation, body)
    MessageRevision.objects.create(message=message, body=message.body)
    message.body = body
    message.edited_at = timezone.now()
    fields = ["body", "edited_at"]
    if held and message.is_visible:
        message.moderation = moderation_registry.HELD
        fields.append("moderation")
    message.save(update_fields=fields)
    if "moderation" in fields:
        moderation.record_held(MESSAGE, message.pk, conversation.residence_id, actor.pk, held)
        _withdrawn(conversation, message)
        message.held_origin = held  # type: ignore[attr-defined]
        return message
    _publish_change(message, "message.updated")
    return message


def _withdrawn(conversation: Conversation, message: Message) -> None:
    """A message no longer visible: open chats re-render without it (the event carries no
    content), its author's shows it marked; its notifications are withdrawn."""
    publish_on_commit(
        events.targets(conversation, _participant_ids(conversation)),
        "message.updated",
        events.message_data(message),
    )
    notifications.withdraw([_source(message)])


@transaction.atomic
def set_moderation(message_id: int, state: str) -> None:
    """Moderation hides, holds or shows a message (``registry.Moderatable.set_state``).

    Hidden or held: it leaves the others' chats, lists and counts, and its notifications are
    withdrawn. Approved (held → visible): published as when it is sent (event, activity,
    notifications). Restored (hidden → visible): open chats show it again."""
    if state not in moderation_registry.STATES:
        raise ValueError(f"unknown moderation state {state!r}")
    message = (
        Message.objects.select_for_update(of=("self",))
        .select_related("author", "conversation")
        .filter(pk=message_id)
        .first()
    )
    if message is None or message.moderation == state:
        return
    before = message.moderation
    message.moderation = state
    message.save(update_fields=["moderation"])
    conversation = message.conversation
    if state != moderation_registry.VISIBLE:
        _withdrawn(conversation, message)
    elif before == moderation_registry.HELD:
        _published(message.author, conversation, message)
    else:
        _publish_change(message, "message.updated")


@transaction.atomic
def delete_message(actor: Any, message: Message) -> Message:
    """Soft delete: everyone sees "message supprimé"; the text is kept in the history for
    moderation; a photo is deleted for good."""
    message = _locked(message)
    MessageRevision.objects.create(message=message, body=message.body)
    image = message.image
    message.body = ""
    message.image = None
    message.deleted_at = timezone.now()
    message.save(update_fields=["body", "image", "deleted_at"])
    if image is not None:
        from apps.uploads.actions import delete_image

        delete_image(image)
    _publish_change(message, "message.deleted")
    return message


@transaction.atomic
def mark_read(actor: Any, access: ConversationAccess, up_to: int | None = None) -> int:
    """Everything up to ``up_to`` (default: the last message) is read. Read markers are
    published to the others unless the reader turned them off."""
    conversation = access.conversation
    if (
        access.participant is not None
        and up_to is not None
        and access.participant.last_read_id >= up_to
    ):
        return access.participant.last_read_id  # a page view with nothing new: no write
    last = (
        Message.objects.filter(conversation=conversation)
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
    ) or 0
    target = min(up_to, last) if up_to is not None else last
    participant = _participant(access, actor)
    advanced = Participant.objects.filter(pk=participant.pk, last_read_id__lt=target).update(
        last_read_id=target
    )
    if not advanced:
        return target  # nothing new was read: nothing to tell (and no echo loop)
    notifications.mark_read(actor, batch_key=_batch_key(conversation))
    data = {"conversation_id": conversation.pk, "user_id": actor.pk, "last_read_id": target}
    # The reader's other tabs always hear of it (badges); the others only if the reader
    # shares read receipts ("vu"), and never in the room.
    audience = [groups.user(actor.pk)]
    if conversation.kind != Conversation.Kind.ROOM and actor.share_read_receipts:
        audience = events.targets(conversation, _participant_ids(conversation))
        data["display_name"] = actor.display_name
    publish_on_commit(audience, "conversation.read", data)
    return target


def signal_typing(actor: Any, data: dict[str, Any]) -> None:
    """Socket frame ``{"type": "typing", "data": {"conversation_id": n}}``: tell the others
    (ephemeral, nothing stored, so published at once)."""
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    from apps.messaging.access import access_conversation

    conversation_id = data.get("conversation_id")
    if not isinstance(conversation_id, int) or isinstance(conversation_id, bool):
        raise FrameRefused("malformed", "typing needs an integer conversation_id.")
    try:
        access = access_conversation(actor, conversation_id, for_write=True)
    except (Http404, PermissionDenied):
        raise FrameRefused("not_found", "No such conversation.") from None
    conversation = access.conversation
    publish_now(
        events.targets(conversation, _participant_ids(conversation)),
        "typing",
        {
            "conversation_id": conversation.pk,
            "user_id": actor.pk,
            "display_name": actor.display_name,
        },
        skip_user=actor.pk,
    )

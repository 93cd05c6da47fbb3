"""Messages are moderatable (type "message"): the adapter registered with
``apps.moderation.registry`` in ``MessagingConfig.ready``.

A private message is seen by moderators only once it is reported or held (DESIGN.md §4): the
only way they see it is the case in the review queue, with the few messages around it
(``context``): display names and texts only, never anything else about the people.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.messaging.access import access_message
from apps.messaging.models import Message
from apps.moderation import registry

TYPE = "message"
CONTEXT = 3  # messages shown before and after a reported one


def _name(message: Message) -> str:
    return message.author.display_name if message.author else _("Former member")


def _text(message: Message) -> str:
    if message.is_deleted:
        return _("Message deleted")
    if message.image_id and not message.body:
        return _("A photo")
    return message.body


def _target(
    message: Message, context: list[tuple[str, str, bool]] | None = None
) -> registry.Target:
    return registry.Target(
        type=TYPE,
        id=message.pk,
        residence_id=message.conversation.residence_id,
        author_id=message.author_id,
        author_name=_name(message),
        excerpt=_text(message),
        url=reverse("messaging:conversation", args=[message.conversation_id])
        + f"#message-{message.pk}",
        state=message.moderation,
        context=context or [],
    )


def find(user: Any, message_id: int) -> registry.Target:
    """A message the user can read: the participants of its conversation (every member for the
    residence room); a held or hidden message only by its author; a deleted one by nobody."""
    message = access_message(user, message_id)
    if message.is_deleted or (not message.is_visible and message.author_id != user.pk):
        raise Http404
    message = Message.objects.select_related("author", "conversation").get(pk=message.pk)
    return _target(message)


def load(ids: Iterable[int]) -> dict[int, registry.Target]:
    """Messages with the thread around them (up to ``CONTEXT`` before and after, in the same
    conversation): two queries whatever the number of ids."""
    around = Message.objects.filter(conversation=OuterRef("conversation"))
    rows = list(
        Message.objects.filter(pk__in=list(ids))
        .select_related("author", "conversation")
        .annotate(
            context_from=Coalesce(
                Subquery(
                    around.filter(pk__lt=OuterRef("pk"))
                    .order_by("-pk")
                    .values("pk")[CONTEXT - 1 : CONTEXT]
                ),
                0,
            ),
            context_to=Subquery(
                around.filter(pk__gt=OuterRef("pk"))
                .order_by("pk")
                .values("pk")[CONTEXT - 1 : CONTEXT]
            ),
        )
    )
    if not rows:
        return {}
    condition = Q()
    for row in rows:
        annotated: Any = row
        span = Q(conversation_id=row.conversation_id, pk__gte=annotated.context_from)
        if annotated.context_to is not None:
            span &= Q(pk__lte=annotated.context_to)
        condition |= span
    thread = list(Message.objects.filter(condition).select_related("author").order_by("pk"))
    found = {}
    for row in rows:
        annotated = row
        context = [
            (_name(m), _text(m), m.pk == row.pk)
            for m in thread
            if m.conversation_id == row.conversation_id
            and m.pk >= annotated.context_from
            and (annotated.context_to is None or m.pk <= annotated.context_to)
        ]
        found[row.pk] = _target(row, context)
    return found


def set_state(message_id: int, state: str) -> None:
    from apps.messaging import actions

    actions.set_moderation(message_id, state)


def register() -> None:
    registry.register(
        registry.Moderatable(
            type=TYPE,
            label=gettext_lazy("Message"),
            find=find,
            load=load,
            set_state=set_state,
        )
    )

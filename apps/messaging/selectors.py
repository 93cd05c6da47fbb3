"""Reads of conversations and messages, each in a constant number of queries."""

from __future__ import annotations

from typing import Any

from django.db.models import (
    Count,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce

from apps.messaging.models import Conversation, Message, Participant
from apps.moderation import registry as moderation
from apps.residences import access as residence_access

PAGE_SIZE = 50


def seen_by(viewer_id: int | None) -> Q:
    """Messages a person may see: visible ones, and their own even when held or hidden."""
    visible = Q(moderation=moderation.VISIBLE)
    return visible | Q(author_id=viewer_id) if viewer_id else visible


def _unread_subquery(user: Any) -> Subquery:
    my_last_read = Participant.objects.filter(
        conversation=OuterRef(OuterRef("pk")), user_id=user.pk
    ).values("last_read_id")[:1]
    unread = (
        Message.objects.filter(
            conversation=OuterRef("pk"),
            deleted_at__isnull=True,
            moderation=moderation.VISIBLE,
            pk__gt=Coalesce(Subquery(my_last_read), 0),
        )
        .exclude(author_id=user.pk)
        .values("conversation")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Subquery(unread, output_field=IntegerField())


def conversations_for(user: Any) -> QuerySet[Conversation]:
    """My direct and group conversations and the rooms of my residences, newest activity first,
    with ``unread`` and the last message I may see; participants (not of rooms) prefetched."""
    residence_ids = residence_access.member_residence_ids(user)
    last = Message.objects.filter(seen_by(user.pk), conversation=OuterRef("pk")).order_by("-pk")
    return (
        Conversation.objects.filter(
            Q(participants__user_id=user.pk, residence_id__in=residence_ids)
            | Q(kind=Conversation.Kind.ROOM, residence_id__in=residence_ids)
        )
        .distinct()
        .select_related("residence")
        .annotate(
            unread=Coalesce(_unread_subquery(user), 0),
            last_body=Subquery(last.values("body")[:1]),
            last_deleted_at=Subquery(last.values("deleted_at")[:1]),
        )
        .prefetch_related(
            Prefetch(
                "participants",
                queryset=Participant.objects.exclude(conversation__kind=Conversation.Kind.ROOM)
                .select_related("user")
                .order_by("user__first_name", "pk"),
            )
        )
        .order_by(Coalesce("last_message_at", "created_at").desc(), "-pk")
    )


def unread_total(user: Any) -> int:
    """Unread messages across all my conversations (the header badge): one query."""
    result = conversations_for(user).order_by().aggregate(total=Sum("unread"))
    return int(result["total"] or 0)


def messages(
    conversation: Conversation,
    *,
    viewer_id: int | None,
    after: int | None = None,
    before: int | None = None,
    limit: int = PAGE_SIZE,
) -> list[Message]:
    """Messages in chronological order: those after ``after`` (catching up), or the newest
    ``limit`` ones (before ``before`` when paging back). Held and hidden messages only for
    their author (``viewer_id``)."""
    rows = Message.objects.filter(seen_by(viewer_id), conversation=conversation).select_related(
        "author", "conversation"
    )
    if after is not None:
        return list(rows.filter(pk__gt=after).order_by("pk")[:limit])
    if before is not None:
        rows = rows.filter(pk__lt=before)
    return list(reversed(rows.order_by("-pk")[:limit]))


def participant_ids(conversation: Conversation) -> list[int]:
    return list(
        Participant.objects.filter(conversation=conversation).values_list("user_id", flat=True)
    )


def read_markers(conversation: Conversation, *, exclude_user: int) -> dict[int, list[str]]:
    """Message id → names of participants whose last read message it is ("vu"), for those who
    share read receipts. Direct and group conversations only."""
    if conversation.kind == Conversation.Kind.ROOM:
        return {}
    markers: dict[int, list[str]] = {}
    for participant in (
        Participant.objects.filter(
            conversation=conversation, last_read_id__gt=0, user__share_read_receipts=True
        )
        .exclude(user_id=exclude_user)
        .select_related("user")
    ):
        markers.setdefault(participant.last_read_id, []).append(participant.user.display_name)
    return markers


def with_people(conversation: Conversation) -> Conversation:
    """Prefetch the participants of a conversation already loaded (none for the room)."""
    prefetch_related_objects(
        [conversation],
        Prefetch(
            "participants",
            queryset=Participant.objects.exclude(conversation__kind=Conversation.Kind.ROOM)
            .select_related("user")
            .order_by("user__first_name", "pk"),
        ),
    )
    return conversation


def online_members(residence_id: int, *, exclude_user: int = 0) -> list[str]:
    """Names of the active members of the residence with a socket open now, but the viewer
    (one query, one cache round trip)."""
    from apps.realtime import presence
    from apps.residences.models import Membership, Status

    members = {
        m.user_id: m.user.display_name
        for m in Membership.objects.filter(residence_id=residence_id, status=Status.ACTIVE)
        .exclude(user_id=exclude_user)
        .select_related("user")
    }
    online = presence.online_among(members)
    return sorted(members[uid] for uid in online)

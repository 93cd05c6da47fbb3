"""Polls over JSON: read one, vote. Thin: access helper → action → schema. A poll is created
through community's ``POST /residences/{id}/posts`` with ``"kind": "poll"``."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema, Status

from apps.community import access
from apps.polls import actions, selectors
from apps.polls.models import MAX_CHOICES

router = Router(tags=["polls"])


class VoteIn(Schema):
    choice_ids: list[int] = Field(..., max_length=MAX_CHOICES)


class ChoiceOut(Schema):
    id: int
    label: str
    count: int | None = Field(None, description="null until the viewer voted or the poll closed")
    mine: bool


class PollOut(Schema):
    post_id: int
    multiple: bool
    anonymous: bool
    closes_at: datetime.datetime
    closed_at: datetime.datetime | None
    is_open: bool
    voted: bool
    total: int | None = Field(None, description="ballots; null while results are hidden")
    choices: list[ChoiceOut]


def _poll_out(user: Any, post: Any) -> dict[str, Any]:
    view = selectors.poll_views([post], user).get(post.pk)
    if view is None:
        raise Http404
    return {
        "post_id": post.pk,
        "multiple": view.poll.multiple,
        "anonymous": view.poll.anonymous,
        "closes_at": view.poll.closes_at,
        "closed_at": view.poll.closed_at,
        "is_open": view.is_open,
        "voted": view.voted,
        "total": view.total if view.show_results else None,
        "choices": [
            {"id": c.id, "label": c.label, "count": c.count, "mine": c.mine} for c in view.choices
        ],
    }


@router.get("/posts/{post_id}/poll", response=PollOut)
def get_poll(request: HttpRequest, post_id: int) -> dict[str, Any]:
    pa = access.access_post(request.user, post_id)
    return _poll_out(request.user, pa.post)


@router.post("/posts/{post_id}/votes", response={201: PollOut})
def vote(request: HttpRequest, post_id: int, payload: VoteIn) -> Status[Any]:
    pa = access.access_interaction(request.user, post_id)
    actions.vote(request.user, pa.post, payload.choice_ids)
    return Status(201, _poll_out(request.user, pa.post))

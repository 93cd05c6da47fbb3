"""Residence life over JSON. Thin: access helper → action → schema."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from pydantic import BaseModel, ConfigDict

from apps.community import access, actions, kinds, selectors
from apps.community.models import BODY_MAX_LENGTH, COMMENT_MAX_LENGTH, TITLE_MAX_LENGTH, Post
from apps.residences import feed

router = Router(tags=["residence life"])


class FeedQuery(Schema):
    kind: str = Field("", max_length=20)
    before: datetime.datetime | None = None


class FeedItemOut(Schema):
    kind: str
    at: datetime.datetime
    pinned: bool
    key: str
    title: str
    url: str


class PostIn(BaseModel):
    """A notice, news or an initiative; other kinds (events, polls) take their own fields (a
    plain pydantic model: django-ninja's Schema would drop the extra fields)."""

    model_config = ConfigDict(extra="allow")

    kind: str = Field(..., description="notice, news, event or poll")
    title: str = Field(..., max_length=TITLE_MAX_LENGTH)
    body: str = Field("", max_length=BODY_MAX_LENGTH)
    audience: str = "residence"
    category: str = ""
    urgency: str = "info"
    valid_from: datetime.datetime | None = None
    valid_until: datetime.datetime | None = None
    entrance_ids: list[int] = []


class PostPatch(Schema):
    title: str | None = Field(None, max_length=TITLE_MAX_LENGTH)
    body: str | None = Field(None, max_length=BODY_MAX_LENGTH)


class PostOut(Schema):
    id: int
    residence_id: int
    kind: str
    title: str
    body: str
    audience: str
    signed_as: str
    moderation: str
    pinned: bool
    created_at: datetime.datetime


class CommentIn(Schema):
    body: str = Field(..., max_length=COMMENT_MAX_LENGTH)


class CommentOut(Schema):
    id: int
    post_id: int
    body: str
    moderation: str
    created_at: datetime.datetime


class ReactionIn(Schema):
    kind: str = Field(..., description="thanks, join or idea")


class ReactionOut(Schema):
    kind: str
    on: bool


def _post_out(post: Post) -> dict[str, Any]:
    return {
        "id": post.pk,
        "residence_id": post.residence_id,
        "kind": post.kind,
        "title": post.title,
        "body": post.body,
        "audience": post.audience,
        "signed_as": post.signed_as,
        "moderation": post.moderation,
        "pinned": bool(post.pinned_until and post.pinned_until > timezone.now()),
        "created_at": post.created_at,
    }


def _item_out(item: feed.FeedItem) -> dict[str, Any]:
    data = item.data
    if "post" in data:
        title, url = data["post"].title, reverse("community:post", args=[data["post"].pk])
    elif "exchange" in data:
        title, url = data["exchange"].title, reverse("exchanges:detail", args=[data["exchange"].pk])
    elif "thanks" in data:
        t = data["thanks"]
        title, url = t.text, reverse("exchanges:detail", args=[t.exchange_id])
    elif "help_request" in data:
        hr = data["help_request"]
        title, url = str(hr.get_kind_display()), reverse("seniors:detail", args=[hr.pk])
    else:
        title, url = "", ""
    return {
        "kind": item.kind,
        "at": item.at,
        "pinned": item.pinned,
        "key": item.key,
        "title": title,
        "url": url,
    }


@router.get("/residences/{residence_id}/feed", response=list[FeedItemOut])
def residence_feed(
    request: HttpRequest, residence_id: int, query: Query[FeedQuery]
) -> list[dict[str, Any]]:
    here = access.access_feed(request.user, residence_id)
    if query.kind and query.kind not in feed.kinds():
        raise ValidationError(f"Unknown kind; one of: {', '.join(feed.kinds())}.", code="kind")
    items = feed.items(
        here, request.user, kind=query.kind, before=query.before, limit=selectors.FEED_PAGE
    )
    return [_item_out(i) for i in items]


@router.post("/residences/{residence_id}/posts", response={201: PostOut})
def create_post(request: HttpRequest, residence_id: int, payload: PostIn) -> Status[Any]:
    here = access.access_feed(request.user, residence_id)
    registered = kinds.get(payload.kind)
    if registered is not None:
        fields = {k: v for k, v in payload.model_dump().items() if k != "kind"}
        return Status(201, _post_out(registered.publish(request.user, here.residence, fields)))
    known = set(PostIn.model_fields)
    fields = {k: v for k, v in payload.model_dump().items() if k in known}
    post = actions.publish_post(request.user, here.residence, **fields)
    return Status(201, _post_out(post))


@router.get("/posts/{post_id}", response=PostOut)
def get_post(request: HttpRequest, post_id: int) -> dict[str, Any]:
    return _post_out(access.access_post(request.user, post_id).post)


@router.patch("/posts/{post_id}", response=PostOut)
def patch_post(request: HttpRequest, post_id: int, payload: PostPatch) -> dict[str, Any]:
    pa = access.access_post(request.user, post_id, for_write=True)
    return _post_out(
        actions.edit_post(request.user, pa.post, title=payload.title, body=payload.body)
    )


@router.delete("/posts/{post_id}", response={204: None})
def delete_post(request: HttpRequest, post_id: int) -> Status[None]:
    pa = access.access_post(request.user, post_id, for_write=True)
    actions.delete_post(request.user, pa.post)
    return Status(204, None)


@router.post("/posts/{post_id}/comments", response={201: CommentOut})
def comment(request: HttpRequest, post_id: int, payload: CommentIn) -> Status[Any]:
    pa = access.access_interaction(request.user, post_id)
    return Status(201, actions.add_comment(request.user, pa.post, payload.body))


@router.post("/posts/{post_id}/reactions", response=ReactionOut)
def reaction(request: HttpRequest, post_id: int, payload: ReactionIn) -> dict[str, Any]:
    pa = access.access_interaction(request.user, post_id)
    return {"kind": payload.kind, "on": actions.react(request.user, pa.post, payload.kind)}

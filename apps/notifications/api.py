"""Notifications over JSON: only ever the caller's own (``request.auth``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from apps.notifications import actions, selectors
from apps.notifications.models import Notification

router = Router(tags=["notifications"])

MAX_LIMIT = 100


class NotificationOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    url: str
    created_at: datetime
    read: bool


class NotificationListOut(Schema):
    unread: int
    items: list[NotificationOut]


class ListParams(Schema):
    limit: int = Field(30, ge=1, le=MAX_LIMIT, description="How many (at most 100)")
    before: int | None = Field(
        None, description="Only notifications older than this one (its id): the next page"
    )


class ReadIn(Schema):
    ids: list[int] | None = Field(None, description="Which to mark read; omitted: all of mine")


class ReadOut(Schema):
    marked: int
    unread: int


def _out(notification: Notification) -> dict[str, Any]:
    return {
        "id": notification.pk,
        "kind": notification.kind,
        "title": notification.title,
        "body": notification.body,
        "url": notification.url,
        "created_at": notification.created_at,
        "read": notification.read_at is not None,
    }


@router.get("/notifications", response=NotificationListOut)
def list_notifications(request: HttpRequest, params: Query[ListParams]) -> dict[str, Any]:
    user: Any = request.auth  # type: ignore[attr-defined]
    items = selectors.page_before(user, limit=params.limit, before=params.before)
    return {"unread": selectors.unread_count(user), "items": [_out(n) for n in items]}


@router.post("/notifications/read", response=ReadOut)
def read_notifications(request: HttpRequest, payload: ReadIn) -> dict[str, Any]:
    user: Any = request.auth  # type: ignore[attr-defined]
    marked = actions.mark_read(user, payload.ids)
    return {"marked": marked, "unread": selectors.unread_count(user)}

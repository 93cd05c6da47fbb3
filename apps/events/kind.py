"""The "event" kind of post, as community's feed and post page see it (apps/community/kinds.py)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from apps.community import access as community_access
from apps.community import kinds
from apps.community.models import Audience, Kind, Post
from apps.events import actions, selectors
from apps.residences import access as residence_access
from apps.residences.access import MODERATOR_ROLES


def _moment(value: Any, code: str) -> datetime.datetime | None:
    if value is None or value == "":
        return None
    parsed = value if isinstance(value, datetime.datetime) else None
    if isinstance(value, str):
        try:
            parsed = parse_datetime(value)
        except ValueError:
            parsed = None
    if parsed is None:
        raise ValidationError(
            _("Give a date and time such as 2026-06-05T18:00:00+02:00."), code=code
        )
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)


def publish(actor: Any, residence: Any, fields: dict[str, Any]) -> Post:
    """``POST /api/v1/residences/{id}/posts`` with ``{"kind": "event", ...}``. Who may post
    is checked first: a resident gets 403 whatever the fields."""
    community_access.check_may_post(
        residence_access.access_residence(actor, residence.pk), Kind.EVENT
    )
    if fields.get("audience", Audience.RESIDENCE) != Audience.RESIDENCE:
        raise ValidationError(_("An event concerns one residence."), code="audience")
    starts_at = _moment(fields.get("starts_at"), "starts_at")
    if starts_at is None:
        raise ValidationError(_("Say when it starts."), code="starts_at")
    return actions.publish_event(
        actor,
        residence,
        title=str(fields.get("title") or ""),
        body=str(fields.get("body") or ""),
        starts_at=starts_at,
        ends_at=_moment(fields.get("ends_at"), "ends_at"),
        place=str(fields.get("place") or ""),
        capacity=fields.get("capacity"),
    )


def detail(post: Post, viewer: Any) -> dict[str, Any]:
    """The post page: the viewer's status and place on the waiting list, who may say they come
    or cancel, the list of who comes for the organiser and the moderators."""
    role = residence_access.role_in(viewer, post.residence_id)
    organiser = post.author_id == viewer.pk or role in MODERATOR_ROLES
    view = getattr(post, "event_view", None)
    return {
        "event": view,
        "may_rsvp": role in residence_access.MEMBER_ROLES and not post.moderation,
        "may_cancel": organiser and view is not None and not view.cancelled,
        "waiting_position": selectors.waiting_position(post, viewer)
        if view is not None and view.my_status == selectors.WAITING
        else None,
        "attendees": selectors.attendees(post) if organiser else None,
        "ics_url": reverse("events:ics", args=[post.pk]),
    }


def register() -> None:
    kinds.register(
        kinds.PostKind(
            kind="event",
            publish=publish,
            prepare=selectors.prepare,
            card="events/_card.html",
            detail=detail,
            detail_template="events/_detail.html",
            form_url="events:new",
        )
    )

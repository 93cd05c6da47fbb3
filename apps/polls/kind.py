"""The poll kind of post, as community's feed and post page know it (``kinds.PostKind``)."""

from __future__ import annotations

import datetime
from typing import Any

import pydantic
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from apps.community import access as community_access
from apps.community import kinds
from apps.community.models import Audience, Kind, Post
from apps.polls import actions, selectors
from apps.polls.models import MAX_CHOICES
from apps.residences import access as residence_access


class PollFields(pydantic.BaseModel):
    """What ``POST /residences/{id}/posts`` takes for a poll, besides title and body."""

    choices: list[str] = pydantic.Field(..., max_length=MAX_CHOICES * 2)
    multiple: pydantic.StrictBool = False
    closes_at: datetime.datetime | None = None
    anonymous: pydantic.StrictBool = True


def publish(actor: Any, residence: Any, fields: dict[str, Any]) -> Post:
    """``fields``: the JSON body but ``kind``. Who may comes first (403 before 400)."""
    community_access.check_may_post(
        residence_access.access_residence(actor, residence.pk), Kind.POLL
    )
    if fields.get("audience") not in (None, "", Audience.RESIDENCE):
        raise ValidationError(_("A poll concerns one residence."), code="audience")
    try:
        extra = PollFields.model_validate(
            {k: fields[k] for k in PollFields.model_fields if k in fields}
        )
    except pydantic.ValidationError as error:
        reasons = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'body'}: {e['msg']}" for e in error.errors()
        )
        raise ValidationError(
            _("Invalid poll: %(reasons)s") % {"reasons": reasons}, code="invalid"
        ) from None
    return actions.publish_poll(
        actor,
        residence,
        title=fields.get("title") or "",
        body=fields.get("body") or "",
        choices=extra.choices,
        multiple=extra.multiple,
        closes_at=extra.closes_at,
        anonymous=extra.anonymous,
    )


def detail(post: Post, viewer: Any) -> dict[str, Any]:
    """The post page: the voting form or the results, voters' names when not anonymous, and
    whether the viewer may close it."""
    view: selectors.PollView | None = getattr(post, "poll_view", None)
    if view is None:
        return {}
    selectors.add_voters(view)
    return {
        "poll": view,
        "may_close": view.is_open and actions.may_close(viewer, post),
        "may_vote": view.is_open and not view.voted and not post.moderation,
    }


def register() -> None:
    kinds.register(
        kinds.PostKind(
            kind=Kind.POLL,
            publish=publish,
            prepare=selectors.prepare,
            card="polls/_card.html",
            detail=detail,
            detail_template="polls/_detail.html",
            form_url="polls:new",
        )
    )

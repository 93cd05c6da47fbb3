"""Kinds of posts that other apps add to the feed (events, polls): community knows none of
them. An app registers, in its ``AppConfig.ready()``:

    kinds.register(kinds.PostKind(kind="poll", publish=..., prepare=..., card=..., detail=...))

- ``publish(actor, residence, fields) -> Post``: creates the post and its own rows from the
  fields of ``POST /api/v1/residences/{id}/posts`` (everything but ``kind``); raises
  ValidationError / PermissionDenied like the other actions.
- ``prepare(posts, viewer) -> None``: loads what the cards need for many posts at once (a
  constant number of queries), e.g. sets ``post.poll`` with its choices and the viewer's votes.
- ``card``: a template included in the feed card (``post`` in its context), or "".
- ``detail(post, viewer) -> dict``: extra context of the post page, rendered by the template
  ``detail_template`` (included under the post's text).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from apps.community.models import Post


@dataclass(frozen=True)
class PostKind:
    kind: str
    publish: Callable[[Any, Any, dict[str, Any]], Post]
    prepare: Callable[[list[Post], Any], None]
    card: str = ""
    detail: Callable[[Post, Any], dict[str, Any]] | None = None
    detail_template: str = ""
    # The URL name of its "new" form, taking ``residence_id`` (the feed links to it).
    form_url: str = ""


_kinds: dict[str, PostKind] = {}


def register(kind: PostKind) -> None:
    _kinds[kind.kind] = kind


def get(kind: str) -> PostKind | None:
    return _kinds.get(kind)


def prepare(posts: Iterable[Post], viewer: Any) -> None:
    """Lets each registered kind load what its cards need (one batch per kind)."""
    by_kind: dict[str, list[Post]] = {}
    for post in posts:
        by_kind.setdefault(post.kind, []).append(post)
    for kind, rows in by_kind.items():
        registered = _kinds.get(kind)
        if registered is not None:
            registered.prepare(rows, viewer)
            for post in rows:
                post.card_template = registered.card  # type: ignore[attr-defined]

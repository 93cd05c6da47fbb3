"""What can be moderated. Moderation knows no content app: each one registers its moderatable
kinds here in its ``AppConfig.ready()`` (DESIGN.md §3).

A content item has a moderation state: ``VISIBLE`` (""), ``HELD`` (waiting for a moderator's
approval: the keyword filter, a new member's first posts) or ``HIDDEN`` (by a decision, or
automatically after three reports). Held and hidden items are seen only by their author (who
is told why) and, through the review queue, by the moderators of the residence. The content
app stores the state on its rows, filters its lists, feeds, searches and notifications with
it, and publishes its own live events when the state changes (``set_state``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise

VISIBLE = ""
HELD = "held"
HIDDEN = "hidden"
STATES = (VISIBLE, HELD, HIDDEN)
MEMBER_TARGET = "member"  # decisions on an account rather than on a piece of content


@dataclass(frozen=True)
class Target:
    """A moderatable item as moderators see it in the queue."""

    type: str
    id: int
    residence_id: int
    author_id: int | None
    author_name: str
    excerpt: str  # the content itself (moderators see it only through its case)
    url: str  # where its author (and whoever may see it) finds it
    state: str = VISIBLE
    # The thread around it, oldest first: (who, text, is_the_target).
    context: list[tuple[str, str, bool]] = field(default_factory=list)


@dataclass(frozen=True)
class Moderatable:
    type: str  # "message", "exchange", "help_request", "profile", ...
    label: str | Promise  # "Message"
    # The item as ``user`` may see it (to report it): raises Http404 when they may not.
    find: Callable[[Any, int], Target]
    # Items by id, for the queue: a constant number of queries whatever the number of ids.
    load: Callable[[Iterable[int]], dict[int, Target]]
    # Hide ("hidden"), hold ("held") or show ("") the item; the content app publishes its
    # live events and withdraws or restores what depends on it.
    set_state: Callable[[int, str], None]


_registry: dict[str, Moderatable] = {}


def register(kind: Moderatable) -> None:
    _registry[kind.type] = kind


def get(target_type: str) -> Moderatable | None:
    return _registry.get(target_type)


def types() -> list[str]:
    return sorted(_registry)


def load_targets(pairs: Iterable[tuple[str, int]]) -> dict[tuple[str, int], Target]:
    """Targets of many (type, id) pairs: one batch per registered type."""
    by_type: dict[str, list[int]] = {}
    for target_type, target_id in pairs:
        by_type.setdefault(target_type, []).append(target_id)
    found: dict[tuple[str, int], Target] = {}
    for target_type, ids in by_type.items():
        kind = _registry.get(target_type)
        if kind is None:
            continue
        for target_id, target in kind.load(ids).items():
            found[(target_type, target_id)] = target
    return found

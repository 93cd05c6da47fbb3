"""Sources of the residence feed. The feed page (apps/community) merges what every feature
registered here, newest first: its own posts, new exchanges and thanks, new help requests.
The residence app knows none of them (DESIGN.md §3: the lower layer offers a registry).

A source is ``source(here, viewer, before, limit, kind) -> list[FeedItem]``: at most ``limit``
items older than ``before`` (None: the newest), only of ``kind`` when it is given (filtered in
the query, before the limit), in a constant number of queries.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from apps.residences.access import ResidenceAccess


@dataclass(frozen=True)
class FeedItem:
    kind: str  # the filter it answers to: "notice", "news", "exchange", "thanks", "help"...
    at: datetime.datetime
    template: str
    data: dict[str, Any] = field(default_factory=dict)
    pinned: bool = False
    key: str = ""  # unique in the feed, e.g. "post:12"


Source = Callable[[ResidenceAccess, Any, "datetime.datetime | None", int, str], list[FeedItem]]


@dataclass(frozen=True)
class _Registered:
    name: str
    kinds: tuple[str, ...]
    source: Source


_sources: dict[str, _Registered] = {}


def register_source(name: str, kinds: tuple[str, ...], source: Source) -> None:
    """Adds (or replaces, by name) a source giving items of ``kinds``."""
    _sources[name] = _Registered(name, kinds, source)


def kinds() -> list[str]:
    return sorted({k for s in _sources.values() for k in s.kinds})


def items(
    here: ResidenceAccess,
    viewer: Any,
    *,
    kind: str = "",
    before: datetime.datetime | None = None,
    limit: int = 20,
) -> list[FeedItem]:
    """The newest ``limit`` items of every source (or of the sources giving ``kind``), pinned
    ones first on the first page. Each source is asked for ``limit`` items: the merge then
    keeps the newest ``limit``, so the cost is one call per source whatever the page."""
    found: list[FeedItem] = []
    for registered in sorted(_sources.values(), key=lambda s: s.name):
        if kind and kind not in registered.kinds:
            continue
        found += registered.source(here, viewer, before, limit, kind)
    pinned = [i for i in found if i.pinned and before is None]
    rest = sorted(
        (i for i in found if not (i.pinned and before is None)), key=lambda i: i.at, reverse=True
    )
    return sorted(pinned, key=lambda i: i.at, reverse=True) + rest[:limit]

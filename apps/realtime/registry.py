"""Lower layer, upper layer fills: apps above realtime tell it which groups a user's socket joins.

A group provider takes a user and returns the group names that user may listen to. The socket
joins exactly those (plus its own ``user.<id>``), and recomputes them when asked to regroup.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

GroupProvider = Callable[[Any], Iterable[str]]

_providers: list[GroupProvider] = []


def register_group_provider(provider: GroupProvider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def groups_for(user: Any) -> set[str]:
    from apps.realtime import groups

    names = {groups.user(user.pk)}
    for provider in _providers:
        names.update(provider(user))
    return names

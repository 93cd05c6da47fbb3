"""Lower layer, upper layer fills: apps above realtime tell it which groups a user's socket joins.

A group provider takes a user and returns the group names that user may listen to. The socket
joins exactly those (plus its own ``user.<id>``), and recomputes them when asked to regroup.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

GroupProvider = Callable[[Any], Iterable[str]]
# A frame handler gets (user, data) for a client frame of its type. It runs in a thread (it may
# query the database) and raises FrameRefused to answer the client with an error frame.
FrameHandler = Callable[[Any, dict[str, Any]], None]

_providers: list[GroupProvider] = []
_frame_handlers: dict[str, FrameHandler] = {}


class FrameRefused(Exception):
    def __init__(self, code: str, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


def register_frame_handler(frame_type: str, handler: FrameHandler) -> None:
    _frame_handlers[frame_type] = handler


def frame_handler(frame_type: str) -> FrameHandler | None:
    return _frame_handlers.get(frame_type)


def register_group_provider(provider: GroupProvider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def groups_for(user: Any) -> set[str]:
    from apps.realtime import groups

    names = {groups.user(user.pk)}
    for provider in _providers:
        names.update(provider(user))
    return names

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from apps.notifications import selectors


def unread(request: HttpRequest) -> dict[str, Any]:
    """The unread badge of the menu: one query, only when the menu is rendered for someone
    signed in."""

    def count() -> int:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return 0
        return selectors.unread_count(user)

    return {"nav_unread_notifications": SimpleLazyObject(count)}

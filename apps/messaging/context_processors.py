from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from apps.messaging import selectors


def unread(request: HttpRequest) -> dict[str, Any]:
    """Unread messages for the menu badge: one query, only when the menu is rendered."""

    def count() -> int:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return 0
        return selectors.unread_total(user)

    return {"nav_unread_messages": SimpleLazyObject(count)}

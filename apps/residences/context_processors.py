from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from apps.residences import access


def nav(request: HttpRequest) -> dict[str, Any]:
    """Whether to show the landlord area link (one query, only when the menu is rendered)."""
    return {
        "nav_is_landlord_staff": SimpleLazyObject(
            lambda: bool(access.staff_landlord_ids(request.user))
        )
    }

"""Small helpers shared by the notification tests."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from apps.notifications import actions
from apps.notifications.models import Notification


def notify(recipients: Iterable[Any], **overrides: Any) -> None:
    """``actions.notify`` with test defaults; ``recipients`` are personas, users or ids."""
    ids = [r if isinstance(r, int) else getattr(r, "user_id", None) or r.pk for r in recipients]
    values: dict[str, Any] = {
        "kind": "messages",
        "title": "Nouveau message de Bob D.",
        "body": "Bonjour, je peux passer demain ?",
        "url": "/c/1/",
        "batch_key": "conversation:1",
    }
    values.update(overrides)
    actions.notify(ids, **values)


def bulk_notifications(user: Any, count: int, *, kind: str = "messages") -> list[Notification]:
    return Notification.objects.bulk_create(
        [
            Notification(user=user, kind=kind, title=f"Titre {i}", body="…", url=f"/x/{i}/")
            for i in range(count)
        ]
    )


def unsubscribe_path(message: Any) -> str:
    """The path of the List-Unsubscribe link of an email."""
    header = str(message.extra_headers["List-Unsubscribe"])
    return urlsplit(header.strip("<>")).path


def checked_choices(page: str) -> dict[str, str]:
    """The checked radio button of each group of a rendered form: {name: value}."""
    return dict(re.findall(r'<input type="radio" name="(\w+)" value="(\w+)"[^>]*\bchecked\b', page))

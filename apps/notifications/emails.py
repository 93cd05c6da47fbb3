"""Rendering of notification emails, always in the site's language (French), with absolute
links and an unsubscribe link that works without signing in.

Rendering happens where the email is decided (in the request, or in the digest task); the task
that sends receives only JSON-serialisable values (see ``tasks.send_notification_email``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypedDict

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from apps.notifications.access import DIGEST_SCOPE, unsubscribe_token
from apps.notifications.models import Kind, Notification


class RenderedEmail(TypedDict):
    subject: str
    body: str
    html: str
    to: list[str]
    headers: dict[str, str]


def absolute(path: str) -> str:
    """An absolute URL on this site for a path ("/notifications/" → "https://…/notifications/")."""
    base = str(getattr(settings, "SITE_URL", "") or "http://127.0.0.1:8000").rstrip("/")
    return base + path


def unsubscribe_url(user_id: int, scope: str) -> str:
    return absolute(reverse("notifications:unsubscribe", args=[unsubscribe_token(user_id, scope)]))


def _render(
    template: str, context: dict[str, Any], *, to: str, user_id: int, scope: str
) -> RenderedEmail:
    link = unsubscribe_url(user_id, scope)
    context = {
        **context,
        "unsubscribe_url": link,
        "preferences_url": absolute(reverse("notifications:preferences")),
        "site_url": absolute("/"),
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"notifications/email/{template}_subject.txt", context)
        body = render_to_string(f"notifications/email/{template}.txt", context)
        html = render_to_string(f"notifications/email/{template}.html", context)
    return {
        "subject": " ".join(subject.split()),
        "body": body,
        "html": html,
        "to": [to],
        # RFC 2369 and RFC 8058 (one-click): mail clients offer an "unsubscribe" button that
        # POSTs to the link; the link's token is the credential.
        "headers": {
            "List-Unsubscribe": f"<{link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    }


def render_instant(
    *,
    user_id: int,
    email: str,
    first_name: str,
    kind: str,
    title: str,
    body: str,
    url: str,
    batched: bool,
) -> RenderedEmail:
    with translation.override(settings.LANGUAGE_CODE):
        kind_label = str(Kind(kind).label)
    return _render(
        "instant",
        {
            "first_name": first_name,
            "kind_label": kind_label,
            "title": title,
            "excerpt": body,
            "url": absolute(url),
            "batched": batched,
        },
        to=email,
        user_id=user_id,
        scope=kind,
    )


def render_digest(
    *, user_id: int, email: str, first_name: str, items: Sequence[Notification]
) -> RenderedEmail:
    with translation.override(settings.LANGUAGE_CODE):
        sections: dict[str, dict[str, Any]] = {}
        for item in items:
            section = sections.setdefault(
                item.kind, {"label": str(Kind(item.kind).label), "items": []}
            )
            section["items"].append(
                {"title": item.title, "excerpt": item.body, "url": absolute(item.url)}
            )
    ordered = [sections[kind] for kind in Kind.values if kind in sections]
    return _render(
        "digest",
        {
            "first_name": first_name,
            "sections": ordered,
            "count": len(items),
            "notifications_url": absolute(reverse("notifications:list")),
        },
        to=email,
        user_id=user_id,
        scope=DIGEST_SCOPE,
    )

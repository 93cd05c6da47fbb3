"""Writes of notifications. ``notify`` is the one entry point every feature uses: in-app rows,
a live event for each recipient, and emails as each person chose.

Each action runs in one transaction and publishes its live events on commit; emails are queued
on commit too (never for a write that is rolled back).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from datetime import timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Subquery, Value
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.text import Truncator

from apps.accounts.models import User
from apps.notifications import emails, selectors
from apps.notifications.access import DIGEST_SCOPE
from apps.notifications.models import (
    DEFAULT_FREQUENCY,
    Frequency,
    Kind,
    Notification,
    Preference,
)
from apps.notifications.tasks import send_notification_email
from apps.realtime import groups, presence
from apps.realtime.events import publish_on_commit

logger = logging.getLogger(__name__)

# At most one email per (person, batch key) in this window; the rest stay in-app.
BATCH_WINDOW = timedelta(minutes=15)


def _text(value: str | Promise, limit: int) -> str:
    """Lazy translations are evaluated in the site's language (what emails speak)."""
    with translation.override(settings.LANGUAGE_CODE):
        text = " ".join(str(value).split())
    return Truncator(text).chars(limit)


def _check_url(url: str) -> str:
    if not url.startswith("/") or url.startswith("//"):
        raise ValueError(f"a notification links to a path on this site, not {url!r}")
    return url


def _online_among(user_ids: list[int]) -> set[int]:
    """Who has a socket open. If the cache cannot say, everyone is taken as offline: an email
    too many is better than a feature's write failing or a message going unnoticed."""
    try:
        return presence.online_among(user_ids)
    except Exception:
        logger.exception("presence unavailable; emailing as if everyone were offline")
        return set()


def _emails_now(frequency: str, *, direct: bool) -> bool:
    """Whether a notification is emailed at once (if the person is not online): kinds set to
    "instant"; a ``direct`` notification (addressed to the person: a one-to-one message, an
    answer to their own request) also when the kind is on the daily digest. "off": never."""
    if frequency == Frequency.INSTANT:
        return True
    return direct and frequency == Frequency.DIGEST


@transaction.atomic
def notify(
    recipient_ids: Iterable[int],
    *,
    kind: str,
    title: str | Promise,
    body: str | Promise,
    url: str,
    batch_key: str = "",
    direct: bool = False,
) -> None:
    """Notify people of something that happened.

    - One ``Notification`` row per active recipient (unknown or deactivated ids are skipped),
      visible in-app whatever the email preference.
    - On commit, ``notification.created`` to each ``user.<id>`` group with the new unread count.
    - An email at once to recipients who get this kind "instant" (or "digest" when ``direct``)
      and have no live socket open; at most one per (recipient, ``batch_key``) per 15 minutes
      (an empty ``batch_key``: no batching). "digest" kinds wait for the daily digest; "off"
      is never emailed.

    ``title`` and ``body`` are plain text (lazy translations are evaluated in French, the
    language of emails); ``body`` is cut to a short excerpt; ``url`` is a path on this site.
    The number of queries does not depend on the number of recipients.
    """
    kind = Kind(kind).value
    url = _check_url(url)
    title_text = _text(title, Notification.TITLE_MAX)
    body_text = _text(body, Notification.BODY_MAX)
    batch_key = batch_key[: Notification.BATCH_KEY_MAX]
    ids = sorted(set(recipient_ids))
    if not ids:
        return
    now = timezone.now()

    chosen = Preference.objects.filter(user_id=OuterRef("pk"), kind=kind)
    recently_emailed: Any = (
        Exists(
            Notification.objects.filter(
                user_id=OuterRef("pk"), batch_key=batch_key, emailed_at__gte=now - BATCH_WINDOW
            )
        )
        if batch_key
        else Value(False)
    )
    recipients = list(
        User.objects.filter(pk__in=ids, is_active=True)
        .annotate(
            chosen_frequency=Subquery(chosen.values("frequency")[:1]),
            recently_emailed=recently_emailed,
        )
        .values("pk", "email", "first_name", "chosen_frequency", "recently_emailed")
    )
    if not recipients:
        return

    wanting = [
        row
        for row in recipients
        if not row["recently_emailed"]
        and _emails_now(row["chosen_frequency"] or DEFAULT_FREQUENCY[kind], direct=direct)
    ]
    online = _online_among([row["pk"] for row in wanting]) if wanting else set()
    to_email = [row for row in wanting if row["pk"] not in online]
    emailed_ids = {row["pk"] for row in to_email}

    created = Notification.objects.bulk_create(
        [
            Notification(
                user_id=row["pk"],
                kind=kind,
                title=title_text,
                body=body_text,
                url=url,
                batch_key=batch_key,
                emailed_at=now if row["pk"] in emailed_ids else None,
            )
            for row in recipients
        ]
    )
    counts = selectors.unread_counts(row["pk"] for row in recipients)
    for notification in created:
        publish_on_commit(
            groups.user(notification.user_id),
            "notification.created",
            {
                "id": notification.pk,
                "kind": kind,
                "title": title_text,
                "url": url,
                "unread": counts.get(notification.user_id, 0),
            },
        )
    for row in to_email:
        rendered = emails.render_instant(
            user_id=row["pk"],
            email=row["email"],
            first_name=row["first_name"],
            kind=kind,
            title=title_text,
            body=body_text,
            url=url,
            batched=bool(batch_key),
        )
        transaction.on_commit(partial(send_notification_email.enqueue, **rendered))


@transaction.atomic
def mark_read(user: Any, ids: Iterable[int] | None = None, *, batch_key: str = "") -> int:
    """Mark the person's notifications read: those of ``ids`` (None: all), optionally only those
    of one ``batch_key`` (e.g. a feature marks a conversation's notifications read when it is
    opened). Someone else's ids are ignored. Publishes ``notification.read`` with the new unread
    count when something changed; returns how many were marked."""
    rows = Notification.objects.filter(user_id=user.pk, read_at__isnull=True)
    id_list: list[int] | None = None
    if ids is not None:
        id_list = sorted({int(i) for i in ids})
        rows = rows.filter(pk__in=id_list)
    if batch_key:
        rows = rows.filter(batch_key=batch_key)
    marked = rows.update(read_at=timezone.now())
    if marked:
        publish_on_commit(
            groups.user(user.pk),
            "notification.read",
            {"ids": id_list, "unread": selectors.unread_count(user)},
        )
    return marked


@transaction.atomic
def set_preferences(user: Any, frequencies: Mapping[str, str]) -> None:
    """Store the person's email frequency for each given kind (one query)."""
    rows = [
        Preference(user_id=user.pk, kind=Kind(kind).value, frequency=Frequency(freq).value)
        for kind, freq in frequencies.items()
    ]
    if rows:
        Preference.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["user", "kind"],
            update_fields=["frequency"],
        )


def set_preference(user: Any, kind: str, frequency: str) -> None:
    set_preferences(user, {kind: frequency})


@transaction.atomic
def unsubscribe_emails(user: Any, scope: str) -> list[str]:
    """Turn emails off for one kind, or (``access.DIGEST_SCOPE``) for every kind the person gets
    as a daily digest. Returns the kinds turned off (empty when they already were)."""
    current = selectors.frequencies(user)
    wanted = Frequency.DIGEST if scope == DIGEST_SCOPE else None
    kinds = [
        kind
        for kind, frequency in current.items()
        if frequency != Frequency.OFF and (kind == scope or frequency == wanted)
    ]
    set_preferences(user, dict.fromkeys(kinds, Frequency.OFF.value))
    return kinds

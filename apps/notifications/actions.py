"""Writes of notifications. ``notify`` is the one entry point every feature uses: in-app rows,
a live event for each recipient, and emails as each person chose.

Each action runs in one transaction and publishes its live events on commit; emails are queued
on commit too (never for a write that is rolled back).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Note:
    """One notification for one person, for ``notify_each``."""

    recipient_id: int
    title: str | Promise
    body: str | Promise
    url: str
    source: str = ""


def notify(
    recipient_ids: Iterable[int],
    *,
    kind: str,
    title: str | Promise,
    body: str | Promise,
    url: str,
    batch_key: str = "",
    direct: bool = False,
    source: str = "",
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
    ``source`` names what it is about ("message:12"): ``withdraw`` removes it if that is
    hidden by moderation. The number of queries does not depend on the number of recipients.
    """
    notes = [Note(uid, title, body, url, source) for uid in sorted(set(recipient_ids))]
    notify_each(notes, kind=kind, batch_key=batch_key, direct=direct)


@transaction.atomic
def notify_each(
    notes: Iterable[Note], *, kind: str, batch_key: str = "", direct: bool = False
) -> None:
    """``notify`` for many notifications that each say something different (a daily job
    reminding every author of their own exchange): the same rules, and the same number of
    queries whatever the number of notes."""
    kind = Kind(kind).value
    batch_key = batch_key[: Notification.BATCH_KEY_MAX]
    notes = [
        Note(
            n.recipient_id,
            _text(n.title, Notification.TITLE_MAX),
            _text(n.body, Notification.BODY_MAX),
            _check_url(n.url),
            n.source[:40],
        )
        for n in notes
    ]
    ids = sorted({n.recipient_id for n in notes})
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
    recipients = {
        row["pk"]: row
        for row in User.objects.filter(pk__in=ids, is_active=True)
        .annotate(
            chosen_frequency=Subquery(chosen.values("frequency")[:1]),
            recently_emailed=recently_emailed,
        )
        .values("pk", "email", "first_name", "chosen_frequency", "recently_emailed")
    }
    if not recipients:
        return
    notes = [n for n in notes if n.recipient_id in recipients]

    wanting = [
        row
        for row in recipients.values()
        if not row["recently_emailed"]
        and _emails_now(row["chosen_frequency"] or DEFAULT_FREQUENCY[kind], direct=direct)
    ]
    online = _online_among([row["pk"] for row in wanting]) if wanting else set()
    emailed_ids = {row["pk"] for row in wanting if row["pk"] not in online}

    created = Notification.objects.bulk_create(
        [
            Notification(
                user_id=n.recipient_id,
                kind=kind,
                title=str(n.title),
                body=str(n.body),
                url=n.url,
                batch_key=batch_key,
                source=n.source,
                emailed_at=now if n.recipient_id in emailed_ids else None,
            )
            for n in notes
        ]
    )
    counts = selectors.unread_counts(recipients)
    for notification in created:
        publish_on_commit(
            groups.user(notification.user_id),
            "notification.created",
            {
                "id": notification.pk,
                "kind": kind,
                "title": notification.title,
                "url": notification.url,
                "unread": counts.get(notification.user_id, 0),
            },
        )
    for notification in created:
        if notification.emailed_at is None:
            continue
        row = recipients[notification.user_id]
        rendered = emails.render_instant(
            user_id=row["pk"],
            email=row["email"],
            first_name=row["first_name"],
            kind=kind,
            title=notification.title,
            body=notification.body,
            url=notification.url,
            batched=bool(batch_key),
        )
        transaction.on_commit(
            partial(send_notification_email.enqueue, **rendered, notification_id=notification.pk)
        )


@transaction.atomic
def withdraw(sources: Iterable[str]) -> int:
    """Remove the notifications about ``sources`` (content hidden by moderation): gone from
    the in-app list, the badges and the next digest. Each person concerned gets
    ``notification.read`` with their new unread count. Returns how many were removed."""
    keys = sorted({s for s in sources if s})
    if not keys:
        return 0
    rows = Notification.objects.filter(source__in=keys)
    user_ids = sorted(set(rows.values_list("user_id", flat=True)))
    removed, _by_model = rows.delete()
    if removed:
        counts = selectors.unread_counts(user_ids)
        for user_id in user_ids:
            publish_on_commit(
                groups.user(user_id),
                "notification.read",
                {"ids": None, "unread": counts.get(user_id, 0)},
            )
    return removed


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

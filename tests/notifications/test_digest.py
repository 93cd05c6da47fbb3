"""The daily digest: digest kinds only, unread and never emailed, one email per person."""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from apps.notifications import actions, selectors
from apps.notifications.models import Notification
from apps.notifications.tasks import send_due_digests
from tests.conftest import World, client_for
from tests.notifications.helpers import checked_choices, notify, unsubscribe_path

pytestmark = pytest.mark.django_db

Capture = Callable[..., Any]


def _run() -> str:
    out = StringIO()
    call_command("send_digests", stdout=out)
    return out.getvalue()


def test_digest_kinds_wait_for_the_daily_digest(
    world: World, django_capture_on_commit_callbacks: Capture, mailoutbox: list[Any]
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        notify([world.alice, world.bob], kind="news", title="Coupure d'eau jeudi", batch_key="")
        notify([world.alice], kind="exchanges", title="Nouvelle offre : couture", batch_key="")
    assert mailoutbox == []
    assert "2 digest(s) queued" in _run()
    by_person = {tuple(m.to): m for m in mailoutbox}
    assert set(by_person) == {("alice@test.fr",), ("bob@test.fr",)}
    alice = by_person[("alice@test.fr",)]
    for part in (alice.body, alice.alternatives[0][0]):
        assert "Coupure d'eau jeudi" in html.unescape(part)
        assert "Nouvelle offre : couture" in part
        assert "Actualités et avis" in part and "Échanges de services" in part  # French labels
    assert alice.alternatives[0][1] == "text/html"
    assert "/notifications/unsubscribe/" in alice.extra_headers["List-Unsubscribe"]
    assert not Notification.objects.filter(emailed_at=None).exists()
    # Nothing new: no second digest.
    assert "0 digest(s) queued" in _run()
    assert len(mailoutbox) == 2


def test_the_digest_leaves_out_read_off_instant_and_old_notifications(
    world: World, mailoutbox: list[Any]
) -> None:
    actions.set_preference(world.alice.user, "help", "off")
    notify([world.alice], kind="news", title="Lu déjà", batch_key="")
    actions.mark_read(world.alice.user)
    notify([world.alice], kind="help", title="Désactivé", batch_key="")
    # An instant kind that was not emailed (the person was online) is not in the digest either.
    seen_live = "Message vu en direct"
    notify([world.alice], kind="messages", title=seen_live)
    Notification.objects.filter(title=seen_live).update(emailed_at=None)
    notify([world.alice], kind="news", title="Trop ancien", batch_key="")
    Notification.objects.filter(title="Trop ancien").update(
        created_at=timezone.now() - timedelta(days=10)
    )
    notify([world.alice], kind="news", title="Le seul", batch_key="")
    assert send_due_digests() == 1
    (digest,) = mailoutbox
    assert "Le seul" in digest.body
    for absent in ("Lu déjà", "Désactivé", seen_live, "Trop ancien"):
        assert absent not in digest.body


def test_the_digest_unsubscribe_link_turns_every_digest_kind_off(
    world: World, mailoutbox: list[Any]
) -> None:
    notify([world.alice], kind="news", batch_key="")
    send_due_digests()
    path = unsubscribe_path(mailoutbox[0])
    anonymous = Client()
    assert anonymous.get(path).status_code == 200
    assert selectors.frequencies(world.alice.user)["news"] == "digest"  # GET changes nothing
    assert anonymous.post(path).status_code == 200
    assert selectors.frequencies(world.alice.user) == {
        "messages": "instant",
        "exchanges": "off",
        "help": "off",
        "news": "off",
        "moderation": "instant",
    }
    page = client_for(world.alice).get("/me/notifications/").text
    assert checked_choices(page)["news"] == "off"

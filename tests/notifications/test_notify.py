"""notify(): rows, live events on commit, instant emails as each person chose."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from apps.accounts.models import User
from apps.notifications import actions
from apps.notifications.models import Notification
from apps.realtime import events, presence
from tests.conftest import World, add_members
from tests.notifications.helpers import notify

pytestmark = pytest.mark.django_db

Capture = Callable[..., Any]


@pytest.fixture
def published(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str, dict[str, Any]]]:
    """Live events actually sent to the channel layer (after commit)."""
    sent: list[tuple[str, str, dict[str, Any]]] = []

    def record(group: str, event_type: str, data: dict[str, Any], **_: Any) -> None:
        sent.append((group, event_type, data))

    monkeypatch.setattr(events, "publish_now", record)
    return sent


def test_it_creates_rows_and_publishes_on_commit(
    world: World, django_capture_on_commit_callbacks: Capture, published: list[Any]
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        notify([world.alice, world.bob], kind="exchanges", title="Une réponse", url="/e/3/")
        assert published == []  # nothing before commit
    rows = {n.user_id: n for n in Notification.objects.all()}
    assert set(rows) == {world.alice.user_id, world.bob.user_id}
    alice = rows[world.alice.user_id]
    assert (alice.kind, alice.title, alice.url, alice.read_at) == (
        "exchanges",
        "Une réponse",
        "/e/3/",
        None,
    )
    assert sorted(published) == sorted(
        [
            (
                f"user.{n.user_id}",
                "notification.created",
                {
                    "id": n.pk,
                    "kind": "exchanges",
                    "title": "Une réponse",
                    "url": "/e/3/",
                    "unread": 1,
                },
            )
            for n in rows.values()
        ]
    )


def test_the_unread_count_in_the_event_counts_earlier_ones(
    world: World, django_capture_on_commit_callbacks: Capture, published: list[Any]
) -> None:
    notify([world.alice])
    with django_capture_on_commit_callbacks(execute=True):
        notify([world.alice], batch_key="")
    assert published[-1][2]["unread"] == 2


def test_nothing_is_published_or_emailed_when_the_transaction_rolls_back(
    world: World, django_capture_on_commit_callbacks: Capture, mailoutbox: list[Any]
) -> None:
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        notify([world.alice])
        raise RuntimeError("the feature's write failed")
    assert callbacks == []
    assert mailoutbox == []
    assert not Notification.objects.exists()


def test_it_skips_unknown_and_deactivated_people(world: World) -> None:
    User.objects.filter(pk=world.bob.user_id).update(is_active=False)
    notify([world.alice, world.bob, 999_999])
    assert list(Notification.objects.values_list("user_id", flat=True)) == [world.alice.user_id]


def test_it_refuses_a_link_off_the_site(world: World) -> None:
    with pytest.raises(ValueError, match="path on this site"):
        notify([world.alice], url="https://evil.example/")
    with pytest.raises(ValueError, match="path on this site"):
        notify([world.alice], url="//evil.example/")


def test_it_refuses_an_unknown_kind(world: World) -> None:
    with pytest.raises(ValueError):
        notify([world.alice], kind="gossip")
    assert not Notification.objects.exists()


def test_it_emails_as_if_offline_when_presence_is_unavailable(
    world: World,
    django_capture_on_commit_callbacks: Capture,
    mailoutbox: list[Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(user_ids: Any) -> set[int]:
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(presence, "online_among", broken)
    with django_capture_on_commit_callbacks(execute=True):
        notify([world.alice])
    assert len(mailoutbox) == 1
    assert Notification.objects.count() == 1


def test_it_cuts_the_body_to_an_excerpt_and_speaks_french(world: World) -> None:
    with translation.override("en"):
        notify([world.alice], title=gettext_lazy("Service exchanges"), body="mot " * 200)
    row = Notification.objects.get()
    assert row.title == "Échanges de services"
    assert len(row.body) <= Notification.BODY_MAX
    assert row.body.endswith("…")


def test_an_instant_kind_is_emailed_to_offline_people_only(
    world: World, django_capture_on_commit_callbacks: Capture, mailoutbox: list[Any]
) -> None:
    presence.socket_opened(world.bob.user_id)
    with django_capture_on_commit_callbacks(execute=True):
        notify([world.alice, world.bob])
    assert [m.to for m in mailoutbox] == [["alice@test.fr"]]
    emailed = Notification.objects.filter(emailed_at__isnull=False)
    assert list(emailed.values_list("user_id", flat=True)) == [world.alice.user_id]
    # Bob still has it in-app.
    assert Notification.objects.filter(user_id=world.bob.user_id, read_at=None).exists()


def test_one_email_per_batch_key_per_15_minutes(
    world: World, django_capture_on_commit_callbacks: Capture, mailoutbox: list[Any]
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        notify([world.alice], body="premier")
        notify([world.alice], body="deuxième")
        notify([world.alice], body="autre conversation", batch_key="conversation:2")
    assert len(mailoutbox) == 2
    assert "premier" in mailoutbox[0].body
    assert "autre conversation" in mailoutbox[1].body
    # 16 minutes later, the conversation may be emailed again.
    Notification.objects.filter(emailed_at__isnull=False).update(
        emailed_at=timezone.now() - timedelta(minutes=16)
    )
    with django_capture_on_commit_callbacks(execute=True):
        notify([world.alice], body="troisième")
    assert len(mailoutbox) == 3
    assert "troisième" in mailoutbox[2].body


def test_an_empty_batch_key_is_not_batched(
    world: World, django_capture_on_commit_callbacks: Capture, mailoutbox: list[Any]
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        notify([world.alice], batch_key="", kind="moderation")
        notify([world.alice], batch_key="", kind="moderation")
    assert len(mailoutbox) == 2


def test_digest_kinds_are_not_emailed_at_once_unless_direct(
    world: World, django_capture_on_commit_callbacks: Capture, mailoutbox: list[Any]
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        notify([world.alice], kind="news", batch_key="")
    assert mailoutbox == []
    assert Notification.objects.get().emailed_at is None
    with django_capture_on_commit_callbacks(execute=True):
        notify([world.alice], kind="help", batch_key="help:1", direct=True)
    assert len(mailoutbox) == 1


def test_off_is_never_emailed_but_stays_in_app(
    world: World, django_capture_on_commit_callbacks: Capture, mailoutbox: list[Any]
) -> None:
    actions.set_preference(world.alice.user, "messages", "off")
    actions.set_preference(world.alice.user, "help", "off")
    with django_capture_on_commit_callbacks(execute=True):
        notify([world.alice])
        notify([world.alice], kind="help", direct=True)
    assert mailoutbox == []
    assert Notification.objects.filter(user_id=world.alice.user_id).count() == 2


def test_a_digest_kind_set_to_instant_is_emailed(
    world: World, django_capture_on_commit_callbacks: Capture, mailoutbox: list[Any]
) -> None:
    actions.set_preference(world.alice.user, "news", "instant")
    with django_capture_on_commit_callbacks(execute=True):
        notify([world.alice, world.bob], kind="news", batch_key="")
    assert [m.to for m in mailoutbox] == [["alice@test.fr"]]


def test_the_email_is_french_with_text_html_and_unsubscribe_header(
    world: World, django_capture_on_commit_callbacks: Capture, mailoutbox: list[Any]
) -> None:
    actions.set_preference(world.alice.user, "exchanges", "instant")
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        notify(
            [world.alice],
            kind="exchanges",
            title="Bob D. répond à votre offre",
            body="Je peux vous aider <samedi> & dimanche",
            url="/e/7/",
        )
    (message,) = mailoutbox
    assert message.subject == "[Voisinage] Bob D. répond à votre offre"
    assert "Bob D. répond à votre offre" in message.body
    assert "Je peux vous aider <samedi> & dimanche" in message.body  # plain text: not escaped
    assert f"{settings.SITE_URL}/e/7/" in message.body
    html, mime = message.alternatives[0]
    assert mime == "text/html"
    assert '<html lang="fr">' in html
    assert "&lt;samedi&gt; &amp; dimanche" in html
    for part in (message.body, html):
        assert "Échanges de services" in part  # the kind's label, in French
        assert "Service exchanges" not in part
        assert "/notifications/unsubscribe/" in part
    assert message.extra_headers["List-Unsubscribe"].startswith("<http")
    assert "/notifications/unsubscribe/" in message.extra_headers["List-Unsubscribe"]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_notify_costs_the_same_for_2_and_50_recipients(
    world: World, django_capture_on_commit_callbacks: Capture, mailoutbox: list[Any]
) -> None:
    def cost(tag: str, size: int) -> int:
        add_members(world, size, tag=tag)
        ids = list(User.objects.filter(email__startswith=tag).values_list("pk", flat=True))
        presence.socket_opened(ids[0])  # one of them is online: not emailed
        with (
            django_capture_on_commit_callbacks(execute=True),
            CaptureQueriesContext(connection) as queries,
        ):
            notify(ids, batch_key=f"batch-{tag}")
        assert Notification.objects.filter(user_id__in=ids).count() == size
        return len(queries)

    small = cost("s", 2)
    assert len(mailoutbox) == 1
    large = cost("l", 50)
    assert len(mailoutbox) == 1 + 49
    # savepoint, recipients with preferences and batching, insert, unread counts, release
    assert small == large == 5


def test_notify_each_sends_each_person_their_own_text_at_a_constant_cost(
    world: World, django_capture_on_commit_callbacks: Capture, mailoutbox: list[Any]
) -> None:
    def cost(tag: str, size: int) -> int:
        add_members(world, size, tag=tag)
        ids = list(User.objects.filter(email__startswith=tag).values_list("pk", flat=True))
        notes = [actions.Note(uid, f"Pour {uid}", f"Corps {uid}", f"/x/{uid}/") for uid in ids]
        notes.append(actions.Note(world.eve.user_id, gettext_lazy("Settings"), "", "/y/"))
        with (
            django_capture_on_commit_callbacks(execute=True),
            CaptureQueriesContext(connection) as queries,
        ):
            actions.notify_each(notes, kind="help", direct=True)
        for uid in ids:
            row = Notification.objects.get(user_id=uid)
            assert (row.title, row.body, row.url) == (f"Pour {uid}", f"Corps {uid}", f"/x/{uid}/")
        return len(queries)

    small = cost("s", 2)
    assert len(mailoutbox) == 2 + 1  # nobody is online: each note is emailed
    large = cost("l", 20)
    assert len(mailoutbox) == 3 + 20 + 1
    first = User.objects.filter(email__startswith="s").values_list("pk", flat=True)[0]
    assert any(f"Pour {first}" in m.subject for m in mailoutbox)
    # savepoint, recipients with preferences, insert, unread counts, release
    assert small == large == 5
    # Lazy titles are evaluated in French, the language of emails.
    assert Notification.objects.filter(user_id=world.eve.user_id, title="Réglages").count() == 2


def test_mark_read_by_batch_key_marks_one_conversation_only(
    world: World, django_capture_on_commit_callbacks: Capture, published: list[Any]
) -> None:
    notify([world.alice], batch_key="conversation:1")
    notify([world.alice], batch_key="conversation:1")
    notify([world.alice], batch_key="conversation:2")
    with django_capture_on_commit_callbacks(execute=True):
        assert actions.mark_read(world.alice.user, batch_key="conversation:1") == 2
        assert actions.mark_read(world.alice.user, batch_key="conversation:1") == 0
    assert published == [
        (f"user.{world.alice.user_id}", "notification.read", {"ids": None, "unread": 1})
    ]


def test_withdraw_removes_the_notifications_about_hidden_content(
    world: World, django_capture_on_commit_callbacks: Capture, published: list[Any]
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        notify([world.alice, world.bob], source="message:7", batch_key="")
        notify([world.alice], source="message:8", title="Autre", batch_key="")
    published.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert actions.withdraw(["message:7", ""]) == 2
    assert list(Notification.objects.values_list("user_id", "source")) == [
        (world.alice.user_id, "message:8")
    ]
    assert sorted(published) == [
        (f"user.{world.alice.user_id}", "notification.read", {"ids": None, "unread": 1}),
        (f"user.{world.bob.user_id}", "notification.read", {"ids": None, "unread": 0}),
    ]
    assert actions.withdraw([]) == 0


def test_an_email_is_not_sent_when_its_notification_was_withdrawn_meanwhile(
    world: World, django_capture_on_commit_callbacks: Capture, mailoutbox: list[Any]
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify([world.alice, world.bob], source="message:9", batch_key="")
        notify([world.alice], source="message:10", title="Gardé", batch_key="")
    actions.withdraw(["message:9"])  # hidden before the task worker got to it
    for callback in callbacks:
        callback()
    assert [m.to for m in mailoutbox] == [[world.alice.user.email]]
    assert "Gardé" in mailoutbox[0].subject

"""Pages: my notifications, email preferences, unsubscribe links, the menu badge."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core import signing
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from apps.notifications import access, actions, selectors
from apps.notifications.models import Notification
from tests.conftest import World, client_for
from tests.notifications.helpers import (
    bulk_notifications,
    checked_choices,
    notify,
    unsubscribe_path,
)

pytestmark = pytest.mark.django_db

Capture = Callable[..., Any]


def _items(page: str) -> list[str]:
    return re.findall(r'data-notification="(\d+)"', page)


def test_the_list_shows_mine_newest_first_with_unread_marked(world: World) -> None:
    notify([world.alice], title="Le plus ancien", url="/a/")
    notify([world.alice], title="Le plus récent", url="/b/")
    notify([world.bob], title="Pour Bob seulement", url="/c/")
    old = Notification.objects.get(title="Le plus ancien")
    actions.mark_read(world.alice.user, [old.pk])
    page = client_for(world.alice).get("/notifications/").text
    assert page.index("Le plus récent") < page.index("Le plus ancien")
    assert "Pour Bob seulement" not in page
    assert re.search(r'class="card notification unread" data-notification="\d+"', page)
    assert f'class="card notification" data-notification="{old.pk}"' in page
    assert 'href="/b/"' in page


def test_the_list_is_paginated_by_30(world: World) -> None:
    rows = bulk_notifications(world.alice.user, 35)
    client = client_for(world.alice)
    first = client.get("/notifications/").text
    second = client.get("/notifications/?page=2").text
    assert len(_items(first)) == 30
    assert len(_items(second)) == 5
    assert set(_items(first)).isdisjoint(_items(second))
    assert str(rows[0].pk) in _items(second)  # the oldest are on the last page
    assert 'rel="next"' in first and 'rel="prev"' in second


def test_mark_all_as_read_is_a_post_and_only_touches_mine(
    world: World, django_capture_on_commit_callbacks: Capture
) -> None:
    notify([world.alice, world.bob])
    client = client_for(world.alice)
    assert client.get("/notifications/read/").status_code == 405
    assert selectors.unread_count(world.alice.user) == 1
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post("/notifications/read/")
    assert response.status_code == 302
    assert len(callbacks) == 1  # notification.read to Alice's sockets
    assert selectors.unread_count(world.alice.user) == 0
    assert selectors.unread_count(world.bob.user) == 1


def test_marking_one_as_read(world: World) -> None:
    notify([world.alice], title="Un")
    notify([world.alice], title="Deux")
    one = Notification.objects.get(title="Un")
    bobs = bulk_notifications(world.bob.user, 1)[0]
    client = client_for(world.alice)
    client.post("/notifications/read/", {"id": [one.pk, bobs.pk]})
    assert set(Notification.objects.filter(read_at=None).values_list("title", flat=True)) == {
        "Deux",
        "Titre 0",  # Bob's: someone else's id changes nothing
    }


def test_the_list_needs_sign_in(world: World) -> None:
    response = Client().get("/notifications/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_menu_shows_the_unread_badge_in_a_live_region(world: World) -> None:
    client = client_for(world.alice)
    page = client.get("/").text
    assert 'id="nav-notifications" data-live-on="notification.created notification.read"' in page
    assert 'class="badge"' not in page.split('id="nav-notifications"')[1].split("</li>")[0]
    notify([world.alice])
    notify([world.alice], batch_key="")
    region = client.get("/").text.split('id="nav-notifications"')[1].split("</li>")[0]
    assert '<span class="badge"><span aria-hidden="true">2</span>' in region
    assert 'href="/notifications/"' in region


def test_the_badge_costs_nothing_for_anonymous_visitors(db: None) -> None:
    with CaptureQueriesContext(connection) as queries:
        assert Client().get("/accounts/login/").status_code == 200
    assert not [q for q in queries if "notifications_notification" in q["sql"]]


def test_the_preferences_page_shows_defaults_and_saves(world: World) -> None:
    client = client_for(world.alice)
    page = client.get("/me/notifications/").text
    assert checked_choices(page) == {
        "messages": "instant",
        "exchanges": "digest",
        "help": "digest",
        "news": "digest",
        "moderation": "instant",
    }
    assert page.count("<fieldset><legend>") == 5
    choices = {
        "messages": "digest",
        "exchanges": "instant",
        "help": "off",
        "news": "off",
        "moderation": "instant",
    }
    response = client.post("/me/notifications/", choices)
    assert response.status_code == 302
    assert selectors.frequencies(world.alice.user) == choices
    assert checked_choices(client.get("/me/notifications/").text) == choices
    # Bob's are untouched.
    assert selectors.frequencies(world.bob.user)["news"] == "digest"


def test_a_bad_preference_is_refused_and_nothing_is_saved(world: World) -> None:
    response = client_for(world.alice).post(
        "/me/notifications/", {"messages": "sometimes", "news": "off"}
    )
    assert response.status_code == 200
    assert 'class="field has-error"' in response.text
    assert selectors.frequencies(world.alice.user)["news"] == "digest"


def _instant_email(world: World, capture: Capture, mailoutbox: list[Any]) -> str:
    with capture(execute=True):
        notify([world.alice])
    return unsubscribe_path(mailoutbox[-1])


def test_unsubscribe_get_changes_nothing_and_post_turns_the_kind_off(
    world: World, django_capture_on_commit_callbacks: Capture, mailoutbox: list[Any]
) -> None:
    path = _instant_email(world, django_capture_on_commit_callbacks, mailoutbox)
    anonymous = Client()
    page = anonymous.get(path)
    assert page.status_code == 200
    assert '<form method="post">' in page.text
    assert selectors.frequencies(world.alice.user)["messages"] == "instant"
    done = anonymous.post(path)
    assert done.status_code == 200
    assert "Messages" in done.text
    assert selectors.frequencies(world.alice.user)["messages"] == "off"
    assert selectors.frequencies(world.alice.user)["moderation"] == "instant"
    # Off: no more emails, still in-app.
    with django_capture_on_commit_callbacks(execute=True):
        notify([world.alice], batch_key="")
    assert len(mailoutbox) == 1
    assert selectors.unread_count(world.alice.user) == 2


def test_unsubscribe_accepts_a_one_click_post_from_the_mail_client(
    world: World, django_capture_on_commit_callbacks: Capture, mailoutbox: list[Any]
) -> None:
    path = _instant_email(world, django_capture_on_commit_callbacks, mailoutbox)
    response = Client(enforce_csrf_checks=True).post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert selectors.frequencies(world.alice.user)["messages"] == "off"


@pytest.mark.parametrize(
    "token",
    [
        "tampered",
        signing.dumps([1, "messages"], salt="another.salt"),
        signing.dumps([999_999, "messages"], salt=access.UNSUBSCRIBE_SALT),
        signing.dumps([1, "everything"], salt=access.UNSUBSCRIBE_SALT),
        signing.dumps({"user": 1}, salt=access.UNSUBSCRIBE_SALT),
    ],
)
def test_a_bad_unsubscribe_token_is_a_clear_400(world: World, token: str) -> None:
    for method in ("get", "post"):
        response = getattr(Client(), method)(f"/notifications/unsubscribe/{token}/")
        assert response.status_code == 400
        assert 'id="unsubscribe-invalid"' in response.text
    assert not world.alice.user.notification_preferences.exists()


def test_a_token_with_a_changed_kind_is_refused(world: World) -> None:
    token = access.unsubscribe_token(world.alice.user_id, "messages")
    value, rest = token.split(":", 1)
    forged = signing.b64_encode(b'[%d,"news"]' % world.alice.user_id).decode()
    assert value != forged
    response = Client().post(f"/notifications/unsubscribe/{forged}:{rest}/")
    assert response.status_code == 400
    assert not world.alice.user.notification_preferences.exists()


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_list_page_costs_the_same_for_10_and_60_notifications(world: World) -> None:
    client = client_for(world.alice)
    bulk_notifications(world.alice.user, 10)
    small = _count(client, "/notifications/")
    bulk_notifications(world.alice.user, 50)
    large = _count(client, "/notifications/")
    assert small == large == 7  # session, user, landlord staff, two unread badges, count, page

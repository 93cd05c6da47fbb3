"""The whole story over the API: post → respond → conversation → accept → done → thanks."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from apps.exchanges.models import Exchange, Response, Status, Thanks
from apps.messaging.models import Conversation, Message
from apps.notifications.models import Notification
from tests.conftest import World, client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, str, dict[str, Any]]]:
    sent: list[tuple[Any, str, dict[str, Any]]] = []

    def record(groups: Any, event_type: str, data: dict[str, Any], **_: Any) -> None:
        sent.append((groups, event_type, data))

    monkeypatch.setattr("apps.realtime.events.publish_now", record)
    return sent


def test_the_whole_story_over_the_api(
    world: World,
    published: list[tuple[Any, str, dict[str, Any]]],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    alice, bob = client_for(world.alice), client_for(world.bob)
    rid = world.residence.pk
    with django_capture_on_commit_callbacks(execute=True):
        created = alice.post(
            f"/api/v1/residences/{rid}/exchanges",
            {"kind": "request", "category": "computers", "title": "Aide pour la CAF en ligne"},
            content_type="application/json",
        )
    assert created.status_code == 201, created.content
    exchange_id = created.json()["id"]
    assert created.json()["status"] == "open"
    group = f"residence.{rid}.members"
    assert published == [
        (
            [group],
            "exchange.created",
            {
                "id": exchange_id,
                "residence_id": rid,
                "kind": "request",
                "category": "computers",
                "title": "Aide pour la CAF en ligne",
                "status": "open",
            },
        )
    ]

    # Bob responds: a direct conversation with Alice carries his message; Alice is notified.
    responded = bob.post(
        f"/api/v1/exchanges/{exchange_id}/responses",
        {"body": "Je peux passer jeudi soir."},
        content_type="application/json",
    )
    assert responded.status_code == 201, responded.content
    response_id = responded.json()["id"]
    conversation = Conversation.objects.get(pk=responded.json()["conversation_id"])
    assert conversation == world.conversation  # the existing direct conversation is reused
    last = Message.objects.filter(conversation=conversation).latest("pk")
    assert "Je peux passer jeudi soir." in last.body
    assert last.author == world.bob.user
    assert Notification.objects.filter(user=world.alice.user, kind="exchanges").count() == 1

    # Alice accepts: in progress, Bob is notified; the change is published.
    published.clear()
    with django_capture_on_commit_callbacks(execute=True):
        accepted = alice.post(
            f"/api/v1/exchanges/{exchange_id}/accept",
            {"response_id": response_id},
            content_type="application/json",
        )
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["accepted"] is True
    assert Exchange.objects.get(pk=exchange_id).status == Status.IN_PROGRESS
    assert Notification.objects.filter(user=world.bob.user, kind="exchanges").count() == 1
    updates = [e for e in published if e[1] == "exchange.updated"]
    assert [e[2]["status"] for e in updates] == ["in_progress"]

    # Bob (an accepted responder) marks it done; completing twice is refused.
    done = bob.post(f"/api/v1/exchanges/{exchange_id}/complete")
    assert (done.status_code, done.json()["status"]) == (200, "done")
    again = alice.post(f"/api/v1/exchanges/{exchange_id}/complete")
    assert (again.status_code, again.json()["code"]) == (400, "already_done")

    # Both say thank you, publicly.
    for client in (alice, bob):
        thanked = client.post(
            f"/api/v1/exchanges/{exchange_id}/thanks",
            {"body": "Merci beaucoup !"},
            content_type="application/json",
        )
        assert thanked.status_code == 201, thanked.content
    pairs = set(Thanks.objects.values_list("from_user_id", "to_user_id"))
    assert pairs == {
        (world.alice.user_id, world.bob.user_id),
        (world.bob.user_id, world.alice.user_id),
    }
    # Recognition: Bob gave a service, Alice received one; each got one thank you.
    recognition = {
        row["user_id"]: row
        for row in alice.get(f"/api/v1/residences/{rid}/exchanges/recognition").json()
    }
    assert recognition[world.bob.user_id] == {
        "user_id": world.bob.user_id,
        "given": 1,
        "received": 0,
        "thanks": 1,
    }
    assert recognition[world.alice.user_id]["received"] == 1
    assert recognition[world.alice.user_id]["thanks"] == 1


def test_the_whole_story_in_pages(world: World) -> None:
    alice, bob = client_for(world.alice), client_for(world.bob)
    rid = world.residence.pk
    page = alice.get(f"/r/{rid}/exchanges/new/")
    assert page.status_code == 200
    posted = alice.post(
        f"/r/{rid}/exchanges/new/",
        {"kind": "offer", "category": "gardening", "title": "Je taille vos haies"},
    )
    exchange = Exchange.objects.get()
    assert posted.status_code == 302
    assert posted["Location"] == f"/exchanges/{exchange.pk}/"
    assert "Je taille vos haies" in bob.get(f"/r/{rid}/exchanges/").text
    detail = bob.get(f"/exchanges/{exchange.pk}/")
    assert f'action="/exchanges/{exchange.pk}/respond/"' in detail.text
    assert (
        bob.post(f"/exchanges/{exchange.pk}/respond/", {"message": "Volontiers"}).status_code == 302
    )
    claire = client_for(world.claire)
    claire.post(f"/exchanges/{exchange.pk}/respond/", {"message": "Moi aussi"})
    mine = alice.get(f"/exchanges/{exchange.pk}/").text
    assert "Volontiers" in mine and "Moi aussi" in mine
    # An offer: several responses may be accepted.
    for response in Response.objects.all():
        alice.post(f"/exchanges/{exchange.pk}/accept/", {"response": response.pk})
    assert Response.objects.filter(accepted=True).count() == 2
    assert alice.post(f"/exchanges/{exchange.pk}/complete/").status_code == 302
    assert Exchange.objects.get().status == Status.DONE
    bob.post(f"/exchanges/{exchange.pk}/thanks/", {"text": "Merci Alice !"})
    assert "Merci Alice !" in claire.get(f"/exchanges/{exchange.pk}/").text


def test_edit_cancel_and_reopen_in_pages(world: World) -> None:
    from tests.exchanges.helpers import post

    exchange = post(world)
    alice = client_for(world.alice)
    assert alice.get(f"/exchanges/{exchange.pk}/edit/").status_code == 200
    alice.post(
        f"/exchanges/{exchange.pk}/edit/",
        {"kind": "request", "category": "diy", "title": "Fixer une étagère"},
    )
    assert Exchange.objects.get().title == "Fixer une étagère"
    alice.post(f"/exchanges/{exchange.pk}/cancel/")
    assert Exchange.objects.get().status == Status.CANCELLED
    alice.post(f"/exchanges/{exchange.pk}/reopen/")
    assert Exchange.objects.get().status == Status.OPEN

"""Exchanges are moderatable: the keyword filter and a new member's first posts hold them (their
author sees them, marked; nobody else until a moderator approves), a muted member cannot post,
a hidden exchange leaves every list and its notifications, and its live events stop."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.exchanges import actions, selectors
from apps.exchanges.models import Exchange
from apps.moderation import actions as moderation
from apps.moderation import registry
from apps.moderation import selectors as moderation_selectors
from apps.moderation.models import Case
from apps.notifications.models import Notification
from tests.conftest import World, build_world
from tests.conftest import client_for as _client_for
from tests.exchanges.helpers import post
from tests.sockets import next_of as _next_of
from tests.sockets import open_socket as _open


async def _frame_types(socket: Any, timeout: float = 0.5) -> list[str]:
    """The types of the frames a socket receives until it is quiet for ``timeout``."""
    types = []
    while not await socket.receive_nothing(timeout=timeout):
        types.append((await socket.receive_json_from())["type"])
    return types


def client_for(persona: Any) -> Any:
    """A signed-in client reading the site in English (what the assertions quote)."""
    client = _client_for(persona)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def _keywords(world: World, words: str = "arnaque", *, new_members: bool = False) -> None:
    moderation.update_settings(
        world.bob.user, world.residence, keywords=words, hold_new_members=new_members, charter=""
    )


def _decide(world: World, exchange: Exchange, action: str) -> None:
    moderation.decide(
        world.bob.user,
        world.residence,
        target_type="exchange",
        target_id=exchange.pk,
        action=action,
        reason="other",
        explanation="Relu par un co-animateur.",
    )


def _titles(client: Any, world: World) -> list[str]:
    url = f"/api/v1/residences/{world.residence.pk}/exchanges"
    return [e["title"] for e in client.get(url).json()]


@pytest.mark.django_db
def test_the_keyword_filter_holds_an_exchange_until_approved(world: World) -> None:
    _keywords(world)
    alice, bob = client_for(world.alice), client_for(world.bob)
    response = alice.post(
        f"/r/{world.residence.pk}/exchanges/new/",
        {"kind": "offer", "category": "other", "title": "Bonne affaire, pas une arnaque"},
        follow=True,
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "contains a word that the co-animators review first" in page  # the flash, at once
    assert "Waiting for a moderator" in page  # the banner on its page
    held = Exchange.objects.get()
    assert held.moderation == registry.HELD
    assert Case.objects.get(target_type="exchange", target_id=held.pk).origin == "keyword"

    # Not in lists, search, matches, panels nor its page for others; the author sees it.
    assert _titles(bob, world) == []
    assert _titles(alice, world) == ["Bonne affaire, pas une arnaque"]
    assert "Bonne affaire" not in bob.get(f"/r/{world.residence.pk}/exchanges/").text
    assert "Waiting for a moderator" in alice.get(f"/r/{world.residence.pk}/exchanges/").text
    assert bob.get(f"/exchanges/{held.pk}/").status_code == 404
    assert bob.get(f"/api/v1/exchanges/{held.pk}").status_code == 404
    assert selectors.newest_open(world.residence.pk) == []
    assert selectors.open_by(world.residence.pk, world.alice.user_id) == []
    mine = alice.get(f"/api/v1/exchanges/{held.pk}").json()
    assert mine["moderation"] == "held"
    assert "review first" in mine["moderation_notice"]

    [item] = moderation_selectors.open_cases(world.residence.pk)
    assert item.target is not None and item.target.excerpt == "Bonne affaire, pas une arnaque"

    _decide(world, held, "approve")
    held.refresh_from_db()
    assert held.moderation == registry.VISIBLE
    assert _titles(bob, world) == ["Bonne affaire, pas une arnaque"]
    assert bob.get(f"/exchanges/{held.pk}/").status_code == 200


@pytest.mark.django_db
def test_the_api_says_an_exchange_is_held(world: World) -> None:
    _keywords(world)
    response = client_for(world.alice).post(
        f"/api/v1/residences/{world.residence.pk}/exchanges",
        {"kind": "request", "category": "other", "title": "Attention arnaque"},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["moderation"] == "held"
    assert "review first" in response.json()["moderation_notice"]


@pytest.mark.django_db
def test_a_new_members_first_two_posts_are_held(world: World) -> None:
    _keywords(world, "", new_members=True)
    first = post(world, title="Première")
    assert first.moderation == registry.HELD
    assert "first posts are read by a co-animator" in moderation.held_text(
        Case.objects.get(target_id=first.pk).origin
    )
    _decide(world, first, "approve")
    second = post(world, title="Deuxième")
    assert second.moderation == registry.HELD
    _decide(world, second, "approve")
    third = post(world, title="Troisième")
    assert third.moderation == registry.VISIBLE
    # A co-animator is not a new member.
    assert post(world, world.bob.user, title="Bob").moderation == registry.VISIBLE


@pytest.mark.django_db
def test_a_muted_member_cannot_post_and_is_told_why(world: World) -> None:
    moderation.decide(
        world.bob.user,
        world.residence,
        target_type="member",
        target_id=world.alice.user_id,
        action="mute",
        reason="disrespect",
        explanation="Propos blessants",
        until=timezone.now() + datetime.timedelta(days=3),
    )
    alice = client_for(world.alice)
    page = alice.post(
        f"/r/{world.residence.pk}/exchanges/new/",
        {"kind": "offer", "category": "other", "title": "Soupe"},
    )
    assert page.status_code == 400
    assert "You cannot post in this residence until" in page.content.decode()
    api = alice.post(
        f"/api/v1/residences/{world.residence.pk}/exchanges",
        {"kind": "offer", "category": "other", "title": "Soupe"},
        content_type="application/json",
    )
    assert api.status_code == 400
    assert "You cannot post in this residence until" in str(api.json())
    assert not Exchange.objects.exists()


@pytest.mark.django_db
def test_editing_in_a_forbidden_word_holds_it(world: World) -> None:
    exchange = post(world, title="Perceuse")
    _keywords(world)
    response = client_for(world.alice).post(
        f"/exchanges/{exchange.pk}/edit/",
        {"kind": "request", "category": "diy", "title": "Perceuse (arnaque ?)"},
        follow=True,
    )
    assert "review first" in response.content.decode()
    exchange.refresh_from_db()
    assert exchange.moderation == registry.HELD
    assert _titles(client_for(world.bob), world) == []


@pytest.mark.django_db
def test_a_hidden_exchange_leaves_lists_and_notifications_and_comes_back(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    exchange = post(world, title="Monter une étagère")
    with django_capture_on_commit_callbacks(execute=True):
        actions.respond(world.bob.user, exchange, "Je peux venir samedi")
    source = f"exchange:{exchange.pk}"
    assert Notification.objects.filter(source=source, user=world.alice.user).exists()
    bob = client_for(world.bob)
    assert "Report" in bob.get(f"/exchanges/{exchange.pk}/").text
    assert "/report/exchange/" not in client_for(world.alice).get(f"/exchanges/{exchange.pk}/").text

    actions.set_moderation(exchange.pk, registry.HIDDEN)

    assert not Notification.objects.filter(source=source).exists()
    assert _titles(bob, world) == []
    assert bob.get(f"/exchanges/{exchange.pk}/").status_code == 404
    assert bob.get(f"/report/exchange/{exchange.pk}/").status_code == 404
    author_page = client_for(world.alice).get(f"/exchanges/{exchange.pk}/")
    assert author_page.status_code == 200
    assert "Hidden by the moderators" in author_page.text

    actions.set_moderation(exchange.pk, registry.VISIBLE)
    assert _titles(bob, world) == ["Monter une étagère"]


@pytest.mark.django_db
def test_held_exchanges_do_not_change_the_list_query_count(world: World) -> None:
    for i in range(3):
        post(world, title=f"Visible {i}")
    client = client_for(world.alice)
    url = f"/r/{world.residence.pk}/exchanges/"
    client.get(url)
    with CaptureQueriesContext(connection) as plain:
        client.get(url)
    _keywords(world)
    for i in range(5):
        post(world, title=f"arnaque {i}")
    with CaptureQueriesContext(connection) as with_held:
        page = client.get(url)
    assert page.text.count("Waiting for a moderator") == 5
    assert len(plain) == len(with_held)


@pytest.mark.django_db(transaction=True)
async def test_a_held_exchange_reaches_members_sockets_only_once_approved() -> None:
    world: World = await sync_to_async(build_world)()
    await sync_to_async(_keywords)(world)
    bob, _ = await _open(world.bob.user)
    alice, _ = await _open(world.alice.user)
    held = await sync_to_async(post)(world, title="Une arnaque ?")
    mine = await _next_of(alice, "exchange.created")  # its author's other tabs
    assert mine["data"]["id"] == held.pk
    # Bob, a co-animator, hears that the review queue changed: not of the exchange.
    assert "exchange.created" not in await _frame_types(bob)

    await sync_to_async(_decide)(world, held, "approve")
    frame = await _next_of(bob, "exchange.created")
    assert frame["data"]["id"] == held.pk
    for socket in (alice, bob):
        await socket.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_a_hidden_exchanges_edit_reaches_only_its_author() -> None:
    world: World = await sync_to_async(build_world)()
    exchange = await sync_to_async(post)(world, title="Étagère")
    bob, _ = await _open(world.bob.user)
    alice, _ = await _open(world.alice.user)
    await sync_to_async(actions.set_moderation)(exchange.pk, registry.HIDDEN)
    hidden = await _next_of(bob, "exchange.updated")
    assert hidden["data"] == {
        "id": exchange.pk,
        "residence_id": world.residence.pk,
        "moderation": "hidden",
    }
    await _next_of(alice, "exchange.updated")

    await sync_to_async(actions.edit_exchange)(world.alice.user, exchange, title="Étagère bis")
    mine = await _next_of(alice, "exchange.updated")
    assert mine["data"]["title"] == "Étagère bis"
    assert not [t for t in await _frame_types(bob) if t.startswith("exchange.")]
    for socket in (alice, bob):
        await socket.disconnect()

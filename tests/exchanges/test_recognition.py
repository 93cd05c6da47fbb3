"""Recognition, not currency: a member's profile shows services given and received and the
thanks received; the residence page shows this month's thanks. Counts only, no ranking."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.exchanges import actions
from apps.exchanges.models import Thanks
from apps.seniors import actions as seniors_actions
from tests.conftest import World, add_members, client_for
from tests.exchanges.helpers import post

pytestmark = pytest.mark.django_db


def _done(world: World, author: Any, helper: Any, *, kind: str = "request", **thanks: Any) -> Any:
    """A done exchange between ``author`` and ``helper``; the author thanks the helper when
    ``thanks`` gives a text."""
    exchange = post(world, author, kind=kind, title=f"Service {Thanks.objects.count()}")
    response = actions.respond(helper, exchange, "Je peux vous aider")
    actions.accept_response(author, exchange, response.pk)
    actions.complete_exchange(author, exchange)
    if thanks:
        actions.thank(author, exchange, thanks.pop("text"), **thanks)
    return exchange


def _profile(world: World, viewer: Any, member: Any) -> str:
    response = client_for(viewer).get(f"/r/{world.residence.pk}/members/{member.user_id}/")
    assert response.status_code == 200
    return response.text


def test_it_shows_services_given_and_received_and_thanks_on_profiles(world: World) -> None:
    alice, bob = world.alice.user, world.bob.user
    _done(world, alice, bob, text="Merci Bob pour l'étagère !")
    _done(world, bob, alice, kind="offer")  # Bob offered, Alice received
    bob_page = _profile(world, alice, world.bob)
    assert "2 services rendus" in bob_page
    assert "0 service reçu" in bob_page
    assert "1 remerciement reçu" in bob_page
    assert "Merci Bob pour l&#x27;étagère !" in bob_page
    alice_page = _profile(world, bob, world.alice)
    assert "0 service rendu" in alice_page
    assert "2 services reçus" in alice_page
    assert "0 remerciement reçu" in alice_page
    assert "Écrire à Alice M." in alice_page


def test_it_counts_only_public_thanks(world: World) -> None:
    _done(world, world.alice.user, world.bob.user, text="Merci en privé", public=False)
    page = _profile(world, world.alice, world.bob)
    assert "0 remerciement reçu" in page
    assert "Merci en privé" not in page


def test_it_shows_a_members_open_offers_and_their_volunteer_badge(world: World) -> None:
    post(world, world.bob.user, kind="offer", category="pets", title="Je garde vos chats")
    page = _profile(world, world.alice, world.bob)
    assert "Je garde vos chats" in page
    assert "Voisin solidaire" not in page
    seniors_actions.opt_in_volunteer(
        world.bob.user, world.residence, skills=["shopping", "call"], availability="le soir"
    )
    page = _profile(world, world.alice, world.bob)
    assert "Voisin solidaire" in page
    assert "Un appel téléphonique" in page
    assert "le soir" in page
    assert "voisin aidé" not in page
    help_request = seniors_actions.post_help_request(
        world.alice.user,
        world.residence,
        kind="call",
        when_text="demain",
        contact="message",
    )
    seniors_actions.take_request(world.bob.user, help_request)
    seniors_actions.complete_request(world.alice.user, help_request)
    assert "1 voisin aidé" in _profile(world, world.alice, world.bob)


def test_it_hides_profiles_of_people_who_are_not_active_members(world: World) -> None:
    client = client_for(world.alice)
    assert (
        client.get(f"/r/{world.residence.pk}/members/{world.pending.user_id}/").status_code == 404
    )
    assert client.get(f"/r/{world.residence.pk}/members/{world.eve.user_id}/").status_code == 404
    assert client.get(f"/r/{world.residence.pk}/members/{world.claire.pk}/").status_code == 404


def test_it_shows_this_months_thanks_on_the_residence_page(world: World) -> None:
    _done(world, world.alice.user, world.bob.user, text="Un grand merci à Bob")
    old = _done(world, world.alice.user, world.bob.user, text="Merci du mois dernier")
    last_month = timezone.now().replace(day=1) - datetime.timedelta(days=2)
    Thanks.objects.filter(exchange=old).update(created_at=last_month)
    _done(world, world.alice.user, world.bob.user, text="Merci discret", public=False)
    page = client_for(world.alice).get(f"/r/{world.residence.pk}/").text
    assert "Merci ce mois-ci" in page
    assert "Un grand merci à Bob" in page
    assert "Alice M. remercie Bob D." in page
    assert "Merci du mois dernier" not in page
    assert "Merci discret" not in page


def test_it_shows_no_exchanges_to_a_partner_on_the_residence_page(world: World) -> None:
    _done(world, world.alice.user, world.bob.user, text="Un grand merci à Bob")
    page = client_for(world.dave).get(f"/r/{world.residence.pk}/").text
    assert "Un grand merci à Bob" not in page
    assert "Merci ce mois-ci" not in page


def _count(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_profile_uses_the_same_number_of_queries_for_1_and_15_services(
    world: World,
) -> None:
    seniors_actions.opt_in_volunteer(world.bob.user, world.residence, skills=["call"])
    client = client_for(world.alice)
    url = f"/r/{world.residence.pk}/members/{world.bob.user_id}/"
    _done(world, world.alice.user, world.bob.user, text="Merci 0")
    post(world, world.bob.user, kind="offer", title="Offre 0")
    small = _count(client, url)
    for i in range(14):
        _done(world, world.alice.user, world.bob.user, text=f"Merci {i + 1}")
        post(world, world.bob.user, kind="offer", title=f"Offre {i + 1}")
    add_members(world, 20)
    large = _count(client, url)
    # 7 for every page (session, user, menu badges, access), 1 for the member, 3 for the
    # counts, 1 for the thanks, 1 for the open offers, 2 for the volunteer panel.
    assert small == large == 14


def test_the_residence_page_uses_the_same_number_of_queries_for_1_and_15_thanks(
    world: World,
) -> None:
    client = client_for(world.alice)
    url = f"/r/{world.residence.pk}/"
    _done(world, world.alice.user, world.bob.user, text="Merci 0")
    small = _count(client, url)
    for i in range(14):
        _done(world, world.alice.user, world.bob.user, text=f"Merci {i + 1}")
    large = _count(client, url)
    assert small == large

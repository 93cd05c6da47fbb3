"""Browsing, search, matches and constant query counts."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.accounts.models import User
from apps.exchanges import selectors
from apps.exchanges.models import Exchange
from tests.conftest import World, client_for
from tests.exchanges.helpers import post

pytestmark = pytest.mark.django_db


def _ids(client: object, url: str) -> list[str]:
    return [e["title"] for e in client.get(url).json()]  # type: ignore[attr-defined]


def test_filters_and_search(world: World) -> None:
    post(world, title="Réparer un vélo", category="diy")
    post(
        world,
        kind="offer",
        title="Garde de chats",
        category="pets",
        description="Je nourris vos chats pendant les vacances",
    )
    done = post(world, title="Courses du samedi", category="shopping")
    Exchange.objects.filter(pk=done.pk).update(status="done")
    post(
        world,
        world.eve.user.__class__.objects.get(pk=world.bob.user_id),
        title="Cours de français",
        category="lessons",
        description="Conversation autour d'un café",
    )
    client = client_for(world.alice)
    url = f"/api/v1/residences/{world.residence.pk}/exchanges"
    assert _ids(client, url) == [
        "Cours de français",
        "Courses du samedi",
        "Garde de chats",
        "Réparer un vélo",
    ]
    assert _ids(client, url + "?kind=offer") == ["Garde de chats"]
    assert _ids(client, url + "?category=diy") == ["Réparer un vélo"]
    assert _ids(client, url + "?status=done") == ["Courses du samedi"]
    assert _ids(client, url + "?text=vélo") == ["Réparer un vélo"]
    # In the description, in another word form on PostgreSQL (French stemming) or as is.
    assert _ids(client, url + "?text=chats") == ["Garde de chats"]
    assert _ids(client, url + "?text=conversation") == ["Cours de français"]
    assert _ids(client, url + "?text=introuvable") == []
    page = client.get(f"/r/{world.residence.pk}/exchanges/?text=vélo&kind=request")
    assert "Réparer un vélo" in page.text and "Garde de chats" not in page.text
    assert 'data-live-on="exchange.created exchange.updated"' in page.text


def test_it_paginates_by_20_newest_first(world: World) -> None:
    for i in range(23):
        post(world, title=f"Demande {i:02d}")
    client = client_for(world.bob)
    url = f"/api/v1/residences/{world.residence.pk}/exchanges"
    first = _ids(client, url)
    assert len(first) == 20 and first[0] == "Demande 22"
    assert _ids(client, url + "?page=2") == ["Demande 02", "Demande 01", "Demande 00"]
    page = client.get(f"/r/{world.residence.pk}/exchanges/")
    assert "page=2" in page.text
    assert "Demande 00" in client.get(f"/r/{world.residence.pk}/exchanges/?page=2").text


def test_matches_for_you(world: World) -> None:
    User.objects.filter(pk=world.bob.user_id).update(skills="informatique, jardinage")
    bob = User.objects.get(pk=world.bob.user_id)
    wanted = post(world, title="Installer une imprimante", category="computers")
    post(world, title="Tondre la pelouse", category="other", description="un peu de jardinage")
    post(world, title="Réparer un robinet", category="diy")
    titles = {e.title for e in selectors.matches_for(bob, world.residence.pk)}
    assert titles == {"Installer une imprimante", "Tondre la pelouse"}
    # Alice's open request in "computers" → Claire's offer in that category matches for her.
    post(world, world.claire, kind="offer", title="Aide numérique", category="computers")
    post(world, world.claire, kind="offer", title="Prête une échelle", category="lending")
    assert [e.title for e in selectors.matches_for(world.alice.user, world.residence.pk)] == [
        "Aide numérique"
    ]
    assert wanted.title in client_for(bob).get(f"/r/{world.residence.pk}/exchanges/").text


def _count(client: object, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)  # type: ignore[attr-defined]
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("kind", ["page", "api"])
def test_lists_cost_the_same_for_5_and_40_exchanges(world: World, kind: str) -> None:
    User.objects.filter(pk=world.bob.user_id).update(skills="bricolage")
    post(world, world.bob.user, title="Ma demande", category="diy")
    client = client_for(world.bob)
    url = {
        "page": f"/r/{world.residence.pk}/exchanges/",
        "api": f"/api/v1/residences/{world.residence.pk}/exchanges",
    }[kind]
    for i in range(4):
        post(world, title=f"Petit {i}")
    client.get(url)  # session warm
    small = _count(client, url)
    for i in range(35):
        post(world, world.claire if i % 2 else world.alice.user, kind="offer", title=f"Offre {i}")
    large = _count(client, url)
    assert small == large


def test_the_residence_page_shows_the_three_newest_open_exchanges(world: World) -> None:
    for i in range(4):
        post(world, title=f"Demande {i}")
    closed = post(world, title="Demande close")
    Exchange.objects.filter(pk=closed.pk).update(status="cancelled")
    client = client_for(world.bob)
    url = f"/r/{world.residence.pk}/"
    page = client.get(url).text
    assert "Demande 3" in page and "Demande 1" in page
    assert "Demande 0" not in page and "Demande close" not in page
    assert f"/r/{world.residence.pk}/exchanges/" in page
    small = _count(client, url)
    for i in range(20):
        post(world, title=f"Encore {i}")
    assert _count(client, url) == small
    # A partner sees the residence page, but not the residents' exchanges.
    assert "Demande 3" not in client_for(world.dave).get(url).text

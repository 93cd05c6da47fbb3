from __future__ import annotations

import pytest
from django.test import Client

from apps.residences.models import Membership, Status
from tests.conftest import World, client_for

pytestmark = pytest.mark.django_db


def test_it_sends_anonymous_visitors_to_sign_in(world: World) -> None:
    response = Client().get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_it_lists_my_residences_on_home(world: World) -> None:
    response = client_for(world.alice).get("/")
    assert response.status_code == 200
    assert "Les Tilleuls" in response.text
    assert "Le Vulcain" not in response.text


def test_it_shows_the_residence_shell(world: World) -> None:
    response = client_for(world.alice).get(f"/r/{world.residence.pk}/")
    assert response.status_code == 200
    for section in ("Échanges de services", "Aide aux seniors", "Quoi de neuf", "Salles communes"):
        assert section in response.text


def test_it_joins_with_a_code_and_waits_for_approval(world: World) -> None:
    client = client_for(world.eve)
    response = client.post("/join/", {"code": "tilleuls", "charter": "on", "message": "Entrée B"})
    assert response.status_code == 302
    membership = Membership.objects.get(user=world.eve.user, residence=world.residence)
    assert membership.status == Status.PENDING
    assert membership.charter_accepted_at is not None
    assert membership.message == "Entrée B"


def test_it_refuses_to_join_without_the_charter(world: World) -> None:
    response = client_for(world.eve).post("/join/", {"code": "TILLEULS"})
    assert response.status_code == 200
    assert "charte" in response.text
    assert not Membership.objects.filter(user=world.eve.user, residence=world.residence).exists()


def test_it_explains_an_unknown_code(world: World) -> None:
    response = client_for(world.eve).post("/join/", {"code": "NOPE1234", "charter": "on"})
    assert response.status_code == 200
    assert "Ce code ne correspond à aucune résidence" in response.text


def test_a_live_refresh_does_not_use_up_a_message(world: World) -> None:
    client = client_for(world.bob)
    client.post(f"/requests/{world.pending.pk}/approve/")
    refresh = client.get(f"/r/{world.residence.pk}/requests/", headers={"x-live-refresh": "1"})
    assert "est maintenant membre" not in refresh.text
    assert "est maintenant membre" in client.get(f"/r/{world.residence.pk}/requests/").text

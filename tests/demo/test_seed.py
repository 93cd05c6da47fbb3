from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client

from apps.accounts.models import User
from apps.messaging.models import Message
from apps.residences.models import LandlordStaff, Membership, Residence, Role, Status

pytestmark = pytest.mark.django_db


def test_it_seeds_the_documented_accounts_and_is_idempotent() -> None:
    call_command("seed_demo", verbosity=0)

    def counts() -> tuple[int, ...]:
        return tuple(m.objects.count() for m in (User, Membership, Residence, Message))

    first = counts()
    call_command("seed_demo", verbosity=0)
    assert counts() == first
    assert Message.objects.filter(conversation__kind="room").count() == 3
    assert set(Residence.objects.values_list("name", flat=True)) == {"Les Tilleuls", "Le Vulcain"}
    assert LandlordStaff.objects.filter(
        user__email="bailleur@demo.test", landlord__name="Habitat Démo"
    ).exists()

    def role(email: str) -> tuple[str, str, str]:
        m = Membership.objects.select_related("residence").get(user__email=email)
        return (m.residence.name, m.role, m.status)

    assert role("coanim@demo.test") == ("Les Tilleuls", Role.CO_ANIMATOR, Status.ACTIVE)
    assert role("senior@demo.test") == ("Les Tilleuls", Role.RESIDENT, Status.ACTIVE)
    assert User.objects.get(email="senior@demo.test").is_senior
    assert role("voisin@demo.test") == ("Les Tilleuls", Role.RESIDENT, Status.ACTIVE)
    assert role("autre@demo.test") == ("Le Vulcain", Role.RESIDENT, Status.ACTIVE)
    assert (
        Membership.objects.filter(residence__name="Les Tilleuls", status=Status.ACTIVE).count()
        >= 10
    )


def test_a_demo_resident_signs_in_with_the_password_and_sees_les_tilleuls() -> None:
    call_command("seed_demo", verbosity=0)
    client = Client()
    response = client.post(
        "/accounts/login/", {"login": "voisin@demo.test", "password": "voisinage-demo"}
    )
    assert response.status_code == 302
    home = client.get("/")
    assert "Les Tilleuls" in home.text
    assert "Le Vulcain" not in home.text

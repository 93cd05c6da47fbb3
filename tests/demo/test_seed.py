from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client

from apps.accounts.models import User
from apps.exchanges.models import Exchange, Response, Thanks
from apps.messaging.models import Message, Participant
from apps.residences.models import LandlordStaff, Membership, Residence, Role, Status

pytestmark = pytest.mark.django_db


def test_it_seeds_the_documented_accounts_and_is_idempotent() -> None:
    call_command("seed_demo", verbosity=0)

    def counts() -> tuple[int, ...]:
        models = (User, Membership, Residence, Message, Exchange, Response, Thanks)
        return tuple(m.objects.count() for m in models)

    first = counts()
    call_command("seed_demo", verbosity=0)
    assert counts() == first
    assert Message.objects.filter(conversation__kind="room").count() == 4  # one reported
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


def test_it_seeds_exchanges_in_les_tilleuls_once() -> None:
    call_command("seed_demo", verbosity=0)
    tilleuls = Exchange.objects.filter(residence__name="Les Tilleuls")
    open_ = tilleuls.filter(status="open")
    assert open_.count() >= 4
    assert set(open_.values_list("kind", flat=True)) == {"offer", "request"}
    assert len(set(open_.values_list("category", flat=True))) >= 4
    assert {
        "voisin@demo.test",
        "fatima@demo.test",
        "thomas@demo.test",
        "senior@demo.test",
    } <= set(tilleuls.values_list("author__email", flat=True))

    in_progress = tilleuls.get(status="in_progress")
    accepted = in_progress.responses.get(accepted=True)
    assert accepted.responder.email == "voisin@demo.test"
    assert accepted.conversation is not None
    assert set(
        Participant.objects.filter(conversation=accepted.conversation).values_list(
            "user__email", flat=True
        )
    ) == {"voisin@demo.test", "senior@demo.test"}

    done = tilleuls.get(status="done")
    thanks = Thanks.objects.get(exchange=done)
    assert thanks.public
    assert thanks.to_user == done.responses.get(accepted=True).responder
    assert thanks.from_user == done.author
    assert not Exchange.objects.filter(residence__name="Le Vulcain").exists()

    before = (tilleuls.count(), Response.objects.count(), Thanks.objects.count())
    call_command("seed_demo", verbosity=0)
    assert (tilleuls.count(), Response.objects.count(), Thanks.objects.count()) == before


def test_a_demo_resident_sees_the_seeded_exchanges_and_the_thanks() -> None:
    call_command("seed_demo", verbosity=0)
    client = Client()
    client.force_login(User.objects.get(email="thomas@demo.test"))
    residence = Residence.objects.get(name="Les Tilleuls")
    listing = client.get(f"/r/{residence.pk}/exchanges/", headers={"accept-language": "fr"})
    assert listing.status_code == 200
    assert "Emprunter une perceuse" in listing.text
    done = Exchange.objects.get(residence=residence, status="done")
    page = client.get(f"/exchanges/{done.pk}/", headers={"accept-language": "fr"})
    assert page.status_code == 200
    assert "la tringle tient parfaitement" in page.text


def test_it_seeds_volunteers_and_help_requests() -> None:
    from apps.seniors.models import HelpRequest, Volunteer

    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)
    assert set(Volunteer.objects.values_list("user__email", flat=True)) == {
        "voisin@demo.test",
        "coanim@demo.test",
    }
    assert HelpRequest.objects.filter(status="open").count() == 2
    assert (
        HelpRequest.objects.filter(status="taken", volunteer__email="voisin@demo.test").count() == 1
    )


def test_it_seeds_a_weekly_visit_and_a_registered_helper_once() -> None:
    from apps.seniors.access import acts_for
    from apps.seniors.models import Consent, RegularVisit

    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)
    plan = RegularVisit.objects.get()
    assert (plan.senior.email, plan.volunteer.email, plan.every_days) == (
        "helene@demo.test",
        "voisin@demo.test",
        7,
    )
    consent = Consent.objects.get(scope="aidant")
    assert (consent.senior.email, consent.given_to.email) == (
        "senior@demo.test",
        "fatima@demo.test",
    )
    assert acts_for(consent.given_to_id, consent.senior_id, consent.residence_id)


def test_it_puts_the_demo_senior_on_the_heatwave_register_with_the_mode_off() -> None:
    from apps.seniors.models import Heatwave, HeatwaveRegistration

    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)
    entry = HeatwaveRegistration.objects.get()
    assert (entry.senior.email, entry.residence.name, entry.active) == (
        "senior@demo.test",
        "Les Tilleuls",
        True,
    )
    assert entry.phone
    assert not Heatwave.objects.exists()

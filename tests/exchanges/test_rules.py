"""Never money, invalid transitions and who may do what."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from apps.exchanges import actions
from apps.exchanges.models import Exchange, Response, Status, Thanks
from apps.exchanges.validators import asks_for_money
from apps.residences.models import Membership
from apps.residences.models import Status as MembershipStatus
from tests.conftest import World, client_for
from tests.exchanges.helpers import post

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "text",
    [
        "Cours de guitare 10€",
        "10 € de l'heure",
        "Prix à discuter",
        "Service PAYANT",
        "tarif réduit",
        "Je serai rémunérée",
        "Paiement en liquide",
        "20 euros",
        "5 $",
        "Rémunération possible",
        "PÉTITE RÉMUNÉRATION",
    ],
)
def test_money_is_spotted(text: str) -> None:
    assert asks_for_money(text)


@pytest.mark.parametrize(
    "text",
    ["Monter une étagère au 5e étage", "Promener le chien", "Aide pour la déclaration d'impôts"],
)
def test_ordinary_texts_pass(text: str) -> None:
    assert not asks_for_money(text)


def test_the_api_refuses_money_and_stores_nothing(world: World) -> None:
    response = client_for(world.alice).post(
        f"/api/v1/residences/{world.residence.pk}/exchanges",
        {"kind": "offer", "category": "lessons", "title": "Cours d'anglais", "description": "15 €"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "money"
    assert "Voisinage" in response.json()["detail"]
    assert not Exchange.objects.exists()


def test_the_form_refuses_money_and_stores_nothing(world: World) -> None:
    response = client_for(world.alice).post(
        f"/r/{world.residence.pk}/exchanges/new/",
        {"kind": "offer", "category": "lessons", "title": "Cours payants de piano"},
    )
    assert response.status_code == 400
    assert 'class="field has-error' in response.text
    assert "Voisinage" in response.text
    assert not Exchange.objects.exists()


def test_a_response_asking_for_money_is_refused(world: World) -> None:
    exchange = post(world)
    response = client_for(world.bob).post(
        f"/api/v1/exchanges/{exchange.pk}/responses",
        {"body": "Ok pour 20 euros"},
        content_type="application/json",
    )
    assert (response.status_code, response.json()["code"]) == (400, "money")
    assert not Response.objects.exists()


def _codes(call: Callable[[], Any]) -> str:
    with pytest.raises(ValidationError) as caught:
        call()
    return str(caught.value.code)


def test_invalid_transitions_are_refused_with_a_reason(world: World) -> None:
    alice, bob, claire = world.alice.user, world.bob.user, world.claire
    exchange = post(world)
    assert _codes(lambda: actions.respond(alice, exchange, "moi")) == "own"
    assert _codes(lambda: actions.complete_exchange(alice, exchange)) == "not_in_progress"
    assert _codes(lambda: actions.thank(alice, exchange, "merci")) == "not_done"
    response = actions.respond(bob, exchange, "Je peux")
    assert _codes(lambda: actions.respond(bob, exchange, "encore")) == "twice"
    other = actions.respond(claire, exchange, "Moi aussi")
    actions.accept_response(alice, exchange, response.pk)
    # A request has one accepted responder.
    assert _codes(lambda: actions.accept_response(alice, exchange, other.pk)) == "already_taken"
    assert _codes(lambda: actions.edit_exchange(alice, exchange, title="x")) == "not_open"
    actions.complete_exchange(alice, exchange)
    assert _codes(lambda: actions.complete_exchange(bob, exchange)) == "already_done"
    assert _codes(lambda: actions.cancel_exchange(alice, exchange)) == "invalid_transition"
    actions.thank(alice, exchange, "Merci Bob")
    assert _codes(lambda: actions.thank(alice, exchange, "Encore merci")) == "twice"
    # Claire was not accepted: she may neither complete nor thank.
    with pytest.raises(PermissionDenied):
        actions.thank(claire, exchange, "merci")


def test_accepting_on_a_cancelled_exchange_is_refused(world: World) -> None:
    exchange = post(world)
    response = actions.respond(world.bob.user, exchange, "Je peux")
    actions.cancel_exchange(world.alice.user, exchange)
    reply = client_for(world.alice).post(
        f"/api/v1/exchanges/{exchange.pk}/accept",
        {"response_id": response.pk},
        content_type="application/json",
    )
    assert (reply.status_code, reply.json()["code"]) == (400, "not_open")
    assert _codes(lambda: actions.respond(world.claire, exchange, "moi")) == "not_open"
    page = client_for(world.alice).post(
        f"/exchanges/{exchange.pk}/accept/", {"response": response.pk}, follow=True
    )
    assert "no longer open" in page.text or "plus ouvert" in page.text
    assert not Response.objects.get().accepted


def test_acting_in_a_residence_one_left_is_refused(world: World) -> None:
    exchange = post(world)
    Membership.objects.filter(pk=world.bob.pk).update(status=MembershipStatus.LEFT)
    assert _codes(lambda: actions.respond(world.bob.user, exchange, "Je peux")) == "not_member"
    assert _codes(lambda: post(world, world.bob.user)) == "not_member"
    reply = client_for(world.bob).post(
        f"/api/v1/exchanges/{exchange.pk}/responses",
        {"body": "Je peux"},
        content_type="application/json",
    )
    assert reply.status_code == 404
    assert not Response.objects.exists()


def test_who_may_see_post_and_change(world: World) -> None:
    exchange = post(world)
    rid = world.residence.pk
    new = {"kind": "offer", "category": "cooking", "title": "Tarte aux pommes"}
    # Outsider: nothing is visible.
    eve = client_for(world.eve)
    assert eve.get(f"/api/v1/residences/{rid}/exchanges").status_code == 404
    assert eve.get(f"/api/v1/exchanges/{exchange.pk}").status_code == 404
    assert eve.get(f"/exchanges/{exchange.pk}/").status_code == 404
    assert (
        eve.post(f"/api/v1/residences/{rid}/exchanges", new, "application/json").status_code == 404
    )
    # Partner: does not see residents' exchanges, cannot post.
    dave = client_for(world.dave)
    assert dave.get(f"/r/{rid}/exchanges/").status_code == 404
    assert dave.get(f"/api/v1/exchanges/{exchange.pk}").status_code == 404
    assert (
        dave.post(f"/api/v1/residences/{rid}/exchanges", new, "application/json").status_code == 403
    )
    assert dave.post(f"/r/{rid}/exchanges/new/", new).status_code == 403
    # Another member: sees, may not edit or accept.
    bob = client_for(world.bob)
    assert bob.get(f"/api/v1/exchanges/{exchange.pk}").status_code == 200
    assert (
        bob.patch(
            f"/api/v1/exchanges/{exchange.pk}", {"title": "À moi"}, "application/json"
        ).status_code
        == 403
    )
    assert bob.get(f"/exchanges/{exchange.pk}/edit/").status_code == 403
    response = actions.respond(world.claire, exchange, "Je peux")
    assert (
        bob.post(
            f"/api/v1/exchanges/{exchange.pk}/accept",
            {"response_id": response.pk},
            "application/json",
        ).status_code
        == 403
    )
    assert bob.post(f"/exchanges/{exchange.pk}/cancel/").status_code == 403
    assert Exchange.objects.get().status == Status.OPEN
    # The author may edit through the API.
    edited = client_for(world.alice).patch(
        f"/api/v1/exchanges/{exchange.pk}", {"title": "Étagère à fixer"}, "application/json"
    )
    assert (edited.status_code, edited.json()["title"]) == (200, "Étagère à fixer")
    assert not Thanks.objects.exists()


def test_unknown_exchange_is_404(world: World) -> None:
    assert client_for(world.alice).get("/api/v1/exchanges/999999").status_code == 404
    assert client_for(world.alice).get("/exchanges/999999/").status_code == 404


def test_past_end_dates_expire_and_the_author_can_reopen(world: World) -> None:
    import datetime

    from django.core.management import call_command

    today = timezone.localdate()
    due = post(world, ends_on=today)
    later = post(world, ends_on=today + datetime.timedelta(days=3))
    assert _codes(lambda: post(world, ends_on=today - datetime.timedelta(days=1))) == "ends_on"
    assert actions.expire_due(today + datetime.timedelta(days=1)) == 1
    assert Exchange.objects.get(pk=due.pk).status == Status.EXPIRED
    assert Exchange.objects.get(pk=later.pk).status == Status.OPEN
    call_command("expire_exchanges")  # nothing more is due today
    Exchange.objects.filter(pk=due.pk).update(ends_on=today - datetime.timedelta(days=2))
    actions.reopen_exchange(world.alice.user, due)
    reopened = Exchange.objects.get(pk=due.pk)
    assert (reopened.status, reopened.ends_on) == (Status.OPEN, None)

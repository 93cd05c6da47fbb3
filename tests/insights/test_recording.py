"""What the indicators need recorded where it happens: sign-ins, daily visits, check-ins, when
an exchange was taken and closed, when a member left."""

from __future__ import annotations

import datetime

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.accounts.middleware import SESSION_KEY
from apps.accounts.models import SignIn, Visit
from apps.exchanges import actions as exchanges
from apps.residences import actions as residences
from apps.residences.models import Membership, Status
from apps.seniors import checkins
from apps.seniors.models import CheckIn
from tests.conftest import World, client_for


def test_a_sign_in_through_the_form_is_counted_with_todays_visit(world: World) -> None:
    client = Client()
    response = client.post(
        "/accounts/login/", {"login": "alice@test.fr", "password": "correct horse battery"}
    )
    assert response.status_code == 302
    assert SignIn.objects.filter(user=world.alice.user).count() == 1
    assert list(Visit.objects.filter(user=world.alice.user).values_list("day", flat=True)) == [
        timezone.localdate()
    ]
    with CaptureQueriesContext(connection) as queries:
        client.get("/")
    assert not [q for q in queries if "accounts_visit" in q["sql"]]


def test_a_remembered_session_counts_one_visit_a_day(world: World) -> None:
    client = client_for(world.alice)
    Visit.objects.all().delete()
    session = client.session
    session[SESSION_KEY] = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    session.save()
    client.get("/")
    client.get("/")
    assert Visit.objects.filter(user=world.alice.user).count() == 1
    assert client.session[SESSION_KEY] == timezone.localdate().isoformat()
    Client().get("/")  # signed out: nothing recorded
    assert Visit.objects.count() == 1


def test_an_exchange_records_when_it_was_taken_and_closed(world: World) -> None:
    exchange = exchanges.post_exchange(
        world.alice.user, world.residence, kind="request", category="diy", title="Une perceuse"
    )
    response = exchanges.respond(world.bob.user, exchange, "Je peux")
    assert exchange.taken_at is None
    exchanges.accept_response(world.alice.user, exchange, response.pk)
    exchange.refresh_from_db()
    assert exchange.taken_at is not None and exchange.closed_at is None
    exchanges.cancel_exchange(world.alice.user, exchange)
    exchange.refresh_from_db()
    assert exchange.closed_at is not None
    exchanges.reopen_exchange(world.alice.user, exchange)
    exchange.refresh_from_db()
    assert exchange.closed_at is None
    other = exchanges.post_exchange(
        world.bob.user, world.residence, kind="offer", category="diy", title="Un escabeau"
    )
    answer = exchanges.respond(world.alice.user, other, "Oui")
    exchanges.accept_response(world.bob.user, other, answer.pk)
    exchanges.complete_exchange(world.bob.user, other)
    other.refresh_from_db()
    assert other.closed_at is not None and other.taken_at is not None


def test_a_member_removed_then_back_records_when_they_left(world: World) -> None:
    residences.set_standing(
        world.bob.user, world.residence.pk, world.alice.user_id, Status.LEFT, verb="removed"
    )
    membership = Membership.objects.get(pk=world.alice.pk)
    assert membership.left_at is not None
    residences.request_join(world.alice.user, "TILLEULS", charter_accepted=True)
    membership.refresh_from_db()
    assert membership.status == Status.PENDING and membership.left_at is None


def test_each_check_in_is_kept(world: World) -> None:
    checkins.set_checkin_plan(
        world.alice.user,
        world.residence,
        deadline=datetime.time(10),
        contact_id=world.bob.user_id,
    )
    checkins.check_in(world.alice.user)
    checkins.check_in(world.alice.user)
    assert CheckIn.objects.filter(senior=world.alice.user, residence=world.residence).count() == 2

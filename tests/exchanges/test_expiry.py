"""Exchanges with an end date: the author is reminded before it (once per end date) and may
renew, by a button on the page, by the API; the daily command expires and reminds."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from io import StringIO
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.exchanges import actions
from apps.exchanges.models import Exchange, Status
from apps.notifications.models import Notification
from apps.residences.models import Membership
from apps.residences.models import Status as MembershipStatus
from tests.conftest import World, add_members, build_world, client_for
from tests.exchanges.helpers import post
from tests.sockets import next_of, open_socket

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _in(days: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=days)


def _code(call: Callable[[], Any]) -> str:
    with pytest.raises(ValidationError) as caught:
        call()
    return str(caught.value.code)


def _reminders(user: Any) -> list[Notification]:
    return list(Notification.objects.filter(user=user, kind="exchanges").order_by("pk"))


def _fresh(exchange: Exchange) -> Exchange:
    return Exchange.objects.get(pk=exchange.pk)


def test_it_reminds_the_author_of_exchanges_ending_within_three_days_once(world: World) -> None:
    alice = world.alice.user
    today = post(world, kind="offer", title="Soupe du dimanche", ends_on=TODAY)
    soon = post(world, title="Monter une étagère", ends_on=_in(actions.EXPIRY_REMINDER_DAYS))
    post(world, title="Sans date")
    post(world, title="Plus tard", ends_on=_in(actions.EXPIRY_REMINDER_DAYS + 1))
    cancelled = post(world, title="Annulée", ends_on=_in(1))
    actions.cancel_exchange(alice, cancelled)

    assert actions.remind_expiring(TODAY) == 2

    first, second = _reminders(alice)
    assert "Soupe du dimanche" in first.title
    assert first.url == f"/exchanges/{today.pk}/"
    assert "Monter une étagère" in second.title
    assert second.url == f"/exchanges/{soon.pk}/"
    assert first.body  # an invitation to renew
    assert _fresh(soon).expiry_reminded_for == soon.ends_on
    # Not twice for the same end date, even on the following days.
    assert actions.remind_expiring(TODAY) == 0
    # The next day, only the one that now ends within three days.
    assert actions.remind_expiring(_in(1)) == 1
    assert len(_reminders(alice)) == 3
    assert "Plus tard" in _reminders(alice)[2].title
    assert actions.remind_expiring(_in(1)) == 0


def test_it_reminds_again_after_a_renewal(world: World) -> None:
    exchange = post(world, ends_on=_in(2))
    assert actions.remind_expiring(TODAY) == 1
    renewed = actions.renew_exchange(world.alice.user, exchange)
    assert renewed.ends_on == _in(2 + actions.RENEW_DAYS)
    assert _fresh(exchange).expiry_reminded_for is None
    assert actions.remind_expiring(TODAY) == 0  # the new end date is far away
    assert actions.remind_expiring(_in(actions.RENEW_DAYS)) == 1
    assert len(_reminders(world.alice.user)) == 2


def test_it_reminds_again_when_the_author_changes_the_end_date(world: World) -> None:
    exchange = post(world, ends_on=_in(1))
    assert actions.remind_expiring(TODAY) == 1
    actions.edit_exchange(world.alice.user, exchange, ends_on=_in(2))
    assert actions.remind_expiring(TODAY) == 1


def test_it_renews_an_expired_exchange_from_today(world: World) -> None:
    exchange = post(world, ends_on=TODAY)
    assert actions.expire_due(_in(1)) == 1
    Exchange.objects.filter(pk=exchange.pk).update(ends_on=_in(-5))
    assert _fresh(exchange).status == Status.EXPIRED
    renewed = actions.renew_exchange(world.alice.user, exchange)
    assert (renewed.status, renewed.ends_on) == (Status.OPEN, _in(actions.RENEW_DAYS))
    stored = _fresh(exchange)
    assert (stored.status, stored.ends_on) == (Status.OPEN, _in(actions.RENEW_DAYS))


def test_it_refuses_to_renew_what_cannot_be_renewed(world: World) -> None:
    alice, bob = world.alice.user, world.bob.user
    exchange = post(world, ends_on=_in(1))
    with pytest.raises(PermissionDenied):
        actions.renew_exchange(bob, exchange)
    assert _code(lambda: actions.renew_exchange(alice, post(world))) == "no_end_date"
    actions.accept_response(alice, exchange, actions.respond(bob, exchange, "Je peux").pk)
    assert _code(lambda: actions.renew_exchange(alice, exchange)) == "not_renewable"
    actions.complete_exchange(alice, exchange)
    assert _code(lambda: actions.renew_exchange(alice, exchange)) == "not_renewable"
    assert _fresh(exchange).ends_on == _in(1)


def test_it_refuses_a_renewal_by_an_author_who_left(world: World) -> None:
    exchange = post(world, ends_on=_in(1))
    Membership.objects.filter(pk=world.alice.pk).update(status=MembershipStatus.LEFT)
    assert _code(lambda: actions.renew_exchange(world.alice.user, exchange)) == "not_member"


def test_it_renews_over_the_api(world: World) -> None:
    exchange = post(world, ends_on=_in(1))
    url = f"/api/v1/exchanges/{exchange.pk}/renew"
    reply = client_for(world.alice).post(url, content_type="application/json")
    assert reply.status_code == 200, reply.content
    assert reply.json()["id"] == exchange.pk
    assert reply.json()["status"] == "open"
    assert reply.json()["ends_on"] == _in(1 + actions.RENEW_DAYS).isoformat()
    assert reply.json()["author"]["id"] == world.alice.user_id


def test_the_api_refuses_others_and_says_why(world: World) -> None:
    alice = world.alice.user
    exchange = post(world, ends_on=_in(1))
    url = f"/api/v1/exchanges/{exchange.pk}/renew"
    assert client_for(world.bob).post(url, content_type="application/json").status_code == 403
    assert client_for(world.eve).post(url, content_type="application/json").status_code == 404
    assert client_for(world.dave).post(url, content_type="application/json").status_code == 404
    assert (
        client_for(world.alice)
        .post("/api/v1/exchanges/999999/renew", content_type="application/json")
        .status_code
        == 404
    )
    actions.cancel_exchange(alice, exchange)
    refused = client_for(world.alice).post(url, content_type="application/json")
    assert (refused.status_code, refused.json()["code"]) == (400, "not_renewable")
    assert refused.json()["detail"]
    undated = post(world)
    refused = client_for(world.alice).post(
        f"/api/v1/exchanges/{undated.pk}/renew", content_type="application/json"
    )
    assert (refused.status_code, refused.json()["code"]) == (400, "no_end_date")
    assert _fresh(exchange).ends_on == _in(1)


def _renew_form(exchange: Exchange) -> str:
    return f'action="/exchanges/{exchange.pk}/renew/"'


def test_the_page_offers_the_author_to_renew_when_the_end_is_near(world: World) -> None:
    soon = post(world, ends_on=_in(actions.EXPIRY_REMINDER_DAYS))
    later = post(world, ends_on=_in(actions.EXPIRY_REMINDER_DAYS + 1))
    alice, bob = client_for(world.alice), client_for(world.bob)
    assert _renew_form(soon) in alice.get(f"/exchanges/{soon.pk}/").text
    assert _renew_form(soon) not in bob.get(f"/exchanges/{soon.pk}/").text
    assert _renew_form(later) not in alice.get(f"/exchanges/{later.pk}/").text
    # An expired one too.
    expired = post(world, ends_on=TODAY)
    actions.expire_due(_in(1))
    assert _renew_form(expired) in alice.get(f"/exchanges/{expired.pk}/").text


def test_the_renew_button_works_without_javascript(world: World) -> None:
    exchange = post(world, ends_on=_in(1))
    page = client_for(world.alice).post(f"/exchanges/{exchange.pk}/renew/", follow=True)
    assert page.redirect_chain == [(f"/exchanges/{exchange.pk}/", 302)]
    assert 'class="message success"' in page.text
    assert _fresh(exchange).ends_on == _in(1 + actions.RENEW_DAYS)
    assert _renew_form(exchange) not in page.text  # far away again


def test_the_renew_button_refuses_others_and_shows_why(world: World) -> None:
    exchange = post(world, ends_on=_in(1))
    assert client_for(world.bob).post(f"/exchanges/{exchange.pk}/renew/").status_code == 403
    assert client_for(world.eve).post(f"/exchanges/{exchange.pk}/renew/").status_code == 404
    assert client_for(world.alice).get(f"/exchanges/{exchange.pk}/renew/").status_code == 405
    actions.cancel_exchange(world.alice.user, exchange)
    page = client_for(world.alice).post(f"/exchanges/{exchange.pk}/renew/", follow=True)
    assert page.status_code == 200
    assert 'class="message error"' in page.text
    assert _fresh(exchange).ends_on == _in(1)


def test_the_daily_command_expires_and_reminds(world: World) -> None:
    past = post(world, ends_on=TODAY)
    Exchange.objects.filter(pk=past.pk).update(ends_on=_in(-1))
    post(world, ends_on=_in(1))
    post(world, ends_on=_in(2))
    out = StringIO()
    call_command("expire_exchanges", stdout=out)
    assert out.getvalue().splitlines() == [
        "1 exchange(s) expired",
        "2 expiry reminder(s) sent",
    ]
    out = StringIO()
    call_command("expire_exchanges", stdout=out)
    assert out.getvalue().splitlines() == [
        "0 exchange(s) expired",
        "0 expiry reminder(s) sent",
    ]


def test_it_reminds_in_a_constant_number_of_queries(world: World) -> None:
    add_members(world, 20, tag="q")
    authors = list(Membership.objects.filter(user__email__startswith="q").select_related("user"))

    def cost(day: int, count: int) -> int:
        for member in authors[:count]:
            post(world, member.user, ends_on=_in(day))
        with CaptureQueriesContext(connection) as queries:
            assert actions.remind_expiring(_in(day)) == count
        return len(queries)

    assert cost(10, 2) == cost(20, 20)
    reminded = Notification.objects.filter(kind="exchanges", user__email__startswith="q")
    assert reminded.count() == 22
    assert len({n.url for n in reminded}) == 22  # each author, their own exchange


@pytest.mark.django_db(transaction=True)
async def test_a_renewal_reaches_the_members_sockets() -> None:
    world: World = await sync_to_async(build_world)()
    exchange = await sync_to_async(post)(
        world, kind="offer", title="Prêt de perceuse", ends_on=TODAY
    )
    await sync_to_async(actions.expire_due)(_in(1))
    bob, _ = await open_socket(world.bob.user)
    eve, _ = await open_socket(world.eve.user)
    await sync_to_async(actions.renew_exchange)(world.alice.user, exchange)
    frame = await next_of(bob, "exchange.updated")
    assert frame["data"] == {
        "id": exchange.pk,
        "residence_id": world.residence.pk,
        "kind": "offer",
        "category": "diy",
        "title": "Prêt de perceuse",
        "status": "open",
    }
    assert await eve.receive_nothing(timeout=0.3)
    for socket in (bob, eve):
        await socket.disconnect()

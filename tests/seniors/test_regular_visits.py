"""Regular visits and calls: set up from a visit or call request a volunteer took, both see the
next date, either marks it done or stops it; a date nobody marked done is recorded as missed,
the co-animators told once."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.notifications.models import Notification
from apps.seniors import actions, visits
from apps.seniors.models import HelpRequest, RegularVisit, VisitOccurrence
from tests.conftest import World, client_for
from tests.seniors.helpers import post, resident, volunteer

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _taken(world: World, kind: str = "call") -> tuple[HelpRequest, Any]:
    zoe = volunteer(world, "zoe@test.fr", "Zoé", (kind,))
    help_request = post(world, kind=kind)
    return actions.take_request(zoe, help_request), zoe


def _plan(world: World, actor: object | None = None, **extra: object) -> RegularVisit:
    help_request, zoe = _taken(world)
    fields: dict[str, object] = {"every_days": 7, "next_on": TODAY()}
    fields.update(extra)
    return visits.set_up_regular_visit(actor or zoe, help_request, **fields)  # type: ignore[arg-type]


def test_it_sets_up_a_regular_call_and_tells_the_senior(world: World) -> None:
    plan = _plan(world)
    assert (plan.kind, plan.every_days, plan.next_on, plan.active) == ("call", 7, TODAY(), True)
    assert plan.senior_id == world.alice.user_id
    assert Notification.objects.filter(user=world.alice.user, title__contains="régulier").exists()


def test_it_tells_the_volunteer_when_the_senior_sets_it_up(world: World) -> None:
    help_request, zoe = _taken(world, "visit")
    visits.set_up_regular_visit(world.alice.user, help_request, every_days=14, next_on=TODAY())
    assert Notification.objects.filter(user=zoe, title__contains="régulier").exists()


def test_it_refuses_someone_else(world: World) -> None:
    help_request, _zoe = _taken(world)
    sam = resident(world, "sam@test.fr", "Sam")
    for person in (sam, world.bob.user):
        with pytest.raises(PermissionDenied):
            visits.set_up_regular_visit(person, help_request, every_days=7, next_on=TODAY())


@pytest.mark.parametrize(
    ("setup", "code"),
    [
        ("shopping", "kind"),
        ("open", "not_taken"),
        ("every_3", "every_days"),
        ("past", "next_on"),
        ("twice", "exists"),
    ],
)
def test_it_refuses_bad_plans(world: World, setup: str, code: str) -> None:
    every, when = 7, TODAY()
    if setup == "shopping":
        help_request, actor = _taken(world, "shopping")
    elif setup == "open":
        help_request, actor = post(world, kind="call"), world.alice.user
    else:
        help_request, actor = _taken(world)
    if setup == "every_3":
        every = 3
    if setup == "past":
        when = TODAY() - datetime.timedelta(days=1)
    if setup == "twice":
        visits.set_up_regular_visit(actor, help_request, every_days=7, next_on=when)
    with pytest.raises(ValidationError) as error:
        visits.set_up_regular_visit(actor, help_request, every_days=every, next_on=when)
    assert error.value.code == code


def test_it_moves_the_next_date_when_either_marks_it_done(world: World) -> None:
    plan = _plan(world)
    plan = visits.mark_visit_done(world.alice.user, plan)
    assert plan.next_on == TODAY() + datetime.timedelta(days=7)
    occurrence = VisitOccurrence.objects.get()
    assert (occurrence.status, occurrence.due_on, occurrence.by_id) == (
        "done",
        TODAY(),
        world.alice.user_id,
    )
    # A week ahead is too early.
    with pytest.raises(ValidationError) as error:
        visits.mark_visit_done(plan.volunteer, plan)
    assert error.value.code == "not_yet"
    with pytest.raises(PermissionDenied):
        visits.mark_visit_done(resident(world, "sam@test.fr", "Sam"), plan)


def test_it_stops(world: World) -> None:
    plan = _plan(world)
    with pytest.raises(PermissionDenied):
        visits.stop_regular_visit(resident(world, "sam@test.fr", "Sam"), plan)
    plan = visits.stop_regular_visit(world.alice.user, plan)
    assert not plan.active and plan.stopped_by_id == world.alice.user_id
    for run in (visits.mark_visit_done, visits.stop_regular_visit):
        with pytest.raises(ValidationError) as error:
            run(world.alice.user, plan)
        assert error.value.code == "stopped"


def test_it_flags_a_missed_visit_once_and_tells_the_co_animators(world: World) -> None:
    plan = _plan(world)
    RegularVisit.objects.filter(pk=plan.pk).update(next_on=TODAY() - datetime.timedelta(days=1))
    # The day after is still within the grace period.
    assert visits.flag_missed_visits() == 0
    RegularVisit.objects.filter(pk=plan.pk).update(next_on=TODAY() - datetime.timedelta(days=2))
    out = io.StringIO()
    call_command("flag_missed_visits", stdout=out)
    assert "1 missed" in out.getvalue()
    missed = VisitOccurrence.objects.get()
    assert (missed.status, missed.due_on) == ("missed", TODAY() - datetime.timedelta(days=2))
    plan.refresh_from_db()
    assert plan.next_on == TODAY() + datetime.timedelta(days=5)
    alerts = Notification.objects.filter(title__contains="manqué")
    assert [n.user_id for n in alerts] == [world.bob.user_id]  # the co-animator only
    # Once: running again changes nothing.
    assert visits.flag_missed_visits() == 0
    assert Notification.objects.filter(title__contains="manqué").count() == 1
    # Co-animators see it on the waiting page.
    page = client_for(world.bob).get(f"/r/{world.residence.pk}/help/waiting/")
    assert list(page.context["missed_visits"]) == [missed]


def test_it_records_every_missed_date_of_a_long_silence(world: World) -> None:
    plan = _plan(world)
    RegularVisit.objects.filter(pk=plan.pk).update(next_on=TODAY() - datetime.timedelta(days=16))
    assert visits.flag_missed_visits() == 3  # -16, -9, -2
    plan.refresh_from_db()
    assert plan.next_on == TODAY() + datetime.timedelta(days=5)
    assert Notification.objects.filter(title__contains="manqué").count() == 1


def test_both_see_the_next_date_on_their_pages(world: World) -> None:
    plan = _plan(world)
    for person in (world.alice, plan.volunteer, world.bob):
        page = client_for(person).get(f"/help/{plan.help_request_id}/")
        assert list(page.context["regular_visits"]) == [plan]
        listing = client_for(person).get(f"/r/{world.residence.pk}/help/")
        assert list(listing.context["regular_visits"]) == [plan]
    sam = resident(world, "sam@test.fr", "Sam")
    assert client_for(sam).get(f"/help/{plan.help_request_id}/").context["regular_visits"] == []
    assert client_for(sam).get(f"/r/{world.residence.pk}/help/").context["regular_visits"] == []


def test_the_pages_plan_mark_done_and_stop(world: World) -> None:
    help_request, zoe = _taken(world)
    zoe_client = client_for(zoe)
    page = zoe_client.get(f"/help/{help_request.pk}/")
    assert page.context["can_plan_visit"]
    bad = zoe_client.post(f"/help/{help_request.pk}/regular/", {"every_days": "7"})
    assert bad.status_code == 400
    created = zoe_client.post(
        f"/help/{help_request.pk}/regular/",
        {"every_days": "14", "next_on": TODAY().isoformat(), "time": "15:00"},
    )
    assert created.status_code == 302
    plan = RegularVisit.objects.get()
    assert (plan.every_days, plan.time) == (14, datetime.time(15, 0))
    assert client_for(world.alice).post(f"/visits/{plan.pk}/done/").status_code == 302
    plan.refresh_from_db()
    assert plan.next_on == TODAY() + datetime.timedelta(days=14)
    sam = resident(world, "sam@test.fr", "Sam")
    assert client_for(sam).post(f"/visits/{plan.pk}/stop/").status_code == 404
    assert client_for(world.eve).post(f"/visits/{plan.pk}/stop/").status_code == 404
    assert client_for(world.dave).post(f"/visits/{plan.pk}/stop/").status_code == 404
    assert zoe_client.post(f"/visits/{plan.pk}/stop/").status_code == 302
    plan.refresh_from_db()
    assert not plan.active


def test_the_api_plans_marks_done_and_stops(world: World) -> None:
    help_request, zoe = _taken(world)
    created = client_for(zoe).post(
        f"/api/v1/help-requests/{help_request.pk}/regular-visits",
        {"every_days": 30, "next_on": TODAY().isoformat()},
        content_type="application/json",
    )
    assert created.status_code == 201
    body = created.json()
    assert (body["every_days"], body["volunteer"]["id"]) == (30, zoe.pk)
    again = client_for(zoe).post(
        f"/api/v1/help-requests/{help_request.pk}/regular-visits",
        {"every_days": 30, "next_on": TODAY().isoformat()},
        content_type="application/json",
    )
    assert again.status_code == 400
    assert again.json()["code"] == "exists"
    assert "déjà prévue" in again.json()["detail"]
    assert RegularVisit.objects.filter(help_request=help_request).count() == 1
    done = client_for(world.alice).post(f"/api/v1/regular-visits/{body['id']}/done")
    assert done.status_code == 200
    assert done.json()["next_on"] == (TODAY() + datetime.timedelta(days=30)).isoformat()
    listed = client_for(world.alice).get(f"/api/v1/residences/{world.residence.pk}/regular-visits")
    assert [p["id"] for p in listed.json()] == [body["id"]]
    assert (
        client_for(world.eve).post(f"/api/v1/regular-visits/{body['id']}/stop").status_code == 404
    )
    stopped = client_for(world.alice).post(f"/api/v1/regular-visits/{body['id']}/stop")
    assert stopped.status_code == 200 and stopped.json()["active"] is False


@pytest.mark.parametrize("page", ["list", "waiting", "api"])
def test_it_uses_the_same_number_of_queries_for_few_and_many_visits(
    world: World, page: str
) -> None:
    url = {
        "list": f"/r/{world.residence.pk}/help/",
        "waiting": f"/r/{world.residence.pk}/help/waiting/",
        "api": f"/api/v1/residences/{world.residence.pk}/regular-visits",
    }[page]
    client = client_for(world.bob)
    zoe = volunteer(world, "zoe@test.fr", "Zoé", ("call",))

    def add(count: int) -> None:
        for _ in range(count):
            help_request = actions.take_request(zoe, post(world, kind="call"))
            plan = visits.set_up_regular_visit(zoe, help_request, every_days=7, next_on=TODAY())
            VisitOccurrence.objects.create(plan=plan, due_on=TODAY(), status="missed")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    add(2)
    small = count()
    add(8)
    assert count() == small

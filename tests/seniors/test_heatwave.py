"""Heatwave plan (plan canicule): seniors join the register; landlord staff switch a residence
to heatwave mode; every registered senior checks in each day; a daily call list gives each of
them to a volunteer, who records "called, all right" or "no answer"."""

from __future__ import annotations

import datetime
import io
import json
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.notifications.models import Notification
from apps.seniors import actions, checkins, heatwave
from apps.seniors.models import CheckInPlan, Heatwave, HeatwaveCall, HeatwaveRegistration
from tests.conftest import World, client_for, user_of
from tests.seniors.helpers import resident, volunteer

pytestmark = pytest.mark.django_db

PHONE = "06 12 34 56 78"


def _api(client: Client, method: str, url: str, body: dict[str, Any] | None = None) -> Any:
    return getattr(client, method)(
        f"/api/v1{url}", json.dumps(body or {}), content_type="application/json"
    )


def _register(world: World, user: Any, phone: str = PHONE, note: str = "") -> HeatwaveRegistration:
    return heatwave.join_register(user, world.residence, phone=phone, note=note)


def _start(world: World) -> Heatwave:
    return heatwave.start_heatwave(world.claire, world.residence)


def _seniors(world: World, count: int, tag: str = "s") -> list[Any]:
    people = [resident(world, f"{tag}{i}@test.fr", f"{tag.upper()}{i:02d}") for i in range(count)]
    for person in people:
        _register(world, person)
    return people


# --- starting and stopping ---------------------------------------------------------------------


def test_it_lets_staff_start_and_stop_the_mode_and_tells_seniors_and_volunteers(
    world: World,
) -> None:
    _register(world, world.alice.user)
    zoe = volunteer(world, "zoe@test.fr", "Zoé")
    Notification.objects.all().delete()
    started = _api(client_for(world.claire), "post", f"/residences/{world.residence.pk}/heatwave")
    assert started.status_code == 201, started.json()
    hw = Heatwave.objects.get()
    assert (hw.started_by_id, hw.ended_at) == (world.claire.pk, None)
    told = set(Notification.objects.values_list("user_id", flat=True))
    assert told == {world.alice.user_id, zoe.pk}
    assert Notification.objects.get(user=world.alice.user).url == "/checkin/"
    # Today's list is made at once.
    assert HeatwaveCall.objects.filter(registration__senior=world.alice.user).count() == 1

    stopped = client_for(world.claire).delete(f"/api/v1/residences/{world.residence.pk}/heatwave")
    assert stopped.status_code == 200
    hw.refresh_from_db()
    assert (hw.ended_by_id, hw.ended_at is not None) == (world.claire.pk, True)


def test_it_refuses_a_co_animator_a_resident_and_outsiders(world: World) -> None:
    url = f"/r/{world.residence.pk}/help/heatwave/start/"
    assert client_for(world.bob).post(url).status_code == 403
    assert client_for(world.alice).post(url).status_code == 403
    assert client_for(world.eve).post(url).status_code == 404
    assert client_for(world.dave).post(url).status_code == 404
    api = f"/residences/{world.residence.pk}/heatwave"
    assert _api(client_for(world.bob), "post", api).status_code == 403
    assert _api(client_for(world.alice), "post", api).status_code == 403
    assert _api(client_for(world.eve), "post", api).status_code == 404
    assert not Heatwave.objects.exists()
    with pytest.raises(PermissionDenied):
        heatwave.start_heatwave(world.bob.user, world.residence)


def test_it_refuses_to_start_twice_or_stop_when_off_with_a_reason(world: World) -> None:
    claire = client_for(world.claire)
    api = f"/residences/{world.residence.pk}/heatwave"
    assert _api(claire, "post", api).status_code == 201
    twice = _api(claire, "post", api)
    assert twice.status_code == 400
    assert twice.json()["code"] == "already_on"
    assert "déjà en cours" in twice.json()["detail"]
    # The page says it too, as a message.
    page = claire.post(f"/r/{world.residence.pk}/help/heatwave/start/", follow=True)
    assert "déjà en cours" in page.text
    assert claire.delete(f"/api/v1{api}").status_code == 200
    off = claire.delete(f"/api/v1{api}")
    assert (off.status_code, off.json()["code"]) == (400, "not_on")
    # After a stop, it can start again.
    assert _api(claire, "post", api).status_code == 201
    assert Heatwave.objects.filter(ended_at__isnull=True).count() == 1


def test_the_database_allows_one_active_heatwave_per_residence(world: World) -> None:
    Heatwave.objects.create(residence=world.residence, started_by=world.claire)
    with pytest.raises(IntegrityError), transaction.atomic():
        Heatwave.objects.create(residence=world.residence, started_by=world.claire)
    Heatwave.objects.create(residence=world.other, started_by=world.claire)


def test_the_help_page_shows_a_banner_while_the_mode_is_on(world: World) -> None:
    url = f"/r/{world.residence.pk}/help/"
    claire, alice = client_for(world.claire), client_for(world.alice)
    assert "heatwave-banner" not in alice.get(url).text
    assert f"/r/{world.residence.pk}/help/heatwave/start/" in claire.get(url).text
    assert "/help/heatwave/start/" not in client_for(world.bob).get(url).text
    claire.post(f"/r/{world.residence.pk}/help/heatwave/start/")
    page = alice.get(url).text
    assert "heatwave-banner" in page
    assert 'href="/checkin/"' in page
    assert "/help/heatwave/calls/" not in page  # Alice is not a volunteer
    volunteer_user = volunteer(world, "zoe@test.fr", "Zoé")
    assert "/help/heatwave/calls/" in client_for(volunteer_user).get(url).text
    assert "/help/heatwave/calls/" in client_for(world.bob).get(url).text
    assert "/help/heatwave/stop/" in claire.get(url).text
    claire.post(f"/r/{world.residence.pk}/help/heatwave/stop/")
    assert "heatwave-banner" not in alice.get(url).text


# --- the register ------------------------------------------------------------------------------


def test_it_lets_a_senior_join_and_leave_the_register(world: World) -> None:
    alice = client_for(world.alice)
    url = f"/r/{world.residence.pk}/help/heatwave/register/"
    assert alice.get(url).status_code == 200
    missing = alice.post(url, {"phone": ""})
    assert missing.status_code == 400
    bad = alice.post(url, {"phone": "abc"})
    assert bad.status_code == 400
    assert not HeatwaveRegistration.objects.exists()
    joined = alice.post(url, {"phone": PHONE, "note": "Seule, 4e étage"})
    assert joined.status_code == 302
    entry = HeatwaveRegistration.objects.get()
    assert (entry.senior_id, entry.phone, entry.note, entry.active) == (
        world.alice.user_id,
        PHONE,
        "Seule, 4e étage",
        True,
    )
    assert PHONE in alice.get(url).text
    left = alice.post(f"/r/{world.residence.pk}/help/heatwave/leave/")
    assert left.status_code == 302
    entry.refresh_from_db()
    assert (entry.active, entry.left_at is not None) == (False, True)
    # Joining again brings the entry back.
    assert alice.post(url, {"phone": "07 00 00 00 01"}).status_code == 302
    entry.refresh_from_db()
    assert (entry.active, entry.phone, entry.left_at) == (True, "07 00 00 00 01", None)


def test_it_refuses_to_register_twice_or_leave_when_not_registered(world: World) -> None:
    alice = client_for(world.alice)
    api = f"/residences/{world.residence.pk}/heatwave-register"
    assert _api(alice, "post", api, {"phone": PHONE}).status_code == 201
    twice = _api(alice, "post", api, {"phone": PHONE})
    assert (twice.status_code, twice.json()["code"]) == (400, "already_registered")
    assert alice.delete(f"/api/v1{api}").status_code == 200
    again = alice.delete(f"/api/v1{api}")
    assert (again.status_code, again.json()["code"]) == (400, "not_registered")
    with pytest.raises(ValidationError) as error:
        heatwave.join_register(world.alice.user, world.residence, phone=PHONE, note="x" * 201)
    assert error.value.code == "too_long"


def test_a_moderator_or_a_registered_helper_registers_a_senior_on_their_behalf(
    world: World,
) -> None:
    sam = resident(world, "sam@test.fr", "Sam")
    api = f"/residences/{world.residence.pk}/heatwave-register"
    body = {"phone": PHONE, "senior_id": world.alice.user_id}
    # A plain neighbour may not.
    assert _api(client_for(sam), "post", api, body).status_code == 403
    with pytest.raises(PermissionDenied):
        heatwave.join_register(sam, world.residence, phone=PHONE, senior_id=world.alice.user_id)
    # Once Sam is Alice's registered helper, he may, and Alice is told.
    actions.register_aidant(
        world.bob.user,
        world.residence,
        senior_id=world.alice.user_id,
        aidant_id=sam.pk,
        how="oral",
    )
    Notification.objects.all().delete()
    assert _api(client_for(sam), "post", api, body).status_code == 201
    entry = HeatwaveRegistration.objects.get()
    assert (entry.senior_id, entry.registered_by_id) == (world.alice.user_id, sam.pk)
    assert Notification.objects.filter(user=world.alice.user, title__contains="Sam").exists()
    # Sam sees her entry with the phone on the register page; the page form offers her.
    page = client_for(sam).get(f"/r/{world.residence.pk}/help/heatwave/register/").text
    assert PHONE in page
    # Bob (co-animator) takes her off the register, then puts her back with the page form.
    bob = client_for(world.bob)
    assert bob.delete(f"/api/v1{api}?senior_id={world.alice.user_id}").status_code == 200
    put = bob.post(
        f"/r/{world.residence.pk}/help/heatwave/register/",
        {"senior": world.alice.user_id, "phone": PHONE},
    )
    assert put.status_code == 302
    entry.refresh_from_db()
    assert (entry.active, entry.registered_by_id) == (True, world.bob.user_id)
    # A partner may not join; an outsider does not see the residence.
    assert _api(client_for(world.dave), "post", api, {"phone": PHONE}).status_code == 403
    assert _api(client_for(world.eve), "post", api, {"phone": PHONE}).status_code == 404


def test_the_register_page_shows_phones_only_to_those_who_may_see_them(world: World) -> None:
    _register(world, world.alice.user)
    url = f"/r/{world.residence.pk}/help/heatwave/register/"
    sam = resident(world, "sam@test.fr", "Sam")
    assert PHONE not in client_for(sam).get(url).text
    assert PHONE in client_for(world.alice).get(url).text
    assert PHONE in client_for(world.bob).get(url).text
    assert PHONE in client_for(world.claire).get(url).text


# --- the check-in ------------------------------------------------------------------------------


def test_a_registered_senior_checks_in_without_a_plan_only_during_a_heatwave(
    world: World,
) -> None:
    alice = client_for(world.alice)
    assert alice.post("/api/v1/checkins").status_code == 400  # no plan, no register
    entry = _register(world, world.alice.user)
    refused = alice.post("/api/v1/checkins")
    assert (refused.status_code, refused.json()["code"]) == (400, "no_plan")  # no heatwave
    assert "Plan canicule" not in alice.get("/checkin/").text
    _start(world)
    assert "Plan canicule" in alice.get("/checkin/").text
    assert alice.post("/checkin/").status_code == 200
    entry.refresh_from_db()
    assert entry.last_check_in_at is not None
    assert alice.post("/api/v1/checkins").json() == {"plans": 1}
    assert not CheckInPlan.objects.exists()


def test_a_check_in_records_both_the_plan_and_the_register(world: World) -> None:
    zoe = resident(world, "zoe@test.fr", "Zoé")
    checkins.set_checkin_plan(
        world.alice.user, world.residence, deadline=datetime.time(10), contact_id=zoe.pk
    )
    _register(world, world.alice.user)
    _start(world)
    assert checkins.check_in(world.alice.user) == 2
    assert CheckInPlan.objects.get().last_check_in_at is not None
    assert HeatwaveRegistration.objects.get().last_check_in_at is not None


# --- the call list -----------------------------------------------------------------------------


def test_the_round_robin_is_stable_fair_and_moves_on_each_day() -> None:
    day = datetime.date(2025, 7, 1)
    seniors, volunteers = [10, 11, 12, 13, 14, 15], [3, 1, 2]
    first = heatwave.assign_round_robin(seniors, volunteers, day)
    assert first == heatwave.assign_round_robin(list(reversed(seniors)), volunteers, day)
    counts = [list(first.values()).count(v) for v in (1, 2, 3)]
    assert counts == [2, 2, 2]
    next_day = heatwave.assign_round_robin(seniors, volunteers, day + datetime.timedelta(days=1))
    assert all(next_day[s] != first[s] for s in seniors)
    # Nobody calls themselves while another volunteer exists; no volunteer at all: None.
    assert all(
        heatwave.assign_round_robin([1, 2], [1, 2], day + datetime.timedelta(days=n))[s] != s
        for n in range(3)
        for s in (1, 2)
    )
    assert heatwave.assign_round_robin([1], [1], day) == {1: None}
    assert heatwave.assign_round_robin([1, 2], [], day) == {1: None, 2: None}


def test_it_makes_the_list_once_a_day_and_the_command_is_idempotent(world: World) -> None:
    seniors = _seniors(world, 4)
    zoe = volunteer(world, "zoe@test.fr", "Zoé")
    yann = volunteer(world, "yann@test.fr", "Yann")
    assert heatwave.make_call_list(world.residence.pk) == 0  # not in heatwave mode
    _start(world)
    calls = HeatwaveCall.objects.filter(residence=world.residence)
    assert calls.count() == 4
    assigned = dict(calls.values_list("registration__senior_id", "volunteer_id"))
    expected = heatwave.assign_round_robin(
        [s.pk for s in seniors], [zoe.pk, yann.pk], timezone.localdate()
    )
    assert assigned == expected
    assert sorted(assigned.values()).count(zoe.pk) == 2
    out = io.StringIO()
    call_command("heatwave_calls", stdout=out)
    assert out.getvalue().startswith("0 ")
    assert heatwave.make_call_list(world.residence.pk) == 0
    client_for(world.bob).get(f"/r/{world.residence.pk}/help/heatwave/calls/")
    assert calls.count() == 4
    assert dict(calls.values_list("registration__senior_id", "volunteer_id")) == assigned
    # A senior who joins later gets a line the next time; the others keep theirs.
    late = _seniors(world, 1, tag="late")[0]
    call_command("heatwave_calls", stdout=out)
    assert calls.count() == 5
    assert (
        dict(
            calls.exclude(registration__senior=late).values_list(
                "registration__senior_id", "volunteer_id"
            )
        )
        == assigned
    )
    # Tomorrow: a new list.
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    assert heatwave.make_call_lists(tomorrow) == 5
    assert heatwave.make_call_lists(tomorrow) == 0


def test_a_volunteer_sees_their_calls_with_phones_and_records_them(world: World) -> None:
    seniors = _seniors(world, 2)
    zoe = volunteer(world, "zoe@test.fr", "Zoé")
    _start(world)
    zoe_client = client_for(zoe)
    page = zoe_client.get(f"/r/{world.residence.pk}/help/heatwave/calls/")
    assert page.status_code == 200
    assert f'href="tel:{PHONE}"' in page.text
    rows = zoe_client.get(f"/api/v1/residences/{world.residence.pk}/heatwave/calls").json()
    assert {r["senior"]["id"] for r in rows} == {s.pk for s in seniors}
    assert {r["state"] for r in rows} == {"to_call"}
    first = HeatwaveCall.objects.get(registration__senior=seniors[0])
    done = zoe_client.post(
        f"/heatwave-calls/{first.pk}/", {"outcome": "ok", "note": "Elle boit bien"}
    )
    assert done.status_code == 302
    first.refresh_from_db()
    assert (first.outcome, first.note, first.called_by_id) == ("ok", "Elle boit bien", zoe.pk)
    again = _api(zoe_client, "post", f"/heatwave-calls/{first.pk}", {"outcome": "no_answer"})
    assert (again.status_code, again.json()["code"]) == (400, "already_ok")
    bad = _api(zoe_client, "post", f"/heatwave-calls/{first.pk}", {"outcome": "maybe"})
    assert bad.status_code == 400


def test_no_answer_tells_the_co_animators_and_staff_at_once(world: World) -> None:
    (senior,) = _seniors(world, 1)
    zoe = volunteer(world, "zoe@test.fr", "Zoé")
    _start(world)
    Notification.objects.all().delete()
    call = HeatwaveCall.objects.get()
    answered = _api(client_for(zoe), "post", f"/heatwave-calls/{call.pk}", {"outcome": "no_answer"})
    assert answered.status_code == 200
    assert answered.json()["state"] == "no_answer"
    told = Notification.objects.filter(title__contains=senior.first_name)
    assert set(told.values_list("user_id", flat=True)) == {world.bob.user_id, world.claire.pk}
    assert not Notification.objects.filter(user=zoe).exists()
    # A later call gets through.
    ok = _api(client_for(zoe), "post", f"/heatwave-calls/{call.pk}", {"outcome": "ok"})
    assert ok.json()["state"] == "ok"


def test_a_senior_who_checked_in_needs_no_call(world: World) -> None:
    alice_entry = _register(world, world.alice.user)
    zoe = volunteer(world, "zoe@test.fr", "Zoé")
    _start(world)
    checkins.check_in(world.alice.user)
    rows = client_for(zoe).get(f"/api/v1/residences/{world.residence.pk}/heatwave/calls").json()
    assert [(r["senior"]["id"], r["state"]) for r in rows] == [
        (alice_entry.senior_id, "checked_in")
    ]
    page = client_for(world.bob).get(f"/r/{world.residence.pk}/help/heatwave/calls/").text
    assert 'data-state="checked_in"' in page
    assert f"/heatwave-calls/{HeatwaveCall.objects.get().pk}/" not in page  # no buttons


def test_only_the_assigned_volunteer_and_moderators_record_a_call(world: World) -> None:
    _seniors(world, 1)
    zoe = volunteer(world, "zoe@test.fr", "Zoé")
    _start(world)
    yann = volunteer(world, "yann@test.fr", "Yann")  # a volunteer, but not on today's line
    call = HeatwaveCall.objects.get()
    assert call.volunteer_id == zoe.pk
    url = f"/heatwave-calls/{call.pk}/"
    assert client_for(yann).post(url, {"outcome": "ok"}).status_code == 403
    assert client_for(world.alice).post(url, {"outcome": "ok"}).status_code == 403
    assert client_for(world.eve).post(url, {"outcome": "ok"}).status_code == 404
    assert client_for(world.dave).post(url, {"outcome": "ok"}).status_code == 404
    assert client_for(world.bob).post(url, {"outcome": "no_answer"}).status_code == 302
    call.refresh_from_db()
    assert (call.outcome, call.called_by_id) == ("no_answer", world.bob.user_id)


def test_a_call_cannot_be_recorded_once_the_mode_is_off_or_another_day(world: World) -> None:
    _seniors(world, 1)
    zoe = volunteer(world, "zoe@test.fr", "Zoé")
    _start(world)
    call = HeatwaveCall.objects.get()
    HeatwaveCall.objects.filter(pk=call.pk).update(
        day=timezone.localdate() - datetime.timedelta(days=1)
    )
    with pytest.raises(ValidationError) as error:
        heatwave.record_call(zoe, call, outcome="ok")
    assert error.value.code == "other_day"
    HeatwaveCall.objects.filter(pk=call.pk).update(day=timezone.localdate())
    heatwave.stop_heatwave(world.claire, world.residence)
    with pytest.raises(ValidationError) as error:
        heatwave.record_call(zoe, call, outcome="ok")
    assert error.value.code == "not_on"


def test_phones_reach_only_the_assigned_volunteer_and_moderators(world: World) -> None:
    seniors = _seniors(world, 2)
    zoe = volunteer(world, "zoe@test.fr", "Zoé")
    yann = volunteer(world, "yann@test.fr", "Yann")
    HeatwaveRegistration.objects.filter(senior=seniors[1]).update(phone="07 99 99 99 99")
    _start(world)
    url = f"/api/v1/residences/{world.residence.pk}/heatwave/calls"
    mine = {user.pk: client_for(user).get(url).json() for user in (zoe, yann, world.alice.user)}
    assert len(mine[zoe.pk]) == len(mine[yann.pk]) == 1
    assert mine[zoe.pk][0]["phone"] != mine[yann.pk][0]["phone"]
    assert mine[world.alice.user_id] == []  # not a volunteer
    page = client_for(zoe).get(f"/r/{world.residence.pk}/help/heatwave/calls/").text
    assert mine[yann.pk][0]["phone"] not in page
    everyone = client_for(world.bob).get(url).json()
    assert {r["phone"] for r in everyone} == {PHONE, "07 99 99 99 99"}
    assert client_for(world.dave).get(url).status_code == 404
    assert client_for(world.eve).get(url).status_code == 404


def test_events_never_carry_a_phone(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    sent: list[tuple[Any, str, dict[str, Any]]] = []
    record = lambda names, kind, data: sent.append((names, kind, data))  # noqa: E731
    monkeypatch.setattr(heatwave, "publish_on_commit", record)
    monkeypatch.setattr(checkins, "publish_on_commit", record)
    (senior,) = _seniors(world, 1)
    zoe = volunteer(world, "zoe@test.fr", "Zoé")
    _start(world)
    checkins.check_in(senior)
    heatwave.record_call(zoe, HeatwaveCall.objects.get(), outcome="no_answer", note="")
    heatwave.leave_register(senior, world.residence)
    kinds = [kind for _names, kind, _data in sent]
    assert kinds == [
        "heatwave.register_changed",
        "heatwave.started",
        "heatwave.checked_in",
        "heatwave.call_updated",
        "heatwave.register_changed",
    ]
    assert "06 12" not in json.dumps([data for _n, _k, data in sent])
    started = next(names for names, kind, _d in sent if kind == "heatwave.started")
    assert started == f"residence.{world.residence.pk}.members"


# --- constant numbers of queries ---------------------------------------------------------------


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("page", ["calls", "api", "register"])
def test_the_call_list_uses_the_same_number_of_queries_for_3_and_30_seniors(
    world: World, page: str
) -> None:
    url = {
        "calls": f"/r/{world.residence.pk}/help/heatwave/calls/",
        "api": f"/api/v1/residences/{world.residence.pk}/heatwave/calls",
        "register": f"/r/{world.residence.pk}/help/heatwave/register/",
    }[page]
    volunteer(world, "zoe@test.fr", "Zoé")
    volunteer(world, "yann@test.fr", "Yann")
    _start(world)
    bob = client_for(world.bob)
    first = _seniors(world, 3, tag="a")
    _count(bob, url)  # makes today's lines of the first three
    small = _count(bob, url)
    _seniors(world, 27, tag="b")
    _count(bob, url)
    checkins.check_in(first[0])
    assert _count(bob, url) == small


def test_missed_check_in_alerts_use_the_same_number_of_queries_for_2_and_20(
    world: World,
) -> None:
    contact = resident(world, "contact@test.fr", "Contact")

    def plans(count: int, tag: str) -> None:
        for i in range(count):
            senior = resident(world, f"{tag}{i}@test.fr", f"{tag}{i}")
            checkins.set_checkin_plan(
                senior,
                world.residence,
                deadline=datetime.time(0, 0),
                contact_id=contact.pk,
                notify_moderators=True,
            )

    def alert() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            sent = checkins.alert_missed_checkins()
        return sent, len(queries)

    plans(2, "p")
    two = alert()
    assert two[0] == 2
    plans(20, "q")
    twenty = alert()
    assert twenty[0] == 20
    assert twenty[1] == two[1]
    assert Notification.objects.filter(user=contact).count() == 22
    assert Notification.objects.filter(user=user_of(world.bob)).count() == 22

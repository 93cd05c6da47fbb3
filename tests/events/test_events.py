"""Events: who publishes them, bad input, places and the waiting list, cancellation,
reminders, the .ics of an event and the personal calendar feed, the API."""

from __future__ import annotations

import datetime
import io
from typing import Any

import icalendar
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.events import actions
from apps.events.models import Attendance, CalendarToken, Event
from apps.moderation import actions as moderation
from apps.notifications.models import Notification
from tests.conftest import World, add_members, client_for
from tests.events.helpers import event, in_days, resident

pytestmark = pytest.mark.django_db


def _statuses(post: Any) -> dict[int, str]:
    return dict(Attendance.objects.filter(event_id=post.pk).values_list("user_id", "status"))


# --- publishing -----------------------------------------------------------------------------


def test_it_lets_co_animators_staff_and_partners_publish_events(world: World) -> None:
    for author in (world.bob.user, world.claire, world.dave):
        post = event(world, author=author, title=f"Atelier de {author.first_name}")
        assert post.kind == "event" and post.moderation == ""
        assert Event.objects.get(pk=post.pk).place == "Salle commune"
    assert event(world, author=world.dave).signed_as == "Centre social"


def test_it_refuses_residents_with_the_reason(world: World) -> None:
    with pytest.raises(PermissionDenied, match="co-anim"):
        event(world, author=world.alice.user)
    response = client_for(world.alice).get(f"/r/{world.residence.pk}/feed/new-event/")
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("extra", "code"),
    [
        ({"title": " "}, "title"),
        ({"starts_at": timezone.now() - datetime.timedelta(hours=1)}, "starts_at"),
        ({"ends_at": "later"}, "ends_at"),
        ({"place": "  "}, "place"),
        ({"place": "x" * 201}, "too_long"),
        ({"capacity": 0}, "capacity"),
        ({"capacity": "3"}, "capacity"),
    ],
)
def test_it_refuses_bad_input_and_writes_nothing(
    world: World, extra: dict[str, Any], code: str
) -> None:
    with pytest.raises(ValidationError) as error:
        event(world, **extra)
    assert error.value.code == code
    assert not Event.objects.exists()


def test_it_refuses_an_end_before_the_start(world: World) -> None:
    start = in_days(3)
    with pytest.raises(ValidationError) as error:
        event(world, starts_at=start, ends_at=start - datetime.timedelta(minutes=1))
    assert error.value.code == "ends_at"


def test_it_holds_an_event_with_a_forbidden_word(world: World) -> None:
    moderation.update_settings(
        world.bob.user, world.residence, keywords="vente", hold_new_members=False, charter=""
    )
    post = event(world, author=world.claire, place="Grande vente au local")
    assert post.moderation == "held"
    assert not Notification.objects.filter(source=f"post:{post.pk}").exists()


def test_it_publishes_through_the_form(world: World) -> None:
    client = client_for(world.bob)
    start = in_days(4).astimezone(timezone.get_current_timezone())
    response = client.post(
        f"/r/{world.residence.pk}/feed/new-event/",
        {
            "title": "Loto",
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "place": "Salle commune",
            "capacity": "20",
        },
    )
    assert response.status_code == 302
    assert Event.objects.get(post__title="Loto").capacity == 20


def test_it_publishes_through_the_api(world: World) -> None:
    client = client_for(world.bob)
    api = client.post(
        f"/api/v1/residences/{world.residence.pk}/posts",
        {
            "kind": "event",
            "title": "Pétanque",
            "starts_at": in_days(6).isoformat(),
            "ends_at": in_days(6.1).isoformat(),
            "place": "Cour",
            "capacity": 8,
        },
        content_type="application/json",
    )
    assert api.status_code == 201, api.json()
    assert api.json()["kind"] == "event"
    assert Event.objects.get(pk=api.json()["id"]).place == "Cour"
    bad = client.post(
        f"/api/v1/residences/{world.residence.pk}/posts",
        {"kind": "event", "title": "Pétanque", "starts_at": "demain", "place": "Cour"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and bad.json()["code"] == "starts_at"
    refused = client_for(world.alice).post(
        f"/api/v1/residences/{world.residence.pk}/posts",
        {"kind": "event", "title": "X", "starts_at": in_days(6).isoformat(), "place": "Cour"},
        content_type="application/json",
    )
    assert refused.status_code == 403 and "co-anim" in refused.json()["detail"]


# --- RSVP and the waiting list --------------------------------------------------------------


def test_it_fills_the_places_then_the_waiting_list_and_promotes_the_first(world: World) -> None:
    post = event(world, capacity=2)
    zoe = resident(world, "zoe@test.fr", "Zoé")
    alice, bob = world.alice.user, world.bob.user
    assert actions.rsvp(alice, post, True) == "going"
    assert actions.rsvp(bob, post, True) == "going"
    assert actions.rsvp(zoe, post, True) == "waiting"
    assert actions.rsvp(zoe, post, True) == "waiting"  # saying it twice changes nothing
    assert actions.rsvp(world.claire, post, True) == "waiting"
    page = client_for(zoe).get(f"/posts/{post.pk}/").text
    assert "(number 1)" in page or "(numéro 1)" in page

    assert actions.rsvp(alice, post, False) == ""
    assert _statuses(post) == {bob.pk: "going", zoe.pk: "going", world.claire.pk: "waiting"}
    note = Notification.objects.get(user=zoe)
    assert "Fête des voisins" in note.title and note.url == f"/posts/{post.pk}/"
    assert not Notification.objects.filter(user=world.claire, title__contains="place").exists()
    # Leaving the waiting list frees nothing.
    actions.rsvp(world.claire, post, False)
    assert _statuses(post) == {bob.pk: "going", zoe.pk: "going"}


def test_it_refuses_partners_outsiders_and_past_or_cancelled_events(world: World) -> None:
    post = event(world)
    with pytest.raises(PermissionDenied):
        actions.rsvp(world.dave, post, True)
    with pytest.raises(PermissionDenied):
        actions.rsvp(world.eve.user, post, True)
    past = timezone.now() - datetime.timedelta(minutes=1)
    Event.objects.filter(pk=post.pk).update(starts_at=past)
    with pytest.raises(ValidationError) as started:
        actions.rsvp(world.alice.user, post, True)
    assert started.value.code == "started"
    other = event(world, title="Autre")
    actions.cancel_event(world.bob.user, other)
    with pytest.raises(ValidationError) as cancelled:
        actions.rsvp(world.alice.user, other, True)
    assert cancelled.value.code == "cancelled"


def test_it_answers_rsvp_over_the_api(world: World) -> None:
    post = event(world, capacity=1)
    url = f"/api/v1/posts/{post.pk}/rsvp"
    alice = client_for(world.alice)
    ok = alice.post(url, {"going": True}, content_type="application/json")
    assert ok.json() == {"status": "going", "waiting_position": None}
    bob = client_for(world.bob).post(url, {"going": True}, content_type="application/json")
    assert bob.json() == {"status": "waiting", "waiting_position": 1}
    dave = client_for(world.dave).post(url, {"going": True}, content_type="application/json")
    assert dave.status_code == 403  # partners see the events (DESIGN §4) but do not sign up
    own = event(world, author=world.dave)
    refused = client_for(world.dave).post(
        f"/api/v1/posts/{own.pk}/rsvp", {"going": True}, content_type="application/json"
    )
    assert refused.status_code == 403 and refused.json()["detail"]
    gone = alice.post(url, {"going": False}, content_type="application/json")
    assert gone.json()["status"] == ""
    assert _statuses(post) == {world.bob.user_id: "going"}


def test_the_rsvp_button_works_without_javascript(world: World) -> None:
    post = event(world)
    client = client_for(world.alice)
    response = client.post(f"/posts/{post.pk}/rsvp/", {"going": "1"})
    assert response.status_code == 302
    assert _statuses(post) == {world.alice.user_id: "going"}
    client.post(f"/posts/{post.pk}/rsvp/", {"going": "0"})
    assert _statuses(post) == {}


# --- cancellation and reminders -------------------------------------------------------------


def test_cancelling_notifies_everyone_who_signed_up(world: World) -> None:
    post = event(world, capacity=1)
    zoe = resident(world, "zoe@test.fr", "Zoé")
    actions.rsvp(world.alice.user, post, True)
    actions.rsvp(zoe, post, True)  # waiting list
    with pytest.raises(PermissionDenied):
        actions.cancel_event(world.alice.user, post)
    assert client_for(world.alice).post(f"/posts/{post.pk}/cancel-event/").status_code == 403
    response = client_for(world.claire).post(f"/posts/{post.pk}/cancel-event/")
    assert response.status_code == 302
    notes = Notification.objects.filter(source=f"post:{post.pk}").exclude(
        title__startswith="Fête"  # the announcement of the news
    )
    assert sorted(n.user_id for n in notes) == sorted([world.alice.user_id, zoe.pk])
    assert Event.objects.get(pk=post.pk).cancelled_at is not None
    actions.cancel_event(world.bob.user, post)  # again: nobody is told twice
    assert Notification.objects.filter(user=zoe).count() == 1


def _reminders(now: datetime.datetime) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        sent = actions.send_reminders(now)
    return sent, len(queries)


def test_reminders_go_once_in_constant_queries(world: World) -> None:
    now = timezone.now()
    small = event(world, title="Petit", starts_at=now + datetime.timedelta(hours=30))
    later = event(world, title="Plus tard", starts_at=now + datetime.timedelta(hours=60))
    actions.rsvp(world.alice.user, small, True)
    actions.rsvp(world.bob.user, small, True)
    actions.rsvp(world.alice.user, later, True)
    sent, few = _reminders(now)
    assert sent == 2
    assert Notification.objects.filter(title__contains="Petit", user=world.alice.user).count() == 2
    assert _reminders(now)[0] == 0  # once

    add_members(world, 20)
    big = event(world, title="Grand", starts_at=now + datetime.timedelta(hours=40))
    for membership in world.residence.memberships.filter(user__email__startswith="m")[:20]:
        actions.rsvp(membership.user, big, True)
    sent, many = _reminders(now)
    assert sent == 20
    assert many == few
    assert Event.objects.get(pk=later.pk).reminded_at is None
    out = io.StringIO()
    call_command("remind_events", stdout=out)
    assert out.getvalue() == "0 event reminders sent\n"


# --- calendars ------------------------------------------------------------------------------


def _parse(body: bytes) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(body)


def test_the_ics_of_an_event_reads_back(world: World) -> None:
    start = in_days(5)
    post = event(world, starts_at=start, ends_at=start + datetime.timedelta(hours=2), capacity=4)
    response = client_for(world.alice).get(f"/posts/{post.pk}/event.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    (item,) = _parse(response.content).walk("VEVENT")
    assert str(item["summary"]) == "Fête des voisins"
    assert str(item["location"]) == "Salle commune"
    assert "Apportez un plat." in str(item["description"])
    assert item.decoded("dtstart") == start.replace(microsecond=0)
    assert item.decoded("dtstart").utcoffset() == datetime.timedelta(0)
    assert item.decoded("dtend") - item.decoded("dtstart") == datetime.timedelta(hours=2)
    assert str(item["uid"]) == f"event-{post.pk}@voisinage"
    assert str(item["status"]) == "CONFIRMED"
    actions.cancel_event(world.bob.user, post)
    again = client_for(world.alice).get(f"/posts/{post.pk}/event.ics")
    (cancelled,) = _parse(again.content).walk("VEVENT")
    assert str(cancelled["status"]) == "CANCELLED"
    assert str(cancelled["uid"]) == str(item["uid"])
    assert client_for(world.eve).get(f"/posts/{post.pk}/event.ics").status_code == 404


def test_the_calendar_feed_lists_my_events_by_token(world: World) -> None:
    coming = event(world, title="J'y vais")
    event(world, title="Pas moi")
    actions.rsvp(world.alice.user, coming, True)
    client = client_for(world.alice)
    assert ".ics" not in client.get("/me/calendar/").text  # no address until asked for
    client.post("/me/calendar/renew/")
    token = CalendarToken.objects.get(user=world.alice.user).token
    assert f"/calendar/{token}.ics" in client.get("/me/calendar/").text
    anonymous = client_for(world.eve)
    anonymous.logout()
    feed = anonymous.get(f"/calendar/{token}.ics")
    assert feed.status_code == 200
    titles = [str(e["summary"]) for e in _parse(feed.content).walk("VEVENT")]
    assert titles == ["J'y vais"]
    assert anonymous.get(f"/calendar/{token}x.ics").status_code == 404
    client.post("/me/calendar/renew/")
    assert anonymous.get(f"/calendar/{token}.ics").status_code == 404
    fresh = CalendarToken.objects.get(user=world.alice.user).token
    assert fresh != token and anonymous.get(f"/calendar/{fresh}.ics").status_code == 200


# --- pages ----------------------------------------------------------------------------------


def test_the_card_and_the_page_say_when_where_and_how_many_places(world: World) -> None:
    start = timezone.make_aware(datetime.datetime.combine(in_days(6).date(), datetime.time(18)))
    post = event(world, starts_at=start, place="Cour", capacity=4)
    actions.rsvp(world.claire, post, True)
    feed = client_for(world.alice).get(f"/r/{world.residence.pk}/feed/").text
    assert "18 h</time> · Cour · 3 places" in feed
    page = client_for(world.alice).get(f"/posts/{post.pk}/").text
    assert f"/posts/{post.pk}/event.ics" in page
    assert f"/posts/{post.pk}/rsvp/" in page
    assert "Claire F." not in page  # the list of who comes is for the organiser
    organiser = client_for(world.bob).get(f"/posts/{post.pk}/").text
    assert "Claire F." in organiser
    partner = client_for(world.dave)
    own = event(world, author=world.dave)
    assert f"/posts/{own.pk}/rsvp/" not in partner.get(f"/posts/{own.pk}/").text

"""Common rooms: who may do what, bad input, approving, declining, cancelling, no double booking,
a public booking becoming an event, notifications."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from apps.events.models import Event
from apps.notifications.models import Notification
from apps.rooms import actions
from apps.rooms.models import Booking, BookingSlot, CommonRoom
from tests.conftest import World, client_for
from tests.rooms.helpers import ROOM_NAME, ask, at, room

pytestmark = pytest.mark.django_db

Status = Booking.Status


# ---- rooms ---------------------------------------------------------------------------------


def test_staff_declare_a_room(world: World) -> None:
    response = client_for(world.claire).post(
        f"/r/{world.residence.pk}/rooms/new/",
        {"name": ROOM_NAME, "capacity": "40", "accessibility": "Ascenseur", "rules": "Propre"},
    )
    assert response.status_code == 302
    created = CommonRoom.objects.get()
    assert (created.residence, created.name, created.capacity) == (world.residence, ROOM_NAME, 40)
    assert created.active


@pytest.mark.parametrize("persona", ["alice", "bob"])
def test_residents_and_co_animators_do_not_declare_rooms(world: World, persona: str) -> None:
    user = getattr(world, persona).user
    with pytest.raises(PermissionDenied, match="personnel du bailleur"):
        actions.create_room(user, world.residence, name="Salle", capacity=10)
    response = client_for(user).post(
        f"/r/{world.residence.pk}/rooms/new/", {"name": "Salle", "capacity": "10"}
    )
    assert response.status_code == 403
    assert not CommonRoom.objects.exists()


def test_partners_and_outsiders_do_not_see_the_rooms(world: World) -> None:
    room(world)
    for user in (world.dave, world.eve.user):
        assert client_for(user).get(f"/r/{world.residence.pk}/rooms/").status_code == 404
    with pytest.raises(Http404):
        ask(world, CommonRoom.objects.get(), world.dave)


def test_a_room_name_is_unique_in_the_residence(world: World) -> None:
    room(world)
    with pytest.raises(ValidationError) as error:
        room(world, name=ROOM_NAME.upper())
    assert error.value.code == "name"


def test_staff_edit_and_close_a_room(world: World) -> None:
    the_room = room(world)
    response = client_for(world.claire).post(
        f"/rooms/{the_room.pk}/edit/", {"name": "Salle B", "capacity": "12", "rules": ""}
    )
    assert response.status_code == 302
    the_room.refresh_from_db()
    assert (the_room.name, the_room.capacity, the_room.active) == ("Salle B", 12, False)
    with pytest.raises(ValidationError) as error:
        ask(world, the_room)
    assert error.value.code == "inactive"
    assert client_for(world.bob).get(f"/rooms/{the_room.pk}/edit/").status_code == 403


# ---- asking ----------------------------------------------------------------------------------


def test_a_member_asks_for_a_slot_and_moderators_are_told(world: World) -> None:
    the_room = room(world)
    booking = ask(world, the_room)
    assert booking.status == Status.REQUESTED
    assert not BookingSlot.objects.exists()  # nothing reserved before approval
    told = set(Notification.objects.filter(kind="news").values_list("user_id", flat=True))
    assert told == {world.bob.user_id, world.claire.pk}
    note = Notification.objects.filter(user=world.bob.user).get()
    assert note.batch_key == f"room-requests-{world.residence.pk}"
    assert note.url == f"/r/{world.residence.pk}/rooms/requests/"


def test_the_request_form_works_without_javascript(world: World) -> None:
    the_room = room(world)
    day = timezone.localdate() + datetime.timedelta(days=4)
    response = client_for(world.alice).post(
        f"/r/{world.residence.pk}/rooms/",
        {
            "room": the_room.pk,
            "day": day.isoformat(),
            "start": "14:30",
            "duration": "90",
            "purpose": "Atelier tricot",
            "public": "on",
        },
    )
    assert response.status_code == 302
    booking = Booking.objects.get()
    assert timezone.localtime(booking.starts_at).time() == datetime.time(14, 30)
    assert booking.ends_at - booking.starts_at == datetime.timedelta(minutes=90)
    assert booking.public and booking.requested_by == world.alice.user
    page = client_for(world.alice).get(f"/r/{world.residence.pk}/rooms/").text
    assert f'data-booking="{booking.pk}" data-status="requested"' in page


@pytest.mark.parametrize(
    ("starts_at", "ends_at", "code"),
    [
        (at(3, 18, 0) + datetime.timedelta(minutes=15), at(3, 20), "boundary"),
        (at(3, 18), at(3, 20) + datetime.timedelta(minutes=10), "boundary"),
        (at(3, 18), at(3, 17), "ends_at"),
        (at(3, 18), at(3, 18), "ends_at"),
        (at(3, 8), at(3, 20, 30), "too_long_booking"),
        (at(-1, 18), at(-1, 19), "past"),
        (at(181, 18), at(181, 19), "too_far"),
    ],
)
def test_bad_times_are_refused(
    world: World, starts_at: datetime.datetime, ends_at: datetime.datetime, code: str
) -> None:
    the_room = room(world)
    with pytest.raises(ValidationError) as error:
        actions.request_booking(
            world.alice.user, the_room, starts_at=starts_at, ends_at=ends_at, purpose="Fête"
        )
    assert error.value.code == code
    assert not Booking.objects.exists()


def test_twelve_hours_is_allowed(world: World) -> None:
    booking = ask(world, room(world), hour=8, hours=12)
    assert booking.ends_at - booking.starts_at == datetime.timedelta(hours=12)


def test_a_purpose_is_required(world: World) -> None:
    with pytest.raises(ValidationError) as error:
        ask(world, room(world), purpose="  ")
    assert error.value.code == "purpose"


def test_a_slot_already_booked_is_refused_up_front(world: World) -> None:
    the_room = room(world)
    actions.approve_booking(world.bob.user, ask(world, the_room))
    with pytest.raises(ValidationError, match="déjà réservé") as error:
        ask(world, the_room, world.bob.user, hour=19, hours=1)
    assert error.value.code == "already_booked"
    # The next slot is free; another room too.
    ask(world, the_room, world.bob.user, hour=20, hours=1)
    ask(world, room(world, name="Salle 2"), world.bob.user, hour=18)


# ---- deciding --------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["bob", "claire"])
def test_moderators_approve_and_the_slots_are_reserved(world: World, persona: str) -> None:
    user = getattr(world, persona)
    user = getattr(user, "user", user)
    booking = ask(world, room(world), hours=2)
    approved = actions.approve_booking(user, booking)
    assert approved.status == Status.APPROVED
    assert approved.decided_by == user and approved.decided_at is not None
    assert BookingSlot.objects.filter(booking=booking).count() == 4
    note = Notification.objects.get(user=world.alice.user)
    assert note.url.endswith("/rooms/#my-bookings")


def test_residents_do_not_approve(world: World) -> None:
    booking = ask(world, room(world), world.bob.user)
    with pytest.raises(PermissionDenied, match="co-animateurs"):
        actions.approve_booking(world.alice.user, booking)
    response = client_for(world.alice).post(f"/room-bookings/{booking.pk}/approve/")
    assert response.status_code == 403
    booking.refresh_from_db()
    assert booking.status == Status.REQUESTED


def test_a_conflicting_approval_is_refused_with_the_reason(world: World) -> None:
    the_room = room(world)
    first = ask(world, the_room, hour=18, hours=2)
    second = ask(world, the_room, world.bob.user, hour=19, hours=2)  # overlaps 19:00-20:00
    actions.approve_booking(world.claire, first)
    client = client_for(world.claire)
    response = client.post(f"/room-bookings/{second.pk}/approve/", follow=True)
    assert "Ce créneau est déjà réservé." in response.text
    second.refresh_from_db()
    assert second.status == Status.REQUESTED
    assert set(BookingSlot.objects.values_list("booking_id", flat=True)) == {first.pk}


def test_the_database_refuses_a_second_booking_of_a_slot(world: World) -> None:
    the_room = room(world)
    booking = ask(world, the_room)
    BookingSlot.objects.create(room=the_room, booking=booking, starts_at=at(3, 18))
    with pytest.raises(IntegrityError), transaction.atomic():
        BookingSlot.objects.create(room=the_room, booking=booking, starts_at=at(3, 18))


def test_a_request_is_answered_once(world: World) -> None:
    booking = ask(world, room(world))
    actions.approve_booking(world.bob.user, booking)
    for decide in (
        lambda: actions.approve_booking(world.claire, booking),
        lambda: actions.decline_booking(world.claire, booking, reason="Non"),
    ):
        with pytest.raises(ValidationError) as error:
            decide()
        assert error.value.code == "decided"


def test_moderators_decline_with_a_reason(world: World) -> None:
    booking = ask(world, room(world))
    with pytest.raises(ValidationError) as error:
        actions.decline_booking(world.bob.user, booking, reason=" ")
    assert error.value.code == "reason"
    response = client_for(world.bob).post(
        f"/room-bookings/{booking.pk}/decline/", {"reason": "Travaux ce jour-là"}
    )
    assert response.status_code == 302
    booking.refresh_from_db()
    assert (booking.status, booking.decline_reason) == (Status.DECLINED, "Travaux ce jour-là")
    assert not BookingSlot.objects.exists()
    note = Notification.objects.get(user=world.alice.user)
    assert "Travaux" in note.body
    page = client_for(world.alice).get(f"/r/{world.residence.pk}/rooms/").text
    assert "Travaux ce jour-là" in page


# ---- cancelling ------------------------------------------------------------------------------


def test_cancelling_frees_the_slot(world: World) -> None:
    the_room = room(world)
    booking = actions.approve_booking(world.bob.user, ask(world, the_room))
    response = client_for(world.alice).post(f"/room-bookings/{booking.pk}/cancel/")
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == Status.CANCELLED
    assert not BookingSlot.objects.exists()
    again = ask(world, the_room, world.bob.user)
    assert actions.approve_booking(world.claire, again).status == Status.APPROVED


def test_only_the_requester_cancels(world: World) -> None:
    booking = ask(world, room(world))
    for user in (world.bob.user, world.claire):
        assert client_for(user).post(f"/room-bookings/{booking.pk}/cancel/").status_code == 403
    with pytest.raises(PermissionDenied):
        actions.cancel_booking(world.bob.user, booking)
    actions.cancel_booking(world.alice.user, booking)
    with pytest.raises(ValidationError) as error:
        actions.cancel_booking(world.alice.user, booking)
    assert error.value.code == "not_current"


# ---- events ----------------------------------------------------------------------------------


def test_an_approved_public_booking_becomes_an_event(world: World) -> None:
    the_room = room(world)
    booking = actions.approve_booking(
        world.bob.user, ask(world, the_room, public=True, purpose="Atelier cuisine")
    )
    response = client_for(world.bob).post(f"/room-bookings/{booking.pk}/make-event/")
    booking.refresh_from_db()
    assert booking.event_id is not None
    assert response.status_code == 302 and response["Location"] == f"/posts/{booking.event_id}/"
    event = Event.objects.select_related("post").get(post_id=booking.event_id)
    assert (event.starts_at, event.ends_at) == (booking.starts_at, booking.ends_at)
    assert (event.place, event.capacity) == (ROOM_NAME, 30)
    assert (event.post.title, event.post.author) == ("Atelier cuisine", world.bob.user)
    with pytest.raises(ValidationError) as error:
        actions.make_event(world.bob.user, booking)
    assert error.value.code == "already_event"


def test_a_private_or_waiting_booking_does_not_become_an_event(world: World) -> None:
    the_room = room(world)
    waiting = ask(world, the_room, public=True)
    private = actions.approve_booking(world.bob.user, ask(world, the_room, hour=10))
    for booking in (waiting, private):
        with pytest.raises(ValidationError) as error:
            actions.make_event(world.bob.user, booking)
        assert error.value.code == "not_public"
    public = actions.approve_booking(world.bob.user, waiting)
    assert (
        client_for(world.alice).post(f"/room-bookings/{public.pk}/make-event/").status_code == 403
    )
    assert not Event.objects.exists()


# ---- pages -----------------------------------------------------------------------------------


def test_the_week_calendar_shows_approved_bookings_only(world: World) -> None:
    the_room = room(world)
    approved = actions.approve_booking(world.bob.user, ask(world, the_room, days=1))
    waiting = ask(world, the_room, days=1, hour=10)
    monday = timezone.localdate() + datetime.timedelta(days=1)
    page = (
        client_for(world.alice)
        .get(f"/r/{world.residence.pk}/rooms/?week={monday.isoformat()}")
        .text
    )
    assert f'class="room-booking" data-booking="{approved.pk}"' in page
    assert f'class="room-booking" data-booking="{waiting.pk}"' not in page


def test_the_requests_page_lists_pending_requests_for_moderators(world: World) -> None:
    booking = ask(world, room(world))
    page = client_for(world.bob).get(f"/r/{world.residence.pk}/rooms/requests/")
    assert page.status_code == 200
    assert f'id="booking-{booking.pk}"' in page.text
    assert (
        client_for(world.alice).get(f"/r/{world.residence.pk}/rooms/requests/").status_code == 403
    )


def test_the_residence_page_shows_the_rooms_panel(world: World) -> None:
    the_room = room(world)
    booking = actions.approve_booking(world.bob.user, ask(world, the_room, purpose="Loto"))
    page = client_for(world.alice).get(f"/r/{world.residence.pk}/").text
    assert 'class="panel room-panel"' in page and booking.purpose in page
    assert f'href="/r/{world.residence.pk}/rooms/"' in page
    partner_page = client_for(world.dave).get(f"/r/{world.residence.pk}/").text
    assert "room-panel" not in partner_page

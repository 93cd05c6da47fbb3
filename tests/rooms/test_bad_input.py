"""Common rooms with bad input, through the pages and the API: every refusal says why and writes
nothing (no second room, no renamed room, no second booking, no decision)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from apps.notifications.models import Notification
from apps.rooms import actions
from apps.rooms.models import Booking, BookingSlot, CommonRoom
from tests.conftest import World, client_for
from tests.rooms.helpers import ROOM_NAME, ask, room

pytestmark = pytest.mark.django_db

Status = Booking.Status
NAME_TAKEN = "Une salle de la résidence porte déjà ce nom."


def test_declaring_a_room_with_a_name_already_taken_is_refused(world: World) -> None:
    room(world)
    response = client_for(world.claire).post(
        f"/r/{world.residence.pk}/rooms/new/",
        {"name": f"  {ROOM_NAME.lower()} ", "capacity": "20", "accessibility": "", "rules": ""},
    )
    assert response.status_code == 400
    assert NAME_TAKEN in response.text
    assert CommonRoom.objects.count() == 1
    assert CommonRoom.objects.get().capacity == 30


def test_renaming_a_room_to_the_name_of_another_is_refused(world: World) -> None:
    room(world)
    second = room(world, name="Salle du 2e", capacity=12)
    response = client_for(world.claire).post(
        f"/rooms/{second.pk}/edit/",
        {"name": ROOM_NAME, "capacity": "15", "rules": "", "active": "on"},
    )
    assert response.status_code == 400
    assert NAME_TAKEN in response.text
    second.refresh_from_db()
    assert (second.name, second.capacity, second.active) == ("Salle du 2e", 12, True)
    assert sorted(CommonRoom.objects.values_list("name", flat=True)) == [
        ROOM_NAME,
        "Salle du 2e",
    ]


def test_asking_for_a_slot_already_booked_is_refused_in_the_page(world: World) -> None:
    the_room = room(world)
    actions.approve_booking(world.bob.user, ask(world, the_room, world.bob.user))  # 18:00-20:00
    day = timezone.localdate() + datetime.timedelta(days=3)
    response = client_for(world.alice).post(
        f"/r/{world.residence.pk}/rooms/",
        {
            "room": the_room.pk,
            "day": day.isoformat(),
            "start": "19:00",
            "duration": "60",
            "purpose": "Anniversaire",
        },
    )
    assert response.status_code == 400
    assert "Ce créneau est déjà réservé." in response.text
    assert Booking.objects.count() == 1
    assert not Booking.objects.filter(requested_by=world.alice.user).exists()
    assert BookingSlot.objects.count() == 4


def test_declining_without_a_reason_is_refused_in_the_page(world: World) -> None:
    booking = ask(world, room(world))
    notes = Notification.objects.filter(user=world.alice.user).count()
    response = client_for(world.bob).post(
        f"/room-bookings/{booking.pk}/decline/", {"reason": " "}, follow=True
    )
    assert response.redirect_chain == [(f"/r/{world.residence.pk}/rooms/requests/", 302)]
    assert "Indiquez pourquoi, pour le voisin qui a demandé." in response.text
    booking.refresh_from_db()
    assert (booking.status, booking.decline_reason, booking.decided_by) == (
        Status.REQUESTED,
        "",
        None,
    )
    assert Notification.objects.filter(user=world.alice.user).count() == notes


def _post(persona: Any, url: str, body: dict[str, Any] | None = None) -> Any:
    return client_for(persona).post(url, body or {}, content_type="application/json")


def test_declining_without_a_reason_is_refused_through_the_api(world: World) -> None:
    booking = ask(world, room(world))
    for reason in ("", "   "):
        response = _post(
            world.bob, f"/api/v1/room-bookings/{booking.pk}/decline", {"reason": reason}
        )
        assert response.status_code == 400
        assert response.json() == {
            "detail": "Indiquez pourquoi, pour le voisin qui a demandé.",
            "code": "reason",
        }
    missing = _post(world.bob, f"/api/v1/room-bookings/{booking.pk}/decline", {})
    assert missing.status_code == 422
    booking.refresh_from_db()
    assert (booking.status, booking.decline_reason) == (Status.REQUESTED, "")
    assert not BookingSlot.objects.exists()

"""Room bookings over JSON: list, ask, approve, decline, cancel."""

from __future__ import annotations

from typing import Any

import pytest

from apps.rooms import actions
from apps.rooms.models import Booking
from tests.conftest import World, client_for
from tests.rooms.helpers import ask, at, room

pytestmark = pytest.mark.django_db


def _post(persona: Any, url: str, body: dict[str, Any] | None = None) -> Any:
    return client_for(persona).post(url, body or {}, content_type="application/json")


def test_a_member_asks_through_the_api(world: World) -> None:
    the_room = room(world)
    url = f"/api/v1/residences/{world.residence.pk}/room-bookings"
    body = {
        "room_id": the_room.pk,
        "starts_at": at(5, 10).isoformat(),
        "ends_at": at(5, 12, 30).isoformat(),
        "purpose": "Réunion",
        "public": True,
    }
    response = _post(world.alice, url, body)
    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["status"], data["mine"], data["room_name"]) == ("requested", True, the_room.name)
    assert Booking.objects.get().pk == data["id"]


def test_bad_input_gets_a_400_with_the_reason(world: World) -> None:
    the_room = room(world)
    url = f"/api/v1/residences/{world.residence.pk}/room-bookings"
    body = {
        "room_id": the_room.pk,
        "starts_at": at(5, 10, 0).replace(minute=10).isoformat(),
        "ends_at": at(5, 12).isoformat(),
        "purpose": "Réunion",
    }
    response = _post(world.alice, url, body)
    assert response.status_code == 400
    assert response.json()["code"] == "boundary"


def test_a_room_of_another_residence_is_not_found(world: World) -> None:
    the_room = room(world)
    url = f"/api/v1/residences/{world.other.pk}/room-bookings"
    body = {
        "room_id": the_room.pk,
        "starts_at": at(5, 10).isoformat(),
        "ends_at": at(5, 11).isoformat(),
        "purpose": "Réunion",
    }
    assert _post(world.eve, url, body).status_code == 404


def test_the_list_shows_approved_own_and_for_moderators_waiting(world: World) -> None:
    the_room = room(world)
    approved = actions.approve_booking(world.claire, ask(world, the_room, world.bob.user))
    mine = ask(world, the_room, hour=10)
    url = f"/api/v1/residences/{world.residence.pk}/room-bookings"
    ids = {b["id"] for b in client_for(world.alice).get(url).json()}
    assert ids == {approved.pk, mine.pk}
    other = ask(world, the_room, world.claire, hour=12)
    assert {b["id"] for b in client_for(world.alice).get(url).json()} == ids
    assert {b["id"] for b in client_for(world.bob).get(url).json()} == {*ids, other.pk}
    assert client_for(world.dave).get(url).status_code == 404


def test_approve_decline_and_cancel_through_the_api(world: World) -> None:
    the_room = room(world)
    first = ask(world, the_room)
    second = ask(world, the_room, world.claire, hour=19)
    third = ask(world, the_room, hour=10)
    response = _post(world.bob, f"/api/v1/room-bookings/{first.pk}/approve")
    assert response.status_code == 200 and response.json()["status"] == "approved"
    response = _post(world.bob, f"/api/v1/room-bookings/{second.pk}/approve")
    assert response.status_code == 400
    assert response.json()["code"] == "already_booked"
    response = _post(world.bob, f"/api/v1/room-bookings/{third.pk}/decline", {"reason": "Non"})
    assert response.json()["status"] == "declined"
    assert _post(world.alice, f"/api/v1/room-bookings/{first.pk}/approve").status_code == 403
    assert _post(world.bob, f"/api/v1/room-bookings/{first.pk}/cancel").status_code == 403
    response = _post(world.alice, f"/api/v1/room-bookings/{first.pk}/cancel")
    assert response.json()["status"] == "cancelled"
    assert _post(world.bob, f"/api/v1/room-bookings/{second.pk}/approve").status_code == 200

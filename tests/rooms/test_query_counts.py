"""Room pages cost a constant number of queries whatever the number of rooms and bookings."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.rooms import actions
from tests.conftest import World, client_for
from tests.rooms.helpers import ask, room

pytestmark = pytest.mark.django_db


def _count(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _bookings(world: World, n: int, start: int = 0) -> None:
    """``n`` rooms, each with an approved booking tomorrow, a request and a public booking."""
    for i in range(start, start + n):
        the_room = room(world, name=f"Salle {i}")
        actions.approve_booking(world.bob.user, ask(world, the_room, days=1, public=True))
        ask(world, the_room, days=1, hour=10)
        ask(world, the_room, days=2, hour=9)


@pytest.mark.parametrize("persona", ["alice", "bob", "claire"])
def test_the_rooms_page_costs_the_same_with_2_and_12_rooms(world: World, persona: str) -> None:
    client = client_for(getattr(world, persona))
    monday = timezone.localdate() + datetime.timedelta(days=1)
    url = f"/r/{world.residence.pk}/rooms/?week={monday.isoformat()}"
    _bookings(world, 2)
    small = _count(client, url)
    _bookings(world, 10, start=2)
    assert _count(client, url) == small


def test_the_requests_page_costs_the_same_with_2_and_12_rooms(world: World) -> None:
    client = client_for(world.bob)
    url = f"/r/{world.residence.pk}/rooms/requests/"
    _bookings(world, 2)
    small = _count(client, url)
    _bookings(world, 10, start=2)
    assert _count(client, url) == small


def test_the_residence_page_costs_the_same_with_2_and_12_rooms(world: World) -> None:
    client = client_for(world.alice)
    url = f"/r/{world.residence.pk}/"
    _bookings(world, 2)
    small = _count(client, url)
    _bookings(world, 10, start=2)
    assert _count(client, url) == small


def test_the_api_list_costs_the_same_with_2_and_12_rooms(world: World) -> None:
    client = client_for(world.bob)
    url = f"/api/v1/residences/{world.residence.pk}/room-bookings"
    _bookings(world, 2)
    small = _count(client, url)
    _bookings(world, 10, start=2)
    assert _count(client, url) == small

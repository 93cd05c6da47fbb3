"""Two moderators approve two overlapping requests at the same moment: exactly one wins, the
other is refused by the database constraint (PostgreSQL)."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from apps.rooms import actions
from apps.rooms.models import Booking, BookingSlot
from tests.conftest import build_world
from tests.rooms.helpers import ask, room

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_overlapping_approvals_at_the_same_moment_exactly_one_wins() -> None:
    world = build_world()
    the_room = room(world)
    first = ask(world, the_room, hour=18, hours=2)
    second = ask(world, the_room, world.claire, hour=19, hours=2)
    barrier = threading.Barrier(2)
    results: dict[int, Any] = {}

    def approve(user: Any, booking_id: int) -> None:
        try:
            row = Booking.objects.select_related("room").get(pk=booking_id)
            barrier.wait(timeout=10)
            actions.approve_booking(user, row)
            results[booking_id] = "won"
        except ValidationError as error:
            results[booking_id] = error.code
        finally:
            connection.close()

    threads = [
        threading.Thread(target=approve, args=(world.bob.user, first.pk)),
        threading.Thread(target=approve, args=(world.claire, second.pk)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(results.values()) == ["already_booked", "won"]
    winner = next(pk for pk, r in results.items() if r == "won")
    loser = next(pk for pk, r in results.items() if r != "won")
    statuses = dict(Booking.objects.values_list("pk", "status"))
    assert statuses == {winner: "approved", loser: "requested"}
    assert set(BookingSlot.objects.values_list("booking_id", flat=True)) == {winner}
    assert BookingSlot.objects.count() == 4

"""The common room in a real browser, in French, at 360 px: Claire (staff) declares the room;
Alice asks for a slot; Bob (co-animator) approves it; Alice sees it approved and in the week's
calendar; a second request for the same slot is refused when Bob approves it, with the reason;
axe finds no serious or critical violation.

Words typed by the test are located by markup (classes, names, data attributes), not by their
text: the French translations come with the catalog."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_accessibility import blocking_violations, horizontal_overflow
from tests.conftest import World

pytestmark = pytest.mark.browser


def _submit(page: Page, form: str) -> int:
    with page.expect_navigation() as navigation:
        page.locator(f"{form} button[type=submit]").click()
    response = navigation.value
    assert response is not None
    return response.status


def _axe(page: Page, name: str, problems: list[str]) -> None:
    problems += [f"{name}: {v}" for v in blocking_violations(page)]
    if culprit := horizontal_overflow(page):
        problems.append(f"{name} scrolls sideways at 360 px: {culprit}")


def test_a_room_is_declared_asked_for_approved_and_not_booked_twice(
    live_world: World, open_page: Callable[..., Page]
) -> None:
    from django.utils import timezone

    from apps.rooms import actions
    from apps.rooms.models import Booking, BookingSlot, CommonRoom

    r = live_world.residence.pk
    problems: list[str] = []

    # Claire (landlord staff) declares the room.
    claire = open_page(live_world.claire)
    claire.goto(f"/r/{r}/rooms/new/")
    _axe(claire, "room form", problems)
    claire.locator("[name=name]").fill("Salle des Tilleuls")
    claire.locator("[name=capacity]").fill("30")
    claire.locator("[name=accessibility]").fill("Rez-de-chaussée, sans marche.")
    claire.locator("[name=rules]").fill("Rendre la salle propre, pas de bruit après 22 h.")
    assert _submit(claire, "form.room-form") == 200
    room = CommonRoom.objects.get()
    assert claire.url.endswith(f"/r/{r}/rooms/")
    expect(claire.locator(f"#room-{room.pk}")).to_be_visible()

    # Alice asks for a slot in three days, 18:00 for two hours, from the rooms page (the residence
    # page's panel links to it).
    alice = open_page(live_world.alice)
    alice.goto(f"/r/{r}/")
    with alice.expect_navigation():
        alice.locator(f".room-panel a[href='/r/{r}/rooms/']").click()
    _axe(alice, "rooms page", problems)
    day = timezone.localdate() + datetime.timedelta(days=3)
    alice.locator("[name=room]").select_option(str(room.pk))
    alice.locator("[name=day]").fill(day.isoformat())
    alice.locator("[name=start]").select_option("18:00")
    alice.locator("[name=duration]").select_option("120")
    alice.locator("[name=purpose]").fill("Anniversaire de Léa")
    assert _submit(alice, "form.booking-request") == 200
    booking = Booking.objects.get()
    mine = alice.locator(f"#my-bookings [data-booking='{booking.pk}']")
    expect(mine).to_have_attribute("data-status", "requested")

    # Claire asks for an overlapping slot before anyone answered (nothing is reserved yet).
    starts_at = booking.starts_at + datetime.timedelta(hours=1)
    rival = actions.request_booking(
        live_world.claire,
        room,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=1),
        purpose="Réunion de locataires",
    )

    # Bob approves Alice's request.
    bob = open_page(live_world.bob)
    bob.goto(f"/r/{r}/rooms/requests/")
    expect(bob.locator(".booking-request-item")).to_have_count(2)
    _axe(bob, "requests page", problems)
    assert _submit(bob, f"form[action='/room-bookings/{booking.pk}/approve/']") == 200
    expect(bob.locator(".booking-request-item")).to_have_count(1)
    booking.refresh_from_db()
    assert booking.status == "approved"

    # Approving the rival request is refused, with the reason; nothing changes.
    assert _submit(bob, f"form[action='/room-bookings/{rival.pk}/approve/']") == 200
    expect(bob.locator(".messages .message.error")).to_have_text(
        # The English msgid until the French catalog has it.
        re.compile(r"(déjà réservé|already booked)")
    )
    rival.refresh_from_db()
    assert rival.status == "requested"
    assert set(BookingSlot.objects.values_list("booking_id", flat=True)) == {booking.pk}

    # Alice sees it approved, and in the calendar of its week.
    alice.goto(f"/r/{r}/rooms/?week={day.isoformat()}")
    expect(mine).to_have_attribute("data-status", "approved")
    expect(alice.locator(f".room-week .room-booking[data-booking='{booking.pk}']")).to_have_count(1)
    _axe(alice, "rooms page with an approved booking", problems)
    assert not problems, "\n".join(problems)

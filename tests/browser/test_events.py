"""An event in a real browser: two places, a third member on the waiting list gets the place
live (no reload) and a notification when someone withdraws; axe at 360 px."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import PHONE, wait_until_live
from tests.browser.test_accessibility import blocking_violations, horizontal_overflow
from tests.conftest import Daphne, World, start_daphne

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def events_daphne(
    django_db_setup: None, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Daphne]:
    root = tmp_path_factory.mktemp("events-daphne")
    (root / "mail").mkdir()
    server = start_daphne({"EMAIL_FILE_PATH": str(root / "mail")})
    yield server
    server.stop()


@pytest.fixture
def live_daphne(transactional_db: None, events_daphne: Daphne) -> Daphne:
    return events_daphne


def _answer(page: Page, post_id: int) -> None:
    """Click the RSVP button ("Je viens" / "Je ne viens plus"), whatever it says."""
    with page.expect_navigation():
        page.locator(f"form[action='/posts/{post_id}/rsvp/'] button").click()


def test_a_waiting_member_gets_the_freed_place_live(
    live_world: World, open_page: Callable[..., Page]
) -> None:
    from django.utils import timezone

    from apps.events import actions
    from apps.notifications.models import Notification
    from tests.events.helpers import resident

    post = actions.publish_event(
        live_world.claire,
        live_world.residence,
        title="Repas partagé",
        starts_at=timezone.now() + datetime.timedelta(days=3),
        place="Salle commune",
        capacity=2,
    )
    zoe = resident(live_world, "zoe@test.fr", "Zoé")
    url = f"/posts/{post.pk}/"
    pages = {}
    for name, persona in (("alice", live_world.alice), ("bob", live_world.bob), ("zoe", zoe)):
        page = open_page(persona)
        page.goto(url)
        _answer(page, post.pk)
        pages[name] = page
    status = "#event .event-status"
    expect(pages["alice"].locator(status)).to_have_attribute("data-status", "going")
    expect(pages["bob"].locator(status)).to_have_attribute("data-status", "going")
    zoe_page = pages["zoe"]
    expect(zoe_page.locator(status)).to_have_attribute("data-status", "waiting")
    wait_until_live(zoe_page)
    zoe_page.evaluate("window.__sameDocument = true")

    _answer(pages["alice"], post.pk)  # "Je ne viens plus"
    expect(pages["alice"].locator(status)).to_have_attribute("data-status", "")

    expect(zoe_page.locator(status)).to_have_attribute("data-status", "going")
    expect(zoe_page.locator("#nav-notifications .badge")).to_have_count(1)
    assert zoe_page.evaluate("window.__sameDocument === true"), "the page was reloaded"
    assert Notification.objects.filter(user=zoe, url=url).count() == 1

    zoe_page.set_viewport_size(PHONE)
    assert blocking_violations(zoe_page) == []
    assert horizontal_overflow(zoe_page) is None

"""The join flow, live: the co-animator sees the request arrive and the newcomer sees the
residence appear, both without reloading (live.js refreshes the regions over the websocket)."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import wait_until_live
from tests.conftest import World

pytestmark = pytest.mark.browser


def mark_page(page: Page) -> None:
    """Leave a mark in the page's JavaScript world: a reload or navigation would wipe it."""
    page.evaluate("window.__sameDocument = true")


def assert_not_reloaded(page: Page) -> None:
    assert page.evaluate("window.__sameDocument === true"), "the page was reloaded"


def test_join_request_and_approval_appear_live(
    live_world: World, open_page: Callable[..., Page]
) -> None:
    residence = live_world.residence
    eve = open_page(live_world.eve)
    bob = open_page(live_world.bob)

    # Bob watches the join requests of Les Tilleuls; only Paul is waiting.
    bob.goto(f"/r/{residence.pk}/requests/")
    wait_until_live(bob)
    requests = bob.locator("#join-requests")
    expect(requests).to_contain_text("Paul Nouveau")
    expect(requests).not_to_contain_text("Eve Bernard")
    mark_page(bob)

    # Eve asks to join with the code of the flyer and lands on her home page.
    eve.goto("/join/")
    eve.fill("input[name=code]", "TILLEULS")
    eve.check("input[name=charter]")
    with eve.expect_navigation():
        eve.locator("main form button[type=submit]").click()
    assert urlsplit(eve.url).path == "/", eve.url
    mine = eve.locator("#my-residences")
    expect(mine.get_by_role("link", name="Le Vulcain")).to_be_visible()
    expect(mine.get_by_role("link", name="Les Tilleuls")).to_have_count(0)
    wait_until_live(eve)
    mark_page(eve)

    # Her request appears on Bob's page without a reload, with its buttons.
    eve_request = bob.locator("#join-requests li.request", has_text="Eve Bernard")
    expect(eve_request).to_be_visible()
    assert_not_reloaded(bob)
    expect(bob.locator("#live-status")).not_to_be_empty()  # told to screen reader users too
    approve = eve_request.locator("form[action$='/approve/'] button[type=submit]")
    expect(approve).to_have_accessible_name("Approuver Eve Bernard")

    # Bob approves (a normal form post); Les Tilleuls appears on Eve's page without a reload.
    approve.click()
    expect(bob.locator("#join-requests")).not_to_contain_text("Eve Bernard")
    expect(mine.get_by_role("link", name="Les Tilleuls")).to_be_visible()
    expect(mine.get_by_role("link", name="Le Vulcain")).to_be_visible()
    assert_not_reloaded(eve)
    expect(eve.locator("#live-status")).not_to_be_empty()

"""Signing in the ways a resident does: by a code received by email (with JavaScript), and by
password without JavaScript, then asking to join a residence (everything works without JS)."""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import mail_text, newest_mail, sign_in
from tests.conftest import Daphne, World

pytestmark = pytest.mark.browser

# allauth's default code format: 8 characters from an unambiguous alphabet, e.g. "K7M2-QP4R".
SIGN_IN_CODE = re.compile(r"\b[A-Z0-9]{4}-[A-Z0-9]{4}\b")


def test_sign_in_with_a_code_received_by_email(
    live_world: World, live_daphne: Daphne, open_page: Callable[..., Page]
) -> None:
    page = open_page()
    page.goto("/accounts/login/")
    page.locator("main a[href$='/accounts/login/code/']").click()
    page.wait_for_url("**/accounts/login/code/")

    page.fill("input[name=email]", "alice@test.fr")
    page.locator("main form[action$='/accounts/login/code/'] button[type=submit]").click()
    page.wait_for_url("**/accounts/login/code/confirm/")

    message = newest_mail(live_daphne.mail_dir)  # type: ignore[attr-defined]
    assert message["To"] == "alice@test.fr"
    found = SIGN_IN_CODE.search(mail_text(message))
    assert found, f"no sign-in code in the email:\n{mail_text(message)}"

    page.fill("input[name=code]", found.group())
    with page.expect_navigation():
        # The form's own submit button, not "Cancel" (a button of another form, form="...").
        page.locator(
            "main form[action$='/accounts/login/code/confirm/'] button[type=submit]:not([form])"
        ).click()
    assert urlsplit(page.url).path == "/", page.url
    expect(page.locator("h1")).to_contain_text("Alice M.")
    expect(page.locator("#my-residences").get_by_role("link", name="Les Tilleuls")).to_be_visible()


def test_without_javascript_a_resident_signs_in_and_asks_to_join(
    live_world: World, open_page: Callable[..., Page]
) -> None:
    from apps.residences.models import Membership, Status

    page = open_page(java_script_enabled=False)
    sign_in(page, live_world.alice)
    expect(page.locator("#my-residences").get_by_role("link", name="Les Tilleuls")).to_be_visible()
    assert page.locator("body").get_attribute("data-live") is None  # live.js did not run

    page.locator("main a[href='/join/']").click()
    page.wait_for_url("**/join/")
    page.fill("input[name=code]", "vulcain2")  # typed in lower case: the code is normalised
    submit = page.locator("main form button[type=submit]")

    # Forgetting the charter: the page comes back with a message tied to the checkbox.
    with page.expect_navigation():
        submit.click()
    charter = page.locator("input[name=charter]")
    expect(charter).to_have_attribute("aria-invalid", "true")
    error = page.locator(f"#{charter.get_attribute('aria-describedby')}[role=alert]")
    expect(error).to_be_visible()
    expect(charter).to_have_accessible_description(error.inner_text().strip())
    expect(page.locator("input[name=code]")).to_have_value("vulcain2")

    charter.check()
    with page.expect_navigation():
        submit.click()
    assert urlsplit(page.url).path == "/", page.url
    expect(page.locator(".messages")).to_contain_text("Le Vulcain")
    expect(page.locator("#my-residences")).to_contain_text("Le Vulcain")
    assert Membership.objects.filter(
        user=live_world.alice.user, residence=live_world.other, status=Status.PENDING
    ).exists()

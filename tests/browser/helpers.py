"""Helpers of the browser tests: what a person does (sign in) and what the server leaves behind
(emails written to files)."""

from __future__ import annotations

import email
import email.message
import email.policy
import re
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, ViewportSize

from tests.conftest import user_of

PASSWORD = "correct horse battery"  # the password of every user made by make_user()
# Playwright's default timeout is 30 s; a page of this app loads in milliseconds.
TIMEOUT_MS = 10_000
# Window sizes used by the tests: a small phone and a laptop.
PHONE: ViewportSize = {"width": 360, "height": 740}
DESKTOP: ViewportSize = {"width": 1280, "height": 900}


def sign_in(page: Page, persona: Any) -> None:
    """Sign ``persona`` in through allauth's form, the way a person does; ends on the home page."""
    page.goto("/accounts/login/")
    page.fill("input[name=login]", user_of(persona).email)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.locator("form[action$='/accounts/login/'] button[type=submit]").click()
    assert "/accounts/" not in page.url, (
        f"{user_of(persona).email} could not sign in: {page.locator('main').inner_text()}"
    )


def wait_until_live(page: Page) -> None:
    """Wait until live.js has its socket open and the server said hello (groups joined)."""
    page.locator("body[data-live=connected]").wait_for(state="attached")


def newest_mail(mail_dir: Path) -> email.message.EmailMessage:
    """The last email written by Django's file-based backend (one file per connection; the
    messages in a file are separated by a line of dashes)."""
    files = sorted(mail_dir.iterdir(), key=lambda p: p.stat().st_mtime_ns)
    assert files, f"no email was written to {mail_dir}"
    chunks = [c for c in re.split(rb"\n-{79}\n", files[-1].read_bytes()) if c.strip()]
    message = email.message_from_bytes(chunks[-1], policy=email.policy.default)
    assert isinstance(message, email.message.EmailMessage)
    return message


def mail_text(message: email.message.EmailMessage) -> str:
    body = message.get_body(preferencelist=("plain",))
    assert body is not None, "the email has no text part"
    return str(body.get_content())

"""Accessibility of the main pages in Chromium: no serious or critical axe violation, no
horizontal scrolling, on a 360 px phone and a 1280 px laptop, and with large text.

Set BROWSER_SHOTS=<folder> to also save a full-page screenshot of each page (for a human look)."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, ViewportSize

from tests.browser.helpers import DESKTOP, PHONE
from tests.conftest import World

pytestmark = pytest.mark.browser

AXE = Axe()
BLOCKING = {"serious", "critical"}
SHOTS = os.environ.get("BROWSER_SHOTS", "")


def pages_to_check(world: World) -> list[tuple[str, Any, list[str]]]:
    """(who, persona or None for anonymous, paths) — each persona on the pages of their role."""
    r = world.residence.pk
    return [
        ("anonymous", None, ["/accounts/login/"]),
        (
            "alice",
            world.alice,
            ["/", f"/r/{r}/", f"/r/{r}/members/", "/join/", "/me/profile/", "/me/settings/"],
        ),
        ("bob", world.bob, [f"/r/{r}/requests/", f"/r/{r}/invitation/"]),
        ("claire", world.claire, ["/staff/"]),
    ]


def blocking_violations(page: Page) -> list[str]:
    results = AXE.run(page)
    return [
        f"{page.url} [{v['impact']}] {v['id']}: {v['help']} — "
        + ", ".join(str(node["target"]) for node in v["nodes"])
        for v in results.response["violations"]
        if v["impact"] in BLOCKING
    ]


def horizontal_overflow(page: Page) -> str | None:
    """What sticks out of the window on the right, if anything: the innermost elements that do
    (a too-wide element also widens its containers and its other children)."""
    culprits: str | None = page.evaluate(
        """() => {
            const width = document.documentElement.clientWidth;
            if (document.documentElement.scrollWidth <= width) { return null; }
            const out = (el) => el.getBoundingClientRect().right > width + 1;
            const leaves = [...document.querySelectorAll("body *")].filter(
                (el) => out(el) && ![...el.children].some(out));
            return leaves.slice(0, 3).map((el) => el.outerHTML.slice(0, 120)).join(" | ")
                || "the page is wider than the window";
        }"""
    )
    return culprits


@pytest.mark.parametrize(
    ("large_text", "viewports"),
    [(False, [PHONE, DESKTOP]), (True, [PHONE])],
    ids=["360px-and-1280px", "360px-large-text"],
)
def test_main_pages_pass_axe_and_fit_the_screen(
    live_world: World,
    open_page: Callable[..., Page],
    large_text: bool,
    viewports: list[ViewportSize],
) -> None:
    from apps.accounts.models import User

    if large_text:
        User.objects.update(large_text=True)
    problems: list[str] = []
    checked = 0
    for who, persona, paths in pages_to_check(live_world):
        page = open_page(persona)
        for path in paths:
            response = page.goto(path)
            assert response is not None and response.ok, f"{who} {path}: {response}"
            if large_text:
                if persona is None:
                    # Nobody is signed in, so no preference: apply it as the account would.
                    page.evaluate("document.body.classList.add('large-text')")
                assert "large-text" in (page.locator("body").get_attribute("class") or "")
            for viewport in viewports:
                page.set_viewport_size(viewport)
                width = viewport["width"]
                problems += [f"{width} px {p}" for p in blocking_violations(page)]
                if width <= PHONE["width"] and (culprit := horizontal_overflow(page)):
                    problems.append(f"{page.url} scrolls sideways at {width} px: {culprit}")
                if SHOTS:
                    slug = re.sub(r"\W+", "_", re.sub(r"\d+", "N", path)).strip("_") or "home"
                    name = f"{who}-{slug}-{width}{'-large' if large_text else ''}"
                    page.screenshot(path=Path(SHOTS) / f"{name}.png", full_page=True)
                checked += 1
    assert checked == 10 * len(viewports)
    assert not problems, "\n".join(problems)

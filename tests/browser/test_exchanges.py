"""Service exchanges in a real browser, two neighbours at once, in French on a 360 px phone:
the whole story (post → respond → converse → accept → done → thanks) seen live by the other
person, the refusal of money, and accessibility (axe, no sideways scrolling, large text).

Set BROWSER_SHOTS=<folder> to also save full-page screenshots of the exchange pages."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.helpers import wait_until_live
from tests.browser.test_accessibility import blocking_violations, horizontal_overflow
from tests.conftest import Daphne, World, start_daphne, user_of

pytestmark = pytest.mark.browser

SHOTS = os.environ.get("BROWSER_SHOTS", "")
TITLE = "Monter une étagère"
MONEY_REFUSED = (
    "Voisinage sert aux services gratuits entre voisins : pas de prix, pas de paiement, "
    "pas d’argent. Retirez toute mention d’un prix ou d’un paiement, puis réessayez."
)


@pytest.fixture(scope="module")
def exchanges_daphne(
    django_db_setup: None, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Daphne]:
    """One daphne for this file (see ``test_chat.chat_daphne``)."""
    root = tmp_path_factory.mktemp("exchanges-daphne")
    (root / "mail").mkdir()
    server = start_daphne({"EMAIL_FILE_PATH": str(root / "mail")})
    yield server
    server.stop()


@pytest.fixture
def live_daphne(transactional_db: None, exchanges_daphne: Daphne) -> Daphne:
    """Overrides ``tests.conftest.live_daphne`` (used by ``live_world``, ``open_page``...)."""
    return exchanges_daphne


def mark_page(page: Page) -> None:
    """Leave a mark in the page's JavaScript world (a reload or navigation would wipe it), and
    count the live refreshes of regions from now on."""
    page.evaluate(
        """() => {
            window.__sameDocument = true;
            window.__refreshes = 0;
            document.addEventListener("voisinage:refreshed", () => { window.__refreshes += 1; });
        }"""
    )


def wait_for_refreshes(page: Page, count: int) -> None:
    """Wait until live.js has swapped in ``count`` fresh regions since ``mark_page``: clicking a
    button of a region that is about to be replaced would click a detached copy."""
    page.wait_for_function("n => window.__refreshes >= n", arg=count)


def assert_not_reloaded(page: Page) -> None:
    assert page.evaluate("window.__sameDocument === true"), "the page was reloaded"


def click_and_load(page: Page, name: str) -> int:
    """Click a submit button (a full page load); the HTTP status of the page that comes back."""
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name=name, exact=True).click()
    response = navigation.value
    assert response is not None
    return response.status


def conversation_href(where: Locator) -> str:
    """Where the "Ouvrir la conversation" link inside ``where`` leads (opened in a new tab, so
    that the exchange page stays open and keeps listening)."""
    href = where.get_by_role("link", name="Ouvrir la conversation").get_attribute("href")
    assert href is not None and href.startswith("/messages/"), href
    return href


def shoot(page: Page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=Path(SHOTS) / f"{name}.png", full_page=True)


def fill_request(page: Page, title: str, description: str) -> None:
    page.get_by_label("Je cherche").check()
    page.get_by_label("Catégorie").select_option(label="Bricolage")
    page.get_by_label("Titre").fill(title)
    page.get_by_label("Description").fill(description)


def test_two_neighbours_post_respond_talk_accept_finish_and_thank(
    live_world: World, open_page: Callable[..., Page]
) -> None:
    from apps.exchanges.models import Exchange

    r = live_world.residence.pk
    alice = open_page(live_world.alice)
    bob = open_page(live_world.bob)

    # Bob has the exchanges list open: nothing yet.
    bob.goto(f"/r/{r}/exchanges/")
    wait_until_live(bob)
    expect(bob.locator("#exchanges-live")).not_to_contain_text(TITLE)
    mark_page(bob)

    # Alice writes a request that mentions a price: refused, in French, her text kept.
    alice.goto(f"/r/{r}/exchanges/new/")
    fill_request(alice, TITLE, "Je donne 10 € pour le coup de main.")
    assert click_and_load(alice, "Publier") == 400
    expect(alice.locator("#id_description_error")).to_have_text(MONEY_REFUSED)
    assert alice.get_by_label("Titre").input_value() == TITLE
    assert alice.get_by_label("Description").input_value() == "Je donne 10 € pour le coup de main."
    assert alice.get_by_label("Je cherche").is_checked()
    assert not Exchange.objects.exists()

    # Without the price, it is published; she lands on its page.
    alice.get_by_label("Description").fill("Une étagère en kit, j'ai les vis mais pas la perceuse.")
    assert click_and_load(alice, "Publier") == 200
    exchange = Exchange.objects.get()
    assert (exchange.kind, exchange.category, exchange.status) == ("request", "diy", "open")
    assert alice.url.endswith(f"/exchanges/{exchange.pk}/")
    expect(alice.locator("h1")).to_have_text(TITLE)
    expect(alice.locator(".lead")).to_have_text("Je cherche · Bricolage · Ouvert")
    expect(alice.locator("#responses-title + p")).to_have_text("Pas encore de réponse.")

    # Bob's list shows it without a reload.
    item = bob.locator("#exchanges-live .exchange", has_text=TITLE)
    expect(item).to_contain_text("Je cherche")
    expect(item).to_contain_text("Alice M.")
    assert_not_reloaded(bob)

    # Bob opens it and responds; Alice, on the exchange page, sees the response live.
    wait_until_live(alice)
    mark_page(alice)
    item.get_by_role("link").click()
    bob.wait_for_url(f"**/exchanges/{exchange.pk}/")
    bob.get_by_label("Votre message à l’auteur").fill("J'ai une perceuse, je passe samedi ?")
    assert click_and_load(bob, "Répondre") == 200
    expect(bob.locator(".notice")).to_contain_text("Vous avez répondu")
    response_item = alice.locator(".responses li", has_text="Bob D.")
    expect(response_item).to_contain_text("J'ai une perceuse, je passe samedi ?")
    assert_not_reloaded(alice)
    wait_for_refreshes(alice, 1)

    # They talk in the conversation opened by the response: each sees the other's words live.
    bob_chat = bob.context.new_page()
    bob_chat.goto(conversation_href(bob.locator(".notice")))
    alice_chat = alice.context.new_page()
    alice_chat.goto(conversation_href(response_item))
    assert alice_chat.url == bob_chat.url
    wait_until_live(bob_chat)
    wait_until_live(alice_chat)
    mark_page(bob_chat)
    mark_page(alice_chat)
    messages = "#chat .chat-message .body"
    expect(alice_chat.locator(messages).last).to_contain_text("J'ai une perceuse")
    alice_chat.locator(".send-form textarea").fill("Samedi 10 h, c'est parfait !")
    alice_chat.get_by_role("button", name="Envoyer", exact=True).click()
    expect(bob_chat.locator(messages).last).to_have_text("Samedi 10 h, c'est parfait !")
    assert_not_reloaded(bob_chat)
    bob_chat.locator(".send-form textarea").fill("Entendu, à samedi.")
    bob_chat.get_by_role("button", name="Envoyer", exact=True).click()
    expect(alice_chat.locator(messages).last).to_have_text("Entendu, à samedi.")
    alice_chat.close()
    bob_chat.close()

    # Alice accepts Bob: Bob's page says "En cours" without a reload.
    wait_until_live(bob)
    mark_page(bob)
    assert click_and_load(alice, "Accepter Bob D.") == 200
    expect(alice.locator(".lead")).to_contain_text("En cours")
    expect(bob.locator(".lead")).to_have_text("Je cherche · Bricolage · En cours")
    expect(bob.locator(".notice")).to_contain_text("L’auteur a accepté votre réponse.")
    assert_not_reloaded(bob)
    wait_for_refreshes(bob, 2)  # exchange.updated, then the notification "accepted"

    # Bob marks it done: Alice sees "Terminé" live, and the thank-you form.
    wait_until_live(alice)
    mark_page(alice)
    assert click_and_load(bob, "Marquer comme terminé") == 200
    expect(alice.locator(".lead")).to_contain_text("Terminé")
    expect(alice.get_by_role("button", name="Dire merci")).to_be_visible()
    assert_not_reloaded(alice)
    wait_for_refreshes(alice, 1)

    # Alice thanks Bob: on her page after posting, on Bob's without a reload.
    wait_until_live(bob)
    mark_page(bob)
    alice.get_by_label("Votre message de remerciement").fill("Merci Bob, elle tient très bien !")
    assert click_and_load(alice, "Dire merci") == 200
    thanks = "Alice M. remercie Bob D. : Merci Bob, elle tient très bien !"
    expect(alice.locator("[aria-labelledby=thanks-title] li")).to_have_text(thanks)
    expect(bob.locator("[aria-labelledby=thanks-title] li")).to_have_text(thanks)
    assert_not_reloaded(bob)
    # Bob can thank Alice back; both pages, in their final state, pass axe and fit the phone.
    expect(bob.get_by_role("button", name="Dire merci")).to_be_visible()
    for who, page in (("alice", alice), ("bob", bob)):
        assert not blocking_violations(page)
        assert horizontal_overflow(page) is None
        shoot(page, f"detail-thanked-{who}")
    exchange.refresh_from_db()
    assert exchange.status == "done"
    assert exchange.thanks.get().to_user == user_of(live_world.bob)


@pytest.mark.parametrize("large_text", [False, True], ids=["360px", "360px-large-text"])
def test_exchange_pages_pass_axe_and_fit_a_phone(
    live_world: World, open_page: Callable[..., Page], large_text: bool
) -> None:
    from apps.accounts.models import User
    from apps.exchanges import actions

    exchange = actions.post_exchange(
        user_of(live_world.alice),
        live_world.residence,
        kind="request",
        category="diy",
        title=TITLE,
        description="Une étagère en kit, avec une très longue phrase pour voir le retour à la "
        "ligne : anticonstitutionnellement-sans-espaces-ni-coupure-possible.",
        availability="Le samedi matin",
    )
    actions.respond(user_of(live_world.bob), exchange, "J'ai une perceuse, je passe samedi ?")
    if large_text:
        User.objects.update(large_text=True)
    r = live_world.residence.pk
    suffix = "-large" if large_text else ""
    pages = [
        ("alice", f"/r/{r}/exchanges/", "list"),
        ("alice", f"/r/{r}/exchanges/new/", "new"),
        ("alice", f"/exchanges/{exchange.pk}/", "detail-author"),
        ("bob", f"/exchanges/{exchange.pk}/", "detail-responder"),
    ]
    people = {"alice": open_page(live_world.alice), "bob": open_page(live_world.bob)}
    problems: list[str] = []
    for who, path, name in pages:
        page = people[who]
        response = page.goto(path)
        assert response is not None and response.ok, f"{who} {path}: {response}"
        assert ("large-text" in (page.locator("body").get_attribute("class") or "")) is large_text
        problems += blocking_violations(page)
        if culprit := horizontal_overflow(page):
            problems.append(f"{page.url} scrolls sideways at 360 px: {culprit}")
        shoot(page, f"{name}{suffix}")
    # The form with its error, too.
    page = people["alice"]
    page.goto(f"/r/{r}/exchanges/new/")
    fill_request(page, TITLE, "Contre 10 €.")
    assert click_and_load(page, "Publier") == 400
    problems += blocking_violations(page)
    if culprit := horizontal_overflow(page):
        problems.append(f"{page.url} (error) scrolls sideways at 360 px: {culprit}")
    shoot(page, f"new-error{suffix}")
    assert not problems, "\n".join(problems)

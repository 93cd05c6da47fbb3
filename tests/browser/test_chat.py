"""Messaging in a real browser, two people at once: live chat (typing indicator, header badge,
read marker), the same pages without JavaScript (plain form posts, clear errors, photos),
edits and deletions seen live, the residence room, and accessibility at 360 px.

Set BROWSER_SHOTS=<folder> to also save full-page screenshots of the messaging pages."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import wait_until_live
from tests.browser.test_accessibility import blocking_violations, horizontal_overflow
from tests.conftest import Daphne, World, start_daphne

pytestmark = pytest.mark.browser

SHOTS = os.environ.get("BROWSER_SHOTS", "")
ROOM_TITLE = "Salon de la résidence Les Tilleuls"  # the residence room's title, in French


@pytest.fixture(scope="module")
def chat_daphne(
    django_db_setup: None, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Daphne]:
    """One daphne for this file (each start, and its first page, cost seconds). Tests do not
    share data: each one's world is flushed after it, and new rows get new ids, so nothing
    daphne keeps in memory (presence, rate counters, groups) is about a later test's users.

    Photos go to a temporary ``MEDIA_ROOT``."""
    root = tmp_path_factory.mktemp("chat-daphne")
    (root / "mail").mkdir()
    env = {"EMAIL_FILE_PATH": str(root / "mail"), "MEDIA_ROOT": str(root / "media")}
    server = start_daphne(env)
    server.media_root = root / "media"  # type: ignore[attr-defined]
    yield server
    server.stop()


@pytest.fixture
def live_daphne(transactional_db: None, chat_daphne: Daphne) -> Daphne:
    """Overrides ``tests.conftest.live_daphne`` (used by ``live_world``, ``open_page``...)."""
    return chat_daphne


def mark_page(page: Page) -> None:
    """Leave a mark in the page's JavaScript world: a reload or navigation would wipe it."""
    page.evaluate("window.__sameDocument = true")


def assert_not_reloaded(page: Page) -> None:
    assert page.evaluate("window.__sameDocument === true"), "the page was reloaded"


def submit(page: Page, button: str = "Envoyer") -> int:
    """Click a form's submit button (a full page load, with or without JavaScript); returns the
    HTTP status of the page that comes back (after redirects)."""
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name=button, exact=True).click()
    response = navigation.value
    assert response is not None
    return response.status


def message_texts(page: Page) -> list[str]:
    return page.locator("#chat .chat-message .body").all_inner_texts()


def loaded_width(page: Page, selector: str) -> int:
    """Scroll an image into view, wait until it has loaded, and return its natural width (0
    for a broken image)."""
    img = page.locator(selector)
    img.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete", arg=img.element_handle())
    width: int = img.evaluate("img => img.naturalWidth")
    return width


def newest_message(world: World) -> Any:
    from apps.messaging.models import Message

    return Message.objects.filter(conversation=world.conversation).latest("pk")


def test_live_chat_with_typing_badge_and_read_marker(
    live_world: World, open_page: Callable[..., Page]
) -> None:
    url = f"/messages/{live_world.conversation.pk}/"
    alice = open_page(live_world.alice)
    bob_home = open_page(live_world.bob)

    # Bob is on his home page; the menu says he has one unread message ("Coucou").
    bob_home.goto("/")
    wait_until_live(bob_home)
    count = bob_home.locator("#nav-messages .badge [aria-hidden=true]")
    spoken = bob_home.locator("#nav-messages .badge .visually-hidden")
    expect(count).to_have_text("1")
    expect(spoken).to_have_text("1 non lue")
    mark_page(bob_home)

    # Alice opens the conversation; Bob has read nothing, so no "seen" marker yet. She sends
    # a message with the Enter key (chat.js).
    alice.goto(url)
    wait_until_live(alice)
    expect(alice.locator("#chat .seen")).to_have_count(0)
    alice.locator(".send-form textarea").fill("Tu es là ?")
    with alice.expect_navigation():
        alice.locator(".send-form textarea").press("Enter")
    assert message_texts(alice) == ["Coucou", "Tu es là ?"]
    asked = newest_message(live_world)

    # Bob's badge counts it without a reload.
    expect(count).to_have_text("2")
    expect(spoken).to_have_text("2 non lues")
    assert_not_reloaded(bob_home)

    # Bob opens the conversation in a second tab: Alice sees "Vu par Bob D." under her message
    # without a reload, and Bob's badge in his first tab goes away.
    wait_until_live(alice)
    mark_page(alice)
    bob = bob_home.context.new_page()
    bob.goto(url)
    wait_until_live(bob)
    expect(alice.locator(f"#message-{asked.pk} .seen")).to_have_text("Vu par Bob D.")
    expect(alice.locator("#chat .seen")).to_have_count(1)
    assert_not_reloaded(alice)
    expect(bob_home.locator("#nav-messages .badge")).to_have_count(0)
    assert_not_reloaded(bob_home)

    # Alice types: Bob sees that she is writing before she sends anything.
    mark_page(bob)
    typing = bob.locator("#typing")
    expect(typing).to_be_empty()
    alice.locator(".send-form textarea").press_sequentially("Bonjour Bob")
    expect(typing).to_have_text("Alice M. écrit…")
    assert message_texts(bob) == ["Coucou", "Tu es là ?"]

    # She sends with the button: the message appears on Bob's page, the indicator goes away.
    assert submit(alice) == 200
    expect(bob.locator("#chat .chat-message").last.locator(".body")).to_have_text("Bonjour Bob")
    expect(bob.locator("#chat .chat-message").last.locator(".author")).to_have_text("Alice M.")
    expect(typing).to_be_empty()
    assert_not_reloaded(bob)
    assert message_texts(bob) == ["Coucou", "Tu es là ?", "Bonjour Bob"]

    # Reloaded, Alice's page has the whole history in order, "seen" under the newest message
    # (Bob's page read it when it showed it).
    hello = newest_message(live_world)
    assert hello.body == "Bonjour Bob"
    alice.reload()
    assert message_texts(alice) == ["Coucou", "Tu es là ?", "Bonjour Bob"]
    expect(alice.locator(f"#message-{hello.pk} .seen")).to_have_text("Vu par Bob D.")
    expect(alice.locator("#chat .seen")).to_have_count(1)


def test_chat_without_javascript(
    live_world: World, open_page: Callable[..., Page], tmp_path: Path
) -> None:
    from PIL import Image as PILImage

    from apps.messaging.models import Message

    url = f"/messages/{live_world.conversation.pk}/"
    stored = Message.objects.filter(conversation=live_world.conversation)
    alice = open_page(live_world.alice, java_script_enabled=False)
    bob = open_page(live_world.bob, java_script_enabled=False)
    bob.goto(url)
    assert message_texts(bob) == ["Coucou"]

    # Alice posts the form: she is sent back to the conversation and sees her message.
    alice.goto(url)
    textarea = alice.locator(".send-form textarea")
    textarea.fill("Salut, sans JavaScript")
    assert submit(alice) == 200
    parts = urlsplit(alice.url)
    assert (parts.path, parts.fragment) == (url, "end")
    assert message_texts(alice) == ["Coucou", "Salut, sans JavaScript"]
    bob.reload()
    assert message_texts(bob) == ["Coucou", "Salut, sans JavaScript"]
    assert stored.count() == 2

    # Too long: the browser stops typing at 4000 characters (maxlength); without that guard
    # (an old browser, a crafted post) the server refuses 4001 with a clear French message,
    # gives back the text typed, and stores nothing.
    assert textarea.get_attribute("maxlength") == "4000"
    alice.evaluate("document.querySelector('.send-form textarea').removeAttribute('maxlength')")
    textarea.fill("a" * 4001)
    assert submit(alice) == 400
    expect(alice.locator(".send-form .errors")).to_have_text(
        "Assurez-vous que cette valeur comporte au plus 4000 caractères (actuellement 4001)."
    )
    assert textarea.input_value() == "a" * 4001
    assert stored.count() == 2

    # Empty: a clear message, nothing stored.
    textarea.fill("   ")
    assert submit(alice) == 400
    expect(alice.locator(".send-form .errors")).to_have_text("Écrivez d’abord un message.")
    assert stored.count() == 2

    # A photo alone: a thumbnail appears in the conversation, served by the access-checked URL.
    photo = tmp_path / "balcon.jpg"
    PILImage.new("RGB", (800, 600), (40, 120, 200)).save(photo, format="JPEG")
    alice.locator(".send-form input[type=file]").set_input_files(photo)
    assert submit(alice) == 200
    sent = stored.latest("pk")
    assert sent.image_id is not None and sent.body == ""
    thumb = f"/messages/m/{sent.pk}/image/?size=thumb"
    bob.reload()
    for page in (alice, bob):
        img = page.locator(f"#message-{sent.pk} img.photo")
        expect(img).to_have_attribute("src", thumb)
        expect(img).to_have_attribute("alt", "Photo envoyée par Alice M.")

    # The thumbnail really loads (in a page with JavaScript, where lazy loading applies), and
    # is the small copy (at most 400 px wide), not the 800 px original.
    viewer = open_page(live_world.bob)
    viewer.goto(url)
    width = loaded_width(viewer, f"#message-{sent.pk} img.photo")
    assert 0 < width <= 400, width


def test_edit_and_delete_are_seen_live(live_world: World, open_page: Callable[..., Page]) -> None:
    url = f"/messages/{live_world.conversation.pk}/"
    pk = live_world.message.pk
    alice = open_page(live_world.alice)
    bob = open_page(live_world.bob)
    bob.goto(url)
    wait_until_live(bob)
    seen_by_bob = bob.locator(f"#message-{pk}")
    expect(seen_by_bob.locator(".body")).to_have_text("Coucou")
    expect(seen_by_bob.locator(".edited")).to_have_count(0)
    # Not his message: no edit or delete, only the report link.
    expect(seen_by_bob.get_by_role("button", name="Supprimer ce message")).to_have_count(0)
    expect(seen_by_bob.get_by_role("link", name="Modifier ce message")).to_have_count(0)
    expect(seen_by_bob.get_by_role("link", name="Signaler ce message")).to_have_count(1)
    mark_page(bob)

    # Alice edits her message on the edit page.
    alice.goto(url)
    mine = alice.locator(f"#message-{pk}")
    with alice.expect_navigation():
        mine.get_by_role("link", name="Modifier ce message").click()
    assert urlsplit(alice.url).path == f"/messages/m/{pk}/edit/"
    expect(alice.locator("h1")).to_have_text("Modifier un message")
    alice.locator("main textarea").fill("Coucou, c’est Alice")
    assert submit(alice, "Enregistrer") == 200
    assert urlsplit(alice.url).fragment == f"message-{pk}"
    expect(mine.locator(".edited")).to_have_text("(modifié)")

    # Bob sees the new text and "(modifié)" without a reload.
    expect(seen_by_bob.locator(".body")).to_have_text("Coucou, c’est Alice")
    expect(seen_by_bob.locator(".edited")).to_have_text("(modifié)")
    assert_not_reloaded(bob)

    # Alice deletes it; Bob sees "Message supprimé" in its place, without a reload.
    with alice.expect_navigation():
        mine.get_by_role("button", name="Supprimer ce message").click()
    expect(mine.locator(".deleted")).to_have_text("Message supprimé")
    expect(mine.locator(".message-actions")).to_have_count(0)
    expect(seen_by_bob.locator(".deleted")).to_have_text("Message supprimé")
    expect(seen_by_bob).not_to_contain_text("Coucou")
    expect(seen_by_bob.locator(".edited")).to_have_count(0)
    assert_not_reloaded(bob)


def test_residence_room_presence_and_live_message(
    live_world: World, open_page: Callable[..., Page]
) -> None:
    from apps.messaging.models import Conversation

    alice = open_page(live_world.alice)
    bob = open_page(live_world.bob)
    alice.goto(f"/r/{live_world.residence.pk}/room/")
    room = Conversation.objects.get(residence=live_world.residence, kind=Conversation.Kind.ROOM)
    assert urlsplit(alice.url).path == f"/messages/{room.pk}/"
    expect(alice.locator("h1")).to_have_text(ROOM_TITLE)
    wait_until_live(alice)

    # Bob opens the room too; after a reload it lists Alice among those online.
    bob.goto(f"/r/{live_world.residence.pk}/room/")
    assert urlsplit(bob.url).path == f"/messages/{room.pk}/"
    bob.reload()
    wait_until_live(bob)
    online = bob.locator("#chat .online")
    expect(online).to_contain_text("En ligne")
    expect(online).to_contain_text("Alice M.")
    mark_page(bob)

    # Alice writes in the room: Bob sees it without a reload.
    alice.locator(".send-form textarea").fill("Bonjour la résidence !")
    assert submit(alice) == 200
    newest = bob.locator("#chat .chat-message").last
    expect(newest.locator(".body")).to_have_text("Bonjour la résidence !")
    expect(newest.locator(".author")).to_have_text("Alice M.")
    assert_not_reloaded(bob)


def small_targets(page: Page) -> list[str]:
    """Controls of the page's main part less than 44 px high or wide (DESIGN.md §7)."""
    found: list[str] = page.evaluate(
        """() => [...document.querySelectorAll(
                "main a, main button, main input:not([type=hidden]), main textarea, main select")]
            .filter((el) => {
                const box = el.getBoundingClientRect();
                return box.height < 44 || box.width < 44;
            })
            .map((el) => el.outerHTML.slice(0, 80))"""
    )
    return found


def add_conversation_content(world: World) -> dict[str, int]:
    """A conversation like a real one: replies, a long link, several lines, an edited and a
    deleted message, a photo, and Bob's "seen" marker."""
    from django.utils import timezone

    from apps.messaging.models import Conversation, Message, Participant
    from apps.uploads.actions import store_image
    from tests.uploads_helpers import photo_file

    alice, bob = world.alice.user, world.bob.user

    def say(author: Any, body: str, **extra: Any) -> Message:
        return Message.objects.create(
            conversation=world.conversation, author=author, body=body, **extra
        )

    say(bob, "Salut Alice ! Tu as vu l’annonce pour la fête des voisins samedi ?")
    say(alice, "Oui : https://www.exemple.fr/une-tres-longue-adresse-sans-espace-" + "x" * 60)
    say(
        alice,
        "Je peux apporter :\n- des chaises\n- une table pliante\n- un gâteau",
        edited_at=timezone.now(),
    )
    say(bob, "", deleted_at=timezone.now())
    photo = say(bob, "Le jardin ce matin", image=store_image(bob, photo_file(size=(800, 600))))
    last = say(alice, "Super, à samedi !")
    Participant.objects.filter(conversation=world.conversation, user=bob).update(
        last_read_id=last.pk
    )
    Conversation.objects.filter(pk=world.conversation.pk).update(last_message_at=last.created_at)
    return {"edit": world.message.pk, "photo": photo.pk}


def test_messaging_pages_pass_axe_and_fit_a_phone(
    live_world: World, open_page: Callable[..., Page], live_daphne: Daphne, settings: Any
) -> None:
    """Each page with normal text, then again with large text (Alice's setting)."""
    from apps.accounts.models import User

    settings.MEDIA_ROOT = live_daphne.media_root  # type: ignore[attr-defined]  # the photo
    ids = add_conversation_content(live_world)
    url = f"/messages/{live_world.conversation.pk}/"
    page = open_page(live_world.alice)  # a 360 px phone (see new_context)
    assert page.viewport_size is not None and page.viewport_size["width"] == 360
    problems: list[str] = []
    checked: list[str] = []

    def check(name: str, large_text: bool) -> None:
        has_class = "large-text" in (page.locator("body").get_attribute("class") or "")
        assert has_class == large_text, f"{name}: large text is {has_class}"
        suffix = "-large" if large_text else ""
        problems.extend(f"{name}{suffix}: {v}" for v in blocking_violations(page))
        problems.extend(f"{name}{suffix}: under 44 px: {el}" for el in small_targets(page))
        if culprit := horizontal_overflow(page):
            problems.append(f"{name}{suffix} scrolls sideways at 360 px: {culprit}")
        if SHOTS:
            Path(SHOTS).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=Path(SHOTS) / f"{name}-360{suffix}.png", full_page=True)
        checked.append(name + suffix)

    for large_text in (False, True):
        User.objects.filter(pk=live_world.alice.user_id).update(large_text=large_text)

        page.goto(url)
        assert loaded_width(page, f"#message-{ids['photo']} img.photo") > 0
        expect(page.locator("#chat .seen")).to_have_text("Vu par Bob D.")
        check("conversation", large_text)

        # The form with an error (an empty message).
        page.locator(".send-form textarea").fill("")
        assert submit(page) == 400
        expect(page.locator(".send-form .errors")).to_have_text("Écrivez d’abord un message.")
        check("conversation-error", large_text)

        page.goto(f"/messages/m/{ids['edit']}/edit/")
        check("edit", large_text)

        page.goto(f"/r/{live_world.residence.pk}/room/")
        expect(page.locator("h1")).to_have_text(ROOM_TITLE)
        check("room", large_text)

        page.goto("/messages/")
        expect(page.locator("#conversations .conversation")).to_have_count(2)  # Bob, the room
        check("list", large_text)

    assert len(checked) == 10, checked
    assert not problems, "\n".join(problems)

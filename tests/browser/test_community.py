"""Residence life in a real browser, in French: an urgent landlord notice seen live and pinned
on a resident's open feed, with its notification; the printable notice as an A4 PDF in
Chromium; comments and reactions seen live by another reader of the post; accessibility (axe,
no sideways scrolling) of the feed, a post with comments and the two forms at 360 and 1280 px.

A PNG of the printable notice (print media) is always saved to
/tmp/community-shots/notice-print.png, for a human look."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import DESKTOP, PHONE, sign_in, wait_until_live
from tests.browser.test_accessibility import blocking_violations, horizontal_overflow
from tests.conftest import Daphne, World, start_daphne, user_of

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/community-shots")
NOTICE = "Ascenseur du bâtiment A en panne"
NOTICE_TEXT = (
    "L’ascenseur est à l’arrêt depuis ce matin. Le technicien passe demain matin.\n"
    "Les personnes qui ont besoin d’aide pour monter leurs courses peuvent appeler la loge."
)
NEWS = "Atelier couture samedi"
# A4 in PostScript points (210 by 297 mm).
A4_POINTS = (595.28, 841.89)


@pytest.fixture(scope="module")
def community_daphne(
    django_db_setup: None, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Daphne]:
    """One daphne for this file (see ``test_chat.chat_daphne``)."""
    root = tmp_path_factory.mktemp("community-daphne")
    (root / "mail").mkdir()
    server = start_daphne({"EMAIL_FILE_PATH": str(root / "mail")})
    yield server
    server.stop()


@pytest.fixture
def live_daphne(transactional_db: None, community_daphne: Daphne) -> Daphne:
    """Overrides ``tests.conftest.live_daphne`` (used by ``live_world``, ``open_page``...)."""
    return community_daphne


# --- helpers ------------------------------------------------------------------------------------


def mark_page(page: Page) -> None:
    """Leave a mark in the page's JavaScript world (a reload or navigation would wipe it)."""
    page.evaluate("window.__sameDocument = true")


def assert_not_reloaded(page: Page) -> None:
    assert page.evaluate("window.__sameDocument === true"), "the page was reloaded"


def click_and_load(page: Page, name: str, role: Any = "button") -> int:
    """Click a button (or link) that loads a page; the HTTP status of the page that comes back."""
    with page.expect_navigation() as navigation:
        page.get_by_role(role, name=name, exact=True).click()
    response = navigation.value
    assert response is not None
    return response.status


def unread_badge(page: Page) -> int:
    """The number in the menu's notification badge (no badge: 0)."""
    badge = page.locator("#nav-notifications .badge [aria-hidden=true]")
    return int(badge.inner_text()) if badge.count() else 0


def tomorrow_evening() -> datetime.datetime:
    """Tomorrow at 18:00, local time (what a person types in the form)."""
    from django.utils import timezone

    day = timezone.localdate() + datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(18, 0)))


def french_date(moment: datetime.datetime, pattern: str) -> str:
    """A date as the templates write it (French, the site's time zone)."""
    from django.utils import dateformat, timezone, translation

    with translation.override("fr"):
        return dateformat.format(timezone.localtime(moment), pattern)


def urgent_notice(world: World) -> Any:
    from tests.community.helpers import notice

    return notice(
        world,
        title=NOTICE,
        body=NOTICE_TEXT,
        category="lift",
        urgency="urgent",
        valid_until=tomorrow_evening(),
    )


# --- the tests ----------------------------------------------------------------------------------


def test_an_urgent_notice_reaches_an_open_feed_pinned_and_notifies(
    live_world: World, open_page: Callable[..., Page]
) -> None:
    from apps.community.models import Post

    r = live_world.residence.pk

    # Alice, resident, has the feed open and live: nothing yet.
    alice = open_page(live_world.alice)
    alice.goto(f"/r/{r}/feed/")
    wait_until_live(alice)
    expect(alice.locator("#feed")).to_contain_text("Rien n’a encore été publié.")
    unread_before = unread_badge(alice)
    mark_page(alice)

    # Claire, landlord staff, signs in through the form and publishes an urgent notice.
    claire = open_page()
    sign_in(claire, live_world.claire)
    claire.goto(f"/r/{r}/feed/")
    assert click_and_load(claire, "Publier un avis", role="link") == 200
    assert claire.url.endswith(f"/r/{r}/feed/new/notice/")
    claire.get_by_label("Titre").fill(NOTICE)
    claire.get_by_label("Catégorie").select_option(label="Ascenseur")
    claire.get_by_label("Urgent", exact=True).check()
    claire.get_by_label("Texte").fill(NOTICE_TEXT)
    until = tomorrow_evening()
    claire.get_by_label("Valable jusqu’au").fill(until.strftime("%Y-%m-%dT%H:%M"))
    assert click_and_load(claire, "Publier") == 200
    notice = Post.objects.get(kind="notice")
    assert claire.url.endswith(f"/posts/{notice.pk}/")
    expect(claire.locator("h1")).to_have_text(NOTICE)
    assert notice.notice.urgency == "urgent"
    assert notice.pinned_until == notice.notice.valid_until == until

    # Without a reload, Alice's feed shows it first, pinned, and her badge goes up.
    items = alice.locator("#feed ol.feed > li")
    expect(items.first).to_contain_text(NOTICE)
    expect(items.first.locator(".badge.warning")).to_have_text("Épinglé")
    expect(items.first).to_contain_text("Urgent · Ascenseur")
    expect(items.first).to_contain_text(f"Valable jusqu’au {french_date(until, 'j F Y, H:i')}")
    expect(alice.locator("#nav-notifications .badge [aria-hidden=true]")).to_have_text(
        str(unread_before + 1)
    )
    assert_not_reloaded(alice)

    # Bob, co-animator, publishes news afterwards: on Alice's feed it comes below the notice.
    bob = open_page(live_world.bob)
    bob.goto(f"/r/{r}/feed/new/news/")
    bob.get_by_label("Titre").fill(NEWS)
    bob.get_by_label("Texte").fill("Au local, à 14 h.")
    assert click_and_load(bob, "Publier") == 200
    expect(items).to_have_count(2)
    expect(items.nth(1)).to_contain_text(NEWS)
    expect(items.nth(0)).to_contain_text(NOTICE)
    expect(items.nth(0).locator(".badge.warning")).to_have_text("Épinglé")
    expect(items.nth(1).locator(".badge.warning")).to_have_count(0)
    assert_not_reloaded(alice)

    # The notifications page lists the urgent notice, leading to it.
    alice.get_by_role("navigation").get_by_role("link", name=re.compile("^Notifications")).click()
    alice.wait_for_url("**/notifications/")
    alert = alice.locator("#notification-list .notification", has_text=f"Avis urgent : {NOTICE}")
    expect(alert).to_have_count(1)
    expect(alert.get_by_role("link", name=f"Avis urgent : {NOTICE}")).to_have_attribute(
        "href", f"/posts/{notice.pk}/"
    )
    expect(alert).to_contain_text("Non lu")


def open_print_page(world: World, open_page: Callable[..., Page]) -> tuple[Page, Any, list[str]]:
    """Alice follows the post page's link to the printable notice of an urgent notice; the page,
    the post, and what the console says about the Content Security Policy."""
    post = urgent_notice(world)
    alice = open_page(world.alice)
    refused: list[str] = []
    alice.on(
        "console",
        lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None,
    )
    alice.goto(f"/posts/{post.pk}/")
    assert click_and_load(alice, "L’imprimer pour le hall (A4)", role="link") == 200
    assert alice.url.endswith(f"/posts/{post.pk}/print/")
    alice.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
    alice.emulate_media(media="print")
    return alice, post, refused


def test_the_printable_notice_is_one_a4_page_with_title_and_dates(
    live_world: World, open_page: Callable[..., Page]
) -> None:
    alice, post, _ = open_print_page(live_world, open_page)
    start = french_date(post.notice.valid_from, "l j F Y, H:i")
    end = french_date(post.notice.valid_until, "l j F Y, H:i")

    # What it says, and no site menu.
    expect(alice.locator("h1")).to_have_text(NOTICE)
    expect(alice.locator(".urgency")).to_contain_text(re.compile("Urgent · Ascenseur", re.I))
    expect(alice.locator(".dates")).to_have_text(f"Du {start} au {end}")
    expect(alice.locator(".body")).to_contain_text("Le technicien passe demain matin.")
    assert alice.locator("nav, #nav-notifications, header, #live-status").count() == 0
    text = alice.locator("body").inner_text()
    for expected in (NOTICE, start, end, live_world.residence.name, "Habitat Test"):
        assert expected in text, f"{expected!r} missing from the printed text: {text!r}"

    # A PNG in print media, for a human look.
    SHOTS.mkdir(parents=True, exist_ok=True)
    alice.screenshot(path=SHOTS / "notice-print.png", full_page=True)

    # Chromium prints it: one A4 page (pypdf is not in the venv: the raw PDF is read).
    pdf = alice.pdf(path=SHOTS / "notice-print.pdf", format="A4", print_background=True)
    assert pdf.startswith(b"%PDF-")
    pages = re.findall(rb"/Type\s*/Page\b(?!s)", pdf)
    assert len(pages) == 1, f"the notice prints on {len(pages)} pages"
    assert re.search(rb"/Type\s*/Pages\b[^>]*?/Count\s+1\b", pdf, re.S), "page count is not 1"
    boxes = re.findall(rb"/MediaBox\s*\[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)
    assert boxes, "no /MediaBox in the PDF"
    for box in boxes:
        x0, y0, x1, y1 = (float(v) for v in box)
        size = (x1 - x0, y1 - y0)
        assert all(abs(a - b) < 2 for a, b in zip(size, A4_POINTS, strict=True)), size


def test_the_printable_notice_is_styled_for_the_hall(
    live_world: World, open_page: Callable[..., Page]
) -> None:
    alice, _, refused = open_print_page(live_world, open_page)
    expect(alice.locator(".no-print")).to_be_hidden()  # "Back · Print this page" is screen-only
    title_px = alice.locator("h1").evaluate("el => parseFloat(getComputedStyle(el).fontSize)")
    assert title_px >= 40, f"the title is {title_px} px, not 30 pt"
    transform = alice.locator(".urgency").evaluate("el => getComputedStyle(el).textTransform")
    assert transform == "uppercase"
    assert not refused, refused


def test_a_comment_and_a_reaction_show_live_to_another_reader(
    live_world: World, open_page: Callable[..., Page]
) -> None:
    from apps.community.models import Comment, Reaction
    from tests.community.helpers import news

    post = news(live_world, title=NEWS, body="Au local, à 14 h.")
    comment = "J’apporte ma machine à coudre !"

    alice = open_page(live_world.alice)
    claire = open_page(live_world.claire)
    for page in (alice, claire):
        page.goto(f"/posts/{post.pk}/")
        expect(page.locator("h1")).to_have_text(NEWS)
        expect(page.locator("#comments")).to_contain_text("Pas encore de commentaire.")
        wait_until_live(page)
    expect(claire.get_by_role("button", name="Je participe", exact=True)).to_be_visible()
    mark_page(claire)

    # Alice comments: her page reloads on her comment; Claire's shows it without a reload.
    alice.get_by_label("Votre commentaire").fill(comment)
    assert click_and_load(alice, "Commenter") == 200
    saved = Comment.objects.get()
    assert alice.url.endswith(f"/posts/{post.pk}/#comment-{saved.pk}")
    shown = claire.locator(f"#comments #comment-{saved.pk}")
    expect(shown).to_contain_text(comment)
    expect(shown).to_contain_text("Alice M.")
    assert_not_reloaded(claire)

    # Alice presses "Je participe": the count shows on Claire's page, still not reloaded.
    wait_until_live(alice)
    assert click_and_load(alice, "Je participe") == 200
    expect(alice.get_by_role("button", name="Je participe (1)")).to_have_attribute(
        "aria-pressed", "true"
    )
    joined = claire.get_by_role("button", name="Je participe (1)", exact=True)
    expect(joined).to_be_visible()
    expect(joined).to_have_attribute("aria-pressed", "false")  # Claire did not press it
    expect(claire.locator(f"#comments #comment-{saved.pk}")).to_contain_text(comment)
    assert_not_reloaded(claire)
    assert Reaction.objects.get().user == user_of(live_world.alice)


def test_community_pages_pass_axe_at_360_and_1280_px(
    live_world: World, open_page: Callable[..., Page]
) -> None:
    from apps.community import actions
    from tests.community.helpers import news

    r = live_world.residence.pk
    urgent_notice(live_world)
    post = news(
        live_world,
        title=NEWS,
        body="Au local, à 14 h. Apportez vos tissus, les machines sont fournies.\n"
        "Infos : https://exemple.fr/couture",
    )
    actions.add_comment(user_of(live_world.alice), post, "J’apporte ma machine à coudre !")
    actions.add_comment(user_of(live_world.claire), post, "Merci pour l’organisation.")
    actions.react(user_of(live_world.alice), post, "join")

    # (name, persona, path, what the page must show)
    pages: list[tuple[str, Any, str, str]] = [
        ("feed", live_world.alice, f"/r/{r}/feed/", "Épinglé"),
        ("post", live_world.alice, f"/posts/{post.pk}/", "Merci pour l’organisation."),
        ("notice-form", live_world.claire, f"/r/{r}/feed/new/notice/", "Publier un avis"),
        ("news-form", live_world.bob, f"/r/{r}/feed/new/news/", "Publier une actualité"),
    ]
    problems: list[str] = []
    opened: dict[str, Page] = {}
    for name, persona, path, shows in pages:
        key = str(user_of(persona).pk)
        page = opened.get(key) or opened.setdefault(key, open_page(persona))
        response = page.goto(path)
        assert response is not None and response.ok, f"{name} {path}: {response}"
        expect(page.locator("main")).to_contain_text(shows)
        for viewport in (PHONE, DESKTOP):
            page.set_viewport_size(viewport)
            width = viewport["width"]
            problems += [f"{name} {width} px: {v}" for v in blocking_violations(page)]
            if width == PHONE["width"] and (culprit := horizontal_overflow(page)):
                problems.append(f"{name} scrolls sideways at 360 px: {culprit}")
        page.set_viewport_size(PHONE)
    assert not problems, "\n".join(problems)


def test_a_long_link_does_not_widen_the_feed_or_the_post_at_360_px(
    live_world: World, open_page: Callable[..., Page]
) -> None:
    from apps.community import actions
    from tests.community.helpers import news

    link = "https://exemple.fr/ateliers/couture/inscriptions-et-horaires-du-samedi-apres-midi"
    post = news(live_world, title=NEWS, body=f"Inscriptions : {link}")
    actions.add_comment(
        user_of(live_world.alice), post, f"Le lien, pour celles qui l’ont raté : {link}"
    )
    alice = open_page(live_world.alice)
    problems: list[str] = []
    for path in (f"/r/{live_world.residence.pk}/feed/", f"/posts/{post.pk}/"):
        alice.goto(path)
        expect(alice.locator("main")).to_contain_text(link)
        if culprit := horizontal_overflow(alice):
            problems.append(f"{path} scrolls sideways at 360 px: {culprit}")
    assert not problems, "\n".join(problems)


def test_an_initiative_goes_from_idea_to_done_with_participants_and_photos(
    live_world: World, open_page: Callable[..., Page], tmp_path: Path
) -> None:
    """Alice proposes a shared garden with a photo; Bob and Claire say "Je participe"; Alice
    moves it on, starts the team conversation and reports what came of it with a photo; the
    residence page then shows it among the initiatives carried out."""
    from PIL import Image as PILImage

    r = live_world.residence.pk
    photo = tmp_path / "bacs.jpg"
    PILImage.new("RGB", (120, 80), (60, 140, 60)).save(photo, format="JPEG")
    result = tmp_path / "tomates.jpg"
    PILImage.new("RGB", (120, 80), (200, 40, 40)).save(result, format="JPEG")

    alice = open_page(live_world.alice)
    alice.goto(f"/r/{r}/feed/")
    click_and_load(alice, "Proposer une initiative", "link")
    alice.get_by_label("Votre idée en quelques mots").fill("Jardin partagé dans la cour")
    alice.get_by_label("Présentez-la aux voisins").fill("Quatre bacs près du local vélos.")
    alice.get_by_label("Une photo (facultatif)").set_input_files(str(photo))
    assert click_and_load(alice, "Publier") == 200
    post_url = alice.url
    expect(alice.locator(".steps li.current")).to_have_text("Idée")
    expect(alice.locator(".initiative .photos img")).to_have_count(1)
    # The photo is served (access-checked), not a broken image (lazy: scroll to it first).
    alice.locator(".initiative .photos img").scroll_into_view_if_needed()
    alice.wait_for_function(
        "() => [...document.querySelectorAll('.initiative .photos img')]"
        ".every(img => img.complete && img.naturalWidth > 0)"
    )

    for persona in (live_world.bob, live_world.claire):
        page = open_page(persona)
        page.goto(post_url)
        with page.expect_navigation():
            page.get_by_role("button", name=re.compile("^Je participe")).click()
        expect(page.get_by_role("button", name=re.compile("Je participe"))).to_have_attribute(
            "aria-pressed", "true"
        )

    alice.goto(post_url)
    expect(alice.locator(".initiative h3").first).to_have_text("2 voisins participent")
    expect(alice.locator(".participants")).to_contain_text("Bob D.")
    expect(alice.locator(".participants")).to_contain_text("Claire F.")
    alice.get_by_label("Où en est-elle ?").select_option("ongoing")
    click_and_load(alice, "Mettre à jour")
    expect(alice.locator(".steps li.current")).to_have_text("En cours")

    click_and_load(alice, "Lancer la conversation de l’équipe")
    assert "/messages/" in alice.url
    expect(alice.locator("h1")).to_contain_text("Jardin partagé dans la cour")

    alice.goto(post_url)
    alice.get_by_text("C’est fait : racontez à la résidence ce que cela a donné").click()
    alice.get_by_label("Qu’est-ce que cela a donné ?").fill("Six bacs plantés, tomates en juillet.")
    alice.get_by_label("Une photo du résultat (facultatif)").set_input_files(str(result))
    click_and_load(alice, "Publier le compte rendu")
    expect(alice.locator(".steps li.current")).to_have_text("Réalisée")
    expect(alice.locator(".initiative")).to_contain_text("Six bacs plantés, tomates en juillet.")
    expect(alice.locator(".initiative .photos img")).to_have_count(2)

    bob = open_page(live_world.bob)
    bob.goto(f"/r/{r}/")
    panel = bob.locator("section[aria-labelledby=initiatives-title]")
    expect(panel).to_contain_text("1 initiative réalisée par des voisins")
    expect(panel.get_by_role("link", name="Jardin partagé dans la cour")).to_be_visible()
    bob.goto(post_url)
    assert blocking_violations(bob) == []
    assert not horizontal_overflow(bob)

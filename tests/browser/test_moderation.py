"""Moderation in a real browser, in French, several people at once (issue 6): a report seen live
in the co-animator's queue, a decision with a written reason, the author's appeal reviewed by
the other side; the two-key rule (staff cannot silence a tenant's criticism of the landlord
alone); three reports hide a profile; a muted member is told why and until when; a reported
private message reviewed through its case and gone from the other participant's chat; the public
log never naming a reporter; and accessibility (axe) of the moderation pages at 360 and 1280 px.

Set BROWSER_SHOTS=<folder> to also save screenshots of the queue (360 px) and of the log."""

from __future__ import annotations

import datetime
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.helpers import DESKTOP, PHONE, sign_in, wait_until_live
from tests.browser.test_accessibility import blocking_violations, horizontal_overflow
from tests.conftest import Daphne, World, make_user, start_daphne

pytestmark = pytest.mark.browser

SHOTS = os.environ.get("BROWSER_SHOTS", "")
INSULT = "Les gens de l’entrée B sont des parasites."
CRITICISM = "Le bailleur ne répare jamais l’ascenseur."
SCAM = "Je vends des places de parking, payez-moi en liquide."
NOTE = "Il insulte tous les voisins de l’entrée B."


@pytest.fixture(scope="module")
def moderation_daphne(
    django_db_setup: None, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Daphne]:
    """One daphne for this file (see ``test_chat.chat_daphne``)."""
    root = tmp_path_factory.mktemp("moderation-daphne")
    (root / "mail").mkdir()
    server = start_daphne({"EMAIL_FILE_PATH": str(root / "mail")})
    yield server
    server.stop()


@pytest.fixture
def live_daphne(transactional_db: None, moderation_daphne: Daphne) -> Daphne:
    """Overrides ``tests.conftest.live_daphne`` (used by ``live_world``, ``open_page``...)."""
    return moderation_daphne


# --- what people do ---------------------------------------------------------------------------


def neighbour(world: World, first: str, last: str, bio: str = "") -> Any:
    """One more resident of the world's residence (a membership: a profile there)."""
    from django.utils import timezone

    from apps.residences.models import Membership, Role, Status

    user = make_user(f"{first.lower()}.{last.lower()}@test.fr", first, last, bio=bio)
    return Membership.objects.create(
        user=user,
        residence=world.residence,
        role=Role.RESIDENT,
        status=Status.ACTIVE,
        charter_accepted_at=timezone.now(),
        decided_at=timezone.now() - datetime.timedelta(days=90),
    )


def mark_page(page: Page) -> None:
    """Leave a mark in the page's JavaScript world (a reload or navigation would wipe it)."""
    page.evaluate("window.__sameDocument = true")


def assert_not_reloaded(page: Page) -> None:
    assert page.evaluate("window.__sameDocument === true"), "the page was reloaded"


def click_and_load(page: Page, name: str, role: Literal["button", "link"] = "button") -> int:
    """Click a button (or link) that loads a page; the HTTP status of the page that comes back
    (after redirects)."""
    with page.expect_navigation() as navigation:
        page.get_by_role(role, name=name, exact=True).click()
    response = navigation.value
    assert response is not None
    return response.status


def flash(page: Page) -> str:
    return page.locator("ul.messages").inner_text()


def profile_url(member: Any) -> str:
    return f"/r/{member.residence_id}/members/{member.user_id}/"


def report_profile(page: Page, member: Any, reason: str, note: str = "") -> None:
    """From the member's page, "Signaler ce profil" → the report form → back on the profile."""
    page.goto(profile_url(member))
    assert click_and_load(page, "Signaler ce profil", role="link") == 200
    assert urlsplit(page.url).path == f"/report/profile/{member.pk}/"
    expect(page.locator("h1")).to_have_text("Signaler : Profil")
    page.get_by_label(reason, exact=True).check()
    if note:
        page.get_by_label("Quelques mots pour les modérateurs (facultatif)").fill(note)
    assert click_and_load(page, "Envoyer le signalement") == 200
    assert urlsplit(page.url).path == profile_url(member)
    assert "Merci. Les co-animateurs et les modérateurs du bailleur vont regarder." in flash(page)


def french(text: str) -> re.Pattern[str]:
    """``text``, with or without the space French puts before ":" (some templates write a bare
    ":"; see the report)."""
    parts = re.split(r"\s?:", text)
    return re.compile(r"[\s\u202f\xa0]?:".join(re.escape(part) for part in parts))


def label(text: str) -> re.Pattern[str]:
    """A field's label exactly, whatever follows it (Django adds " :" in French)."""
    return re.compile(rf"^{re.escape(text)}\s*:?$")


def decide(page: Page, action: str, reason: str, explanation: str, until: str = "") -> int:
    """Fill the decision form (case page or member page) and send it."""
    page.get_by_label(label("Décision")).select_option(label=action)
    page.get_by_label(label("Motif")).select_option(label=reason)
    page.get_by_label(label("Motif écrit")).fill(explanation)
    if until:
        page.get_by_label("Jusqu’au (mise en sourdine ou suspension)").fill(until)
    return click_and_load(page, "Décider")


def profile_is_hidden(page: Page, member: Any, text: str) -> bool:
    """Reload the member's page as this viewer: whether it says the profile is hidden (and then
    its text must be gone)."""
    page.goto(profile_url(member))
    hidden = page.get_by_text("Ce profil a été masqué par les modérateurs.").count() == 1
    main = page.locator("main").inner_text()
    if hidden:
        assert text not in main, "a hidden profile still shows its text"
    else:
        assert text in main, "a visible profile does not show its text"
    return hidden


def log_rows(page: Page) -> list[list[str]]:
    return [row.locator("td").all_inner_texts() for row in page.locator("table.log tbody tr").all()]


def queue_region(page: Page) -> Locator:
    return page.locator("#moderation-queue")


# --- the tests ----------------------------------------------------------------------------------


def test_report_live_queue_hide_appeal_overturn_and_public_log(
    live_world: World, open_page: Callable[..., Page]
) -> None:
    from django.utils import timezone

    from apps.moderation.models import Appeal, Case, Decision

    r = live_world.residence.pk
    eric = neighbour(live_world, "Eric", "Roux", INSULT)

    # Bob, co-animator, has the review queue open: nothing to review.
    bob = open_page(live_world.bob)
    bob.goto(f"/r/{r}/moderation/")
    wait_until_live(bob)
    expect(queue_region(bob)).to_contain_text("Rien à examiner.")
    mark_page(bob)

    # Alice signs in through the form and reports Eric's profile with a reason and a note.
    alice = open_page()
    sign_in(alice, live_world.alice)
    report_profile(alice, eric, "Irrespectueux", NOTE)
    case = Case.objects.get()
    assert (case.target_type, case.target_id, case.author_id) == ("profile", eric.pk, eric.user_id)

    # Bob's queue shows it without a reload: the text, its author, the reason counted.
    cases = bob.locator("#moderation-queue .card")
    expect(cases).to_have_count(1)
    expect(cases).to_contain_text(INSULT)
    expect(cases).to_contain_text("Par Eric R.")
    expect(cases).to_contain_text("Irrespectueux (1)")
    assert_not_reloaded(bob)

    # He opens the case: moderators see who reported and the note. He hides the profile with a
    # written reason.
    assert click_and_load(bob, "Examiner", role="link") == 200
    assert urlsplit(bob.url).path == f"/moderation/cases/{case.pk}/"
    reports = bob.locator("main").get_by_role("listitem").filter(has_text=NOTE)
    expect(reports).to_have_count(1)
    expect(reports).to_contain_text(french(f"Irrespectueux : « {NOTE} » — Alice M."))
    explanation = "Propos insultants envers les voisins de l’entrée B."
    assert decide(bob, "Masquer", "Irrespectueux", explanation) == 200
    assert urlsplit(bob.url).path == f"/r/{r}/moderation/"
    assert "Décision appliquée." in flash(bob)
    expect(queue_region(bob)).to_contain_text("Rien à examiner.")
    decision = Decision.objects.get()
    assert (decision.action, decision.status) == ("hide", "applied")

    # Alice no longer sees Eric's words; Eric still sees his own, marked hidden.
    assert profile_is_hidden(alice, eric, INSULT)
    eric_page = open_page(eric)
    eric_page.goto(profile_url(eric))
    expect(eric_page.locator("main")).to_contain_text("Ce profil a été masqué par les modérateurs.")

    # Eric is notified; the notification leads to the decision, with its written reason.
    eric_page.goto("/notifications/")
    assert click_and_load(eric_page, "Les modérateurs ont masqué votre profil", "link") == 200
    assert urlsplit(eric_page.url).path == f"/moderation/decisions/{decision.pk}/"
    expect(eric_page.locator("h1")).to_have_text(
        french("Masquer : une décision concernant Eric R.")
    )
    facts = eric_page.locator("dl.facts")
    expect(facts).to_contain_text("Irrespectueux")
    expect(facts).to_contain_text(explanation)
    expect(facts).to_contain_text("Bob D. (Co-animateur)")
    expect(eric_page.locator("main")).not_to_contain_text("Alice")  # never who reported

    # He contests it, once.
    eric_page.get_by_label("Pourquoi contestez-vous cette décision ?").fill(
        "C’était une blague, je vais reformuler."
    )
    assert click_and_load(eric_page, "Envoyer ma contestation") == 200
    assert "Votre contestation est envoyée." in flash(eric_page)
    expect(eric_page.locator("main")).to_contain_text("En attente d’examen")
    expect(eric_page.get_by_role("button", name="Envoyer ma contestation")).to_have_count(0)
    assert Appeal.objects.get().reviewer_role == "staff"  # the other side reviews it

    # Claire (landlord staff) finds it in her queue and withdraws the decision.
    claire = open_page(live_world.claire)
    claire.goto(f"/r/{r}/moderation/")
    appeals = claire.locator("section[aria-labelledby=appeals-title]")
    expect(appeals).to_contain_text("C’était une blague, je vais reformuler.")
    with claire.expect_navigation():
        appeals.get_by_role("link", name="Examiner cette contestation").click()
    claire.get_by_label("Votre motif").fill("Critique maladroite mais pas d’insulte nominative.")
    assert click_and_load(claire, "Retirer la décision") == 200
    assert "La contestation est examinée." in flash(claire)
    expect(claire.locator(".lead .badge")).to_have_text("Annulée")
    expect(claire.locator("main")).to_contain_text("Décision annulée")

    # Eric's profile is visible again for Alice; Eric is told.
    assert not profile_is_hidden(alice, eric, INSULT)
    eric_page.goto("/notifications/")
    expect(eric_page.locator("#notification-list")).to_contain_text(
        "Votre contestation est acceptée : la décision est retirée"
    )

    # The public log, read by Eric (who would like to know who reported him): each step of the
    # decision, never the reporter, the note or the hidden words.
    eric_page.goto(f"/r/{r}/moderation/log/")
    assert log_rows(eric_page) == [
        [
            timezone.localdate().strftime("%d/%m/%Y"),
            "Profil",
            "Masquer · Annulée · contestation : Décision annulée",
            "Irrespectueux",
            "Bob D. (Co-animateur); contestation examinée par Claire F.",
        ]
    ]
    main = eric_page.locator("main").inner_text()
    for secret in ("Alice", NOTE, INSULT, explanation):
        assert secret not in main, f"the public log shows {secret!r}"


def test_staff_cannot_hide_criticism_of_the_landlord_without_a_co_animator(
    live_world: World, open_page: Callable[..., Page]
) -> None:
    from apps.moderation import actions
    from apps.moderation.models import Decision

    r = live_world.residence.pk
    frank = neighbour(live_world, "Frank", "Petit", CRITICISM)
    # Someone reported it; staff have no way to open a case themselves (see the report).
    actions.report(live_world.alice.user, "profile", frank.pk, reason="off_topic")

    bob = open_page(live_world.bob)
    bob.goto(f"/r/{r}/moderation/")
    wait_until_live(bob)
    pending = bob.locator("section[aria-labelledby=pending-title]")
    expect(pending).to_contain_text("Aucune.")
    mark_page(bob)

    # Claire decides to hide it: recorded, not applied.
    claire = open_page(live_world.claire)
    claire.goto(f"/r/{r}/moderation/")
    assert click_and_load(claire, "Examiner", role="link") == 200
    explanation = "Critique du bailleur : hors sujet dans un profil."
    assert decide(claire, "Masquer", "Hors sujet", explanation) == 200
    assert "Décision enregistrée : elle prendra effet quand l’autre côté sera d’accord." in flash(
        claire
    )
    decision = Decision.objects.get()
    assert (decision.status, decision.needs) == ("pending", "co_animator")

    # Claire cannot agree with herself.
    claire.goto(f"/moderation/decisions/{decision.pk}/")
    expect(claire.locator(".lead .badge")).to_have_text("En attente d’un second modérateur")
    expect(claire.get_by_role("button", name="Je suis d’accord : l’appliquer")).to_have_count(0)

    # Nothing happened: the profile is visible for Alice, the log has nothing yet.
    alice = open_page(live_world.alice)
    assert not profile_is_hidden(alice, frank, CRITICISM)
    alice.goto(f"/r/{r}/moderation/log/")
    expect(alice.locator("main")).to_contain_text("Aucune décision de modération pour l’instant.")

    # Bob's queue shows the decision waiting for him, without a reload.
    card = pending.locator(".card")
    expect(card).to_have_count(1)
    expect(card).to_contain_text("Masquer · Hors sujet")
    expect(card).to_contain_text("Claire F. (Personnel du bailleur)")
    expect(card).to_contain_text("Attend l’accord d’un co-animateur.")
    assert_not_reloaded(bob)

    # He reads it and agrees: now it is hidden.
    with bob.expect_navigation():
        card.get_by_role("link", name="Examiner cette décision").click()
    expect(bob.locator("dl.facts")).to_contain_text(explanation)
    assert click_and_load(bob, "Je suis d’accord : l’appliquer") == 200
    assert "Vous êtes d’accord : la décision prend effet." in flash(bob)
    expect(bob.locator(".lead .badge")).to_have_text("Appliquée")
    assert profile_is_hidden(alice, frank, CRITICISM)

    # The log names both keys.
    alice.goto(f"/r/{r}/moderation/log/")
    [row] = log_rows(alice)
    assert row[1:] == [
        "Profil",
        "Masquer · Appliquée",
        "Hors sujet",
        "Claire F. (Personnel du bailleur), Bob D.",
    ]
    assert "Alice" not in alice.locator("main").inner_text()


def test_three_reports_hide_a_profile_until_reviewed(
    live_world: World, open_page: Callable[..., Page]
) -> None:
    from apps.moderation.models import Case

    r = live_world.residence.pk
    gina = neighbour(live_world, "Gina", "Lopez", SCAM)
    reporters = [
        live_world.alice,
        neighbour(live_world, "Hugo", "Blanc"),
        neighbour(live_world, "Ines", "Noir"),
    ]
    fourth = open_page(neighbour(live_world, "Jules", "Vert"))

    for count, reporter in enumerate(reporters, start=1):
        report_profile(open_page(reporter), gina, "Arnaque ou argent")
        # Visible after one or two reports; hidden after the third.
        assert profile_is_hidden(fourth, gina, SCAM) == (count == 3)
    assert Case.objects.get().auto_hidden

    # Gone from the members' list too (for a member who is not a moderator).
    fourth.goto(f"/r/{r}/members/")
    expect(fourth.locator("main")).to_contain_text("Gina L.")
    expect(fourth.locator("main")).not_to_contain_text(SCAM)

    # The co-animator sees it in the queue, marked hidden until reviewed.
    bob = open_page(live_world.bob)
    bob.goto(f"/r/{r}/moderation/")
    card = queue_region(bob).locator(".card")
    expect(card).to_contain_text("masqué jusqu’à examen")
    expect(card).to_contain_text("Arnaque ou argent (3)")


def test_a_muted_member_cannot_post_and_is_told_until_when(
    live_world: World, open_page: Callable[..., Page]
) -> None:
    from django.utils import timezone, translation
    from django.utils.formats import date_format

    from apps.exchanges.models import Exchange
    from apps.messaging.models import Message
    from apps.moderation.models import Sanction

    r = live_world.residence.pk
    alice = live_world.alice

    # Bob mutes Alice for a week, from her profile.
    bob = open_page(live_world.bob)
    bob.goto(profile_url(alice))
    assert (
        click_and_load(bob, "Prendre une décision de modération concernant Alice M.", "link") == 200
    )
    expect(bob.locator("h1")).to_have_text("Une décision concernant Alice M.")
    day = timezone.localdate() + datetime.timedelta(days=7)
    status = decide(
        bob,
        "Mettre en sourdine (peut lire, pas publier)",
        "Irrespectueux",
        "Insultes répétées dans le salon.",
        until=day.isoformat(),
    )
    assert status == 200
    assert urlsplit(bob.url).path == profile_url(alice)
    assert "Décision appliquée." in flash(bob)
    sanction = Sanction.objects.get()
    assert (sanction.user_id, sanction.kind) == (alice.user_id, "mute")
    with translation.override("fr"):
        until = date_format(timezone.localtime(sanction.until), "DATETIME_FORMAT")
    assert until.startswith(f"{day.day} ") and "23:59" in until, until
    refused = (
        f"Vous ne pouvez pas publier dans cette résidence jusqu’au {until} "
        "(décision des modérateurs)."
    )
    messages_before = Message.objects.count()

    # Alice writes in the residence room: refused, told why and until when, her text kept.
    page = open_page(alice)
    page.goto(f"/r/{r}/room/")
    page.locator(".send-form textarea").fill("Bonjour tout le monde")
    assert click_and_load(page, "Envoyer") == 400
    expect(page.locator(".send-form .errors")).to_have_text(refused)
    assert page.locator(".send-form textarea").input_value() == "Bonjour tout le monde"

    # The same in her private conversation with Bob.
    page.goto(f"/messages/{live_world.conversation.pk}/")
    page.locator(".send-form textarea").fill("Pourquoi ?")
    assert click_and_load(page, "Envoyer") == 400
    expect(page.locator(".send-form .errors")).to_have_text(refused)
    assert Message.objects.count() == messages_before

    # And for a service exchange.
    page.goto(f"/r/{r}/exchanges/new/")
    page.get_by_label("Je cherche").check()
    page.get_by_label("Catégorie").select_option(label="Bricolage")
    page.get_by_label("Titre").fill("Monter une étagère")
    page.get_by_label("Description").fill("J’ai les vis mais pas la perceuse.")
    assert click_and_load(page, "Publier") == 400
    expect(page.locator(".form-errors")).to_have_text(refused)
    assert not Exchange.objects.exists()

    # She reads the decision about her (with the date) from her notifications.
    page.goto("/notifications/")
    assert click_and_load(page, "Vous ne pouvez pas publier pendant un temps", "link") == 200
    expect(page.locator("dl.facts")).to_contain_text(until)


def test_a_reported_private_message_is_hidden_through_its_case(
    live_world: World, open_page: Callable[..., Page]
) -> None:
    from apps.messaging.models import Conversation, Message, Participant

    r = live_world.residence.pk
    alice = live_world.alice
    henri = neighbour(live_world, "Henri", "Morel")
    conversation = Conversation.objects.create(
        residence=live_world.residence,
        kind=Conversation.Kind.DIRECT,
        direct_key=f"{min(alice.user_id, henri.user_id)}-{max(alice.user_id, henri.user_id)}",
        created_by=henri.user,
    )
    Participant.objects.bulk_create(
        [Participant(conversation=conversation, user=m.user) for m in (alice, henri)]
    )
    lines = [
        (henri, "Bonjour Alice, c’est pour la place de parking."),
        (alice, "Bonjour Henri, je ne l’utilise pas."),
        (henri, "Menteuse, je vais crever tes pneus."),
        (alice, "Je préviens les co-animateurs."),
    ]
    sent = [
        Message.objects.create(conversation=conversation, author=m.user, body=b) for m, b in lines
    ]
    Conversation.objects.filter(pk=conversation.pk).update(last_message_at=sent[-1].created_at)
    threat = sent[2]
    url = f"/messages/{conversation.pk}/"

    # Bob (co-animator, not in the conversation) has the queue open; he cannot read it.
    bob = open_page(live_world.bob)
    response = bob.goto(url)
    assert response is not None and response.status == 404
    bob.goto(f"/r/{r}/moderation/")
    wait_until_live(bob)
    mark_page(bob)

    # Alice reports Henri's message from the chat ("Signaler ce message"): back to it after.
    page = open_page(alice)
    page.goto(url)
    row = page.locator(f"#message-{threat.pk}")
    with page.expect_navigation():
        row.get_by_role("link", name="Signaler ce message").click()
    expect(page.locator("h1")).to_have_text("Signaler : Message")
    page.get_by_label("Menace", exact=True).check()
    page.get_by_label("Quelques mots pour les modérateurs (facultatif)").fill("Il me menace.")
    assert click_and_load(page, "Envoyer le signalement") == 200
    assert (urlsplit(page.url).path, urlsplit(page.url).fragment) == (url, f"message-{threat.pk}")
    wait_until_live(page)
    mark_page(page)

    # Bob's queue shows it live; the case page shows it in its thread, marked.
    card = queue_region(bob).locator(".card")
    expect(card).to_contain_text("Menace (1)")
    expect(card).to_contain_text("Par Henri M.")
    assert_not_reloaded(bob)
    assert click_and_load(bob, "Examiner", role="link") == 200
    expect(bob.locator("main h2").first).to_have_text("La conversation autour")
    thread = bob.locator("ol.thread > li")
    expect(thread).to_have_count(4)
    expect(thread.nth(2)).to_have_class("reported-item")
    expect(thread.nth(2)).to_contain_text("signalé")
    expect(thread.nth(2)).to_contain_text("Menteuse, je vais crever tes pneus.")
    expect(bob.locator("main")).to_contain_text(french("Menace : « Il me menace. » — Alice M."))
    assert decide(bob, "Masquer", "Menace", "Menace envers une voisine.") == 200
    assert "Décision appliquée." in flash(bob)

    # The message leaves Alice's open chat without a reload; the rest stays.
    expect(row).to_have_count(0)
    expect(page.locator("#chat .chat-message")).to_have_count(3)
    assert_not_reloaded(page)

    # Henri still sees it, marked, with the moderators' reason.
    henri_page = open_page(henri)
    henri_page.goto(url)
    expect(henri_page.locator(f"#message-{threat.pk} .moderation-notice")).to_have_text(
        french("Masqué par la modération : Menace envers une voisine.")
    )

    # The log: a message, hidden for a threat; never its text nor who reported it.
    page.goto(f"/r/{r}/moderation/log/")
    [log_row] = log_rows(page)
    assert log_row[1:] == ["Message", "Masquer · Appliquée", "Menace", "Bob D. (Co-animateur)"]
    assert "pneus" not in page.locator("main").inner_text()


def test_moderation_pages_pass_axe_at_360_and_1280_px(
    live_world: World, open_page: Callable[..., Page]
) -> None:
    from apps.moderation import actions
    from apps.moderation.models import Case

    r = live_world.residence.pk
    world = live_world
    # A case to review, a decision waiting for a co-animator, an appeal to review.
    gina = neighbour(world, "Gina", "Lopez", SCAM)
    actions.report(world.alice.user, "profile", gina.pk, reason="scam", note=NOTE)
    eric = neighbour(world, "Eric", "Roux", INSULT)
    actions.report(world.alice.user, "profile", eric.pk, reason="disrespect")
    hidden = actions.decide(
        world.bob.user,
        world.residence,
        target_type="profile",
        target_id=eric.pk,
        action="hide",
        reason="disrespect",
        explanation="Propos insultants.",
    )
    frank = neighbour(world, "Frank", "Petit", CRITICISM)
    actions.report(world.alice.user, "profile", frank.pk, reason="off_topic")
    pending = actions.decide(
        world.claire,
        world.residence,
        target_type="profile",
        target_id=frank.pk,
        action="hide",
        reason="off_topic",
        explanation="Hors sujet.",
    )
    assert pending.status == "pending"
    appealed = actions.decide(
        world.bob.user,
        world.residence,
        target_type="member",
        target_id=world.alice.user_id,
        action="warn",
        reason="disrespect",
        explanation="Ton agressif.",
        message="Merci de respecter la charte.",
    )
    actions.appeal(world.alice.user, appealed, "Je n’ai insulté personne.")
    gina_case = Case.objects.get(target_id=gina.pk)

    # (who, persona, path, what the page must show first)
    pages: list[tuple[str, Any, str, str]] = [
        ("report", world.alice, f"/report/profile/{frank.pk}/", "Signaler : Profil"),
        ("log", world.alice, f"/r/{r}/moderation/log/", "Journal de modération"),
        ("decision-appeal", eric, f"/moderation/decisions/{hidden.pk}/", "Contester"),
        ("queue", world.bob, f"/r/{r}/moderation/", "Contenus signalés ou retenus"),
        ("case", world.bob, f"/moderation/cases/{gina_case.pk}/", "Votre décision"),
        ("agree", world.bob, f"/moderation/decisions/{pending.pk}/", "Votre accord"),
        ("member", world.bob, f"/r/{r}/members/{world.alice.user_id}/moderate/", "Décider"),
        ("review", world.claire, f"/moderation/decisions/{appealed.pk}/", "Examiner la"),
    ]
    problems: list[str] = []
    opened: dict[str, Page] = {}
    for name, persona, path, shows in pages:
        key = str(persona.pk)
        page = opened.get(key) or opened.setdefault(key, open_page(persona))
        response = page.goto(path)
        assert response is not None and response.ok, f"{name} {path}: {response}"
        expect(page.locator("main")).to_contain_text(shows)
        if name == "report":  # with its errors: no reason chosen
            assert click_and_load(page, "Envoyer le signalement") == 400
            expect(page.locator("#id_reason_error")).to_be_visible()
        for viewport in (PHONE, DESKTOP):
            page.set_viewport_size(viewport)
            width = viewport["width"]
            problems += [f"{name} {width} px: {v}" for v in blocking_violations(page)]
            if width == PHONE["width"] and (culprit := horizontal_overflow(page)):
                problems.append(f"{name} scrolls sideways at 360 px: {culprit}")
            if SHOTS and name in ("queue", "log"):
                Path(SHOTS).mkdir(parents=True, exist_ok=True)
                page.screenshot(path=Path(SHOTS) / f"moderation-{name}-{width}.png", full_page=True)
        page.set_viewport_size(PHONE)
    assert not problems, "\n".join(problems)

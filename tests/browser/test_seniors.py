"""Senior support in a real browser, in French on a 360 px phone with large text: a senior asks
for help through the three steps with the keyboard only, a volunteer takes it; a co-animator
asks on behalf of a senior who agreed; a missed "Ça va ?" check-in reaches the contact
neighbour; and every senior page passes axe and fits the phone.

Set BROWSER_SHOTS=<folder> to also save full-page screenshots of the pages."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.test_accessibility import blocking_violations, horizontal_overflow
from tests.conftest import Daphne, World, make_user, start_daphne, user_of

pytestmark = pytest.mark.browser

SHOTS = os.environ.get("BROWSER_SHOTS", "")
EMERGENCY = "Ce service n’est pas fait pour les urgences."
PHONE_NUMBER = "06 12 34 56 78"


@pytest.fixture(scope="module")
def seniors_daphne(
    django_db_setup: None, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Daphne]:
    """One daphne for this file (see ``test_chat.chat_daphne``)."""
    root = tmp_path_factory.mktemp("seniors-daphne")
    (root / "mail").mkdir()
    server = start_daphne({"EMAIL_FILE_PATH": str(root / "mail")})
    yield server
    server.stop()


@pytest.fixture
def live_daphne(transactional_db: None, seniors_daphne: Daphne) -> Daphne:
    """Overrides ``tests.conftest.live_daphne`` (used by ``live_world``, ``open_page``...)."""
    return seniors_daphne


def shoot(page: Page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=Path(SHOTS) / f"{name}.png", full_page=True)


def neighbour(world: World, email: str, first: str) -> Any:
    """Another active resident of the residence (charter accepted)."""
    from apps.residences.models import Membership, Role, Status

    user = make_user(email, first, "Voisin")
    Membership.objects.create(
        user=user,
        residence=world.residence,
        role=Role.RESIDENT,
        status=Status.ACTIVE,
        charter_accepted_at=timezone.now(),
    )
    return user


def make_senior(world: World) -> Any:
    """Alice is the senior, with large text on."""
    alice = user_of(world.alice)
    alice.is_senior = True
    alice.large_text = True
    alice.save(update_fields=["is_senior", "large_text"])
    return alice


def focused(page: Page) -> str:
    """A short description of the element that has the keyboard focus."""
    description: str = page.evaluate(
        """() => {
            const el = document.activeElement;
            if (!el) { return ""; }
            return `${el.tagName.toLowerCase()} name=${el.getAttribute("name")}`
                + ` value=${el.getAttribute("value")} type=${el.getAttribute("type")}`
                + ` text=${(el.textContent || "").trim().slice(0, 40)}`;
        }"""
    )
    return description


def tab_to(page: Page, selector: str, *, backwards: bool = False, limit: int = 40) -> None:
    """Press Tab (or Shift+Tab) until the focus is on an element matching ``selector``."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(limit):
        if page.evaluate("s => !!document.activeElement?.matches(s)", selector):
            return
        page.keyboard.press(key)
    raise AssertionError(f"{selector} not reached with {key}; focus is on {focused(page)}")


def enter_and_load(page: Page) -> int:
    """Press Enter on the focused element (a submit button): a full page load; its status."""
    with page.expect_navigation() as navigation:
        page.keyboard.press("Enter")
    response = navigation.value
    assert response is not None
    return response.status


def click_and_load(page: Page, name: str) -> int:
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name=name, exact=True).click()
    response = navigation.value
    assert response is not None
    return response.status


def test_a_senior_asks_for_help_with_the_keyboard_only_and_a_volunteer_takes_it(
    live_world: World, open_page: Callable[..., Page]
) -> None:
    from apps.notifications.models import Notification
    from apps.seniors.models import HelpRequest, Volunteer

    r = live_world.residence.pk
    alice_user = make_senior(live_world)
    sam = neighbour(live_world, "sam@test.fr", "Sam")

    # Bob opts in as a volunteer for shopping, through the page.
    bob = open_page(live_world.bob)
    bob.goto(f"/r/{r}/help/volunteer/")
    expect(bob.locator("h1")).to_have_text("Devenir bénévole")
    bob.get_by_label("Courses").check()
    bob.get_by_label("Quand êtes-vous disponible ?").fill("Le soir")
    assert click_and_load(bob, "Enregistrer") == 200
    assert bob.url.endswith(f"/r/{r}/help/")
    volunteer = Volunteer.objects.get(user=user_of(live_world.bob))
    assert volunteer.skills == ["shopping"] and volunteer.active

    # Alice, large text on, asks for help with the keyboard only.
    alice = open_page(live_world.alice)
    alice.goto(f"/r/{r}/help/new/")
    assert "large-text" in (alice.locator("body").get_attribute("class") or "")
    expect(alice.locator("h1")).to_have_text("Demander de l’aide")
    expect(alice.locator(".lead")).to_have_text("Étape 1 sur 3")
    expect(alice.locator("main")).to_contain_text(EMERGENCY)
    expect(alice.locator("main")).to_contain_text("appelez le 15 (SAMU) ou le 112")
    expect(alice.locator("legend")).to_have_text("De quoi avez-vous besoin ?")
    # Step 1: Tab into the radio group, Space picks the first choice; arrows move the choice.
    tab_to(alice, "input[name=kind]")
    alice.keyboard.press("Space")
    expect(alice.get_by_label("Courses")).to_be_checked()
    alice.keyboard.press("ArrowDown")
    expect(alice.get_by_label("Une visite de convivialité")).to_be_checked()
    alice.keyboard.press("ArrowUp")
    expect(alice.get_by_label("Courses")).to_be_checked()
    tab_to(alice, "textarea[name=details]")
    alice.keyboard.type("Du pain et du lait")
    tab_to(alice, "button[type=submit]")
    assert enter_and_load(alice) == 200
    # Step 2: when.
    assert alice.url.endswith("?step=2")
    expect(alice.locator(".lead")).to_have_text("Étape 2 sur 3")
    expect(alice.locator(".notice", has_text="Vous avez besoin")).to_contain_text("Courses")
    expect(alice.locator("main")).to_contain_text(EMERGENCY)
    tab_to(alice, "input[name=when_text]")
    alice.keyboard.type("Mardi matin")
    tab_to(alice, "button[type=submit]")
    assert enter_and_load(alice) == 200
    # Step 3: how to reach me; first without a number: refused, the error tied to the field.
    assert alice.url.endswith("?step=3")
    expect(alice.locator(".lead")).to_have_text("Étape 3 sur 3")
    expect(alice.locator("main")).to_contain_text(EMERGENCY)
    expect(alice.locator("legend")).to_have_text("Comment vous joindre ?")
    tab_to(alice, "input[name=contact]")
    alice.keyboard.press("Space")
    expect(alice.get_by_label("Appelez-moi au téléphone")).to_be_checked()
    tab_to(alice, "button[type=submit]")
    assert enter_and_load(alice) == 400
    expect(alice.locator("#id_phone_error")).to_have_text(
        "Indiquez un numéro où l’on peut vous appeler."
    )
    phone_field = alice.locator("input[name=phone]")
    expect(phone_field).to_have_attribute("aria-invalid", "true")
    expect(phone_field).to_have_attribute("aria-describedby", "id_phone_helptext id_phone_error")
    expect(alice.get_by_label("Appelez-moi au téléphone")).to_be_checked()
    # Shift+Tab back from the button to the phone field, then type the number and send.
    tab_to(alice, "button[type=submit]")
    tab_to(alice, "input[name=phone]", backwards=True)
    alice.keyboard.type(PHONE_NUMBER)
    tab_to(alice, "button[type=submit]")
    assert enter_and_load(alice) == 200
    help_request = HelpRequest.objects.get()
    assert alice.url.endswith(f"/help/{help_request.pk}/")
    expect(alice.locator("main")).to_contain_text(
        "Votre demande est envoyée. Un voisin bénévole va vous répondre bientôt."
    )
    expect(alice.locator("h1")).to_have_text("Courses")
    expect(alice.locator(".lead")).to_have_text("En attente d’un bénévole")
    assert (help_request.kind, help_request.details, help_request.when_text) == (
        "shopping",
        "Du pain et du lait",
        "Mardi matin",
    )
    assert (help_request.contact, help_request.phone) == ("phone", PHONE_NUMBER)
    assert help_request.senior_id == help_request.posted_by_id == alice_user.pk
    assert Notification.objects.filter(user=user_of(live_world.bob), kind="help").exists()
    shoot(alice, "keyboard-confirmation-large")

    # Bob sees it in the list and takes it.
    bob.goto(f"/r/{r}/help/")
    item = bob.locator(".help-requests li", has_text="Mardi matin")
    expect(item).to_contain_text("Courses")
    expect(item).to_contain_text("Alice M.")
    with bob.expect_navigation():
        item.get_by_role("link").click()
    assert click_and_load(bob, "Je m’en occupe") == 200
    expect(bob.locator(".lead")).to_have_text("Un bénévole va venir")
    expect(bob.locator("a.phone")).to_have_text(PHONE_NUMBER)
    help_request.refresh_from_db()
    assert help_request.status == "taken" and help_request.volunteer_id == volunteer.user_id

    # Alice, reloading her request, sees that a volunteer is coming.
    alice.reload()
    expect(alice.locator(".lead")).to_have_text("Un bénévole va venir")
    expect(alice.locator("main")).to_contain_text("Bénévole : Bob D.")
    expect(alice.get_by_role("link", name="Ouvrir la conversation")).to_be_visible()

    # Another resident sees the request, but not the phone number.
    other = open_page(sam)
    assert (response := other.goto(f"/help/{help_request.pk}/")) is not None and response.ok
    expect(other.locator("h1")).to_have_text("Courses")
    expect(other.locator("main")).not_to_contain_text(PHONE_NUMBER)
    assert other.locator("a.phone").count() == 0
    expect(other.get_by_role("button", name="Je m’en occupe")).to_have_count(0)


def test_a_co_animator_asks_on_behalf_of_a_senior_who_agreed(
    live_world: World, open_page: Callable[..., Page]
) -> None:
    from apps.seniors.models import Consent, HelpRequest

    r = live_world.residence.pk
    alice_user = make_senior(live_world)
    bob_user = user_of(live_world.bob)
    bob = open_page(live_world.bob)
    bob.goto(f"/r/{r}/help/")
    with bob.expect_navigation():
        bob.get_by_role("link", name="Demander pour quelqu’un").click()
    assert bob.url.endswith(f"/r/{r}/help/on-behalf/")
    expect(bob.locator("main")).to_contain_text(EMERGENCY)

    # Without the consent box: refused, nothing posted.
    bob.get_by_label("Pour qui ?").select_option(label="Alice M.")
    bob.get_by_label("À l’oral, en personne").check()
    bob.get_by_label("Courses").check()
    bob.get_by_label("Quand ?").fill("Jeudi après-midi")
    bob.get_by_label("Envoyez-moi un message sur Voisinage").check()
    assert click_and_load(bob, "Envoyer la demande") == 400
    expect(bob.locator("#id_consent_error")).to_have_text(
        "La personne doit d’abord donner son accord."
    )
    assert not HelpRequest.objects.exists()

    bob.get_by_label("La personne est d’accord pour que je demande de l’aide à sa place").check()
    bob.get_by_label("Appelez-moi au téléphone").check()
    bob.get_by_label("Son numéro de téléphone").fill(PHONE_NUMBER)
    assert click_and_load(bob, "Envoyer la demande") == 200
    help_request = HelpRequest.objects.get()
    assert bob.url.endswith(f"/help/{help_request.pk}/")
    expect(bob.locator("main")).to_contain_text("Pour Alice M. · demandée par Bob D.")
    expect(bob.locator("a.phone")).to_have_text(PHONE_NUMBER)
    assert (help_request.senior_id, help_request.posted_by_id) == (alice_user.pk, bob_user.pk)
    assert (help_request.kind, help_request.when_text) == ("shopping", "Jeudi après-midi")
    consent = Consent.objects.get()
    assert (consent.senior_id, consent.given_to_id, consent.recorded_by_id, consent.how) == (
        alice_user.pk,
        bob_user.pk,
        bob_user.pk,
        "oral",
    )
    assert consent.created_at is not None and consent.expires_on is None
    shoot(bob, "on-behalf-detail")

    # Alice, the senior, sees the request made for her.
    alice = open_page(live_world.alice)
    alice.goto(f"/help/{help_request.pk}/")
    expect(alice.locator("main")).to_contain_text("Pour Alice M. · demandée par Bob D.")


def test_a_missed_checkin_notifies_the_contact_neighbour(
    live_world: World, open_page: Callable[..., Page]
) -> None:
    from apps.notifications.models import Notification
    from apps.seniors.models import CheckInPlan

    r = live_world.residence.pk
    alice_user = make_senior(live_world)
    sam = neighbour(live_world, "sam@test.fr", "Sam")

    alice = open_page(live_world.alice)
    alice.goto(f"/r/{r}/help/")
    with alice.expect_navigation():
        alice.get_by_role("link", name="« Ça va ? » chaque jour").click()
    expect(alice.locator("h1")).to_have_text("« Ça va ? » chaque jour")
    # A deadline of midnight has always passed: the alert is due whenever the test runs.
    alice.get_by_label("J’appuie sur le bouton chaque jour avant").fill("00:00")
    alice.get_by_label("Qui prévenir si j’oublie ?").select_option(label="Sam V.")
    assert click_and_load(alice, "Enregistrer") == 200
    assert alice.url.endswith("/checkin/")
    expect(alice.get_by_role("button", name="Tout va bien aujourd’hui")).to_be_visible()
    plan = CheckInPlan.objects.get()
    assert (plan.senior_id, plan.contact_id, plan.notify_moderators) == (
        alice_user.pk,
        sam.pk,
        False,
    )
    # Alice does not press the button. Sam has nothing yet.
    contact = open_page(sam)
    contact.goto("/notifications/")
    expect(contact.locator("#nav-notifications .badge")).to_have_count(0)

    call_command("check_missed_checkins", stdout=open(os.devnull, "w"))  # noqa: SIM115

    alert = "Alice M. n’a pas dit « Ça va ? » aujourd’hui"
    contact.reload()
    item = contact.locator(".notification", has_text=alert)
    expect(item).to_contain_text("Pourriez-vous vérifier que tout va bien ?")
    expect(item.locator("strong.badge")).to_have_text("Non lu")
    expect(contact.locator("#nav-notifications .badge")).to_contain_text("1")
    assert Notification.objects.filter(user=sam, kind="help").count() == 1
    # The co-animators were not chosen: Bob is not told.
    assert not Notification.objects.filter(user=user_of(live_world.bob)).exists()
    plan.refresh_from_db()
    assert plan.last_alert_on == timezone.localdate()
    # Once a day only.
    call_command("check_missed_checkins", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert Notification.objects.filter(user=sam, kind="help").count() == 1
    shoot(contact, "checkin-alert-notifications")


def test_senior_pages_pass_axe_and_fit_a_phone_with_large_text(
    live_world: World, open_page: Callable[..., Page]
) -> None:
    from apps.accounts.models import User
    from tests.seniors.helpers import post

    make_senior(live_world)
    User.objects.update(large_text=True)
    help_request = post(
        live_world,
        details="Du pain, du lait et une très longue phrase "
        "anticonstitutionnellement-sans-espaces-ni-coupure-possible.",
    )
    r = live_world.residence.pk
    alice = open_page(live_world.alice)
    bob = open_page(live_world.bob)
    problems: list[str] = []
    checked: list[str] = []

    def check(page: Page, name: str) -> None:
        assert "large-text" in (page.locator("body").get_attribute("class") or "")
        problems.extend(blocking_violations(page))
        if culprit := horizontal_overflow(page):
            problems.append(f"{page.url} scrolls sideways at 360 px: {culprit}")
        shoot(page, f"{name}-large")
        checked.append(name)

    def visit(page: Page, path: str, name: str) -> None:
        response = page.goto(path)
        assert response is not None and response.ok, f"{path}: {response}"
        check(page, name)

    # The three steps, each reached by answering the previous one.
    visit(alice, f"/r/{r}/help/new/", "step-1")
    alice.get_by_label("Courses").check()
    assert click_and_load(alice, "Suivant") == 200
    check(alice, "step-2")
    alice.get_by_label("Quand ?").fill("Mardi matin")
    assert click_and_load(alice, "Suivant") == 200
    check(alice, "step-3")
    alice.get_by_label("Appelez-moi au téléphone").check()
    assert click_and_load(alice, "Envoyer ma demande") == 400
    check(alice, "step-3-error")
    visit(alice, f"/r/{r}/help/", "list")
    visit(alice, f"/help/{help_request.pk}/", "detail-senior")
    visit(alice, f"/r/{r}/help/volunteer/", "volunteer")
    visit(alice, f"/r/{r}/help/checkin/", "checkin-plan")
    visit(alice, "/checkin/", "checkin")
    visit(bob, f"/help/{help_request.pk}/", "detail-moderator")
    visit(bob, f"/r/{r}/help/on-behalf/", "on-behalf")
    visit(bob, f"/r/{r}/help/aidants/", "aidants-moderator")
    visit(bob, f"/r/{r}/help/waiting/", "waiting")
    visit(alice, f"/r/{r}/help/aidants/", "aidants-senior")
    assert len(checked) == 14
    assert not problems, "\n".join(problems)


def test_the_seniors_page_shows_the_volunteer_without_reload(
    live_world: World, open_page: Callable[..., Page]
) -> None:
    """The senior's request page and a neighbour's help list change when a volunteer takes the
    request, without a reload; even when the volunteer took it while the senior's page was
    still connecting its socket (a slow tablet: the event came before the socket joined)."""
    from apps.seniors.models import Volunteer
    from tests.browser.helpers import wait_until_live
    from tests.seniors.helpers import post

    make_senior(live_world)
    help_request = post(live_world)
    Volunteer.objects.create(
        residence=live_world.residence, user=user_of(live_world.bob), skills=["shopping"]
    )
    sam = neighbour(live_world, "sam@test.fr", "Sam")
    r = live_world.residence.pk

    # A plain neighbour has the residence's help list open, connected.
    listing = open_page(sam)
    listing.goto(f"/r/{r}/help/")
    item = listing.locator(".help-requests li", has_text="Mardi matin")
    expect(item).to_contain_text("En attente d’un bénévole")
    wait_until_live(listing)

    # Alice opens her request on a slow tablet: live.js arrives only after Bob took it.
    alice = open_page(live_world.alice)
    held: list[Any] = []
    alice.route("**/js/live.js", lambda route: held.append(route))
    alice.goto(f"/help/{help_request.pk}/", wait_until="commit")
    expect(alice.locator(".lead")).to_have_text("En attente d’un bénévole")

    bob = open_page(live_world.bob)
    bob.goto(f"/help/{help_request.pk}/")
    assert click_and_load(bob, "Je m’en occupe") == 200
    expect(item).to_contain_text("Un bénévole va venir")

    assert held, "the page asked for live.js"
    held[0].continue_()
    wait_until_live(alice)
    expect(alice.locator(".lead")).to_have_text("Un bénévole va venir")
    expect(alice.locator("main")).to_contain_text("Bénévole : Bob D.")
    expect(alice.get_by_role("link", name="Ouvrir la conversation")).to_be_visible()


def test_heatwave_plan_staff_starts_it_a_volunteer_calls_and_a_senior_checks_in(
    live_world: World, open_page: Callable[..., Page]
) -> None:
    """Claire (landlord staff) starts the heatwave plan; Zoé, the only volunteer, opens her
    calls and records that Sam is all right; Alice presses "Ça va !"; Bob's list shows both."""
    from apps.seniors import actions, heatwave
    from apps.seniors.models import HeatwaveCall

    r = live_world.residence.pk
    alice_user = make_senior(live_world)
    sam = neighbour(live_world, "sam@test.fr", "Sam")
    zoe = neighbour(live_world, "zoe@test.fr", "Zoé")
    actions.opt_in_volunteer(zoe, live_world.residence, skills=["call"])
    heatwave.join_register(alice_user, live_world.residence, phone=PHONE_NUMBER, note="4e étage")
    heatwave.join_register(sam, live_world.residence, phone="06 98 76 54 32")
    problems: list[str] = []

    def check(page: Page) -> None:
        problems.extend(blocking_violations(page))
        if culprit := horizontal_overflow(page):
            problems.append(f"{page.url} scrolls sideways at 360 px: {culprit}")

    # Claire starts the plan from the help page: she lands on the call list.
    claire = open_page(live_world.claire)
    claire.goto(f"/r/{r}/help/")
    check(claire)
    with claire.expect_navigation():
        claire.locator(f'form[action="/r/{r}/help/heatwave/start/"] button').click()
    assert claire.url.endswith(f"/r/{r}/help/heatwave/calls/")
    expect(claire.locator(".heatwave-calls li")).to_have_count(2)
    calls = {
        c.registration.senior_id: c.pk for c in HeatwaveCall.objects.select_related("registration")
    }
    assert set(calls) == {alice_user.pk, sam.pk}

    # Zoé sees both calls with the phone numbers, and records that Sam is all right.
    volunteer = open_page(zoe)
    volunteer.goto(f"/r/{r}/help/")
    expect(volunteer.locator(".heatwave-banner")).to_be_visible()
    with volunteer.expect_navigation():
        volunteer.locator(f'.heatwave-banner a[href="/r/{r}/help/heatwave/calls/"]').click()
    sam_line = volunteer.locator(f"#call-{calls[sam.pk]}")
    expect(sam_line.locator('a[href="tel:06 98 76 54 32"]')).to_be_visible()
    check(volunteer)
    with volunteer.expect_navigation():
        sam_line.locator('button[name="outcome"][value="ok"]').click()
    expect(volunteer.locator(f"#call-{calls[sam.pk]}")).to_have_attribute("data-state", "ok")

    # Alice says "Ça va !" with the one big button.
    alice = open_page(live_world.alice)
    alice.goto("/checkin/")
    check(alice)
    assert click_and_load(alice, "Tout va bien aujourd’hui") == 200
    expect(alice.locator("p.notice[role=status]")).to_be_visible()
    alice.goto(f"/r/{r}/help/heatwave/register/")
    expect(alice.locator("main")).to_contain_text(PHONE_NUMBER)
    check(alice)

    # Bob (co-animator) sees the whole list: Sam called, Alice checked in; nobody left to call.
    bob = open_page(live_world.bob)
    bob.goto(f"/r/{r}/help/heatwave/calls/")
    expect(bob.locator(f"#call-{calls[sam.pk]}")).to_have_attribute("data-state", "ok")
    expect(bob.locator(f"#call-{calls[alice_user.pk]}")).to_have_attribute(
        "data-state", "checked_in"
    )
    expect(bob.locator(".heatwave-calls form")).to_have_count(0)
    check(bob)
    shoot(bob, "heatwave-calls-moderator")
    assert not problems, "\n".join(problems)


def test_a_registered_helper_posts_on_behalf_of_a_senior(
    live_world: World,
    open_page: Callable[..., Page],
    new_context: Callable[..., BrowserContext],
) -> None:
    """Bob (co-animator) registers Fatima as Alice's helper (aidant) through the form; Fatima
    signs in and asks for help for Alice, the only person she may choose, without consent boxes;
    the request is Alice's, and Fatima follows it like Alice. Alice withdraws her consent: Fatima
    may no longer ask for her nor act on Alice's own requests."""
    from apps.seniors import actions
    from apps.seniors.models import Consent, HelpRequest
    from tests.browser.helpers import sign_in
    from tests.seniors.helpers import post

    r = live_world.residence.pk
    alice_user = make_senior(live_world)
    bob_user = user_of(live_world.bob)
    fatima = neighbour(live_world, "fatima@test.fr", "Fatima")
    fatima.large_text = True
    fatima.save(update_fields=["large_text"])
    neighbour(live_world, "sam@test.fr", "Sam")  # a member Fatima may not ask for
    own_request = post(live_world, when_text="Lundi soir")  # posted by Alice herself
    problems: list[str] = []

    def check(page: Page) -> None:
        assert "large-text" in (page.locator("body").get_attribute("class") or "")
        problems.extend(blocking_violations(page))
        if culprit := horizontal_overflow(page):
            problems.append(f"{page.url} scrolls sideways at 360 px: {culprit}")

    # 1. Bob registers Fatima as Alice's helper; first without ticking the consent: refused.
    bob_user.large_text = True
    bob_user.save(update_fields=["large_text"])
    bob = open_page(live_world.bob)
    bob.goto(f"/r/{r}/help/")
    with bob.expect_navigation():
        bob.get_by_role("link", name="Aidants enregistrés").click()
    assert bob.url.endswith(f"/r/{r}/help/aidants/")
    expect(bob.locator("h1")).to_have_text("Aidants enregistrés")
    expect(bob.locator("main")).to_contain_text("Pas encore d’aidant enregistré.")
    bob.get_by_role("combobox", name="La personne âgée").select_option(label="Alice M.")
    bob.get_by_label("Son aidant").select_option(label="Fatima V.")
    bob.get_by_label("Par écrit").check()
    assert click_and_load(bob, "Enregistrer") == 400
    expect(bob.locator("#id_consent_error")).to_have_text(
        "La personne doit d’abord donner son accord."
    )
    assert not Consent.objects.exists()
    bob.get_by_label(
        "La personne âgée accepte que cette personne demande de l’aide pour elle"
    ).check()
    assert click_and_load(bob, "Enregistrer") == 200
    assert bob.url.endswith(f"/r/{r}/help/aidants/")
    row = bob.locator(".help-requests li", has_text="Fatima V. peut demander pour Alice M.")
    expect(row).to_contain_text("(Par écrit), enregistré par Bob D.")
    expect(row.get_by_role("button", name="Retirer")).to_be_visible()
    consent = Consent.objects.get()
    assert (consent.senior_id, consent.given_to_id, consent.recorded_by_id) == (
        alice_user.pk,
        fatima.pk,
        bob_user.pk,
    )
    assert (consent.scope, consent.how, consent.expires_on, consent.revoked_at) == (
        "aidant",
        "written",
        None,
        None,
    )
    check(bob)
    shoot(bob, "aidants-registered")

    # 2. Fatima signs in and asks for Alice from the help page.
    helper = new_context().new_page()
    sign_in(helper, fatima)
    helper.goto(f"/r/{r}/help/aidants/")
    expect(helper.locator("h1")).to_have_text("Qui peut demander pour moi")
    expect(helper.locator("main")).to_contain_text("Vous pouvez demander pour")
    expect(helper.locator(".help-requests li")).to_have_text(["Alice M."])
    check(helper)
    helper.goto(f"/r/{r}/help/")
    with helper.expect_navigation():
        helper.get_by_role("link", name="Demander pour quelqu’un").click()
    assert helper.url.endswith(f"/r/{r}/help/on-behalf/")
    expect(helper.locator("main")).to_contain_text(EMERGENCY)
    # Only Alice to choose; no consent to record: hers is already on file.
    expect(helper.get_by_label("Pour qui ?").locator("option")).to_have_text(["Alice M."])
    expect(helper.locator("input[name=consent], input[name=consent_how]")).to_have_count(0)
    expect(helper.locator("input[name=consent_expires_on]")).to_have_count(0)
    check(helper)
    shoot(helper, "on-behalf-aidant")
    helper.get_by_label("Courses").check()
    helper.get_by_label("Quelques mots de plus (facultatif)").fill("Ses médicaments")
    helper.get_by_label("Quand ?").fill("Samedi matin")
    helper.get_by_label("Appelez-moi au téléphone").check()
    helper.get_by_label("Son numéro de téléphone").fill(PHONE_NUMBER)
    assert click_and_load(helper, "Envoyer la demande") == 200

    # 3. The request is Alice's, asked by Fatima; no new consent was recorded.
    help_request = HelpRequest.objects.exclude(pk=own_request.pk).get()
    assert helper.url.endswith(f"/help/{help_request.pk}/")
    expect(helper.locator("main")).to_contain_text("Pour Alice M. · demandée par Fatima V.")
    expect(helper.locator("a.phone")).to_have_text(PHONE_NUMBER)
    assert (help_request.senior_id, help_request.posted_by_id) == (alice_user.pk, fatima.pk)
    assert (help_request.kind, help_request.details, help_request.when_text) == (
        "shopping",
        "Ses médicaments",
        "Samedi matin",
    )
    assert (help_request.status, help_request.moderation) == ("open", "")
    assert Consent.objects.count() == 1
    # Open: she may cancel it, not yet mark it done.
    expect(helper.get_by_role("button", name="Annuler la demande")).to_be_visible()
    expect(helper.get_by_role("button", name="L’aide est faite")).to_have_count(0)

    # Alice sees it in her list and on its page.
    alice = open_page(live_world.alice)
    alice.goto(f"/r/{r}/help/")
    item = alice.locator(".help-requests li", has_text="Samedi matin")
    expect(item).to_contain_text("Courses")
    expect(item).to_contain_text("Alice M.")
    with alice.expect_navigation():
        item.get_by_role("link").click()
    assert alice.url.endswith(f"/help/{help_request.pk}/")
    expect(alice.locator("main")).to_contain_text("Pour Alice M. · demandée par Fatima V.")
    expect(alice.locator("a.phone")).to_have_text(PHONE_NUMBER)
    expect(alice.get_by_role("button", name="Annuler la demande")).to_be_visible()

    # A volunteer takes it: Fatima, like Alice, may now mark it done, and does.
    actions.opt_in_volunteer(bob_user, live_world.residence, skills=["shopping"])
    actions.take_request(bob_user, help_request)
    alice.reload()
    expect(alice.get_by_role("button", name="L’aide est faite")).to_be_visible()
    helper.reload()
    expect(helper.locator(".lead")).to_have_text("Un bénévole va venir")
    expect(helper.get_by_role("button", name="Annuler la demande")).to_be_visible()
    assert click_and_load(helper, "L’aide est faite") == 200
    help_request.refresh_from_db()
    assert help_request.status == "done"
    expect(helper.get_by_role("button", name="L’aide est faite")).to_have_count(0)

    # On the request Alice posted herself, Fatima acts for her too (phone, cancel).
    helper.goto(f"/help/{own_request.pk}/")
    expect(helper.locator("main")).to_contain_text("Pour Alice M.")
    expect(helper.locator("a.phone")).to_have_text(PHONE_NUMBER)
    expect(helper.get_by_role("button", name="Annuler la demande")).to_be_visible()

    # 4. Alice withdraws Fatima's consent on her helpers page.
    alice.goto(f"/r/{r}/help/aidants/")
    expect(alice.locator("h1")).to_have_text("Qui peut demander pour moi")
    withdraw = alice.get_by_role("button", name="Fatima V. ne peut plus demander pour moi")
    check(alice)
    with alice.expect_navigation():
        withdraw.click()
    expect(withdraw).to_have_count(0)
    expect(alice.locator("main")).to_contain_text("Personne ne peut demander de l’aide pour vous.")
    consent.refresh_from_db()
    assert consent.revoked_at is not None and consent.revoked_by_id == alice_user.pk

    # Fatima may no longer ask for Alice: no link, the form is refused, nothing is posted.
    helper.goto(f"/r/{r}/help/")
    expect(helper.locator("h1")).to_have_text("Aide aux seniors")
    expect(helper.get_by_role("link", name="Demander pour quelqu’un")).to_have_count(0)
    response = helper.goto(f"/r/{r}/help/on-behalf/")
    assert response is not None and response.status == 403
    helper.goto(f"/r/{r}/help/aidants/")
    expect(helper.locator("main")).not_to_contain_text("Vous pouvez demander pour")
    # Nor act on Alice's own request any more: no phone, no cancel button.
    helper.goto(f"/help/{own_request.pk}/")
    expect(helper.locator("main")).to_contain_text("Pour Alice M.")
    expect(helper.locator("a.phone")).to_have_count(0)
    expect(helper.get_by_role("button", name="Annuler la demande")).to_have_count(0)
    assert HelpRequest.objects.count() == 2
    assert not problems, "\n".join(problems)

"""Participation indicators in a real browser, on a known history of four residences of one
landlord: staff sort the residences side by side, change the period and download the CSV; a bad
period is refused; the charts, the residence page and the monthly report pass axe and fit a
360 px phone (with large text too); the report prints on one A4 page; residents and outsiders
are kept out.

Two tests guard bugs this file found: the sort headings of the residences table stuck out of a
360 px page (hidden table headings now clipped, not moved 999 px left), and the charts' axis
labels were about 7.5 px on a phone whatever the text size (larger on phones and with large
text now).

The history is built with explicit past timestamps, then stored as daily cells by
``store_range`` (the nightly task's job); today is computed live by the pages.

Set BROWSER_SHOTS=<folder> to keep the screenshots (charts at 1280 px and at 360 px with large
text, the report as printed) for a human look; otherwise they go to the test's tmp_path."""

from __future__ import annotations

import csv
import datetime
import io
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone, translation
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.helpers import DESKTOP, PHONE, sign_in
from tests.browser.test_accessibility import blocking_violations, horizontal_overflow
from tests.conftest import Daphne, World, start_daphne

pytestmark = pytest.mark.browser

SHOTS = os.environ.get("BROWSER_SHOTS", "")
A4_WIDTH = 794  # CSS pixels of an A4 page (210 mm at 96 dpi)


@pytest.fixture(scope="module")
def indicators_daphne(
    django_db_setup: None, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Daphne]:
    """One daphne for this file (see ``test_chat.chat_daphne``)."""
    root = tmp_path_factory.mktemp("indicators-daphne")
    (root / "mail").mkdir()
    server = start_daphne({"EMAIL_FILE_PATH": str(root / "mail")})
    yield server
    server.stop()


@pytest.fixture
def live_daphne(transactional_db: None, indicators_daphne: Daphne) -> Daphne:
    """Overrides ``tests.conftest.live_daphne`` (used by ``live_world``, ``open_page``...)."""
    return indicators_daphne


# --- the known history -----------------------------------------------------------------------


@dataclass
class History:
    today: datetime.date
    belvedere: Any  # 12 members, 30 messages 2-6 days ago
    tilleuls: Any  # the world's residence: 10 members, 10 messages 20-24 days ago (+1 today)
    acacias: Any  # 3 members: most of its figures show "< 5"
    parc: Any  # 6 members, no message

    def ids(self, *residences: Any) -> list[str]:
        return [str(r.pk) for r in residences]


def noon(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def add_residents(residence: Any, count: int, tag: str, joined: datetime.datetime) -> list[Any]:
    """``count`` residents approved at ``joined``, in bulk."""
    from apps.accounts.models import User
    from apps.residences.models import Membership, Role, Status

    users = User.objects.bulk_create(
        [User(email=f"{tag}{i}@test.fr", first_name=f"{tag}{i}") for i in range(count)]
    )
    Membership.objects.bulk_create(
        [
            Membership(user=u, residence=residence, role=Role.RESIDENT, status=Status.ACTIVE)
            for u in users
        ]
    )
    Membership.objects.filter(residence=residence, user__in=users).update(
        requested_at=joined, decided_at=joined
    )
    return users


def send_messages(residence: Any, authors: list[Any], each: int, days_ago: list[int]) -> None:
    """``each`` messages per author in the residence's room, spread over ``days_ago``."""
    from apps.messaging.models import Conversation, Message

    today = timezone.localdate()
    room = Conversation.objects.create(residence=residence, kind=Conversation.Kind.ROOM)
    for n, author in enumerate(authors):
        for k in range(each):
            message = Message.objects.create(conversation=room, author=author, body="Bonjour")
            when = noon(today - datetime.timedelta(days=days_ago[(n + k) % len(days_ago)]))
            Message.objects.filter(pk=message.pk).update(created_at=when)


def post_exchanges(residence: Any, authors: list[Any], days_ago: int) -> None:
    from apps.exchanges.models import Exchange

    when = noon(timezone.localdate() - datetime.timedelta(days=days_ago))
    for author in authors:
        exchange = Exchange.objects.create(
            residence=residence, author=author, kind="offer", category="diy", title="Perceuse"
        )
        Exchange.objects.filter(pk=exchange.pk).update(created_at=when)


def build_history(world: World) -> History:
    """Four residences of the world's landlord with 65 days of visits and sign-ins, and messages
    and exchanges at known days; stored as daily cells up to yesterday."""
    from apps.accounts.models import SignIn, User, Visit
    from apps.insights.actions import store_range
    from apps.residences.models import Membership, Residence, Status

    today = timezone.localdate()
    joined = noon(today - datetime.timedelta(days=90))

    def residence(name: str, dwellings: int) -> Any:
        return Residence.objects.create(
            landlord=world.landlord,
            name=name,
            address="3 rue C",
            postcode="69003",
            city="Lyon",
            dwellings=dwellings,
        )

    tilleuls = world.residence
    Residence.objects.filter(pk=tilleuls.pk).update(dwellings=40)
    tilleuls.refresh_from_db()
    add_residents(tilleuls, 8, "tilleuls", joined)  # with Alice and Bob: 10 members
    Membership.objects.filter(residence=tilleuls, status=Status.ACTIVE).update(
        requested_at=joined, decided_at=joined
    )
    belvedere = residence("Le Belvédère", 30)
    acacias = residence("Les Acacias", 20)
    parc = residence("Résidence du Parc", 25)
    people = {
        belvedere.pk: add_residents(belvedere, 12, "belvedere", joined),
        acacias.pk: add_residents(acacias, 3, "acacias", joined),
        parc.pk: add_residents(parc, 6, "parc", joined),
        tilleuls.pk: list(
            User.objects.filter(
                memberships__residence=tilleuls, memberships__status=Status.ACTIVE
            ).order_by("pk")
        ),
    }
    # Messages: the column the staff sort by. Alice's "Coucou" of the world is today's.
    send_messages(belvedere, people[belvedere.pk][:6], 5, [2, 3, 4, 5, 6])
    send_messages(tilleuls, people[tilleuls.pk][2:7], 2, [20, 21, 22, 23, 24])
    send_messages(acacias, people[acacias.pk], 1, [10])
    post_exchanges(belvedere, people[belvedere.pk][:5], 5)
    post_exchanges(tilleuls, people[tilleuls.pk][2:9], 12)
    # Visits and sign-ins every day of the last 65 days (the report covers last month).
    visits, sign_ins = [], []
    for members in people.values():
        for i, user in enumerate(members):
            for n in range(1, 66):
                if (i + n) % 4 != 0 or n % 7 == 0:
                    visits.append(Visit(user=user, day=today - datetime.timedelta(days=n)))
                if (i + n) % 3 == 0:
                    sign_ins.append(SignIn(user=user, at=noon(today - datetime.timedelta(days=n))))
    Visit.objects.bulk_create(visits)
    SignIn.objects.bulk_create(sign_ins)
    store_range(today - datetime.timedelta(days=70), today - datetime.timedelta(days=1))
    return History(today, belvedere, tilleuls, acacias, parc)


# --- helpers ---------------------------------------------------------------------------------


def row_ids(page: Page) -> list[str]:
    ids = page.locator("table#residences tbody tr").evaluate_all(
        "rows => rows.map(r => r.dataset.residence)"
    )
    return [str(i) for i in ids]


def cell(page: Page, residence: Any, key: str) -> str:
    return page.locator(f"tr[data-residence='{residence.pk}'] td[data-key='{key}']").inner_text()


def sorted_column(page: Page) -> tuple[str | None, str | None]:
    """(href of the link, aria-sort) of the one heading that carries aria-sort."""
    heading = page.locator("table#residences thead th[aria-sort]")
    expect(heading).to_have_count(1)
    return heading.locator("a").get_attribute("href"), heading.get_attribute("aria-sort")


def click_and_load(page: Page, target: Any) -> int:
    with page.expect_navigation() as navigation:
        target.click()
    response = navigation.value
    assert response is not None
    return response.status


def period_label(first: datetime.date, last: datetime.date) -> str:
    from apps.insights.periods import Period

    with translation.override("fr"):
        return Period(first, last).label


def french(message: str) -> str:
    with translation.override("fr"):
        return translation.gettext(message)


def shot_dir(tmp_path: Path) -> Path:
    folder = Path(SHOTS) if SHOTS else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def read_csv(page: Page, link: Any) -> list[list[str]]:
    with page.expect_download() as info:
        link.click()
    download = info.value
    path = download.path()
    assert path is not None, download.failure()
    return list(csv.reader(io.StringIO(Path(path).read_text(encoding="utf-8-sig"))))


# --- the tests -------------------------------------------------------------------------------


def test_it_lets_staff_sort_filter_and_download_the_residences_side_by_side(
    live_world: World, new_context: Callable[..., BrowserContext]
) -> None:
    h = build_history(live_world)
    today = h.today
    context = new_context(viewport=DESKTOP)
    page = context.new_page()
    sign_in(page, live_world.claire)
    url = f"/indicators/landlords/{live_world.landlord.pk}/"
    response = page.goto(url)
    assert response is not None and response.status == 200

    # The last 30 days by default, residences by name.
    last_30 = period_label(today - datetime.timedelta(days=29), today)
    expect(page.locator("#period-heading")).to_have_text(last_30)
    assert page.locator("#id_period").input_value() == "30d"
    assert row_ids(page) == h.ids(h.belvedere, h.acacias, h.tilleuls, h.parc)
    assert sorted_column(page)[1] == "ascending"
    assert cell(page, h.belvedere, "members") == "12"
    assert cell(page, h.tilleuls, "members") == "10"
    assert cell(page, h.acacias, "members") == "< 5"
    assert cell(page, h.belvedere, "messages_sent") == "30"
    assert cell(page, h.tilleuls, "messages_sent") == "11"
    assert cell(page, h.acacias, "messages_sent") == "< 5"  # 3 authors
    assert cell(page, h.parc, "messages_sent") == "0"
    assert cell(page, h.tilleuls, "households_reached") == "25,0 %"  # 10 of 40 dwellings

    # A click on the "Messages sent" heading: most messages first ("< 5" sorts above 0).
    messages = page.locator("table#residences thead th a[href*='sort=messages_sent']")
    assert click_and_load(page, messages) == 200
    assert "sort=messages_sent" in page.url and "dir=desc" in page.url
    assert row_ids(page) == h.ids(h.belvedere, h.tilleuls, h.acacias, h.parc)
    href, direction = sorted_column(page)
    assert direction == "descending" and href is not None and "sort=messages_sent" in href
    expect(page.locator("table#residences thead th:not([aria-sort])")).to_have_count(12)

    # Again: fewest first.
    assert click_and_load(page, messages) == 200
    assert "dir=asc" in page.url
    assert row_ids(page) == h.ids(h.parc, h.acacias, h.tilleuls, h.belvedere)
    assert sorted_column(page)[1] == "ascending"

    # Custom dates, 25 to 15 days ago: only the Tilleuls' messages; the sort is kept.
    first, last = today - datetime.timedelta(days=25), today - datetime.timedelta(days=15)
    page.locator("#id_period").select_option("custom")
    page.locator("#id_from").fill(first.isoformat())
    page.locator("#id_to").fill(last.isoformat())
    assert click_and_load(page, page.locator("form.period-form button[type=submit]")) == 200
    expect(page.locator("#period-heading")).to_have_text(period_label(first, last))
    assert "sort=messages_sent" in page.url and "dir=asc" in page.url
    assert sorted_column(page)[1] == "ascending"
    assert page.locator("#id_period").input_value() == "custom"
    assert page.locator("#id_from").input_value() == first.isoformat()
    assert cell(page, h.tilleuls, "messages_sent") == "10"  # 11 over the last 30 days
    assert cell(page, h.belvedere, "messages_sent") == "0"  # 30 over the last 30 days
    # Zeros first (by name), then the Tilleuls.
    assert row_ids(page) == h.ids(h.belvedere, h.acacias, h.parc, h.tilleuls)

    # The "Sort by" form: most members first.
    page.locator("#sort-by").select_option("members")
    page.locator("#sort-dir").select_option("desc")
    assert click_and_load(page, page.locator("form.sort-form button[type=submit]")) == 200
    assert row_ids(page) == h.ids(h.belvedere, h.tilleuls, h.parc, h.acacias)
    expect(page.locator("#period-heading")).to_have_text(period_label(first, last))
    assert sorted_column(page)[1] == "descending"

    # The CSV of the period: one row per residence and a total; "< 5" for the Acacias.
    table_link = page.locator("a[href*='/csv/']:not([href*='table=days'])")
    rows = read_csv(page, table_link)
    header, body = rows[0], rows[1:]
    for column in ("residence_id", "residence", "from", "to", "members", "messages_sent"):
        assert column in header, header
    by_name = {row[header.index("residence")]: dict(zip(header, row, strict=True)) for row in body}
    names = ["Le Belvédère", "Les Acacias", "Les Tilleuls", "Résidence du Parc", "total"]
    assert sorted(by_name) == names
    assert len(body) == 5
    assert {row["from"] for row in by_name.values()} == {first.isoformat()}
    assert {row["to"] for row in by_name.values()} == {last.isoformat()}
    assert by_name["Les Acacias"]["members"] == "< 5"
    assert by_name["Les Acacias"]["households_reached"] == "< 5"
    assert by_name["Le Belvédère"]["members"] == "12"
    assert by_name["Les Tilleuls"]["messages_sent"] == "10"
    assert by_name["Les Tilleuls"]["households_reached"] == "25.0"
    assert by_name["total"]["members"] == "31"
    assert by_name["total"]["residence_id"] == ""

    # Day by day: one row per residence and day of the period.
    days = read_csv(page, page.locator("a[href*='/csv/'][href*='table=days']"))
    assert days[0][:3] == ["day", "residence_id", "residence"]
    assert len(days) - 1 == 4 * 11
    assert {row[0] for row in days[1:]} == {
        (first + datetime.timedelta(days=n)).isoformat() for n in range(11)
    }

    # A period whose start is after its end: refused with a message, the values kept.
    page.locator("#id_period").select_option("custom")
    start, end = today - datetime.timedelta(days=3), today - datetime.timedelta(days=10)
    page.locator("#id_from").fill(start.isoformat())
    page.locator("#id_to").fill(end.isoformat())
    assert click_and_load(page, page.locator("form.period-form button[type=submit]")) == 400
    alert = page.get_by_role("alert")
    expect(alert).to_have_text(french("The start date is after the end date."))
    assert page.locator("#id_period").input_value() == "custom"
    assert page.locator("#id_from").input_value() == start.isoformat()
    assert page.locator("#id_to").input_value() == end.isoformat()
    expect(page.locator("table#residences")).to_have_count(0)
    expect(page.locator("#period-heading")).to_have_count(0)


def measure_chart(page: Page, key: str) -> dict[str, Any]:
    """Bars drawn in a chart, and the rendered font size (CSS px) of its axis labels."""
    result: dict[str, Any] = page.locator(f"#chart-{key}").evaluate(
        """(figure) => {
            const element = figure.querySelector("svg");
            const svg = element.getBoundingClientRect();
            const scale = svg.width / element.viewBox.baseVal.width;
            const bars = [...figure.querySelectorAll("rect.bar")];
            const labels = [...figure.querySelectorAll("text.tick")].map(
                (t) => parseFloat(getComputedStyle(t).fontSize) * scale);
            return {
                bars: bars.length,
                drawn: bars.filter((b) => b.getBoundingClientRect().height > 0).length,
                label_px: Math.round(Math.min(...labels) * 10) / 10,
                svg_right: svg.right,
                figure_right: figure.getBoundingClientRect().right,
            };
        }"""
    )
    return result


def test_it_draws_charts_that_pass_axe_and_fit_a_phone_with_large_text(
    live_world: World, open_page: Callable[..., Page], tmp_path: Path
) -> None:
    from apps.accounts.models import User

    h = build_history(live_world)
    folder = shot_dir(tmp_path)
    r = h.tilleuls.pk
    month = (h.today.replace(day=1) - datetime.timedelta(days=1)).strftime("%Y-%m")
    pages = [
        (live_world.claire, f"/indicators/landlords/{live_world.landlord.pk}/", "landlord"),
        (live_world.bob, f"/r/{r}/indicators/", "residence"),
        (live_world.bob, f"/r/{r}/indicators/report/?month={month}", "report"),
    ]
    problems: list[str] = []
    for large_text in (False, True):
        User.objects.filter(pk__in=[live_world.claire.pk, live_world.bob.user_id]).update(
            large_text=large_text
        )
        for persona, path, name in pages:
            page = open_page(persona, viewport=DESKTOP)
            response = page.goto(path)
            assert response is not None and response.status == 200, (path, response)
            if name != "report":
                body_class = page.locator("body").get_attribute("class") or ""
                assert ("large-text" in body_class) == large_text
                expect(page.locator("figure.chart")).to_have_count(4)
            for viewport in [PHONE] if large_text else [DESKTOP, PHONE]:
                page.set_viewport_size(viewport)
                width = viewport["width"]
                label = f"{name} at {width} px{' with large text' if large_text else ''}"
                problems += [f"{label}: {p}" for p in blocking_violations(page)]
                if width == PHONE["width"] and (culprit := horizontal_overflow(page)):
                    problems.append(f"{label} scrolls sideways: {culprit}")
                if name == "report":
                    continue
                for key in ("connected", "sign_ins", "exchanges_posted", "messages_sent"):
                    chart = measure_chart(page, key)
                    assert chart["bars"] == 30, (label, key, chart)
                    assert chart["svg_right"] <= min(chart["figure_right"], width) + 1, chart
                connected = measure_chart(page, "connected")
                assert connected["drawn"] >= 29, (label, connected)
                suffix = f"{width}{'-large' if large_text else ''}"
                page.locator(".charts").screenshot(path=folder / f"{name}-charts-{suffix}.png")
                page.screenshot(path=folder / f"{name}-{suffix}.png", full_page=True)
    assert not problems, "\n".join(problems)


def test_it_fits_the_landlord_page_in_a_phone(
    live_world: World, open_page: Callable[..., Page]
) -> None:
    from apps.accounts.models import User

    page = open_page(live_world.claire, viewport=PHONE)
    for large_text in (False, True):
        User.objects.filter(pk=live_world.claire.pk).update(large_text=large_text)
        page.goto(f"/indicators/landlords/{live_world.landlord.pk}/")
        expect(page.locator("table#residences")).to_be_attached()
        culprit = horizontal_overflow(page)
        assert culprit is None, f"large text {large_text}: {culprit}"


def test_it_draws_legible_chart_labels_on_a_phone_with_large_text(
    live_world: World, open_page: Callable[..., Page]
) -> None:
    from apps.accounts.models import User

    User.objects.filter(pk=live_world.bob.user_id).update(large_text=True)
    page = open_page(live_world.bob, viewport=PHONE)
    page.goto(f"/r/{live_world.residence.pk}/indicators/")
    body_px = float(page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)"))
    sizes = {key: measure_chart(page, key)["label_px"] for key in ("connected", "sign_ins")}
    # Axis labels at least 3/4 of the body text (20 px with large text).
    assert min(sizes.values()) >= 0.75 * body_px, (body_px, sizes)


def count_pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


def test_it_prints_the_monthly_report_on_one_a4_page(
    live_world: World, open_page: Callable[..., Page], tmp_path: Path
) -> None:
    h = build_history(live_world)
    previous = h.today.replace(day=1) - datetime.timedelta(days=1)
    page = open_page(live_world.bob, viewport={"width": A4_WIDTH, "height": 1123})
    page.goto(f"/r/{h.tilleuls.pk}/indicators/")
    with page.expect_navigation():
        page.locator(f"a[href='/r/{h.tilleuls.pk}/indicators/report/']").click()
    expect(page.locator("h1")).to_contain_text(str(previous.year))
    expect(page.locator("figure.chart rect.bar")).to_have_count(previous.day)
    expect(page.locator("dd").first).to_have_text("10")  # members of the Tilleuls
    page.emulate_media(media="print")
    expect(page.locator(".no-print")).to_be_hidden()
    page.screenshot(path=shot_dir(tmp_path) / "report-print.png", full_page=True)
    pdf = page.pdf(format="A4", print_background=True)
    assert pdf.startswith(b"%PDF")
    assert count_pdf_pages(pdf) == 1, f"the report prints on {count_pdf_pages(pdf)} pages"
    (shot_dir(tmp_path) / "report.pdf").write_bytes(pdf)


def test_it_keeps_residents_and_outsiders_out(
    live_world: World, open_page: Callable[..., Page]
) -> None:
    r = live_world.residence.pk
    landlord = f"/indicators/landlords/{live_world.landlord.pk}/"
    residence = f"/r/{r}/indicators/"
    expected = {
        # A resident: 403 on her residence's pages and on her landlord's (she knows it).
        "alice": [
            (residence, 403),
            (f"{residence}report/", 403),
            (f"{residence}csv/", 403),
            (landlord, 403),
        ],
        "eve": [
            (landlord, 404),
            (f"{landlord}csv/", 404),
            (residence, 404),
            (f"{residence}report/", 404),
            (f"{residence}csv/", 404),
        ],
        # A co-animator: his own residence's page, not the landlord's.
        "bob": [(landlord, 403), (residence, 200), (f"{residence}report/", 200)],
        "claire": [(landlord, 200), (residence, 200)],
    }
    seen: dict[str, list[tuple[str, int]]] = {}
    for who, visits in expected.items():
        page = open_page(getattr(live_world, who))
        for path, _status in visits:
            response = page.goto(path)
            assert response is not None
            seen.setdefault(who, []).append((path, response.status))
    assert seen == expected

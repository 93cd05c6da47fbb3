"""The indicators' pages: the landlord's table that sorts, charts with their text alternative,
CSV files, the monthly report, the number of dwellings; a constant number of queries."""

from __future__ import annotations

import csv
import datetime
import io

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.insights import actions
from apps.residences.models import AuditEntry, Membership, Residence, Role, Status
from tests.conftest import World, client_for, make_user

TODAY = timezone.localdate


def _residence(world: World, name: str, members: int, dwellings: int | None = None) -> Residence:
    residence = Residence.objects.create(
        landlord=world.landlord,
        name=name,
        address="3 rue C",
        postcode="69003",
        city="Lyon",
        dwellings=dwellings,
    )
    for n in range(members):
        user = make_user(f"r{residence.pk}p{n}@test.fr", f"P{n}", "Test")
        Membership.objects.create(user=user, residence=residence, status=Status.ACTIVE)
    return residence


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


def test_it_shows_the_landlords_residences_side_by_side(world: World) -> None:
    _residence(world, "Les Érables", 7, dwellings=20)
    response = client_for(world.claire).get(f"/indicators/landlords/{world.landlord.pk}/")
    assert response.status_code == 200
    page = response.text
    assert page.index("Les Tilleuls") > page.index("Les Érables")  # by name by default
    assert 'aria-sort="ascending"' in page
    assert "35,0 %" in page  # 7 members / 20 dwellings
    assert "&lt; 5" in page  # Les Tilleuls has 2 members (Alice, Bob)
    assert "Comment c’est calculé" in page or "Comment c'est calculé" in page
    assert 'role="img"' in page and '<title id="chart-connected-title">' in page
    assert "Les chiffres de ce graphique" in page  # the charts' data tables
    assert "Le Vulcain" not in page  # another landlord's residence


def test_it_sorts_by_a_column_without_javascript(world: World) -> None:
    _residence(world, "Les Érables", 7)
    _residence(world, "Le Zénith", 9)
    client = client_for(world.claire)
    url = f"/indicators/landlords/{world.landlord.pk}/?period=30d&sort=members&dir=desc"
    page = client.get(url).text
    assert page.index("Le Zénith") < page.index("Les Érables") < page.index("Les Tilleuls")
    assert 'aria-sort="descending"' in page
    page = client.get(url.replace("desc", "asc")).text
    # Les Tilleuls ("< 5") sorts below 5 whatever its hidden value.
    assert page.index("Les Tilleuls") < page.index("Les Érables") < page.index("Le Zénith")
    unknown = client.get(f"/indicators/landlords/{world.landlord.pk}/?sort=password")
    assert unknown.status_code == 200  # an unknown column sorts by name


def test_a_reversed_period_is_refused_with_the_reason_and_the_dates_kept(world: World) -> None:
    response = client_for(world.claire).get(
        f"/indicators/landlords/{world.landlord.pk}/?period=custom&from=2026-03-10&to=2026-03-01"
    )
    assert response.status_code == 400
    assert "La date de début est après la date de fin." in response.text
    assert 'value="2026-03-10"' in response.text and 'value="2026-03-01"' in response.text
    future = (TODAY() + datetime.timedelta(days=3)).isoformat()
    response = client_for(world.bob).get(f"/r/{world.residence.pk}/indicators/?to={future}")
    assert response.status_code == 400
    assert "La date de fin est dans le futur." in response.text
    response = client_for(world.bob).get(f"/r/{world.residence.pk}/indicators/?from=hier")
    assert response.status_code == 400
    assert "AAAA-MM-JJ" in response.text


def test_the_landlord_page_costs_the_same_queries_for_one_or_six_residences(
    world: World,
) -> None:
    client = client_for(world.claire)
    url = f"/indicators/landlords/{world.landlord.pk}/?period=30d"
    today = TODAY()
    actions.store_range(today - datetime.timedelta(days=40), today)
    client.get(url)  # session, translations and the like warmed up
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for n in range(5):
        _residence(world, f"Résidence {n}", 6)
    actions.store_range(today - datetime.timedelta(days=40), today)
    with CaptureQueriesContext(connection) as six:
        page = client.get(url).text
    assert "Résidence 4" in page
    assert [q["sql"][:60] for q in six] == [q["sql"][:60] for q in one]
    assert len(six) == len(one) == 36


def test_the_csv_files_hold_every_figure_with_the_privacy_rule(world: World) -> None:
    _residence(world, "Les Érables", 7, dwellings=20)
    client = client_for(world.claire)
    response = client.get(f"/indicators/landlords/{world.landlord.pk}/csv/?period=7d")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment;" in response["Content-Disposition"]
    rows = _rows(response.content.decode())
    header = rows[0]
    assert header[:4] == ["residence_id", "residence", "from", "to"]
    assert "members" in header and "two_key_pending" in header
    by_name = {row[1]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    assert set(by_name) == {"Les Érables", "Les Tilleuls", "total"}
    assert by_name["Les Érables"]["members"] == "7"
    assert by_name["Les Érables"]["households_reached"] == "35.0"
    assert by_name["Les Tilleuls"]["members"] == "< 5"
    assert by_name["total"]["members"] == "9"
    days = _rows(
        client.get(f"/indicators/landlords/{world.landlord.pk}/csv/?period=7d&table=days").text
    )
    assert len(days) == 1 + 2 * 7  # a row per residence and day
    figures = _rows(client_for(world.bob).get(f"/r/{world.residence.pk}/indicators/csv/").text)
    assert figures[0][:4] == ["section", "key", "figure", "value"]
    assert {row[1] for row in figures[1:]} >= {"members", "messages_sent", "handling_time"}
    assert all(row[4] for row in figures[1:])  # how each is computed
    bad = client.get(f"/indicators/landlords/{world.landlord.pk}/csv/?from=2026-02-30")
    assert bad.status_code == 400
    assert "AAAA-MM-JJ" in bad.content.decode()  # the reason, not a file


def test_the_monthly_report_fits_the_month_asked_for(world: World) -> None:
    client = client_for(world.bob)
    page = client.get(f"/r/{world.residence.pk}/indicators/report/?month=2026-03")
    assert page.status_code == 200
    assert "mars 2026" in page.text
    assert "css/report_print.css" in page.text
    default = client.get(f"/r/{world.residence.pk}/indicators/report/")
    previous = (TODAY().replace(day=1) - datetime.timedelta(days=1)).strftime("%Y-%m")
    assert f'value="{previous}"' in default.text or default.status_code == 200
    for bad, reason in (("2026-13", "AAAA-MM"), ("2099-01", "pas encore commencé")):
        response = client.get(f"/r/{world.residence.pk}/indicators/report/?month={bad}")
        assert response.status_code == 400
        assert reason in response.text


def test_staff_declare_the_number_of_dwellings(world: World) -> None:
    url = f"/r/{world.residence.pk}/indicators/dwellings/"
    response = client_for(world.claire).post(url, {"dwellings": "0"})
    assert response.status_code == 400
    assert "supérieure ou égale à 1" in response.text
    world.residence.refresh_from_db()
    assert world.residence.dwellings is None
    assert client_for(world.claire).post(url, {"dwellings": "40"}).status_code == 302
    world.residence.refresh_from_db()
    assert world.residence.dwellings == 40
    assert AuditEntry.objects.filter(verb="residence.dwellings", detail__after=40).exists()
    page = client_for(world.bob).get(f"/r/{world.residence.pk}/indicators/").text
    assert "5,0 %" in page or "&lt; 5" in page  # 2 members / 40: fewer than 5 people
    assert 'action="/r/' not in page or "dwellings" not in page.split('action="/r/')[1][:60]


def test_the_index_and_the_navigation_lead_to_the_indicators(world: World) -> None:
    staff = client_for(world.claire).get("/indicators/").text
    assert f"/indicators/landlords/{world.landlord.pk}/" in staff
    co_animator = client_for(world.bob).get("/indicators/").text
    assert f"/r/{world.residence.pk}/indicators/" in co_animator
    assert client_for(world.alice).get("/indicators/").status_code == 403
    nav = f'href="/r/{world.residence.pk}/indicators/"'
    assert nav in client_for(world.bob).get(f"/r/{world.residence.pk}/").text
    assert nav not in client_for(world.alice).get(f"/r/{world.residence.pk}/").text
    assert (
        f"/indicators/landlords/{world.landlord.pk}/"
        in client_for(world.claire).get("/staff/").text
    )
    Membership.objects.filter(pk=world.bob.pk).update(role=Role.RESIDENT)
    assert client_for(world.bob).get(f"/r/{world.residence.pk}/indicators/").status_code == 403


def test_a_landlord_without_residences_gets_an_empty_page(world: World) -> None:
    from apps.residences.models import Landlord, LandlordStaff

    empty = Landlord.objects.create(name="Bailleur Neuf")
    LandlordStaff.objects.create(landlord=empty, user=world.claire)
    client = client_for(world.claire)
    page = client.get(f"/indicators/landlords/{empty.pk}/")
    assert page.status_code == 200
    assert "Aucune donnée pour cette période." in page.text
    body = client.get(f"/api/v1/landlords/{empty.pk}/indicators").json()
    assert body["residences"] == []
    assert {f["key"]: f["value"] for f in body["total"]}["members"] == 0

"""GET /api/v1/residences/{id}/indicators and /api/v1/landlords/{id}/indicators."""

from __future__ import annotations

import datetime

from django.utils import timezone

from tests.conftest import World, client_for
from tests.insights.test_pages import _residence


def test_a_co_animator_reads_the_residences_figures(world: World) -> None:
    response = client_for(world.bob).get(f"/api/v1/residences/{world.residence.pk}/indicators")
    assert response.status_code == 200
    body = response.json()
    today = timezone.localdate()
    assert body["first"] == (today - datetime.timedelta(days=29)).isoformat()
    assert body["last"] == today.isoformat()
    [residence] = body["residences"]
    figures = {f["key"]: f for f in residence["figures"]}
    assert figures["members"] == {
        **figures["members"],
        "value": None,  # two members: fewer than 5 people
        "suppressed": True,
        "display": "< 5",
        "kind": "state",
    }
    assert figures["events_held"]["value"] == 0
    assert figures["first_response"]["value"] is None
    assert figures["first_response"]["unit"] == "h"
    assert figures["messages_sent"]["how"]


def test_staff_read_every_residence_of_the_landlord(world: World) -> None:
    _residence(world, "Les Érables", 6, dwellings=12)
    response = client_for(world.claire).get(
        f"/api/v1/landlords/{world.landlord.pk}/indicators?from=2026-01-01&to=2026-01-31"
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["first"], body["last"]) == ("2026-01-01", "2026-01-31")
    assert [r["name"] for r in body["residences"]] == ["Les Érables", "Les Tilleuls"]
    total = {f["key"]: f["value"] for f in body["total"]}
    assert total["members"] == 0  # nobody had joined in January 2026 (they joined today)


def test_dates_that_make_no_sense_get_a_reason(world: World) -> None:
    client = client_for(world.claire)
    url = f"/api/v1/landlords/{world.landlord.pk}/indicators"
    for query, status, reason in (
        ("from=2026-03-10&to=2026-03-01", 400, "start date is after"),
        ("to=2099-01-01", 400, "in the future"),
        ("from=2020-01-01&to=2026-01-01", 400, "at most 1098 days"),
        ("from=yesterday", 422, "from"),
    ):
        response = client.get(f"{url}?{query}", HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == status, query
        assert reason in response.json()["detail"], response.json()

"""Every indicator, exactly, over a known history (tests/insights/history.py): computed live,
from the stored daily rows, for the landlord, on the daylight-saving days of Europe/Paris."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import translation

from apps.insights import actions, selectors
from apps.insights.catalogue import METRICS
from apps.insights.models import DailyFigures
from apps.insights.periods import Period
from tests.insights.history import History, build

H = "< 5"
MARCH = Period(datetime.date(2026, 3, 1), datetime.date(2026, 3, 31))
TODAY = datetime.date(2026, 11, 30)

# Les Tilleuls in March 2026: a number where 5 people or more are behind the figure, H below.
TILLEULS_MARCH: dict[str, Any] = {
    "members": 11,  # m1..m11 (m12 removed on the 15th)
    "members_new": 12,  # m1..m12 approved in March
    "members_pending": H,  # p1 (p2 declined on the 25th)
    "members_departed": H,  # m12
    "households_reached": 27.5,  # 11 / 40
    "active_members": 8,  # m1..m8
    "sign_ins": 7,  # m1..m6 on the 29th, m1 on the 30th
    "connected": 7,  # m1..m7
    "exchanges_posted": 6,
    "exchanges_in_progress": H,  # e2
    "exchanges_done": H,  # e1
    "first_response": 3.0,  # 1, 2, 3, 4, 10 hours
    "help_posted": 5,
    "help_taken": 5,
    "help_done": 5,
    "time_to_take": 3.0,  # 1..5 hours
    "seniors_helped": 5,
    "check_ins": H,  # 7 check-ins of one senior
    "events_held": 1,  # about no one: never hidden
    "event_participants": 6,
    "initiatives_proposed": H,
    "initiatives_idea": H,
    "initiatives_preparing": H,
    "initiatives_ongoing": 0,  # the one under way was carried out on the 20th
    "initiatives_done": H,
    "initiative_participants": 5,
    "messages_sent": 12,
    "notices_published": 1,
    "notice_read_rate": 66.7,  # 6 readers / 9 members on the 5th
    "reports_received": 6,
    "reports_handled": 5,
    "handling_time": 4.0,  # 6, 5, 4, 3, 2 hours
    "two_key_pending": 1,
}


def shown(figures: dict[str, selectors.Figure]) -> dict[str, Any]:
    return {key: H if fig.suppressed else fig.value for key, fig in figures.items()}


def tilleuls(history: History, period: Period) -> dict[str, Any]:
    result = selectors.indicators([history.tilleuls], period, today=TODAY)
    return shown(result.rows[0][1])


@pytest.fixture
def history(db: None) -> History:
    return build()


def test_it_computes_every_figure_of_a_month(history: History) -> None:
    assert set(TILLEULS_MARCH) == {metric.key for metric in METRICS}
    assert tilleuls(history, MARCH) == TILLEULS_MARCH


def test_it_gives_the_same_figures_from_the_stored_days(history: History) -> None:
    stored = actions.store_days([history.tilleuls.pk, history.vulcain.pk], MARCH.first, MARCH.last)
    assert stored == 62
    assert DailyFigures.objects.filter(residence=history.tilleuls).count() == 31
    # The stored rows are what the page reads: change one and the figure follows.
    assert tilleuls(history, MARCH) == TILLEULS_MARCH
    DailyFigures.objects.filter(residence=history.tilleuls, day="2026-03-12").update(
        values={"messages_sent": 100}
    )
    assert tilleuls(history, MARCH)["messages_sent"] == 108


def test_a_residence_missing_stored_days_is_computed_apart(history: History) -> None:
    """Le Vulcain added after the backfill (no stored rows): its days are computed live on
    their own, the stored ones of Les Tilleuls are read; the figures do not change."""
    live = selectors.indicators([history.vulcain, history.tilleuls], MARCH, today=TODAY)
    actions.store_days([history.tilleuls.pk], MARCH.first, MARCH.last)
    mixed = selectors.indicators([history.vulcain, history.tilleuls], MARCH, today=TODAY)
    assert shown(mixed.total) == shown(live.total)
    assert [shown(figs) for _r, figs in mixed.rows] == [shown(figs) for _r, figs in live.rows]


def test_it_counts_the_spring_change_day_by_local_time(history: History) -> None:
    """29 March 2026 lasts 23 hours in Paris: 01:59 and 03:00 are one minute apart, and
    00:00:30 on the 30th (22:00:30 UTC on the 29th) belongs to the 30th."""
    day = tilleuls(history, Period(datetime.date(2026, 3, 29), datetime.date(2026, 3, 29)))
    assert day["members"] == 10  # m1..m8, m9 (01:30) and m10 (23:30)
    assert day["members_new"] == H  # m9, m10
    assert day["messages_sent"] == 7  # five at 01:59, 03:00, 23:59
    assert day["sign_ins"] == 6
    assert day["connected"] == 7
    assert day["active_members"] == 5  # the authors m1..m5
    after = tilleuls(history, Period(datetime.date(2026, 3, 30), datetime.date(2026, 3, 30)))
    assert after["members"] == 11
    assert after["members_new"] == H  # m11 at 00:30, which is the 29th in UTC
    assert after["messages_sent"] == H  # one, by m6
    assert after["sign_ins"] == H
    before = tilleuls(history, Period(datetime.date(2026, 3, 1), datetime.date(2026, 3, 28)))
    assert before["messages_sent"] == H  # only the four of the 12th (m1..m4)
    assert before["members"] == 8  # m12 removed on the 15th


def test_it_counts_the_autumn_change_day_by_local_time(history: History) -> None:
    """25 October 2026 lasts 25 hours: 23:30 is the 25th, 00:30 the next day the 26th (though
    both are on the 25th in UTC)."""
    day = tilleuls(history, Period(datetime.date(2026, 10, 25), datetime.date(2026, 10, 25)))
    assert day["sign_ins"] == 5
    both = tilleuls(history, Period(datetime.date(2026, 10, 25), datetime.date(2026, 10, 26)))
    assert both["sign_ins"] == 10
    next_day = tilleuls(history, Period(datetime.date(2026, 10, 26), datetime.date(2026, 10, 26)))
    assert next_day["sign_ins"] == 5
    assert both["members"] == 11


def test_it_reads_states_at_the_end_of_the_period(history: History) -> None:
    early = tilleuls(history, Period(datetime.date(2026, 3, 1), datetime.date(2026, 3, 5)))
    assert early["exchanges_in_progress"] == H  # e1 and e2, by two authors
    assert early["initiatives_ongoing"] == H
    assert early["members_pending"] == 0  # p2 asks on the 10th, p1 on the 20th
    first = tilleuls(history, Period(datetime.date(2026, 3, 1), datetime.date(2026, 3, 1)))
    assert first["members_pending"] == 9  # m1..m8 and m12 asked on the 1st, approved the 2nd
    mid = tilleuls(history, Period(datetime.date(2026, 3, 21), datetime.date(2026, 3, 21)))
    assert mid["two_key_pending"] == 1  # created on the 20th, agreed on the 22nd
    assert mid["members_pending"] == H  # p1 and p2
    end = tilleuls(history, Period(datetime.date(2026, 3, 23), datetime.date(2026, 3, 27)))
    assert end["two_key_pending"] == 0


def test_it_adds_up_the_landlords_residences(history: History) -> None:
    result = selectors.indicators([history.vulcain, history.tilleuls], MARCH, today=TODAY)
    vulcain = shown(result.rows[0][1])
    assert vulcain["members"] == H  # three members
    assert vulcain["households_reached"] is None  # no dwellings declared
    assert vulcain["messages_sent"] == H
    total = shown(result.total)
    assert total["members"] == 14
    assert total["households_reached"] == 27.5  # only residences with dwellings declared
    assert total["messages_sent"] == 13
    assert total["active_members"] == 9
    assert total["first_response"] == 3.0
    assert total["two_key_pending"] == 1


def test_it_shows_less_than_five_and_formats_in_french(history: History) -> None:
    result = selectors.indicators([history.tilleuls], MARCH, today=TODAY)
    figures = result.rows[0][1]
    with translation.override("fr"):
        assert figures["households_reached"].display == "27,5 %"
        assert figures["first_response"].display == "3,0 h"
        assert figures["members_pending"].display == "< 5"
        assert figures["members_pending"].csv == "< 5"
        assert figures["members"].display == "11"
    empty = selectors.indicators(
        [history.tilleuls],
        Period(datetime.date(2026, 2, 1), datetime.date(2026, 2, 2)),
        today=TODAY,
    )
    assert empty.rows[0][1]["first_response"].display == "—"
    assert empty.rows[0][1]["messages_sent"].display == "0"


def test_it_charts_by_day_week_and_month(history: History) -> None:
    result = selectors.indicators([history.tilleuls], MARCH, today=TODAY)
    connected = {point.start: point.figure for point in result.charts["connected"]}
    assert len(connected) == 31
    assert connected[datetime.date(2026, 3, 29)].value == 7
    assert connected[datetime.date(2026, 3, 30)].suppressed
    spring = Period(datetime.date(2026, 3, 1), datetime.date(2026, 5, 31))
    weeks = selectors.indicators([history.tilleuls], spring, today=TODAY)
    assert weeks.bucket == "week"
    messages = {(p.start, p.stop): p.figure for p in weeks.charts["messages_sent"]}
    assert messages[(datetime.date(2026, 3, 23), datetime.date(2026, 3, 29))].value == 7
    assert messages[(datetime.date(2026, 3, 1), datetime.date(2026, 3, 1))].value == 0
    year = Period(datetime.date(2025, 12, 1), datetime.date(2026, 11, 30))
    months = selectors.indicators([history.tilleuls], Period(year.first, year.last), today=TODAY)
    assert months.bucket == "week"
    two_years = Period(datetime.date(2025, 1, 1), datetime.date(2026, 11, 30))
    result = selectors.indicators([history.tilleuls], two_years, today=TODAY)
    assert result.bucket == "month"
    by_month = {p.start: p.figure for p in result.charts["messages_sent"]}
    assert by_month[datetime.date(2026, 3, 1)].value == 12

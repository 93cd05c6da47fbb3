"""The nightly refresh (Django's tasks API) and the backfill command."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from apps.community.models import NoticeRead
from apps.insights.models import DailyFigures
from apps.insights.tasks import refresh_indicators
from tests.conftest import World
from tests.insights.history import History, at, build


def test_the_nightly_task_stores_the_last_31_days_but_not_today(world: World) -> None:
    result = refresh_indicators.enqueue()  # the immediate backend in tests, a worker in prod
    assert result.return_value == 2 * 31  # both residences
    today = timezone.localdate()
    days = DailyFigures.objects.filter(residence=world.residence).values_list("day", flat=True)
    assert min(days) == today - datetime.timedelta(days=31)
    assert max(days) == today - datetime.timedelta(days=1)
    assert refresh_indicators.enqueue().return_value == 62  # again: replaced, not doubled
    assert DailyFigures.objects.count() == 62


def test_the_refresh_command_queues_the_task(world: World) -> None:
    out = StringIO()
    call_command("refresh_indicators", stdout=out)
    assert "indicators refresh queued" in out.getvalue()
    assert DailyFigures.objects.count() == 62


@pytest.fixture
def history(db: None) -> History:
    return build()


def test_the_backfill_command_stores_a_range_and_late_reads_land_in_their_day(
    history: History,
) -> None:
    out = StringIO()
    call_command("backfill_indicators", "--from", "2026-03-01", "--to", "2026-03-31", stdout=out)
    assert "62 daily rows stored from 2026-03-01 to 2026-03-31" in out.getvalue()
    row = DailyFigures.objects.get(residence=history.tilleuls, day="2026-03-05")
    assert row.values["notice_reads"] == 6 and row.values["notice_audience"] == 9
    assert sorted(row.people["notice_reads"]) == sorted(u.pk for u in history.m.values())[:6]
    # m7 reads the notice weeks later; the next backfill (as the nightly one for recent days)
    # counts it on the notice's day.
    notice = row.residence.posts.get(kind="notice")
    read = NoticeRead.objects.create(post=notice, user=history.m[7])
    NoticeRead.objects.filter(pk=read.pk).update(read_at=at("2026-03-28 10:00"))
    call_command("backfill_indicators", "--from", "2026-03-05", "--to", "2026-03-05", stdout=out)
    row.refresh_from_db()
    assert row.values["notice_reads"] == 7


def test_the_backfill_command_refuses_nonsense(history: History) -> None:
    with pytest.raises(CommandError, match="not a date"):
        call_command("backfill_indicators", "--from", "mars")
    with pytest.raises(CommandError, match="after the last"):
        call_command("backfill_indicators", "--from", "2026-03-10", "--to", "2026-03-01")
    out = StringIO()
    call_command("backfill_indicators", stdout=out)  # residences made today: nothing to do
    assert "nothing to store" in out.getvalue()
    type(history.tilleuls).objects.update(created_at=at("2026-03-01 09:00"))
    call_command("backfill_indicators", stdout=out)  # from the first residence to yesterday
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    assert f"to {yesterday}" in out.getvalue()
    assert DailyFigures.objects.filter(day=yesterday).count() == 2

"""The indicators' only writes: storing computed daily cells (the nightly task and the
backfill command)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from apps.insights.compute import compute_days
from apps.insights.models import DailyFigures
from apps.residences.models import Residence

CHUNK_DAYS = 31


@transaction.atomic
def store_days(residence_ids: Sequence[int], first: datetime.date, last: datetime.date) -> int:
    """Compute and store (or replace) the cells of ``first``..``last``; returns the rows."""
    days = compute_days(residence_ids, first, last)
    now = timezone.now()
    rows = [
        DailyFigures(residence_id=rid, day=day, computed_at=now, **cell.as_json())
        for rid, cells in days.items()
        for day, cell in cells.items()
    ]
    DailyFigures.objects.bulk_create(
        rows,
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["residence", "day"],
        update_fields=["values", "people", "durations", "computed_at"],
    )
    return len(rows)


def store_range(
    first: datetime.date, last: datetime.date, residence_ids: Sequence[int] | None = None
) -> int:
    """Store ``first``..``last`` for every residence (or those given), a month at a time so
    that years of activity never sit in memory at once. Today is never stored: it is not over."""
    last = min(last, timezone.localdate() - datetime.timedelta(days=1))
    ids = (
        list(residence_ids)
        if residence_ids is not None
        else list(Residence.objects.order_by("pk").values_list("pk", flat=True))
    )
    stored = 0
    day = first
    while day <= last and ids:
        stop = min(day + datetime.timedelta(days=CHUNK_DAYS - 1), last)
        stored += store_days(ids, day, stop)
        day = stop + datetime.timedelta(days=1)
    return stored

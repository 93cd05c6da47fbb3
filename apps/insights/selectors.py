"""Reading the indicators for a period: the stored daily cells, the days not stored yet (today
above all) computed live, then combined over days and residences with the privacy rule.

A landlord's page costs the same number of queries whatever its number of residences: one for
the residences, one for the stored cells, and ``compute_days``'s fixed set for the live days."""

from __future__ import annotations

import contextlib
import datetime
import gc
import statistics
import unicodedata
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from apps.insights.catalogue import (
    BY_KEY,
    METRICS,
    PRIVACY_THRESHOLD,
    SECTIONS,
    Kind,
    Metric,
    base_of,
    kind_of,
)
from apps.insights.compute import Cell, Days, compute_days
from apps.insights.models import DailyFigures
from apps.insights.periods import Period
from apps.residences.models import Landlord, Residence

HOUR = 3600


@dataclass(frozen=True)
class Figure:
    metric: Metric
    value: int | float | None  # None: nothing to compute it over (no duration, no base)
    suppressed: bool  # computed over fewer than PRIVACY_THRESHOLD people: shows "< 5"

    @property
    def key(self) -> str:
        return self.metric.key

    @property
    def sort_value(self) -> float:
        """Suppressed cells sort together between 0 and 5, whatever their hidden value."""
        if self.suppressed:
            return PRIVACY_THRESHOLD / 2
        return -1.0 if self.value is None else float(self.value)

    @property
    def display(self) -> str:
        if self.suppressed:
            return f"< {PRIVACY_THRESHOLD}"
        if self.value is None:
            return "—"
        if isinstance(self.value, float):
            text = number_format(self.value, decimal_pos=1)
        else:
            text = number_format(self.value, force_grouping=True)
        return f"{text} {self.metric.unit}" if self.metric.unit else text

    @property
    def csv(self) -> str:
        """The cell in a CSV file: plain number (dot as decimal separator), "< 5" or empty."""
        if self.suppressed:
            return f"< {PRIVACY_THRESHOLD}"
        if self.value is None:
            return ""
        return f"{self.value:.1f}" if isinstance(self.value, float) else str(self.value)


def load_days(
    residence_ids: Sequence[int], period: Period, today: datetime.date | None = None
) -> Days:
    """The daily cells of the period: stored ones, and the others (today, or days the nightly
    task has not reached) computed live in one go."""
    today = today or timezone.localdate()
    last = min(period.last, today)
    days: Days = {rid: {} for rid in residence_ids}
    rows = DailyFigures.objects.filter(
        residence_id__in=residence_ids,
        day__range=(period.first, min(last, today - datetime.timedelta(days=1))),
    ).values_list("residence_id", "day", "values", "people", "durations")
    for rid, day, values, people, durations in rows:
        days[rid][day] = Cell.from_json(values, people, durations)
    wanted = [
        period.first + datetime.timedelta(days=n) for n in range((last - period.first).days + 1)
    ]
    # Days not stored: today (and days the nightly task has not reached) for every residence,
    # and sometimes older days for some residences only (one added after the backfill, a night
    # the task did not run). Those residences are computed apart over their own missing days:
    # one residence's gap must not make every request compute the period live for all.
    missing = {rid: [day for day in wanted if day not in days[rid]] for rid in residence_ids}
    common = set(wanted).intersection(*(set(m) for m in missing.values()))
    extra = [rid for rid in residence_ids if len(missing[rid]) > len(common)]
    rest = [rid for rid in residence_ids if rid not in extra]
    live: list[tuple[list[int], datetime.date, datetime.date]] = []
    if common and rest:
        live.append((rest, min(common), max(common)))
    if extra:
        first = min(missing[rid][0] for rid in extra)
        live.append((extra, first, max(missing[rid][-1] for rid in extra)))
    for ids, first, stop in live:
        for rid, cells in compute_days(ids, first, stop).items():
            for day, cell in cells.items():
                days[rid].setdefault(day, cell)
    return days


def combine(cells: Iterable[Cell], keys: Collection[str] | None = None) -> Cell:
    """Cells side by side (residences, or days of a bucket for counts): values add up, people
    and durations pool. ``keys``: only those figures (charts need four)."""
    total = Cell()
    people: dict[str, set[int]] = {}
    for cell in cells:
        for key, value in cell.values.items():
            if keys is None or key in keys:
                total.values[key] = total.values.get(key, 0) + value
        for key, ids in cell.people.items():
            if keys is None or key in keys:
                people.setdefault(key, set()).update(ids)
        for key, seconds in cell.durations.items():
            if keys is None or key in keys:
                total.durations.setdefault(key, []).extend(seconds)
    total.people.update(people)
    return total


def over_days(cells: Sequence[Cell]) -> Cell:
    """A residence's cells of consecutive days as one period: like ``combine``, except that a
    state is the one at the end of the last day."""
    total = combine(cells)
    last = cells[-1] if cells else Cell()
    for key in list(total.values) + list(last.values):
        if kind_of(key) == Kind.STATE:
            total.values[key] = last.values.get(key, 0)
            total.people[key] = set(last.people.get(key, set()))
    return total


def _base(cell: Cell, key: str) -> int | None:
    base = base_of(key)
    if base is None:
        return None
    if base == "value" and kind_of(key) != Kind.PEOPLE:
        return cell.values.get(key, 0)
    return len(cell.people.get(key, ()))


def _hidden(base: int | None) -> bool:
    return base is not None and 0 < base < PRIVACY_THRESHOLD


def figure(cell: Cell, metric: Metric) -> Figure:
    key = metric.key
    if metric.kind == Kind.PEOPLE:
        count = len(cell.people.get(key, ()))
        return Figure(metric, count, _hidden(count))
    if metric.kind == Kind.MEDIAN:
        seconds = cell.durations.get(key, [])
        value = round(statistics.median(seconds) / HOUR, 1) if seconds else None
        return Figure(metric, value, value is not None and _hidden(_base(cell, key)))
    if metric.kind == Kind.RATIO:
        assert metric.ratio is not None
        top, bottom = (cell.values.get(part, 0) for part in metric.ratio)
        value = round(100 * top / bottom, 1) if bottom else None
        return Figure(metric, value, value is not None and _hidden(_base(cell, metric.ratio[0])))
    return Figure(metric, cell.values.get(key, 0), _hidden(_base(cell, key)))


def figures(cell: Cell) -> dict[str, Figure]:
    return {metric.key: figure(cell, metric) for metric in METRICS}


@dataclass(frozen=True)
class Point:
    start: datetime.date
    stop: datetime.date
    figure: Figure

    @property
    def label(self) -> str:
        if self.start == self.stop:
            return date_format(self.start, "SHORT_DATE_FORMAT")
        if self.start.day == 1 and (self.stop + datetime.timedelta(days=1)).day == 1:
            return date_format(self.start, "YEAR_MONTH_FORMAT")
        return _("week of %(day)s") % {"day": date_format(self.start, "SHORT_DATE_FORMAT")}


def bucket_of(period: Period) -> str:
    """Days for up to two months, weeks (from Monday) up to a year, then months."""
    if period.days <= 62:
        return "day"
    if period.days <= 366:
        return "week"
    return "month"


def _buckets(period: Period, last: datetime.date) -> list[tuple[datetime.date, datetime.date]]:
    size = bucket_of(period)
    spans: list[tuple[datetime.date, datetime.date]] = []
    day = period.first
    while day <= last:
        if size == "day":
            stop = day
        elif size == "week":
            stop = day + datetime.timedelta(days=6 - day.weekday())
        else:
            stop = (day.replace(day=1) + datetime.timedelta(days=32)).replace(
                day=1
            ) - datetime.timedelta(days=1)
        spans.append((day, min(stop, last)))
        day = stop + datetime.timedelta(days=1)
    return spans


def series(days: Days, period: Period, keys: Sequence[str]) -> dict[str, list[Point]]:
    """Figures over the period in buckets (day, week or month), all given residences together:
    the residences are combined day by day first, then the days of each bucket."""
    by_day: dict[datetime.date, list[Cell]] = {}
    for cells in days.values():
        for day, cell in cells.items():
            by_day.setdefault(day, []).append(cell)
    if not by_day:
        return {key: [] for key in keys}
    daily = {day: combine(cells, keys) for day, cells in by_day.items()}
    charts: dict[str, list[Point]] = {key: [] for key in keys}
    for start, stop in _buckets(period, max(daily)):
        bucket = combine((cell for day, cell in daily.items() if start <= day <= stop), keys)
        for key in keys:
            charts[key].append(Point(start, stop, figure(bucket, BY_KEY[key])))
    return charts


CHART_KEYS = ("connected", "sign_ins", "exchanges_posted", "messages_sent")


@dataclass
class Indicators:
    period: Period
    bucket: str
    total: dict[str, Figure]
    rows: list[tuple[Residence, dict[str, Figure]]] = field(default_factory=list)
    charts: dict[str, list[Point]] = field(default_factory=dict)
    days: Days = field(default_factory=dict)

    def sections(self) -> list[tuple[Promise, list[Figure]]]:
        """The total's figures grouped by section, in the catalogue's order."""
        return [
            (title, [fig for fig in self.total.values() if fig.metric.section == name])
            for name, title in SECTIONS.items()
        ]


def indicators(
    residences: Sequence[Residence],
    period: Period,
    today: datetime.date | None = None,
    *,
    chart_keys: Sequence[str] = CHART_KEYS,
) -> Indicators:
    """The figures of ``residences`` over ``period``, each and together, and the series of
    ``chart_keys`` (none for a CSV file or the API)."""
    with _gc_paused():
        return _indicators(residences, period, today, chart_keys)


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Tens of thousands of cells are read and combined at once: CPython's cyclic collector
    would run over them again and again (half the time of a two-year page). They hold no
    cycles, so reference counting frees them; the collector resumes afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _indicators(
    residences: Sequence[Residence],
    period: Period,
    today: datetime.date | None,
    chart_keys: Sequence[str],
) -> Indicators:
    days = load_days([residence.pk for residence in residences], period, today)
    per_residence = {
        rid: over_days([cells[d] for d in sorted(cells)]) for rid, cells in days.items()
    }
    result = Indicators(
        period=period,
        bucket=bucket_of(period),
        total=figures(combine(per_residence.values())),
        rows=[(residence, figures(per_residence[residence.pk])) for residence in residences],
        days=days,
    )
    result.charts = series(days, period, chart_keys) if chart_keys else {}
    return result


def name_key(name: str) -> str:
    """Names in French alphabetical order: "Les Érables" before "Les Tilleuls"."""
    return "".join(
        ch for ch in unicodedata.normalize("NFKD", name.casefold()) if not unicodedata.combining(ch)
    )


def landlord_residences(landlord: Landlord) -> list[Residence]:
    return sorted(Residence.objects.filter(landlord=landlord), key=lambda r: name_key(r.name))


def sort_rows(
    rows: list[tuple[Residence, dict[str, Figure]]], key: str, descending: bool
) -> list[tuple[Residence, dict[str, Figure]]]:
    if key == "name":
        return sorted(rows, key=lambda row: name_key(row[0].name), reverse=descending)
    ordered = sorted(rows, key=lambda row: name_key(row[0].name))
    return sorted(ordered, key=lambda row: row[1][key].sort_value, reverse=descending)

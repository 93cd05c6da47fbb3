"""The period the indicators cover: a few presets (last 7 or 30 days, this or last month, the
last 12 months) or a custom range of local days, both ends included."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

MAX_DAYS = 3 * 366  # a custom range longer than three years is refused
DEFAULT = "30d"
PRESETS = {
    "7d": gettext_lazy("Last 7 days"),
    "30d": gettext_lazy("Last 30 days"),
    "month": gettext_lazy("This month"),
    "last_month": gettext_lazy("Last month"),
    "12m": gettext_lazy("Last 12 months"),
    "custom": gettext_lazy("Custom dates"),
}


@dataclass(frozen=True)
class Period:
    first: datetime.date
    last: datetime.date
    preset: str = "custom"

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    @property
    def label(self) -> str:
        return _("%(first)s to %(last)s") % {
            "first": date_format(self.first, "DATE_FORMAT"),
            "last": date_format(self.last, "DATE_FORMAT"),
        }

    def query(self) -> str:
        return f"from={self.first.isoformat()}&to={self.last.isoformat()}"


def month_of(day: datetime.date) -> Period:
    first = day.replace(day=1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    return Period(first, following - datetime.timedelta(days=1), "custom")


def preset(name: str, today: datetime.date) -> Period:
    if name == "7d":
        return Period(today - datetime.timedelta(days=6), today, name)
    if name == "month":
        return Period(today.replace(day=1), today, name)
    if name == "last_month":
        previous = month_of(today.replace(day=1) - datetime.timedelta(days=1))
        return Period(previous.first, previous.last, name)
    if name == "12m":
        return Period(today.replace(year=today.year - 1) + datetime.timedelta(days=1), today, name)
    return Period(today - datetime.timedelta(days=29), today, DEFAULT)


def _date(value: str, field: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value.strip())
    except ValueError:
        raise ValidationError(
            _("%(field)s: enter a date as YYYY-MM-DD (for example 2026-03-29).") % {"field": field},
            code="invalid_date",
        ) from None


def custom(first: datetime.date, last: datetime.date, today: datetime.date) -> Period:
    if first > last:
        raise ValidationError(_("The start date is after the end date."), code="reversed")
    if last > today:
        raise ValidationError(_("The end date is in the future."), code="future")
    if (last - first).days + 1 > MAX_DAYS:
        raise ValidationError(
            _("Choose a period of at most %(days)d days.") % {"days": MAX_DAYS}, code="too_long"
        )
    return Period(first, last, "custom")


def parse(params: Mapping[str, str], today: datetime.date) -> Period:
    """The period asked for in a query string: ``period`` (a preset) or ``from`` and ``to``.
    Raises ValidationError with a message for the person when the dates do not make sense."""
    name = params.get("period") or ""
    if name and name != "custom":
        if name not in PRESETS:
            raise ValidationError(_("Unknown period."), code="unknown_period")
        return preset(name, today)
    start, end = params.get("from") or "", params.get("to") or ""
    if not start and not end:
        return preset(DEFAULT, today)
    first = _date(start, _("Start date")) if start else today - datetime.timedelta(days=29)
    last = _date(end, _("End date")) if end else today
    return custom(first, last, today)

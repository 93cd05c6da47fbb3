from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from apps.insights import periods


class PeriodForm(forms.Form):
    """The period of the indicators, from the query string (GET: the page can be bookmarked)."""

    period = forms.ChoiceField(
        label=_("Period"), choices=list(periods.PRESETS.items()), required=False
    )
    start = forms.CharField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.CharField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, data: Any, *, today: datetime.date) -> None:
        if not any(data.get(name) for name in ("period", "from", "to")):
            data = {"period": periods.DEFAULT}  # nothing asked: the default period, selected
        super().__init__(data)
        self.today = today
        for name in ("start", "end"):
            self.fields[name].widget.attrs["max"] = today.isoformat()

    def add_prefix(self, field_name: str) -> str:
        """The query string says ``from`` and ``to`` (as the API does)."""
        return {"start": "from", "end": "to"}.get(field_name, field_name)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        try:
            cleaned["range"] = periods.parse(
                {
                    "period": cleaned.get("period") or "",
                    "from": cleaned.get("start") or "",
                    "to": cleaned.get("end") or "",
                },
                self.today,
            )
        except ValidationError as error:
            raise ValidationError(error.messages) from None
        return cleaned

    def period_or_default(self) -> periods.Period:
        if self.is_valid():
            period: periods.Period = self.cleaned_data["range"]
            return period
        return periods.preset(periods.DEFAULT, self.today)


class MonthForm(forms.Form):
    month = forms.CharField(
        label=_("Month"), required=False, widget=forms.DateInput(attrs={"type": "month"})
    )

    def __init__(self, data: Any, *, today: datetime.date) -> None:
        super().__init__({"month": data.get("month", "")})
        self.today = today

    def clean_month(self) -> periods.Period:
        value = (self.cleaned_data.get("month") or "").strip()
        if not value:
            first_of_this = self.today.replace(day=1)
            return periods.month_of(first_of_this - datetime.timedelta(days=1))
        try:
            day = datetime.date.fromisoformat(f"{value}-01")
        except ValueError:
            raise ValidationError(_("Enter a month as YYYY-MM (for example 2026-10).")) from None
        if day > self.today:
            raise ValidationError(_("This month has not started yet."))
        month = periods.month_of(day)
        return periods.Period(month.first, min(month.last, self.today), "custom")

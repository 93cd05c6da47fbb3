"""Indicators over JSON: one residence (co-animators and staff) or every residence of a
landlord (its staff). Same figures, same privacy rule as the pages: a figure computed over
fewer than 5 people has ``value`` null and ``suppressed`` true."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from apps.insights import access, periods, selectors
from apps.insights.selectors import Figure, Indicators

router = Router(tags=["indicators"])


class PeriodIn(Schema):
    from_: datetime.date | None = Field(None, alias="from", description="first day (local)")
    to: datetime.date | None = Field(None, description="last day (local), today at the latest")


class FigureOut(Schema):
    key: str
    label: str
    section: str
    kind: str
    unit: str
    value: float | None = Field(..., description="null when suppressed or not computable")
    suppressed: bool = Field(..., description="computed over fewer than 5 people")
    display: str
    how: str


class ResidenceFiguresOut(Schema):
    residence_id: int
    name: str
    figures: list[FigureOut]


class IndicatorsOut(Schema):
    first: datetime.date
    last: datetime.date
    residences: list[ResidenceFiguresOut]
    total: list[FigureOut]


def _figure(fig: Figure) -> dict[str, Any]:
    return {
        "key": fig.key,
        "label": str(fig.metric.label),
        "section": fig.metric.section,
        "kind": str(fig.metric.kind),
        "unit": fig.metric.unit,
        "value": None if fig.suppressed else fig.value,
        "suppressed": fig.suppressed,
        "display": fig.display,
        "how": str(fig.metric.how),
    }


def _period(params: PeriodIn) -> periods.Period:
    """The days asked for (the last 30 by default); dates that make no sense: 400 with why."""
    today = timezone.localdate()
    last = params.to or today
    first = params.from_ or last - datetime.timedelta(days=29)
    return periods.custom(first, last, today)


def _out(result: Indicators) -> dict[str, Any]:
    return {
        "first": result.period.first,
        "last": result.period.last,
        "residences": [
            {
                "residence_id": residence.pk,
                "name": residence.name,
                "figures": [_figure(fig) for fig in figs.values()],
            }
            for residence, figs in result.rows
        ],
        "total": [_figure(fig) for fig in result.total.values()],
    }


@router.get(
    "/residences/{residence_id}/indicators",
    response=IndicatorsOut,
    url_name="residence_indicators",
)
def residence_indicators(request: HttpRequest, residence_id: int, params: Query[PeriodIn]) -> Any:
    here = access.access_residence_indicators(request.user, residence_id)
    return _out(selectors.indicators([here.residence], _period(params), chart_keys=()))


@router.get(
    "/landlords/{landlord_id}/indicators",
    response=IndicatorsOut,
    url_name="landlord_indicators",
)
def landlord_indicators(request: HttpRequest, landlord_id: int, params: Query[PeriodIn]) -> Any:
    landlord = access.access_landlord_indicators(request.user, landlord_id)
    return _out(
        selectors.indicators(
            selectors.landlord_residences(landlord), _period(params), chart_keys=()
        )
    )

"""CSV files of the indicators' tables. Cells follow the page: "< 5" where a figure is computed
over fewer than 5 people; numbers with a dot as decimal separator."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from django.http import HttpResponse

from apps.insights.catalogue import METRICS
from apps.insights.compute import Cell, Days
from apps.insights.selectors import Indicators, figures


def _response(filename: str, rows: Iterable[list[str]]) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerows(rows)
    response = HttpResponse(
        "\ufeff" + buffer.getvalue(),  # BOM: spreadsheet software then reads UTF-8
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _header(first: list[str]) -> list[str]:
    return first + [metric.key for metric in METRICS]


def residences_csv(filename: str, result: Indicators) -> HttpResponse:
    """One row per residence and a total, every figure of the period."""
    rows = [_header(["residence_id", "residence", "from", "to"])]
    span = [result.period.first.isoformat(), result.period.last.isoformat()]
    for residence, figs in result.rows:
        rows.append([str(residence.pk), residence.name, *span] + [f.csv for f in figs.values()])
    rows.append(["", "total", *span] + [f.csv for f in result.total.values()])
    return _response(filename, rows)


def figures_csv(filename: str, result: Indicators) -> HttpResponse:
    """One row per figure: the residence page's table, with how each is computed."""
    rows = [["section", "key", "figure", "value", "how_computed", "from", "to"]]
    for fig in result.total.values():
        rows.append(
            [
                fig.metric.section,
                fig.key,
                str(fig.metric.label),
                fig.csv,
                str(fig.metric.how),
                result.period.first.isoformat(),
                result.period.last.isoformat(),
            ]
        )
    return _response(filename, rows)


def days_csv(filename: str, days: Days, names: dict[int, str]) -> HttpResponse:
    """One row per residence and day (the charts' data, and everything else, day by day)."""
    rows = [_header(["day", "residence_id", "residence"])]
    for rid, cells in days.items():
        for day in sorted(cells):
            cell: Cell = cells[day]
            rows.append(
                [day.isoformat(), str(rid), names.get(rid, "")]
                + [f.csv for f in figures(cell).values()]
            )
    return _response(filename, rows)

"""Pages of the participation indicators. Thin: access helper → period → selectors → render."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.insights import access, exports, selectors
from apps.insights.catalogue import BY_KEY, TABLE_KEYS
from apps.insights.charts import Chart, bar_chart
from apps.insights.forms import MonthForm, PeriodForm
from apps.insights.selectors import CHART_KEYS, Indicators
from apps.residences import actions as residence_actions
from apps.residences.access import ResidenceAccess
from apps.residences.forms import DwellingsForm
from apps.residences.models import Residence


def _charts(result: Indicators) -> list[Chart]:
    return [bar_chart(key, result.charts[key], result.bucket) for key in CHART_KEYS]


def _sort(request: HttpRequest) -> tuple[str, bool]:
    key = request.GET.get("sort", "name")
    if key != "name" and key not in TABLE_KEYS:
        key = "name"
    return key, request.GET.get("dir", "asc" if key == "name" else "desc") == "desc"


@login_required
def index(request: HttpRequest) -> HttpResponse:
    landlords = access.indicator_landlords(request.user)
    residences = access.indicator_residences(request.user)
    status = 200 if landlords or residences else 403
    return render(
        request,
        "insights/index.html",
        {"landlords": list(landlords), "residences": residences},
        status=status,
    )


@login_required
def landlord_page(request: HttpRequest, landlord_id: int) -> HttpResponse:
    landlord = access.access_landlord_indicators(request.user, landlord_id)
    form = PeriodForm(request.GET, today=timezone.localdate())
    if not form.is_valid():
        return render(
            request, "insights/landlord.html", {"landlord": landlord, "form": form}, status=400
        )
    result = selectors.indicators(selectors.landlord_residences(landlord), form.period_or_default())
    sort, descending = _sort(request)
    rows = [
        (residence, [figs[key] for key in TABLE_KEYS])
        for residence, figs in selectors.sort_rows(result.rows, sort, descending)
    ]
    columns = [BY_KEY[key] for key in TABLE_KEYS]
    return render(
        request,
        "insights/landlord.html",
        {
            "landlord": landlord,
            "form": form,
            "result": result,
            "rows": rows,
            "columns": columns,
            "totals": [result.total[key] for key in TABLE_KEYS],
            "sort": sort,
            "descending": descending,
            "charts": _charts(result),
        },
    )


@login_required
def landlord_csv(request: HttpRequest, landlord_id: int) -> HttpResponse:
    landlord = access.access_landlord_indicators(request.user, landlord_id)
    form = PeriodForm(request.GET, today=timezone.localdate())
    if not form.is_valid():
        return _bad_period(form)
    period = form.period_or_default()
    residences = selectors.landlord_residences(landlord)
    result = selectors.indicators(residences, period, chart_keys=())
    stem = f"indicateurs-{landlord.pk}-{period.first}-{period.last}"
    if request.GET.get("table") == "days":
        return exports.days_csv(
            f"{stem}-jours.csv", result.days, {r.pk: r.name for r in residences}
        )
    return exports.residences_csv(f"{stem}.csv", result)


def _bad_period(form: PeriodForm) -> HttpResponse:
    """A CSV asked for dates that make no sense: 400 with the reason, as plain text."""
    reason = " ".join(str(error) for error in form.non_field_errors())
    return HttpResponse(reason, status=400, content_type="text/plain; charset=utf-8")


def _residence_result(
    request: HttpRequest, residence: Residence, chart_keys: Sequence[str] = CHART_KEYS
) -> tuple[PeriodForm, Indicators | None]:
    form = PeriodForm(request.GET, today=timezone.localdate())
    if not form.is_valid():
        return form, None
    period = form.period_or_default()
    return form, selectors.indicators([residence], period, chart_keys=chart_keys)


def _render_residence(
    request: HttpRequest, here: ResidenceAccess, dwellings_form: DwellingsForm | None = None
) -> HttpResponse:
    form, result = _residence_result(request, here.residence)
    context: dict[str, Any] = {
        "here": here,
        "residence": here.residence,
        "form": form,
        "result": result,
        "charts": _charts(result) if result is not None else [],
        "dwellings_form": dwellings_form
        or DwellingsForm(initial={"dwellings": here.residence.dwellings}),
    }
    status = 400 if result is None or dwellings_form is not None else 200
    return render(request, "insights/residence.html", context, status=status)


@login_required
def residence_page(request: HttpRequest, residence_id: int) -> HttpResponse:
    return _render_residence(
        request, access.access_residence_indicators(request.user, residence_id)
    )


@login_required
def residence_csv(request: HttpRequest, residence_id: int) -> HttpResponse:
    here = access.access_residence_indicators(request.user, residence_id)
    form, result = _residence_result(request, here.residence, chart_keys=())
    if result is None:
        return _bad_period(form)
    stem = f"indicateurs-residence-{residence_id}-{result.period.first}-{result.period.last}"
    if request.GET.get("table") == "days":
        return exports.days_csv(
            f"{stem}-jours.csv", result.days, {residence_id: here.residence.name}
        )
    return exports.figures_csv(f"{stem}.csv", result)


@login_required
def residence_report(request: HttpRequest, residence_id: int) -> HttpResponse:
    """The one-page monthly report (A4, printable from the browser)."""
    here = access.access_residence_indicators(request.user, residence_id)
    form = MonthForm(request.GET, today=timezone.localdate())
    context = {"here": here, "residence": here.residence, "form": form}
    if not form.is_valid():
        return render(request, "insights/report.html", context, status=400)
    period = form.cleaned_data["month"]
    result = selectors.indicators([here.residence], period, chart_keys=("connected",))
    context.update(
        result=result,
        period=period,
        chart=bar_chart("connected", result.charts["connected"], result.bucket),
        generated=timezone.localtime(),
    )
    return render(request, "insights/report.html", context)


@login_required
@require_POST
def set_dwellings(request: HttpRequest, residence_id: int) -> HttpResponse:
    here = access.access_dwellings(request.user, residence_id)
    form = DwellingsForm(request.POST)
    if not form.is_valid():
        return _render_residence(request, here, form)
    residence_actions.set_dwellings(request.user, here.residence, form.cleaned_data["dwellings"])
    messages.success(request, _("The number of dwellings is saved."))
    return redirect("insights:residence", residence_id)

"""Exchange pages. They work without JavaScript (plain forms, POST buttons); live.js refreshes
the list region on exchange.created / exchange.updated."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.exchanges import access, actions, moderation, selectors
from apps.exchanges.forms import ExchangeForm, FilterForm, RespondForm, ThanksForm
from apps.exchanges.models import Exchange, Status
from apps.flash import attempt
from apps.moderation.actions import held_text
from apps.moderation.selectors import notice_line
from apps.moderation.selectors import notices as moderation_notices


def _page_number(request: HttpRequest) -> int:
    raw = request.GET.get("page", "1")
    return int(raw) if raw.isdigit() and 0 < int(raw) < 10_000 else 1


@login_required
def exchange_list(request: HttpRequest, residence_id: int) -> HttpResponse:
    here = access.access_exchanges(request.user, residence_id)
    filters = FilterForm(request.GET or None)
    values = filters.values() if request.GET else {}
    page = _page_number(request)
    rows, has_next = selectors.page_of(
        selectors.exchanges_in(
            residence_id, selectors.Filters(**values), viewer_id=request.user.pk
        ),
        page,
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "exchanges/list.html",
        {
            "here": here,
            "residence": here.residence,
            "filters": filters if request.GET else FilterForm(),
            "exchanges": rows,
            "page": page,
            "has_next": has_next,
            "query": query.urlencode(),
            "matches": selectors.matches_for(request.user, residence_id),
        },
    )


def _tell_if_held(request: HttpRequest, exchange: Exchange) -> None:
    """The author learns at once that their exchange waits for a moderator, and why."""
    origin = getattr(exchange, "held_origin", "")
    if origin:
        flash.info(request, held_text(origin))


def _form_error(form: Any, error: ValidationError) -> None:
    code_to_field = {"kind": "kind", "category": "category", "title": "title"}
    form.add_error(code_to_field.get(str(error.code)), error)


@login_required
def new(request: HttpRequest, residence_id: int) -> HttpResponse:
    here = access.access_exchanges(request.user, residence_id, for_write=True)
    form = ExchangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            exchange = actions.post_exchange(request.user, here.residence, **form.cleaned_data)
        except ValidationError as error:
            _form_error(form, error)
        else:
            _tell_if_held(request, exchange)
            return redirect("exchanges:detail", exchange.pk)
    return render(
        request,
        "exchanges/form.html",
        {"form": form, "residence": here.residence, "exchange": None},
        status=400 if form.errors else 200,
    )


@login_required
def detail(request: HttpRequest, exchange_id: int) -> HttpResponse:
    return _render_detail(request, access.access_exchange(request.user, exchange_id))


def _render_detail(
    request: HttpRequest,
    ex: access.ExchangeAccess,
    *,
    respond_form: RespondForm | None = None,
    thanks_form: ThanksForm | None = None,
    status: int = 200,
) -> HttpResponse:
    exchange = ex.exchange
    user: Any = request.user
    responses = selectors.with_responses(exchange)
    mine = next((r for r in responses if r.responder_id == user.pk), None)
    accepted = [r for r in responses if r.accepted]
    is_author = exchange.author_id == user.pk
    is_accepted = mine is not None and mine.accepted
    can_renew = (
        is_author
        and exchange.ends_on is not None
        and (
            exchange.status == Status.EXPIRED
            or (
                exchange.status == Status.OPEN
                and exchange.ends_on
                <= timezone.localdate() + datetime.timedelta(days=actions.EXPIRY_REMINDER_DAYS)
            )
        )
    )
    can_respond = (
        not is_author
        and mine is None
        and (
            exchange.status == Status.OPEN
            or (exchange.status == Status.IN_PROGRESS and exchange.kind == "offer")
        )
    )
    return render(
        request,
        "exchanges/detail.html",
        {
            "exchange": exchange,
            "residence": ex.here.residence,
            "is_author": is_author,
            "can_moderate": ex.here.can_moderate and not is_author,
            "responses": responses if is_author else [],
            "mine": mine,
            "accepted": accepted,
            "can_respond": can_respond,
            "can_complete": exchange.status == Status.IN_PROGRESS and (is_author or is_accepted),
            "can_thank": exchange.status == Status.DONE and (is_author or is_accepted),
            "can_renew": can_renew,
            "renew_days": actions.RENEW_DAYS,
            "respond_form": respond_form or RespondForm(),
            "thanks_form": thanks_form or ThanksForm(),
            "thanks": selectors.public_thanks(exchange),
            # Held or hidden: only its author gets here (access), told why.
            "moderation_notice": notice_line(
                exchange.moderation,
                moderation_notices(moderation.TYPE, [exchange.pk]).get(exchange.pk, ""),
            )
            if not exchange.is_visible
            else "",
        },
        status=status,
    )


@login_required
def edit(request: HttpRequest, exchange_id: int) -> HttpResponse:
    ex = access.access_exchange(request.user, exchange_id, for_write=True)
    exchange = ex.exchange
    initial = {name: getattr(exchange, name) for name in actions.EDITABLE}
    form = ExchangeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            edited = actions.edit_exchange(request.user, exchange, **form.cleaned_data)
        except ValidationError as error:
            _form_error(form, error)
        else:
            _tell_if_held(request, edited)
            return redirect("exchanges:detail", exchange.pk)
    return render(
        request,
        "exchanges/form.html",
        {"form": form, "residence": ex.here.residence, "exchange": exchange},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def respond(request: HttpRequest, exchange_id: int) -> HttpResponse:
    ex = access.access_exchange(request.user, exchange_id)
    form = RespondForm(request.POST)
    if form.is_valid():
        try:
            actions.respond(request.user, ex.exchange, form.cleaned_data["message"])
        except ValidationError as error:
            form.add_error("message", error)
        else:
            return redirect("exchanges:detail", exchange_id)
    return _render_detail(request, ex, respond_form=form, status=400)


def _transition(
    request: HttpRequest,
    exchange_id: int,
    run: Callable[[Any, Exchange], Any],
    *,
    for_write: bool = False,
    success: str = "",
) -> HttpResponse:
    ex = access.access_exchange(request.user, exchange_id, for_write=for_write)
    attempt(request, lambda: run(request.user, ex.exchange), success)
    return redirect("exchanges:detail", exchange_id)


@login_required
@require_POST
def accept(request: HttpRequest, exchange_id: int) -> HttpResponse:
    raw = request.POST.get("response", "")
    response_id = int(raw) if raw.isdigit() else 0
    return _transition(
        request,
        exchange_id,
        lambda user, exchange: actions.accept_response(user, exchange, response_id),
        for_write=True,
    )


@login_required
@require_POST
def complete(request: HttpRequest, exchange_id: int) -> HttpResponse:
    return _transition(request, exchange_id, actions.complete_exchange)


@login_required
@require_POST
def cancel(request: HttpRequest, exchange_id: int) -> HttpResponse:
    return _transition(request, exchange_id, actions.cancel_exchange, for_write=True)


@login_required
@require_POST
def reopen(request: HttpRequest, exchange_id: int) -> HttpResponse:
    return _transition(request, exchange_id, actions.reopen_exchange, for_write=True)


@login_required
@require_POST
def renew(request: HttpRequest, exchange_id: int) -> HttpResponse:
    return _transition(
        request,
        exchange_id,
        actions.renew_exchange,
        for_write=True,
        success=_("Your exchange is renewed."),
    )


@login_required
@require_POST
def thanks(request: HttpRequest, exchange_id: int) -> HttpResponse:
    ex = access.access_exchange(request.user, exchange_id)
    form = ThanksForm(request.POST)
    if form.is_valid():
        try:
            actions.thank(
                request.user,
                ex.exchange,
                form.cleaned_data["text"],
                to_user_id=form.cleaned_data.get("to_user"),
            )
        except ValidationError as error:
            form.add_error("text", error)
        else:
            return redirect("exchanges:detail", exchange_id)
    return _render_detail(request, ex, thanks_form=form, status=400)

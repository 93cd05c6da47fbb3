"""Moderation pages. Each view: access helper first, then the action, then render/redirect.
Everything works without JavaScript; the queue refreshes live on ``moderation.queue_updated``."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.flash import attempt
from apps.moderation import access, actions, registry, selectors
from apps.moderation.forms import (
    AppealForm,
    DecisionForm,
    NoteForm,
    ReportForm,
    SettingsForm,
)
from apps.moderation.models import CONTENT_ACTIONS, MEMBER_ACTIONS, Action, Appeal, Case, Decision
from apps.residences import access as residence_access
from apps.residences import selectors as residence_selectors


def _until(day: datetime.date | None) -> datetime.datetime | None:
    """A date chosen in a form means "until the end of that day" (local time)."""
    if day is None:
        return None
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 59)))


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@login_required
def report(request: HttpRequest, target_type: str, target_id: int) -> HttpResponse:
    kind = registry.get(target_type)
    if kind is None:
        raise Http404
    target = kind.find(request.user, target_id)
    if not residence_access.is_member(request.user, target.residence_id):
        raise Http404
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.report(
                request.user,
                target_type,
                target_id,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            flash.success(
                request,
                _("Thank you. The co-animators and the landlord's moderators will look at it."),
            )
            return redirect(_safe_next(request, target.url))
    return render(
        request,
        "moderation/report.html",
        {
            "form": form,
            "kind": kind,
            "target": target,
            "residence_id": target.residence_id,
            "next": _safe_next(request, target.url),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def open_case(request: HttpRequest, target_type: str, target_id: int) -> HttpResponse:
    """A moderator takes up content nobody reported: its case page, to decide."""
    case_row = actions.open_case(request.user, target_type, target_id)
    return redirect("moderation:case", case_row.pk)


@login_required
def queue(request: HttpRequest, residence_id: int) -> HttpResponse:
    here = access.access_queue(request.user, residence_id)
    user: Any = request.user
    return render(
        request,
        "moderation/queue.html",
        {
            "here": here,
            "residence": here.residence,
            "items": selectors.open_cases(residence_id),
            "pending": selectors.pending_decisions(residence_id),
            "appeals": selectors.pending_appeals(residence_id),
            "my_role": here.role,
            "user_id": user.pk,
        },
    )


def _content_actions(target: registry.Target | None, case: Case) -> list[str]:
    if target is None:
        return []
    allowed = [Action.HIDE.value, Action.WARN.value, Action.MUTE.value]
    if case.status == Case.Status.OPEN:
        allowed.insert(0, Action.DISMISS.value)
    if target.state == registry.HELD:
        allowed.insert(0, Action.APPROVE.value)
    if target.state == registry.HIDDEN:
        allowed.insert(0, Action.RESTORE.value)
    allowed += [Action.SUSPEND.value, Action.REMOVE.value]
    return allowed


@login_required
def case(request: HttpRequest, case_id: int) -> HttpResponse:
    """One case: the content and its thread, the reports, the author's history, and the
    decision form."""
    case_row, here = access.access_case(request.user, case_id)
    target = registry.load_targets([(case_row.target_type, case_row.target_id)]).get(
        (case_row.target_type, case_row.target_id)
    )
    choices = _content_actions(target, case_row)
    form = DecisionForm(request.POST or None, actions=choices)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            decision_row = actions.decide(
                request.user,
                here.residence,
                target_type=case_row.target_type,
                target_id=case_row.target_id,
                action=data["action"],
                reason=data["reason"],
                explanation=data["explanation"],
                message=data["message"],
                until=_until(data["until"]),
                urgent=data["urgent"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            flash.success(request, _decided_text(decision_row))
            return redirect("moderation:queue", here.residence.pk)
    item = next(
        (i for i in selectors.open_cases(here.residence.pk) if i.case.pk == case_row.pk), None
    )
    return render(
        request,
        "moderation/case.html",
        {
            "here": here,
            "residence": here.residence,
            "case": case_row,
            "target": target,
            "item": item,
            "form": form,
            "history": selectors.decisions_about_target(case_row.target_type, case_row.target_id),
        },
        status=400 if form.errors else 200,
    )


def _decided_text(decision_row: Decision) -> str:
    if decision_row.status == Decision.Status.PENDING:
        return _("Decision recorded: it takes effect when the other side agrees.")
    return _("Decision applied.")


@login_required
def moderate_member(request: HttpRequest, residence_id: int, user_id: int) -> HttpResponse:
    """Warn, mute, suspend or remove a member, from their profile."""
    here = access.access_queue(request.user, residence_id)
    _here, membership = residence_access.access_member_profile(request.user, residence_id, user_id)
    form = DecisionForm(
        request.POST or None,
        actions=[a.value for a in Action if a in MEMBER_ACTIONS],
        initial={
            "message": actions.warning_template(membership.user.display_name, here.residence.name)
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            decision_row = actions.decide(
                request.user,
                here.residence,
                target_type=actions.MEMBER_TARGET,
                target_id=user_id,
                action=data["action"],
                reason=data["reason"],
                explanation=data["explanation"],
                message=data["message"],
                until=_until(data["until"]),
                urgent=data["urgent"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            flash.success(request, _decided_text(decision_row))
            return redirect("residences:member", residence_id, user_id)
    return render(
        request,
        "moderation/moderate_member.html",
        {"here": here, "residence": here.residence, "m": membership, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def decision(request: HttpRequest, decision_id: int) -> HttpResponse:
    da = access.access_decision(request.user, decision_id)
    decision_row = da.decision
    user: Any = request.user
    appeal_row = Appeal.objects.filter(decision=decision_row).first()
    role = da.here.role
    return render(
        request,
        "moderation/decision.html",
        {
            "da": da,
            "decision": decision_row,
            "residence": decision_row.residence,
            "appeal": appeal_row,
            "can_appeal": da.is_subject
            and appeal_row is None
            and decision_row.status == Decision.Status.APPLIED
            and decision_row.action not in CONTENT_ACTIONS - {Action.HIDE},
            "can_second": role == decision_row.needs
            and user.pk not in (decision_row.decided_by_id, decision_row.subject_id)
            and decision_row.second_at is None
            and (
                decision_row.status == Decision.Status.PENDING
                or (decision_row.status == Decision.Status.APPLIED and decision_row.urgent)
            ),
            "can_review": appeal_row is not None
            and appeal_row.status == Appeal.Status.PENDING
            and role == appeal_row.reviewer_role
            and user.pk not in (decision_row.decided_by_id, decision_row.subject_id),
            "appeal_form": AppealForm(),
            "note_form": NoteForm(),
        },
    )


def _on_decision(
    request: HttpRequest,
    decision_id: int,
    run: Callable[[Any, Decision, str], Any],
    field: str,
    success: str,
) -> HttpResponse:
    """The second key agreeing or declining, or the author appealing: access, then the action
    with the posted text (a refusal is flashed), back to the decision."""
    da = access.access_decision(request.user, decision_id)
    attempt(request, lambda: run(request.user, da.decision, request.POST.get(field, "")), success)
    return redirect("moderation:decision", decision_id)


@login_required
@require_POST
def agree(request: HttpRequest, decision_id: int) -> HttpResponse:
    return _on_decision(
        request, decision_id, actions.agree, "note", _("You agreed: the decision takes effect.")
    )


@login_required
@require_POST
def decline(request: HttpRequest, decision_id: int) -> HttpResponse:
    return _on_decision(
        request, decision_id, actions.decline, "note", _("You declined this decision.")
    )


@login_required
@require_POST
def appeal(request: HttpRequest, decision_id: int) -> HttpResponse:
    return _on_decision(
        request,
        decision_id,
        actions.appeal,
        "message",
        _("Your appeal is sent. Moderators of the other side will review it."),
    )


@login_required
@require_POST
def review_appeal(request: HttpRequest, appeal_id: int) -> HttpResponse:
    appeal_row, da = access.access_appeal(request.user, appeal_id)
    overturn = request.POST.get("outcome") == "overturn"
    attempt(
        request,
        lambda: actions.review_appeal(
            request.user, appeal_row, overturn=overturn, note=request.POST.get("note", "")
        ),
        _("The appeal is reviewed."),
    )
    return redirect("moderation:decision", da.decision.pk)


@login_required
def log(request: HttpRequest, residence_id: int) -> HttpResponse:
    here = access.access_log(request.user, residence_id)
    raw_before = request.GET.get("before", "")
    before = int(raw_before) if raw_before.isdigit() else None
    rows = selectors.public_log(residence_id, before=before)
    return render(
        request,
        "moderation/log.html",
        {
            "here": here,
            "residence": here.residence,
            "rows": [(row, _kind_label(row.target_type)) for row in rows],
            "older": rows[-1].pk if len(rows) == selectors.LOG_PAGE else None,
        },
    )


def _kind_label(target_type: str) -> str:
    if target_type == actions.MEMBER_TARGET:
        return _("A member")
    kind = registry.get(target_type)
    return str(kind.label) if kind is not None else target_type


@login_required
def mine(request: HttpRequest, residence_id: int) -> HttpResponse:
    """Decisions about me in this residence, with their appeals."""
    here = access.access_log(request.user, residence_id)
    return render(
        request,
        "moderation/mine.html",
        {
            "here": here,
            "residence": here.residence,
            "rows": selectors.decisions_about(request.user, residence_id),
        },
    )


@login_required
def settings_page(request: HttpRequest, residence_id: int) -> HttpResponse:
    here = access.access_settings(request.user, residence_id)
    current = selectors.settings_of(residence_id)
    initial = (
        {
            "keywords": current.keywords,
            "hold_new_members": current.hold_new_members,
            "charter": here.residence.charter,
        }
        if current is not None
        else {"charter": here.residence.charter}
    )
    form = SettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_settings(request.user, here.residence, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            flash.success(request, _("The moderation settings are saved."))
            return redirect("moderation:settings", residence_id)
    return render(
        request,
        "moderation/settings.html",
        {"here": here, "residence": here.residence, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def charter(request: HttpRequest, residence_id: int) -> HttpResponse:
    here = residence_access.access_residence(request.user, residence_id)
    return render(
        request,
        "moderation/charter.html",
        {
            "here": here,
            "residence": here.residence,
            "text": residence_selectors.charter_text(here.residence),
        },
    )

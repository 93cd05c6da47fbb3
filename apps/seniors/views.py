"""Senior support pages. They work without JavaScript: the three-step request form keeps the
previous answers in the session (one page a step), and every action is a plain POST form."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from apps.flash import attempt
from apps.residences import selectors as residence_selectors
from apps.seniors import access, actions, checkins, selectors
from apps.seniors.forms import (
    AssignForm,
    CheckInPlanForm,
    ContactForm,
    NeedForm,
    OnBehalfForm,
    ThanksForm,
    VolunteerForm,
    WhenForm,
)
from apps.seniors.models import HelpRequest, Kind

STEPS: dict[int, type[NeedForm] | type[WhenForm] | type[ContactForm]] = {
    1: NeedForm,
    2: WhenForm,
    3: ContactForm,
}


def _draft_key(residence_id: int) -> str:
    return f"seniors-draft-{residence_id}"


@login_required
def help_list(request: HttpRequest, residence_id: int) -> HttpResponse:
    here = access.access_help_requests(request.user, residence_id)
    user: Any = request.user
    return render(
        request,
        "seniors/list.html",
        {
            "here": here,
            "residence": here.residence,
            "help_requests": list(selectors.help_requests_in(residence_id)[: selectors.LIST_LIMIT]),
            "volunteer": selectors.volunteer_of(user, residence_id),
        },
    )


@login_required
def new(request: HttpRequest, residence_id: int) -> HttpResponse:
    """Three pages: what, when, how to reach you. Answers are kept in the session between
    steps; the last step posts the request."""
    here = access.access_help_requests(request.user, residence_id, for_write=True)
    key = _draft_key(residence_id)
    raw_step = request.GET.get("step", "1")
    step = int(raw_step) if raw_step in ("1", "2", "3") else 1
    draft: dict[str, Any] = dict(request.session.get(key, {}))
    if step > 1 and "kind" not in draft:
        return redirect(reverse("seniors:new", args=[residence_id]))
    if step > 2 and "when_text" not in draft:
        return redirect(reverse("seniors:new", args=[residence_id]) + "?step=2")
    form_class = STEPS[step]
    if request.method == "POST":
        form: Any = form_class(request.POST)
        if form.is_valid():
            values = {
                name: (value.isoformat() if isinstance(value, datetime.date) else value)
                for name, value in form.cleaned_data.items()
            }
            draft.update(values)
            if step < 3:
                request.session[key] = draft
                return redirect(reverse("seniors:new", args=[residence_id]) + f"?step={step + 1}")
            when_date = draft.get("when_date")
            try:
                help_request = actions.post_help_request(
                    request.user,
                    here.residence,
                    kind=draft["kind"],
                    details=draft.get("details", ""),
                    when_text=draft["when_text"],
                    when_date=datetime.date.fromisoformat(when_date) if when_date else None,
                    contact=draft["contact"],
                    phone=draft.get("phone", ""),
                )
            except ValidationError as error:
                form.add_error("phone" if error.code == "phone" else None, error)
            else:
                request.session.pop(key, None)
                flash.success(request, _sent_text())
                return redirect("seniors:detail", help_request.pk)
    else:
        initial = {name: draft.get(name) for name in form_class.base_fields if name in draft}
        form = form_class(initial=initial)
    return render(
        request,
        "seniors/new.html",
        {
            "form": form,
            "residence": here.residence,
            "step": step,
            "draft": draft,
            "kind_label": Kind(draft["kind"]).label if draft.get("kind") in Kind.values else "",
        },
        status=400 if form.errors else 200,
    )


def _sent_text() -> str:
    from django.utils.translation import gettext as _

    return _("Your request is sent. A volunteer neighbour will answer soon.")


@login_required
def on_behalf(request: HttpRequest, residence_id: int) -> HttpResponse:
    """A co-animator or staff member asks for help for a senior member who agreed."""
    here = access.access_help_moderation(request.user, residence_id)
    user: Any = request.user
    members = [
        (m.user_id, m.user.display_name)
        for m in residence_selectors.active_members(here.residence)
        if m.user_id != user.pk
    ]
    form = OnBehalfForm(request.POST or None, members=members)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            help_request = actions.post_help_request(
                user,
                here.residence,
                kind=data["kind"],
                details=data["details"],
                when_text=data["when_text"],
                when_date=data["when_date"],
                contact=data["contact"],
                phone=data["phone"],
                senior_id=data["senior"],
                consent_how=data["consent_how"],
                consent_expires_on=data["consent_expires_on"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("seniors:detail", help_request.pk)
    return render(
        request,
        "seniors/on_behalf.html",
        {"form": form, "residence": here.residence},
        status=400 if form.errors else 200,
    )


@login_required
def detail(request: HttpRequest, help_request_id: int) -> HttpResponse:
    return _render_detail(request, access.access_help_request(request.user, help_request_id))


def _render_detail(
    request: HttpRequest,
    hr: access.HelpRequestAccess,
    *,
    thanks_form: ThanksForm | None = None,
    status: int = 200,
) -> HttpResponse:
    help_request = hr.help_request
    user: Any = request.user
    volunteer = selectors.volunteer_of(user, help_request.residence_id)
    is_open = help_request.status == "open"
    return render(
        request,
        "seniors/detail.html",
        {
            "help_request": help_request,
            "residence": hr.here.residence,
            "hr": hr,
            "can_take": is_open
            and not hr.is_requester
            and volunteer is not None
            and volunteer.active,
            "can_complete": help_request.status == "taken" and (hr.is_requester or hr.is_volunteer),
            "can_cancel": help_request.status in ("open", "taken") and hr.is_requester,
            "can_thank": help_request.status == "done"
            and hr.is_requester
            and not help_request.thanks_text,
            "thanks_form": thanks_form or ThanksForm(),
        },
        status=status,
    )


def _transition(
    request: HttpRequest, help_request_id: int, run: Callable[[Any, HelpRequest], Any]
) -> HttpResponse:
    hr = access.access_help_request(request.user, help_request_id)
    attempt(request, lambda: run(request.user, hr.help_request))
    return redirect("seniors:detail", help_request_id)


@login_required
@require_POST
def take(request: HttpRequest, help_request_id: int) -> HttpResponse:
    return _transition(request, help_request_id, actions.take_request)


@login_required
@require_POST
def complete(request: HttpRequest, help_request_id: int) -> HttpResponse:
    return _transition(request, help_request_id, actions.complete_request)


@login_required
@require_POST
def cancel(request: HttpRequest, help_request_id: int) -> HttpResponse:
    return _transition(request, help_request_id, actions.cancel_request)


@login_required
@require_POST
def thanks(request: HttpRequest, help_request_id: int) -> HttpResponse:
    hr = access.access_help_request(request.user, help_request_id)
    form = ThanksForm(request.POST)
    if form.is_valid():
        try:
            actions.thank_volunteer(request.user, hr.help_request, form.cleaned_data["text"])
        except ValidationError as error:
            form.add_error("text", error)
        else:
            return redirect("seniors:detail", help_request_id)
    return _render_detail(request, hr, thanks_form=form, status=400)


@login_required
def volunteer(request: HttpRequest, residence_id: int) -> HttpResponse:
    here = access.access_help_requests(request.user, residence_id, for_write=True)
    user: Any = request.user
    current = selectors.volunteer_of(user, residence_id)
    initial = (
        {"skills": current.skills, "availability": current.availability}
        if current is not None
        else {}
    )
    form = VolunteerForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.opt_in_volunteer(user, here.residence, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("seniors:list", residence_id)
    return render(
        request,
        "seniors/volunteer.html",
        {"form": form, "residence": here.residence, "current": current},
        status=400 if form.errors else 200,
    )


def _volunteer_choices(residence_id: int) -> list[tuple[int, str]]:
    return [(v.user_id, v.user.display_name) for v in selectors.active_volunteers(residence_id)]


@login_required
def waiting(request: HttpRequest, residence_id: int) -> HttpResponse:
    """Unanswered requests with how long they have waited, for moderators to assign."""
    here = access.access_help_moderation(request.user, residence_id)
    choices = _volunteer_choices(residence_id)
    now = timezone.now()
    rows = [(hr, now - hr.created_at) for hr in selectors.waiting(residence_id)]
    return render(
        request,
        "seniors/waiting.html",
        {
            "residence": here.residence,
            "rows": rows,
            "assign_form": AssignForm(volunteers=choices),
        },
    )


@login_required
@require_POST
def assign(request: HttpRequest, help_request_id: int) -> HttpResponse:
    hr = access.access_help_request(request.user, help_request_id)
    residence_id = hr.help_request.residence_id
    access.access_help_moderation(request.user, residence_id)
    form = AssignForm(request.POST, volunteers=_volunteer_choices(residence_id))
    if not form.is_valid():
        flash.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect("seniors:waiting", residence_id)
    attempt(
        request,
        lambda: actions.assign_volunteer(
            request.user, hr.help_request, form.cleaned_data["volunteer"]
        ),
    )
    return redirect("seniors:waiting", residence_id)


@login_required
def checkin_plan(request: HttpRequest, residence_id: int) -> HttpResponse:
    """ "Ça va ?": the senior chooses a daily time and a contact neighbour."""
    here = access.access_help_requests(request.user, residence_id, for_write=True)
    user: Any = request.user
    members = [
        (m.user_id, m.user.display_name)
        for m in residence_selectors.active_members(here.residence)
        if m.user_id != user.pk
    ]
    form = CheckInPlanForm(request.POST or None, members=members)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            checkins.set_checkin_plan(
                user,
                here.residence,
                deadline=data["deadline"],
                contact_id=data["contact"],
                notify_moderators=data["notify_moderators"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("seniors:checkin")
    return render(
        request,
        "seniors/checkin_plan.html",
        {"form": form, "residence": here.residence},
        status=400 if form.errors else 200,
    )


@login_required
def checkin(request: HttpRequest) -> HttpResponse:
    """One big button: "Ça va !"."""
    done = False
    if request.method == "POST":
        done = attempt(request, lambda: checkins.check_in(request.user))
    return render(request, "seniors/checkin.html", {"done": done})

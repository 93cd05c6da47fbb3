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
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from apps.flash import attempt
from apps.residences import selectors as residence_selectors
from apps.seniors import access, actions, checkins, heatwave, selectors, visits
from apps.seniors.forms import (
    AidantForm,
    AssignForm,
    CallForm,
    CheckInPlanForm,
    ContactForm,
    HeatwaveRegisterForm,
    NeedForm,
    OnBehalfForm,
    RegularVisitForm,
    ThanksForm,
    VolunteerForm,
    WhenForm,
)
from apps.seniors.models import HelpRequest, Kind, VisitKind

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
            "help_requests": list(
                selectors.help_requests_in(residence_id, viewer_id=user.pk)[: selectors.LIST_LIMIT]
            ),
            "volunteer": selectors.volunteer_of(user, residence_id),
            "regular_visits": selectors.regular_visits_for(
                user, residence_id, everyone=here.can_moderate
            ),
            "helps_someone": bool(access.seniors_helped_by(user.pk, residence_id)),
            "heatwave": selectors.active_heatwave(residence_id),
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
    """A co-animator or staff member asks for help for a senior member who agreed (the consent
    recorded with the request); a registered helper for the seniors they help."""
    here, only = access.access_on_behalf(request.user, residence_id)
    user: Any = request.user
    members = [
        (m.user_id, m.user.display_name)
        for m in residence_selectors.active_members(here.residence)
        if m.user_id != user.pk and (only is None or m.user_id in only)
    ]
    form = OnBehalfForm(request.POST or None, members=members, needs_consent=only is None)
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
                consent_how=data.get("consent_how", ""),
                consent_expires_on=data.get("consent_expires_on"),
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
    visit_form: RegularVisitForm | None = None,
    status: int = 200,
) -> HttpResponse:
    help_request = hr.help_request
    user: Any = request.user
    volunteer = selectors.volunteer_of(user, help_request.residence_id)
    is_open = help_request.status == "open"
    regular_visits = selectors.regular_visits_of_request(help_request.pk)
    in_visit = hr.is_requester or hr.is_volunteer
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
            "regular_visits": regular_visits if in_visit or hr.here.can_moderate else [],
            "can_plan_visit": in_visit
            and help_request.kind in VisitKind.values
            and help_request.status in ("taken", "done")
            and not regular_visits,
            "can_act_on_visits": in_visit,
            "visit_form": visit_form or RegularVisitForm(),
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
            "missed_visits": selectors.missed_visits(residence_id),
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
    user: Any = request.user
    return render(
        request,
        "seniors/checkin.html",
        {"done": done, "heatwave": selectors.in_heatwave_register(user.pk)},
    )


# --- regular visits and calls ------------------------------------------------------------------


@login_required
@require_POST
def visit_new(request: HttpRequest, help_request_id: int) -> HttpResponse:
    """From a visit or call request a volunteer took: plan a regular one."""
    hr = access.access_help_request(request.user, help_request_id)
    form = RegularVisitForm(request.POST)
    if form.is_valid():
        try:
            visits.set_up_regular_visit(request.user, hr.help_request, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            flash.success(request, _planned_text())
            return redirect("seniors:detail", help_request_id)
    return _render_detail(request, hr, visit_form=form, status=400)


def _planned_text() -> str:
    from django.utils.translation import gettext as _

    return _("The regular visit is planned. You both see the next date here.")


def _visit_back(request: HttpRequest, va: access.RegularVisitAccess) -> HttpResponse:
    if va.plan.help_request_id:
        return redirect("seniors:detail", va.plan.help_request_id)
    return redirect("seniors:list", va.plan.residence_id)


@login_required
@require_POST
def visit_done(request: HttpRequest, visit_id: int) -> HttpResponse:
    va = access.access_regular_visit(request.user, visit_id)
    attempt(request, lambda: visits.mark_visit_done(request.user, va.plan))
    return _visit_back(request, va)


@login_required
@require_POST
def visit_stop(request: HttpRequest, visit_id: int) -> HttpResponse:
    va = access.access_regular_visit(request.user, visit_id)
    attempt(request, lambda: visits.stop_regular_visit(request.user, va.plan))
    return _visit_back(request, va)


# --- registered helpers (aidants) --------------------------------------------------------------


@login_required
def aidants(request: HttpRequest, residence_id: int) -> HttpResponse:
    """Moderators: every registered helper of the residence, and the form to register one.
    Other members: who may act for them (with a button to withdraw), and for whom they act."""
    here = access.access_help_requests(request.user, residence_id)
    user: Any = request.user
    form = None
    if here.can_moderate:
        members = [
            (m.user_id, m.user.display_name)
            for m in residence_selectors.active_members(here.residence)
        ]
        form = AidantForm(request.POST or None, members=members)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                actions.register_aidant(
                    user,
                    here.residence,
                    senior_id=data["senior"],
                    aidant_id=data["aidant"],
                    how=data["how"],
                    expires_on=data["expires_on"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return redirect("seniors:aidants", residence_id)
    elif request.method == "POST":
        access.access_help_moderation(user, residence_id)  # registering one: moderators (403)
    rows = selectors.aidants_in(residence_id, user_id=None if here.can_moderate else user.pk)
    return render(
        request,
        "seniors/aidants.html",
        {
            "here": here,
            "residence": here.residence,
            "form": form,
            "rows": rows,
            "mine": [c for c in rows if c.senior_id == user.pk],
            "theirs": [c for c in rows if c.given_to_id == user.pk],
        },
        status=400 if form is not None and form.errors else 200,
    )


@login_required
@require_POST
def aidant_revoke(request: HttpRequest, consent_id: int) -> HttpResponse:
    _here, consent = access.access_consent(request.user, consent_id)
    attempt(request, lambda: actions.revoke_aidant(request.user, consent))
    return redirect("seniors:aidants", consent.residence_id)


# --- heatwave plan (plan canicule) -------------------------------------------------------------


HEATWAVE_TEXTS = {
    "started": gettext_lazy("The heatwave plan is on. Seniors and volunteers have been told."),
    "stopped": gettext_lazy("The heatwave plan is over."),
    "joined": gettext_lazy("Done: on the heatwave register."),
    "left": gettext_lazy("Done: off the heatwave register."),
    "recorded": gettext_lazy("Thank you, the call is recorded."),
}


def _heatwave_text(key: str) -> str:
    return str(HEATWAVE_TEXTS[key])


@login_required
@require_POST
def heatwave_start(request: HttpRequest, residence_id: int) -> HttpResponse:
    """Landlord staff switch the residence to heatwave mode."""
    here = access.access_heatwave_mode(request.user, residence_id)
    if attempt(
        request,
        lambda: heatwave.start_heatwave(request.user, here.residence),
        _heatwave_text("started"),
    ):
        return redirect("seniors:heatwave_calls", residence_id)
    return redirect("seniors:list", residence_id)


@login_required
@require_POST
def heatwave_stop(request: HttpRequest, residence_id: int) -> HttpResponse:
    here = access.access_heatwave_mode(request.user, residence_id)
    attempt(
        request,
        lambda: heatwave.stop_heatwave(request.user, here.residence),
        _heatwave_text("stopped"),
    )
    return redirect("seniors:list", residence_id)


def _register_people(user: Any, here: Any) -> list[tuple[int, str]]:
    """For whom this person may join the register: themselves first; moderators, any member;
    a registered helper, the seniors they help."""
    from django.utils.translation import gettext as _

    helped = access.seniors_helped_by(user.pk, here.residence.pk)
    people = [(user.pk, str(_("Myself")))]
    if here.can_moderate or helped:
        people += [
            (m.user_id, m.user.display_name)
            for m in residence_selectors.active_members(here.residence)
            if m.user_id != user.pk and (here.can_moderate or m.user_id in helped)
        ]
    return people


@login_required
def heatwave_register(request: HttpRequest, residence_id: int) -> HttpResponse:
    """The heatwave register: join it (for oneself, or for a senior as moderator or helper),
    see one's entry and leave. Moderators see the whole register; helpers, their seniors'."""
    here = access.access_help_requests(request.user, residence_id, for_write=True)
    user: Any = request.user
    form = HeatwaveRegisterForm(request.POST or None, people=_register_people(user, here))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        _here, senior_id = access.access_heatwave_register(
            user, residence_id, data.get("senior") or user.pk
        )
        try:
            heatwave.join_register(
                user, here.residence, phone=data["phone"], note=data["note"], senior_id=senior_id
            )
        except ValidationError as error:
            form.add_error("phone" if error.code == "phone" else None, error)
        else:
            flash.success(request, _heatwave_text("joined"))
            return redirect("seniors:heatwave_register", residence_id)
    helped = access.seniors_helped_by(user.pk, residence_id)
    rows = selectors.heatwave_register(
        residence_id, senior_ids=None if here.can_moderate else {user.pk, *helped}
    )
    return render(
        request,
        "seniors/heatwave_register.html",
        {
            "here": here,
            "residence": here.residence,
            "form": form,
            "mine": next((r for r in rows if r.senior_id == user.pk), None),
            "others": [r for r in rows if r.senior_id != user.pk],
            "heatwave": selectors.active_heatwave(residence_id),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def heatwave_leave(request: HttpRequest, residence_id: int) -> HttpResponse:
    raw = request.POST.get("senior", "")
    senior_id = int(raw) if raw.isdigit() else None
    here, senior = access.access_heatwave_register(request.user, residence_id, senior_id)
    attempt(
        request,
        lambda: heatwave.leave_register(request.user, here.residence, senior_id=senior),
        _heatwave_text("left"),
    )
    return redirect("seniors:heatwave_register", residence_id)


@login_required
def heatwave_calls(request: HttpRequest, residence_id: int) -> HttpResponse:
    """Today's call list: moderators see every line (print-friendly); a volunteer, their own
    calls with the phone numbers. The list is made the first time it is opened each day."""
    here = access.access_call_list(request.user, residence_id)
    user: Any = request.user
    active = selectors.active_heatwave(residence_id)
    today = timezone.localdate()
    if active is not None:
        heatwave.make_call_list(residence_id, today)
    rows = selectors.calls_of_day(
        residence_id, today, volunteer_id=None if here.can_moderate else user.pk
    )
    return render(
        request,
        "seniors/heatwave_calls.html",
        {
            "here": here,
            "residence": here.residence,
            "heatwave": active,
            "today": today,
            "rows": rows,
            "to_call": sum(1 for r in rows if r.needs_call),
            "call_form": CallForm(),
        },
    )


@login_required
@require_POST
def heatwave_call(request: HttpRequest, call_id: int) -> HttpResponse:
    """The volunteer (or a moderator) records a call: all right, or no answer."""
    ca = access.access_heatwave_call(request.user, call_id)
    form = CallForm(request.POST)
    if not form.is_valid():
        flash.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    else:
        attempt(
            request,
            lambda: heatwave.record_call(request.user, ca.call, **form.cleaned_data),
            _heatwave_text("recorded"),
        )
    return redirect(
        reverse("seniors:heatwave_calls", args=[ca.call.residence_id]) + f"#call-{call_id}"
    )

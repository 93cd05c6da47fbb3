"""Senior support over JSON. Thin: access helper → action → schema. The phone is included only
for those who may see it (the requester, the volunteer who took it, moderators; on the heatwave
register: the senior, their helpers, the volunteer who calls them today, moderators)."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from apps.residences.access import ResidenceAccess
from apps.seniors import access, actions, checkins, heatwave, selectors, visits
from apps.seniors.models import (
    Consent,
    Heatwave,
    HeatwaveRegistration,
    HelpRequest,
    RegularVisit,
    Volunteer,
)

router = Router(tags=["seniors"])


class PersonOut(Schema):
    id: int
    display_name: str


class HelpRequestOut(Schema):
    id: int
    residence_id: int
    kind: str
    when_text: str
    when_date: datetime.date | None
    details: str
    contact: str
    phone: str | None
    status: str
    senior: PersonOut
    posted_by_id: int
    volunteer_id: int | None
    thanks_text: str
    created_at: datetime.datetime


class HelpRequestIn(Schema):
    kind: str = Field(..., description="shopping, visit, call, appointment, paperwork or diy")
    when_text: str
    when_date: datetime.date | None = None
    details: str = ""
    contact: str = Field(..., description="phone or message")
    phone: str = ""
    senior_id: int | None = Field(None, description="On behalf of this member (moderators)")
    consent_how: str = Field("", description="oral, written or phone (on behalf only)")


class VolunteerIn(Schema):
    skills: list[str]
    availability: str = ""


class VolunteerOut(Schema):
    id: int
    residence_id: int
    user_id: int
    skills: list[str]
    availability: str
    active: bool


def _help_request_out(
    help_request: HelpRequest, user_id: int, here: ResidenceAccess
) -> dict[str, Any]:
    sees_contact = here.can_moderate or user_id in (
        help_request.senior_id,
        help_request.posted_by_id,
        help_request.volunteer_id,
    )
    return {
        "id": help_request.pk,
        "residence_id": help_request.residence_id,
        "kind": help_request.kind,
        "when_text": help_request.when_text,
        "when_date": help_request.when_date,
        "details": help_request.details,
        "contact": help_request.contact,
        "phone": help_request.phone if sees_contact else None,
        "status": help_request.status,
        "senior": {
            "id": help_request.senior_id,
            "display_name": help_request.senior.display_name,
        },
        "posted_by_id": help_request.posted_by_id,
        "volunteer_id": help_request.volunteer_id,
        "thanks_text": help_request.thanks_text,
        "created_at": help_request.created_at,
    }


def _volunteer_out(volunteer: Volunteer) -> dict[str, Any]:
    return {
        "id": volunteer.pk,
        "residence_id": volunteer.residence_id,
        "user_id": volunteer.user_id,
        "skills": list(volunteer.skills),
        "availability": volunteer.availability,
        "active": volunteer.active,
    }


@router.get("/residences/{residence_id}/help-requests", response=list[HelpRequestOut])
def list_help_requests(
    request: HttpRequest, residence_id: int, status: str = ""
) -> list[dict[str, Any]]:
    user: Any = request.auth  # type: ignore[attr-defined]
    here = access.access_help_requests(user, residence_id)
    rows = selectors.help_requests_in(residence_id, status=status, viewer_id=request.user.pk)[
        : selectors.LIST_LIMIT
    ]
    return [_help_request_out(hr, user.pk, here) for hr in rows]


@router.post("/residences/{residence_id}/help-requests", response={201: HelpRequestOut})
def post_help_request(
    request: HttpRequest, residence_id: int, payload: HelpRequestIn
) -> Status[dict[str, Any]]:
    user: Any = request.auth  # type: ignore[attr-defined]
    here = access.access_help_requests(user, residence_id, for_write=True)
    help_request = actions.post_help_request(user, here.residence, **payload.dict())
    return Status(201, _help_request_out(help_request, user.pk, here))


@router.post("/help-requests/{help_request_id}/take", response=HelpRequestOut)
def take(request: HttpRequest, help_request_id: int) -> dict[str, Any]:
    user: Any = request.auth  # type: ignore[attr-defined]
    hr = access.access_help_request(user, help_request_id)
    taken = actions.take_request(user, hr.help_request)
    taken.senior = hr.help_request.senior
    return _help_request_out(taken, user.pk, hr.here)


@router.post("/help-requests/{help_request_id}/complete", response=HelpRequestOut)
def complete(request: HttpRequest, help_request_id: int) -> dict[str, Any]:
    user: Any = request.auth  # type: ignore[attr-defined]
    hr = access.access_help_request(user, help_request_id)
    done = actions.complete_request(user, hr.help_request)
    done.senior = hr.help_request.senior
    return _help_request_out(done, user.pk, hr.here)


@router.post("/residences/{residence_id}/volunteers", response={201: VolunteerOut})
def opt_in(request: HttpRequest, residence_id: int, payload: VolunteerIn) -> Status[dict[str, Any]]:
    user: Any = request.auth  # type: ignore[attr-defined]
    here = access.access_help_requests(user, residence_id, for_write=True)
    volunteer = actions.opt_in_volunteer(user, here.residence, **payload.dict())
    return Status(201, _volunteer_out(volunteer))


class CheckInOut(Schema):
    plans: int


@router.post("/checkins", response={201: CheckInOut})
def check_in(request: HttpRequest) -> Status[dict[str, int]]:
    """ "Ça va !": today's check-in on each of my plans (400 when I have none)."""
    return Status(201, {"plans": checkins.check_in(request.auth)})  # type: ignore[attr-defined]


# --- regular visits and calls ------------------------------------------------------------------


class RegularVisitIn(Schema):
    every_days: int = Field(..., description="7, 14 or 30")
    next_on: datetime.date
    time: datetime.time | None = None


class RegularVisitOut(Schema):
    id: int
    residence_id: int
    help_request_id: int | None
    kind: str
    every_days: int
    next_on: datetime.date
    time: datetime.time | None
    active: bool
    senior: PersonOut
    volunteer: PersonOut


def _visit_out(plan: RegularVisit) -> dict[str, Any]:
    return {
        "id": plan.pk,
        "residence_id": plan.residence_id,
        "help_request_id": plan.help_request_id,
        "kind": plan.kind,
        "every_days": plan.every_days,
        "next_on": plan.next_on,
        "time": plan.time,
        "active": plan.active,
        "senior": {"id": plan.senior_id, "display_name": plan.senior.display_name},
        "volunteer": {"id": plan.volunteer_id, "display_name": plan.volunteer.display_name},
    }


@router.get("/residences/{residence_id}/regular-visits", response=list[RegularVisitOut])
def list_regular_visits(request: HttpRequest, residence_id: int) -> list[dict[str, Any]]:
    """Mine (as senior, volunteer or helper); every one for moderators."""
    user: Any = request.auth  # type: ignore[attr-defined]
    here = access.access_help_requests(user, residence_id)
    rows = selectors.regular_visits_for(user, residence_id, everyone=here.can_moderate)
    return [_visit_out(plan) for plan in rows]


@router.post("/help-requests/{help_request_id}/regular-visits", response={201: RegularVisitOut})
def set_up_regular_visit(
    request: HttpRequest, help_request_id: int, payload: RegularVisitIn
) -> Status[dict[str, Any]]:
    user: Any = request.auth  # type: ignore[attr-defined]
    hr = access.access_help_request(user, help_request_id)
    plan = visits.set_up_regular_visit(user, hr.help_request, **payload.dict())
    plan = selectors.regular_visits_of_request(help_request_id)[0]
    return Status(201, _visit_out(plan))


@router.post("/regular-visits/{visit_id}/done", response=RegularVisitOut)
def mark_visit_done(request: HttpRequest, visit_id: int) -> dict[str, Any]:
    user: Any = request.auth  # type: ignore[attr-defined]
    va = access.access_regular_visit(user, visit_id)
    plan = visits.mark_visit_done(user, va.plan)
    plan.senior, plan.volunteer = va.plan.senior, va.plan.volunteer
    return _visit_out(plan)


@router.post("/regular-visits/{visit_id}/stop", response=RegularVisitOut)
def stop_regular_visit(request: HttpRequest, visit_id: int) -> dict[str, Any]:
    user: Any = request.auth  # type: ignore[attr-defined]
    va = access.access_regular_visit(user, visit_id)
    plan = visits.stop_regular_visit(user, va.plan)
    plan.senior, plan.volunteer = va.plan.senior, va.plan.volunteer
    return _visit_out(plan)


# --- registered helpers (aidants) --------------------------------------------------------------


class AidantIn(Schema):
    senior_id: int
    aidant_id: int
    how: str = Field(..., description="oral, written or phone")
    expires_on: datetime.date | None = None


class AidantOut(Schema):
    id: int
    residence_id: int
    senior: PersonOut
    aidant: PersonOut
    how: str
    created_at: datetime.datetime
    expires_on: datetime.date | None
    revoked_at: datetime.datetime | None


def _aidant_out(consent: Consent) -> dict[str, Any]:
    return {
        "id": consent.pk,
        "residence_id": consent.residence_id,
        "senior": {"id": consent.senior_id, "display_name": consent.senior.display_name},
        "aidant": {"id": consent.given_to_id, "display_name": consent.given_to.display_name},
        "how": consent.how,
        "created_at": consent.created_at,
        "expires_on": consent.expires_on,
        "revoked_at": consent.revoked_at,
    }


@router.get("/residences/{residence_id}/aidants", response=list[AidantOut])
def list_aidants(request: HttpRequest, residence_id: int) -> list[dict[str, Any]]:
    """Current helpers: every one for moderators; those where I am the senior or the helper."""
    user: Any = request.auth  # type: ignore[attr-defined]
    here = access.access_help_requests(user, residence_id)
    rows = selectors.aidants_in(residence_id, user_id=None if here.can_moderate else user.pk)
    return [_aidant_out(c) for c in rows]


@router.post("/residences/{residence_id}/aidants", response={201: AidantOut})
def register_aidant(
    request: HttpRequest, residence_id: int, payload: AidantIn
) -> Status[dict[str, Any]]:
    user: Any = request.auth  # type: ignore[attr-defined]
    here = access.access_help_moderation(user, residence_id)
    consent = actions.register_aidant(user, here.residence, **payload.dict())
    return Status(201, _aidant_out(consent))


@router.post("/aidants/{consent_id}/revoke", response=AidantOut)
def revoke_aidant(request: HttpRequest, consent_id: int) -> dict[str, Any]:
    user: Any = request.auth  # type: ignore[attr-defined]
    _here, consent = access.access_consent(user, consent_id)
    revoked = actions.revoke_aidant(user, consent)
    revoked.senior, revoked.given_to = consent.senior, consent.given_to
    return _aidant_out(revoked)


# --- heatwave plan (plan canicule) -------------------------------------------------------------


class HeatwaveOut(Schema):
    id: int
    residence_id: int
    started_at: datetime.datetime
    started_by_id: int
    ended_at: datetime.datetime | None
    ended_by_id: int | None


def _heatwave_out(hw: Heatwave) -> dict[str, Any]:
    return {
        "id": hw.pk,
        "residence_id": hw.residence_id,
        "started_at": hw.started_at,
        "started_by_id": hw.started_by_id,
        "ended_at": hw.ended_at,
        "ended_by_id": hw.ended_by_id,
    }


@router.post("/residences/{residence_id}/heatwave", response={201: HeatwaveOut})
def start_heatwave(request: HttpRequest, residence_id: int) -> Status[dict[str, Any]]:
    """Landlord staff switch the residence to heatwave mode (400 when it is already on)."""
    user: Any = request.auth  # type: ignore[attr-defined]
    here = access.access_heatwave_mode(user, residence_id)
    return Status(201, _heatwave_out(heatwave.start_heatwave(user, here.residence)))


@router.delete("/residences/{residence_id}/heatwave", response=HeatwaveOut)
def stop_heatwave(request: HttpRequest, residence_id: int) -> dict[str, Any]:
    """Landlord staff end the heatwave mode (400 when it is not on)."""
    user: Any = request.auth  # type: ignore[attr-defined]
    here = access.access_heatwave_mode(user, residence_id)
    return _heatwave_out(heatwave.stop_heatwave(user, here.residence))


class HeatwaveRegisterIn(Schema):
    phone: str
    note: str = ""
    senior_id: int | None = Field(None, description="For this senior (moderators, helpers)")


class HeatwaveRegistrationOut(Schema):
    id: int
    residence_id: int
    senior_id: int
    phone: str
    note: str
    active: bool


def _registration_out(registration: HeatwaveRegistration) -> dict[str, Any]:
    return {
        "id": registration.pk,
        "residence_id": registration.residence_id,
        "senior_id": registration.senior_id,
        "phone": registration.phone,
        "note": registration.note,
        "active": registration.active,
    }


@router.post(
    "/residences/{residence_id}/heatwave-register", response={201: HeatwaveRegistrationOut}
)
def join_heatwave_register(
    request: HttpRequest, residence_id: int, payload: HeatwaveRegisterIn
) -> Status[dict[str, Any]]:
    """Join the heatwave register (or put ``senior_id`` on it: moderators, their helpers)."""
    user: Any = request.auth  # type: ignore[attr-defined]
    here, senior_id = access.access_heatwave_register(user, residence_id, payload.senior_id)
    registration = heatwave.join_register(
        user, here.residence, phone=payload.phone, note=payload.note, senior_id=senior_id
    )
    return Status(201, _registration_out(registration))


@router.delete("/residences/{residence_id}/heatwave-register", response=HeatwaveRegistrationOut)
def leave_heatwave_register(
    request: HttpRequest, residence_id: int, senior_id: int | None = None
) -> dict[str, Any]:
    """Leave the heatwave register (``?senior_id=``: take this senior off it)."""
    user: Any = request.auth  # type: ignore[attr-defined]
    here, senior = access.access_heatwave_register(user, residence_id, senior_id)
    return _registration_out(heatwave.leave_register(user, here.residence, senior_id=senior))


class HeatwaveCallOut(Schema):
    id: int
    residence_id: int
    day: datetime.date
    senior: PersonOut
    phone: str
    note: str
    volunteer: PersonOut | None
    state: str = Field(..., description="to_call, checked_in, ok or no_answer")
    outcome: str
    call_note: str
    called_at: datetime.datetime | None


def _call_out(row: selectors.CallRow) -> dict[str, Any]:
    call = row.call
    senior = call.registration.senior
    return {
        "id": call.pk,
        "residence_id": call.residence_id,
        "day": call.day,
        "senior": {"id": senior.pk, "display_name": senior.display_name},
        "phone": call.registration.phone,
        "note": call.registration.note,
        "volunteer": (
            {"id": call.volunteer_id, "display_name": call.volunteer.display_name}
            if call.volunteer is not None
            else None
        ),
        "state": row.state,
        "outcome": call.outcome,
        "call_note": call.note,
        "called_at": call.called_at,
    }


@router.get("/residences/{residence_id}/heatwave/calls", response=list[HeatwaveCallOut])
def list_heatwave_calls(request: HttpRequest, residence_id: int) -> list[dict[str, Any]]:
    """Today's call list: every line for moderators, my own calls for a volunteer (empty for
    other members). Made the first time it is asked for each day."""
    user: Any = request.auth  # type: ignore[attr-defined]
    here = access.access_call_list(user, residence_id)
    today = timezone.localdate()
    heatwave.make_call_list(residence_id, today)
    rows = selectors.calls_of_day(
        residence_id, today, volunteer_id=None if here.can_moderate else user.pk
    )
    return [_call_out(row) for row in rows]


class HeatwaveCallIn(Schema):
    outcome: str = Field(..., description="ok or no_answer")
    note: str = ""


@router.post("/heatwave-calls/{call_id}", response=HeatwaveCallOut)
def record_heatwave_call(
    request: HttpRequest, call_id: int, payload: HeatwaveCallIn
) -> dict[str, Any]:
    """The volunteer (or a moderator) records the call: "ok" or "no_answer"."""
    user: Any = request.auth  # type: ignore[attr-defined]
    ca = access.access_heatwave_call(user, call_id)
    call = heatwave.record_call(user, ca.call, outcome=payload.outcome, note=payload.note)
    call.volunteer = ca.call.volunteer
    return _call_out(
        selectors.CallRow(call, selectors.call_state(call, selectors.start_of_today()))
    )

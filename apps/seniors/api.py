"""Senior support over JSON. Thin: access helper → action → schema. The phone is included only
for those who may see it (the requester, the volunteer who took it, moderators)."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from apps.residences.access import ResidenceAccess
from apps.seniors import access, actions, checkins, selectors
from apps.seniors.models import HelpRequest, Volunteer

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
    rows = selectors.help_requests_in(residence_id, status=status)[: selectors.LIST_LIMIT]
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

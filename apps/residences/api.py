"""Residences over JSON: thin, like the views (access helper → action → schema)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from apps.residences import access, actions, selectors
from apps.residences.models import Membership

router = Router(tags=["residences"])


class MembershipOut(Schema):
    residence_id: int
    residence_name: str
    role: str
    status: str


class MeOut(Schema):
    id: int
    email: str
    display_name: str
    is_senior: bool
    large_text: bool
    memberships: list[MembershipOut]


class ResidenceOut(Schema):
    id: int
    name: str
    address: str
    postcode: str
    city: str
    landlord: str
    my_role: str


class MemberOut(Schema):
    membership_id: int
    user_id: int
    display_name: str
    role: str
    entrance: str | None
    phone: str = Field("", description="Empty unless the member chose to show it")


class JoinIn(Schema):
    code: str = Field(..., max_length=20)
    charter_accepted: bool = Field(
        False, description="The residence charter must be accepted to join"
    )
    message: str = Field("", max_length=300)


class ErrorOut(Schema):
    detail: str
    code: str | None = None


def _residence_out(here: access.ResidenceAccess) -> dict[str, Any]:
    residence = here.residence
    return {
        "id": residence.pk,
        "name": residence.name,
        "address": residence.address,
        "postcode": residence.postcode,
        "city": residence.city,
        "landlord": residence.landlord.name,
        "my_role": here.role,
    }


@router.get("/me", response=MeOut, tags=["me"])
def me(request: HttpRequest) -> dict[str, Any]:
    user: Any = request.auth  # type: ignore[attr-defined]
    memberships = [
        {
            "residence_id": a.residence.pk,
            "residence_name": a.residence.name,
            "role": a.role,
            "status": "active",
        }
        for a in access.visible_residences(user)
    ]
    memberships += [
        {
            "residence_id": m.residence_id,
            "residence_name": m.residence.name,
            "role": m.role,
            "status": m.status,
        }
        for m in selectors.my_pending_requests(user)
    ]
    return {
        "id": user.pk,
        "email": user.email,
        "display_name": user.display_name,
        "is_senior": user.is_senior,
        "large_text": user.large_text,
        "memberships": memberships,
    }


@router.get("/residences/", response=list[ResidenceOut])
def my_residences(request: HttpRequest) -> list[dict[str, Any]]:
    return [_residence_out(a) for a in access.visible_residences(request.auth)]  # type: ignore[attr-defined]


@router.post("/residences/join", response={201: MembershipOut, 400: ErrorOut})
def join(request: HttpRequest, payload: JoinIn) -> Status[dict[str, Any]]:
    membership = actions.request_join(
        request.auth,  # type: ignore[attr-defined]
        payload.code,
        charter_accepted=payload.charter_accepted,
        message=payload.message,
    )
    return Status(
        201,
        {
            "residence_id": membership.residence_id,
            "residence_name": membership.residence.name,
            "role": membership.role,
            "status": membership.status,
        },
    )


@router.get("/residences/{residence_id}", response=ResidenceOut)
def residence_detail(request: HttpRequest, residence_id: int) -> dict[str, Any]:
    return _residence_out(access.access_residence(request.auth, residence_id))  # type: ignore[attr-defined]


@router.get("/residences/{residence_id}/members", response=list[MemberOut])
def residence_members(request: HttpRequest, residence_id: int) -> list[dict[str, Any]]:
    here = access.access_members(request.auth, residence_id)  # type: ignore[attr-defined]
    return [_member_out(m) for m in selectors.active_members(here.residence)]


def _member_out(membership: Membership) -> dict[str, Any]:
    return {
        "membership_id": membership.pk,
        "user_id": membership.user_id,
        "display_name": membership.user.display_name,
        "role": membership.role,
        "entrance": membership.entrance.name if membership.entrance else None,
        "phone": membership.user.visible_phone,
    }

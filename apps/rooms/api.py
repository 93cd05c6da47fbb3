"""Common room bookings over JSON: list and ask (members), approve and decline (co-animators and
staff), cancel (who asked). Thin: access helper → action → schema."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from apps.rooms import access, actions, selectors
from apps.rooms.models import PURPOSE_MAX_LENGTH, REASON_MAX_LENGTH, Booking

router = Router(tags=["common rooms"])


class BookingIn(Schema):
    room_id: int
    starts_at: datetime.datetime = Field(..., description="on the hour or the half hour")
    ends_at: datetime.datetime = Field(..., description="30 minutes to 12 hours after the start")
    purpose: str = Field(..., max_length=PURPOSE_MAX_LENGTH)
    public: bool = False


class DeclineIn(Schema):
    reason: str = Field(..., max_length=REASON_MAX_LENGTH)


class BookingOut(Schema):
    id: int
    room_id: int
    room_name: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    purpose: str
    public: bool
    status: str = Field(..., description="requested, approved, declined or cancelled")
    mine: bool
    decline_reason: str
    event_id: int | None


def _out(booking: Booking, user: Any) -> dict[str, Any]:
    return {
        "id": booking.pk,
        "room_id": booking.room_id,
        "room_name": booking.room.name,
        "starts_at": booking.starts_at,
        "ends_at": booking.ends_at,
        "purpose": booking.purpose,
        "public": booking.public,
        "status": str(booking.status),
        "mine": booking.requested_by_id == user.pk,
        "decline_reason": booking.decline_reason if booking.requested_by_id == user.pk else "",
        "event_id": booking.event_id,
    }


@router.get("/residences/{residence_id}/room-bookings", response=list[BookingOut])
def list_bookings(request: HttpRequest, residence_id: int) -> list[dict[str, Any]]:
    """Current and coming approved bookings, your own, and (co-animators and staff) the
    requests waiting for an answer."""
    here = access.access_rooms(request.user, residence_id)
    rows = selectors.visible_bookings(request.user, residence_id, moderator=here.can_moderate)
    return [_out(b, request.user) for b in rows]


@router.post("/residences/{residence_id}/room-bookings", response={201: BookingOut})
def request_booking(request: HttpRequest, residence_id: int, payload: BookingIn) -> Status[Any]:
    here = access.access_rooms(request.user, residence_id)
    room = access.room_of(here, payload.room_id)
    booking = actions.request_booking(
        request.user,
        room,
        starts_at=payload.starts_at,
        ends_at=payload.ends_at,
        purpose=payload.purpose,
        public=payload.public,
    )
    return Status(201, _out(booking, request.user))


@router.post("/room-bookings/{booking_id}/approve", response=BookingOut)
def approve(request: HttpRequest, booking_id: int) -> dict[str, Any]:
    _here, booking = access.access_decision(request.user, booking_id)
    return _out(actions.approve_booking(request.user, booking), request.user)


@router.post("/room-bookings/{booking_id}/decline", response=BookingOut)
def decline(request: HttpRequest, booking_id: int, payload: DeclineIn) -> dict[str, Any]:
    _here, booking = access.access_decision(request.user, booking_id)
    return _out(actions.decline_booking(request.user, booking, reason=payload.reason), request.user)


@router.post("/room-bookings/{booking_id}/cancel", response=BookingOut)
def cancel(request: HttpRequest, booking_id: int) -> dict[str, Any]:
    _here, booking = access.access_cancel(request.user, booking_id)
    return _out(actions.cancel_booking(request.user, booking), request.user)

"""Common room pages: the rooms with their week calendar and the request form, declaring and
editing a room (staff), the requests waiting for an answer (co-animators and staff), and plain
POST endpoints to approve, decline, cancel and make an event. Everything works without
JavaScript; the request lists refresh live on ``booking.updated``."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.flash import attempt
from apps.rooms import access, actions, selectors
from apps.rooms.forms import BookingForm, DeclineForm, RoomEditForm, RoomForm

ROOM_FIELD_OF_CODE = {"name": "name", "capacity": "capacity"}
BOOKING_FIELD_OF_CODE = {"purpose": "purpose", "inactive": "room"}


def _monday(request: HttpRequest) -> datetime.date:
    today = timezone.localdate()
    try:
        asked = datetime.date.fromisoformat(request.GET.get("week", ""))
    except ValueError:
        asked = today
    # Not before this week, not beyond the booking horizon.
    asked = min(max(asked, today), today + datetime.timedelta(days=actions.MAX_DAYS_AHEAD))
    return selectors.week_start(asked)


@login_required
def index(request: HttpRequest, residence_id: int) -> HttpResponse:
    here = access.access_rooms(request.user, residence_id)
    user: Any = request.user
    rooms = selectors.rooms(residence_id)
    open_rooms = [r for r in rooms if r.active]
    form = BookingForm(request.POST or None, rooms=open_rooms)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        room = next(r for r in open_rooms if r.pk == data["room"])
        try:
            actions.request_booking(
                user,
                room,
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                purpose=data["purpose"],
                public=data["public"],
            )
        except ValidationError as error:
            form.add_error(BOOKING_FIELD_OF_CODE.get(str(error.code)), error)
        else:
            flash.success(request, _("Request sent: a co-animator will answer soon."))
            return redirect(reverse("rooms:index", args=[residence_id]) + "#my-bookings")
    monday = _monday(request)
    return render(
        request,
        "rooms/rooms.html",
        {
            "here": here,
            "residence": here.residence,
            "rooms": rooms,
            "form": form if open_rooms else None,
            "week": selectors.week(rooms, monday),
            "monday": monday,
            "previous_week": (monday - datetime.timedelta(days=7)).isoformat()
            if monday > selectors.week_start(timezone.localdate())
            else "",
            "next_week": (monday + datetime.timedelta(days=7)).isoformat(),
            "mine": selectors.my_bookings(user, residence_id),
        },
        status=400 if form.errors else 200,
    )


@login_required
def new_room(request: HttpRequest, residence_id: int) -> HttpResponse:
    here = access.access_room_admin(request.user, residence_id)
    form = RoomForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.create_room(request.user, here.residence, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(ROOM_FIELD_OF_CODE.get(str(error.code)), error)
        else:
            flash.success(request, _("The room is declared: neighbours can ask for it."))
            return redirect("rooms:index", residence_id)
    return render(
        request,
        "rooms/room_form.html",
        {"form": form, "here": here, "residence": here.residence, "room": None},
        status=400 if form.errors else 200,
    )


@login_required
def edit_room(request: HttpRequest, room_id: int) -> HttpResponse:
    here, room = access.access_room(request.user, room_id, for_edit=True)
    initial = {
        "name": room.name,
        "capacity": room.capacity,
        "accessibility": room.accessibility,
        "rules": room.rules,
        "active": room.active,
    }
    form = RoomEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_room(request.user, room, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(ROOM_FIELD_OF_CODE.get(str(error.code)), error)
        else:
            flash.success(request, _("Saved."))
            return redirect("rooms:index", room.residence_id)
    return render(
        request,
        "rooms/room_form.html",
        {"form": form, "here": here, "residence": here.residence, "room": room},
        status=400 if form.errors else 200,
    )


@login_required
def requests(request: HttpRequest, residence_id: int) -> HttpResponse:
    here = access.access_requests(request.user, residence_id)
    return render(
        request,
        "rooms/requests.html",
        {
            "here": here,
            "residence": here.residence,
            "pending": selectors.pending_requests(residence_id),
            "public": selectors.public_without_event(residence_id),
            "decline_form": DeclineForm(),
        },
    )


def _requests_url(residence_id: int) -> str:
    return reverse("rooms:requests", args=[residence_id])


@login_required
@require_POST
def approve(request: HttpRequest, booking_id: int) -> HttpResponse:
    _here, booking = access.access_decision(request.user, booking_id)
    attempt(
        request,
        lambda: actions.approve_booking(request.user, booking),
        _("Approved: the neighbour is told."),
    )
    return redirect(_requests_url(booking.room.residence_id))


@login_required
@require_POST
def decline(request: HttpRequest, booking_id: int) -> HttpResponse:
    _here, booking = access.access_decision(request.user, booking_id)
    reason = request.POST.get("reason", "")
    attempt(
        request,
        lambda: actions.decline_booking(request.user, booking, reason=reason),
        _("Declined: the neighbour is told why."),
    )
    return redirect(_requests_url(booking.room.residence_id))


@login_required
@require_POST
def cancel(request: HttpRequest, booking_id: int) -> HttpResponse:
    _here, booking = access.access_cancel(request.user, booking_id)
    attempt(
        request,
        lambda: actions.cancel_booking(request.user, booking),
        _("Booking cancelled: the slot is free again."),
    )
    return redirect(reverse("rooms:index", args=[booking.room.residence_id]) + "#my-bookings")


@login_required
@require_POST
def make_event(request: HttpRequest, booking_id: int) -> HttpResponse:
    _here, booking = access.access_decision(request.user, booking_id)
    try:
        booking = actions.make_event(request.user, booking)
    except ValidationError as error:
        for text in error.messages:
            flash.error(request, text)
        return redirect(_requests_url(booking.room.residence_id))
    flash.success(request, _("The event is published in the residence’s news."))
    return redirect("community:post", booking.event_id)

"""Who may see and do what with common rooms (DESIGN.md §4). Not visible → 404, visible but not
allowed → 403 with the reason.

- The rooms, their calendar and the bookings: members of the residence (residents,
  co-animators, staff). Accredited partners and outsiders: 404.
- Declare or edit a room: the landlord's staff.
- Ask for a slot: members.
- Approve or decline a request, turn a public booking into an event: co-animators and staff.
- Cancel a booking: whoever asked for it.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from apps.residences import access as residence_access
from apps.residences.access import ResidenceAccess
from apps.rooms.models import Booking, CommonRoom


def access_rooms(user: Any, residence_id: int) -> ResidenceAccess:
    """The rooms of a residence: its members only (partners too get 404)."""
    here = residence_access.access_residence(user, residence_id)
    if not here.is_member:
        raise Http404
    return here


def check_may_manage(here: ResidenceAccess) -> None:
    if not here.is_staff:
        raise PermissionDenied(_("Only the landlord’s staff declare and edit common rooms."))


def check_may_decide(here: ResidenceAccess) -> None:
    if not here.can_moderate:
        raise PermissionDenied(_("Only co-animators and staff answer booking requests."))


def access_room_admin(user: Any, residence_id: int) -> ResidenceAccess:
    """Declaring a room: the landlord's staff."""
    here = access_rooms(user, residence_id)
    check_may_manage(here)
    return here


def access_room(
    user: Any, room_id: int, *, for_edit: bool = False
) -> tuple[ResidenceAccess, CommonRoom]:
    """A room, for the members of its residence; ``for_edit``: its landlord's staff."""
    room = CommonRoom.objects.filter(pk=room_id).first()
    if room is None:
        raise Http404
    here = access_rooms(user, room.residence_id)
    if for_edit:
        check_may_manage(here)
    return here, room


def room_of(here: ResidenceAccess, room_id: int) -> CommonRoom:
    """A room of this residence (one of another residence: 404)."""
    room = CommonRoom.objects.filter(pk=room_id, residence_id=here.residence.pk).first()
    if room is None:
        raise Http404
    return room


def access_requests(user: Any, residence_id: int) -> ResidenceAccess:
    """The pending requests: co-animators and staff."""
    here = access_rooms(user, residence_id)
    check_may_decide(here)
    return here


def access_booking(user: Any, booking_id: int) -> tuple[ResidenceAccess, Booking]:
    """A booking, for the members of its room's residence."""
    booking = Booking.objects.select_related("room", "requested_by").filter(pk=booking_id).first()
    if booking is None:
        raise Http404
    return access_rooms(user, booking.room.residence_id), booking


def access_decision(user: Any, booking_id: int) -> tuple[ResidenceAccess, Booking]:
    """Approving, declining, making an event: co-animators and staff."""
    here, booking = access_booking(user, booking_id)
    check_may_decide(here)
    return here, booking


def check_may_cancel(user: Any, booking: Booking) -> None:
    if booking.requested_by_id != user.pk:
        raise PermissionDenied(_("Only the neighbour who asked for a booking cancels it."))


def access_cancel(user: Any, booking_id: int) -> tuple[ResidenceAccess, Booking]:
    here, booking = access_booking(user, booking_id)
    check_may_cancel(user, booking)
    return here, booking

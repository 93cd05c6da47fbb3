"""Events over JSON. Creating one goes through community's
``POST /residences/{id}/posts`` with ``{"kind": "event", ...}`` (see ``kind.publish``)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Field, Router, Schema

from apps.events import access, actions, selectors

router = Router(tags=["events"])


class RsvpIn(Schema):
    going: bool = Field(..., description="true: I come; false: I no longer come")


class RsvpOut(Schema):
    status: str = Field(..., description='"going", "waiting" (waiting list) or ""')
    waiting_position: int | None = None


@router.post("/posts/{post_id}/rsvp", response=RsvpOut)
def rsvp(request: HttpRequest, post_id: int, payload: RsvpIn) -> dict[str, object]:
    pa = access.access_rsvp(request.user, post_id)
    status = actions.rsvp(request.user, pa.post, payload.going)
    position = selectors.waiting_position(pa.post, request.user) if status == "waiting" else None
    return {"status": status, "waiting_position": position}

"""Service exchanges over JSON. Thin: access helper → action → schema."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from apps.exchanges import access, actions, moderation, selectors
from apps.exchanges.models import TEXT_MAX_LENGTH, Exchange, Response, Thanks
from apps.moderation.actions import held_text
from apps.moderation.selectors import notices

router = Router(tags=["exchanges"])


class PersonOut(Schema):
    id: int
    display_name: str


class ExchangeOut(Schema):
    id: int
    residence_id: int
    kind: str
    category: str
    title: str
    description: str
    availability: str
    ends_on: datetime.date | None
    status: str
    author: PersonOut
    created_at: datetime.datetime
    moderation: str = Field(
        "", description='"" visible, "held" or "hidden" (only their author sees those)'
    )
    moderation_notice: str = Field("", description="Why it is held or hidden (its author only)")


class ExchangeIn(Schema):
    kind: str = Field(..., description="offer or request")
    category: str
    title: str
    description: str = ""
    availability: str = ""
    ends_on: datetime.date | None = None


class ExchangePatch(Schema):
    kind: str | None = None
    category: str | None = None
    title: str | None = None
    description: str | None = None
    availability: str | None = None
    ends_on: datetime.date | None = None


class ListQuery(Schema):
    kind: str = ""
    category: str = ""
    status: str = ""
    text: str = Field("", max_length=200)
    page: int = Field(1, ge=1, le=10_000)


class ResponseIn(Schema):
    body: str = Field(..., description=f"At most {TEXT_MAX_LENGTH} characters")


class ResponseOut(Schema):
    id: int
    exchange_id: int
    responder: PersonOut
    message: str
    conversation_id: int | None
    accepted: bool


class AcceptIn(Schema):
    response_id: int


class ThanksIn(Schema):
    body: str
    to_user_id: int | None = None
    public: bool = True


class ThanksOut(Schema):
    id: int
    exchange_id: int
    from_user_id: int
    to_user_id: int
    text: str
    public: bool


def _exchange_out(exchange: Exchange) -> dict[str, Any]:
    return {
        "id": exchange.pk,
        "residence_id": exchange.residence_id,
        "kind": exchange.kind,
        "category": exchange.category,
        "title": exchange.title,
        "description": exchange.description,
        "availability": exchange.availability,
        "ends_on": exchange.ends_on,
        "status": exchange.status,
        "author": {"id": exchange.author_id, "display_name": exchange.author.display_name},
        "created_at": exchange.created_at,
        "moderation": exchange.moderation,
    }


def _exchange_out_for_author(exchange: Exchange) -> dict[str, Any]:
    """One exchange to its author: a held or hidden one says why."""
    out = _exchange_out(exchange)
    origin = getattr(exchange, "held_origin", "")
    if origin:
        out["moderation_notice"] = held_text(origin)
    elif not exchange.is_visible:
        out["moderation_notice"] = notices(moderation.TYPE, [exchange.pk]).get(exchange.pk, "")
    return out


def _response_out(response: Response) -> dict[str, Any]:
    return {
        "id": response.pk,
        "exchange_id": response.exchange_id,
        "responder": {
            "id": response.responder_id,
            "display_name": response.responder.display_name,
        },
        "message": response.message,
        "conversation_id": response.conversation_id,
        "accepted": response.accepted,
    }


def _thanks_out(thanks: Thanks) -> dict[str, Any]:
    return {
        "id": thanks.pk,
        "exchange_id": thanks.exchange_id,
        "from_user_id": thanks.from_user_id,
        "to_user_id": thanks.to_user_id,
        "text": thanks.text,
        "public": thanks.public,
    }


@router.get("/residences/{residence_id}/exchanges", response=list[ExchangeOut])
def list_exchanges(
    request: HttpRequest, residence_id: int, query: Query[ListQuery]
) -> list[dict[str, Any]]:
    user: Any = request.auth  # type: ignore[attr-defined]
    access.access_exchanges(user, residence_id)
    filters = selectors.Filters(
        kind=query.kind, category=query.category, status=query.status, text=query.text
    )
    rows, _has_next = selectors.page_of(
        selectors.exchanges_in(residence_id, filters, viewer_id=user.pk), query.page
    )
    return [_exchange_out(e) for e in rows]


@router.post("/residences/{residence_id}/exchanges", response={201: ExchangeOut})
def post_exchange(
    request: HttpRequest, residence_id: int, payload: ExchangeIn
) -> Status[dict[str, Any]]:
    user: Any = request.auth  # type: ignore[attr-defined]
    here = access.access_exchanges(user, residence_id, for_write=True)
    exchange = actions.post_exchange(user, here.residence, **payload.dict())
    return Status(201, _exchange_out_for_author(exchange))


@router.get("/exchanges/{exchange_id}", response=ExchangeOut)
def get_exchange(request: HttpRequest, exchange_id: int) -> dict[str, Any]:
    exchange = access.access_exchange(request.auth, exchange_id).exchange  # type: ignore[attr-defined]
    return (
        _exchange_out_for_author(exchange) if not exchange.is_visible else _exchange_out(exchange)
    )


@router.patch("/exchanges/{exchange_id}", response=ExchangeOut)
def edit_exchange(request: HttpRequest, exchange_id: int, payload: ExchangePatch) -> dict[str, Any]:
    user: Any = request.auth  # type: ignore[attr-defined]
    ex = access.access_exchange(user, exchange_id, for_write=True)
    changes = payload.dict(exclude_unset=True)
    return _exchange_out_for_author(actions.edit_exchange(user, ex.exchange, **changes))


@router.post("/exchanges/{exchange_id}/responses", response={201: ResponseOut})
def respond(request: HttpRequest, exchange_id: int, payload: ResponseIn) -> Status[dict[str, Any]]:
    user: Any = request.auth  # type: ignore[attr-defined]
    ex = access.access_exchange(user, exchange_id)
    return Status(201, _response_out(actions.respond(user, ex.exchange, payload.body)))


@router.post("/exchanges/{exchange_id}/accept", response=ResponseOut)
def accept(request: HttpRequest, exchange_id: int, payload: AcceptIn) -> dict[str, Any]:
    user: Any = request.auth  # type: ignore[attr-defined]
    ex = access.access_exchange(user, exchange_id, for_write=True)
    return _response_out(actions.accept_response(user, ex.exchange, payload.response_id))


@router.post("/exchanges/{exchange_id}/complete", response=ExchangeOut)
def complete(request: HttpRequest, exchange_id: int) -> dict[str, Any]:
    user: Any = request.auth  # type: ignore[attr-defined]
    ex = access.access_exchange(user, exchange_id)
    return _exchange_out(actions.complete_exchange(user, ex.exchange))


@router.post("/exchanges/{exchange_id}/renew", response=ExchangeOut)
def renew(request: HttpRequest, exchange_id: int) -> dict[str, Any]:
    """The author keeps an open or expired exchange with an end date open 30 more days."""
    user: Any = request.auth  # type: ignore[attr-defined]
    ex = access.access_exchange(user, exchange_id, for_write=True)
    return _exchange_out(actions.renew_exchange(user, ex.exchange))


@router.post("/exchanges/{exchange_id}/thanks", response={201: ThanksOut})
def thanks(request: HttpRequest, exchange_id: int, payload: ThanksIn) -> Status[dict[str, Any]]:
    user: Any = request.auth  # type: ignore[attr-defined]
    ex = access.access_exchange(user, exchange_id)
    created = actions.thank(
        user, ex.exchange, payload.body, to_user_id=payload.to_user_id, public=payload.public
    )
    return Status(201, _thanks_out(created))


class RecognitionOut(Schema):
    user_id: int
    given: int
    received: int
    thanks: int


@router.get("/residences/{residence_id}/exchanges/recognition", response=list[RecognitionOut])
def recognition(request: HttpRequest, residence_id: int) -> list[dict[str, int]]:
    """Services given and received and thanks received, per member (no ranking)."""
    access.access_exchanges(request.auth, residence_id)  # type: ignore[attr-defined]
    rows = selectors.recognition(residence_id)
    return [{"user_id": uid, **counts} for uid, counts in sorted(rows.items())]

"""Writes of service exchanges: check, save with explicit fields, publish on commit, notify.

Invalid transitions raise ValidationError with a code (→ 400 in the API, a form or flash error
in pages); acting on something one may not touch raises PermissionDenied (→ 403).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.exchanges.events import exchange_data
from apps.exchanges.models import (
    TEXT_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Category,
    Exchange,
    Kind,
    Response,
    Status,
    Thanks,
)
from apps.exchanges.validators import refuse_money
from apps.messaging import access as messaging_access
from apps.messaging import actions as messaging
from apps.notifications import actions as notifications
from apps.realtime import groups
from apps.realtime.events import publish_on_commit
from apps.residences import access as residence_access
from apps.residences.models import Residence

EDITABLE = ("kind", "category", "title", "description", "availability", "ends_on")


def _publish(exchange: Exchange, event_type: str) -> None:
    publish_on_commit(
        [groups.residence(exchange.residence_id)], event_type, exchange_data(exchange)
    )


def _check_member(actor: Any, residence_id: int) -> None:
    if actor.pk not in residence_access.active_member_ids(residence_id, [actor.pk]):
        raise ValidationError(_("You are no longer a member of this residence."), code="not_member")


def _clean(
    *,
    kind: str,
    category: str,
    title: str,
    description: str,
    availability: str,
    ends_on: datetime.date | None,
    previous_ends_on: datetime.date | None = None,
) -> dict[str, Any]:
    title = (title or "").strip()
    description = (description or "").strip()
    availability = (availability or "").strip()
    if kind not in Kind.values:
        raise ValidationError(_("Choose whether you offer or look for a service."), code="kind")
    if category not in Category.values:
        raise ValidationError(_("Choose a category."), code="category")
    if not title:
        raise ValidationError(_("Give a short title."), code="title")
    if len(title) > TITLE_MAX_LENGTH or len(description) > TEXT_MAX_LENGTH:
        raise ValidationError(_("This text is too long."), code="too_long")
    if ends_on is not None and ends_on != previous_ends_on and ends_on < datetime.date.today():
        raise ValidationError(_("The end date is already past."), code="ends_on")
    refuse_money(title, description, availability)
    return {
        "kind": kind,
        "category": category,
        "title": title,
        "description": description,
        "availability": availability[:200],
        "ends_on": ends_on,
    }


@transaction.atomic
def post_exchange(
    actor: Any,
    residence: Residence,
    *,
    kind: str,
    category: str,
    title: str,
    description: str = "",
    availability: str = "",
    ends_on: datetime.date | None = None,
) -> Exchange:
    _check_member(actor, residence.pk)
    fields = _clean(
        kind=kind,
        category=category,
        title=title,
        description=description,
        availability=availability,
        ends_on=ends_on,
    )
    exchange = Exchange.objects.create(residence=residence, author=actor, **fields)
    _publish(exchange, "exchange.created")
    return exchange


def _locked(exchange: Exchange) -> Exchange:
    locked = Exchange.objects.select_for_update().get(pk=exchange.pk)
    locked.author = exchange.author
    return locked


def _not_open(exchange: Exchange) -> ValidationError:
    return ValidationError(
        _("This exchange is no longer open (it is %(status)s).")
        % {"status": exchange.get_status_display().lower()},
        code="not_open",
    )


@transaction.atomic
def edit_exchange(actor: Any, exchange: Exchange, **changes: Any) -> Exchange:
    """The author changes an open exchange; unknown keys are refused."""
    if exchange.author_id != actor.pk:
        raise PermissionDenied
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValidationError(_("These fields cannot be changed."), code="not_editable")
    exchange = _locked(exchange)
    _check_member(actor, exchange.residence_id)
    if exchange.status != Status.OPEN:
        raise _not_open(exchange)
    current = {name: getattr(exchange, name) for name in EDITABLE}
    fields = _clean(**{**current, **changes}, previous_ends_on=exchange.ends_on)
    changed = [name for name in EDITABLE if fields[name] != current[name]]
    if not changed:
        return exchange
    for name in changed:
        setattr(exchange, name, fields[name])
    exchange.save(update_fields=[*changed, "updated_at"])
    _publish(exchange, "exchange.updated")
    return exchange


@transaction.atomic
def respond(actor: Any, exchange: Exchange, message: str) -> Response:
    """A neighbour answers: a direct conversation with the author opens (or is reused) with the
    response as a message, and the author is notified."""
    message = (message or "").strip()
    exchange = _locked(exchange)
    _check_member(actor, exchange.residence_id)
    if exchange.author_id == actor.pk:
        raise ValidationError(_("You cannot respond to your own exchange."), code="own")
    if exchange.status not in (Status.OPEN, Status.IN_PROGRESS) or (
        exchange.kind == Kind.REQUEST and exchange.status != Status.OPEN
    ):
        raise _not_open(exchange)
    if not message:
        raise ValidationError(_("Write a few words to the author."), code="empty")
    if len(message) > TEXT_MAX_LENGTH:
        raise ValidationError(_("This text is too long."), code="too_long")
    refuse_money(message)
    if Response.objects.filter(exchange=exchange, responder_id=actor.pk).exists():
        raise ValidationError(_("You have already responded to this exchange."), code="twice")
    conversation, _created = messaging.start_direct(actor, exchange.residence, exchange.author_id)
    here = messaging_access.access_conversation(actor, conversation.pk, for_write=True)
    messaging.send_message(actor, here, f"« {exchange.title} »\n{message}")
    response = Response.objects.create(
        exchange=exchange, responder=actor, message=message, conversation=conversation
    )
    notifications.notify(
        [exchange.author_id],
        kind="exchanges",
        title=_("%(name)s responded to “%(title)s”")
        % {"name": actor.display_name, "title": exchange.title},
        body=message,
        url=reverse("exchanges:detail", args=[exchange.pk]),
    )
    return response


@transaction.atomic
def accept_response(actor: Any, exchange: Exchange, response_id: int) -> Response:
    """The author accepts a response: one for a request, several for an offer."""
    if exchange.author_id != actor.pk:
        raise PermissionDenied
    exchange = _locked(exchange)
    _check_member(actor, exchange.residence_id)
    response = (
        Response.objects.select_related("responder")
        .filter(pk=response_id, exchange=exchange)
        .first()
    )
    if response is None:
        raise ValidationError(_("This response does not belong to this exchange."), code="unknown")
    if response.accepted:
        raise ValidationError(_("This response is already accepted."), code="twice")
    if exchange.status == Status.IN_PROGRESS and exchange.kind == Kind.REQUEST:
        raise ValidationError(
            _("You already accepted someone for this request."), code="already_taken"
        )
    if exchange.status not in (Status.OPEN, Status.IN_PROGRESS):
        raise _not_open(exchange)
    response.accepted = True
    response.save(update_fields=["accepted"])
    if exchange.status != Status.IN_PROGRESS:
        exchange.status = Status.IN_PROGRESS
        exchange.save(update_fields=["status", "updated_at"])
        _publish(exchange, "exchange.updated")
    notifications.notify(
        [response.responder_id],
        kind="exchanges",
        title=_("%(name)s accepted your response") % {"name": actor.display_name},
        body=exchange.title,
        url=reverse("exchanges:detail", args=[exchange.pk]),
    )
    return response


def _accepted_ids(exchange: Exchange) -> set[int]:
    return set(
        Response.objects.filter(exchange=exchange, accepted=True).values_list(
            "responder_id", flat=True
        )
    )


@transaction.atomic
def complete_exchange(actor: Any, exchange: Exchange) -> Exchange:
    """The author or an accepted responder marks the exchange done."""
    exchange = _locked(exchange)
    if actor.pk != exchange.author_id and actor.pk not in _accepted_ids(exchange):
        raise PermissionDenied
    _check_member(actor, exchange.residence_id)
    if exchange.status == Status.DONE:
        raise ValidationError(_("This exchange is already done."), code="already_done")
    if exchange.status != Status.IN_PROGRESS:
        raise ValidationError(
            _("Accept a response before marking the exchange done."), code="not_in_progress"
        )
    exchange.status = Status.DONE
    exchange.save(update_fields=["status", "updated_at"])
    _publish(exchange, "exchange.updated")
    return exchange


def _set_status(actor: Any, exchange: Exchange, allowed: tuple[str, ...], new: str) -> Exchange:
    if exchange.author_id != actor.pk:
        raise PermissionDenied
    exchange = _locked(exchange)
    _check_member(actor, exchange.residence_id)
    if exchange.status not in allowed:
        raise ValidationError(
            _("This cannot be done while the exchange is %(status)s.")
            % {"status": exchange.get_status_display().lower()},
            code="invalid_transition",
        )
    exchange.status = new
    fields = ["status", "updated_at"]
    if new == Status.OPEN and exchange.ends_on and exchange.ends_on < datetime.date.today():
        exchange.ends_on = None  # reopened after expiry: no longer bound to the past date
        fields.append("ends_on")
    exchange.save(update_fields=fields)
    _publish(exchange, "exchange.updated")
    return exchange


@transaction.atomic
def cancel_exchange(actor: Any, exchange: Exchange) -> Exchange:
    return _set_status(actor, exchange, (Status.OPEN, Status.IN_PROGRESS), Status.CANCELLED)


@transaction.atomic
def reopen_exchange(actor: Any, exchange: Exchange) -> Exchange:
    return _set_status(actor, exchange, (Status.CANCELLED, Status.EXPIRED), Status.OPEN)


@transaction.atomic
def thank(
    actor: Any,
    exchange: Exchange,
    text: str,
    *,
    to_user_id: int | None = None,
    public: bool = True,
) -> Thanks:
    """After a done exchange, the author thanks an accepted responder or the other way round."""
    exchange = _locked(exchange)
    accepted = _accepted_ids(exchange)
    if actor.pk != exchange.author_id and actor.pk not in accepted:
        raise PermissionDenied
    _check_member(actor, exchange.residence_id)
    if exchange.status != Status.DONE:
        raise ValidationError(
            _("You can say thank you once the exchange is done."), code="not_done"
        )
    if actor.pk == exchange.author_id:
        if to_user_id is None and len(accepted) == 1:
            to_user_id = next(iter(accepted))
        if to_user_id not in accepted:
            raise ValidationError(_("Choose whom to thank."), code="recipient")
    else:
        to_user_id = exchange.author_id
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Write a few words of thanks."), code="empty")
    if len(text) > 500:
        raise ValidationError(_("This text is too long."), code="too_long")
    refuse_money(text)
    if Thanks.objects.filter(exchange=exchange, from_user=actor, to_user_id=to_user_id).exists():
        raise ValidationError(_("You have already said thank you."), code="twice")
    thanks = Thanks.objects.create(
        exchange=exchange, from_user=actor, to_user_id=to_user_id, text=text, public=public
    )
    notifications.notify(
        [to_user_id],
        kind="exchanges",
        title=_("%(name)s thanks you") % {"name": actor.display_name},
        body=text,
        url=reverse("exchanges:detail", args=[exchange.pk]),
    )
    return thanks


@transaction.atomic
def expire_due(today: datetime.date | None = None) -> int:
    """Open exchanges whose end date is past become "expired" (their authors may reopen
    them). Run daily (``manage.py expire_exchanges``); returns how many expired."""
    today = today or datetime.date.today()
    due = list(Exchange.objects.select_for_update().filter(status=Status.OPEN, ends_on__lt=today))
    for exchange in due:
        exchange.status = Status.EXPIRED
    Exchange.objects.bulk_update(due, ["status"])
    for exchange in due:
        _publish(exchange, "exchange.updated")
    return len(due)

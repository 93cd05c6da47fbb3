"""Writes of service exchanges: check, save with explicit fields, publish on commit, notify.

Invalid transitions raise ValidationError with a code (→ 400 in the API, a form or flash error
in pages); acting on something one may not touch raises PermissionDenied (→ 403).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

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
from apps.moderation import actions as moderation
from apps.moderation import registry as moderation_registry
from apps.notifications import actions as notifications
from apps.realtime import groups
from apps.realtime.events import publish_on_commit
from apps.residences import access as residence_access
from apps.residences.models import Residence

EDITABLE = ("kind", "category", "title", "description", "availability", "ends_on")

# The author is reminded when an open exchange ends within this many days (today included).
EXPIRY_REMINDER_DAYS = 3
# A renewal keeps the exchange open this many days more (the "Renew for 30 days" button).
RENEW_DAYS = 30


EXCHANGE = "exchange"  # the moderation type of exchanges (apps.exchanges.moderation)


def _source(exchange: Exchange) -> str:
    """What notifications about an exchange are about (withdrawn if it is hidden)."""
    return f"{EXCHANGE}:{exchange.pk}"


def _publish(exchange: Exchange, event_type: str) -> None:
    """To the residence's members; a held or hidden exchange's events go to its author only."""
    audience = (
        [groups.members(exchange.residence_id)]
        if exchange.is_visible
        else [groups.user(exchange.author_id)]
    )
    publish_on_commit(audience, event_type, exchange_data(exchange))


def _moderated_text(fields: dict[str, Any]) -> str:
    return "\n".join(str(fields[name] or "") for name in ("title", "description", "availability"))


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
    if ends_on is not None and ends_on != previous_ends_on and ends_on < timezone.localdate():
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
    # A muted member is refused (ValidationError "muted"); a keyword or a new member's first
    # posts hold it: only its author sees it until a moderator approves it.
    held = moderation.screen(actor, residence.pk, _moderated_text(fields))
    exchange = Exchange.objects.create(
        residence=residence,
        author=actor,
        moderation=moderation_registry.HELD if held else moderation_registry.VISIBLE,
        **fields,
    )
    if held:
        moderation.record_held(EXCHANGE, exchange.pk, residence.pk, actor.pk, held)
        exchange.held_origin = held  # type: ignore[attr-defined]
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
    held = moderation.screen(actor, exchange.residence_id, _moderated_text(fields))
    for name in changed:
        setattr(exchange, name, fields[name])
    if held and exchange.is_visible:
        # A new forbidden word: held until a moderator reads it; it leaves the others' lists.
        exchange.moderation = moderation_registry.HELD
        exchange.save(update_fields=[*changed, "moderation", "updated_at"])
        moderation.record_held(EXCHANGE, exchange.pk, exchange.residence_id, actor.pk, held)
        exchange.held_origin = held  # type: ignore[attr-defined]
        _withdrawn(exchange)
        return exchange
    exchange.save(update_fields=[*changed, "updated_at"])
    _publish(exchange, "exchange.updated")
    return exchange


def _withdrawn(exchange: Exchange) -> None:
    """An exchange no longer visible: open lists and pages refresh without it (the event carries
    no content); its notifications are withdrawn."""
    publish_on_commit(
        [groups.members(exchange.residence_id)],
        "exchange.updated",
        {
            "id": exchange.pk,
            "residence_id": exchange.residence_id,
            "moderation": exchange.moderation,
        },
    )
    notifications.withdraw([_source(exchange)])


@transaction.atomic
def set_moderation(exchange_id: int, state: str) -> None:
    """Moderation hides, holds or shows an exchange (``registry.Moderatable.set_state``).

    Hidden or held: it leaves lists, searches, matches and panels, its page is its author's
    only, its notifications are withdrawn. Approved (held → visible): published as when it is
    posted (``exchange.created``). Restored (hidden → visible): ``exchange.updated``."""
    if state not in moderation_registry.STATES:
        raise ValueError(f"unknown moderation state {state!r}")
    exchange = Exchange.objects.select_for_update().filter(pk=exchange_id).first()
    if exchange is None or exchange.moderation == state:
        return
    before = exchange.moderation
    exchange.moderation = state
    exchange.save(update_fields=["moderation", "updated_at"])
    if state != moderation_registry.VISIBLE:
        _withdrawn(exchange)
    elif before == moderation_registry.HELD:
        _publish(exchange, "exchange.created")
    else:
        _publish(exchange, "exchange.updated")


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
        source=_source(exchange),
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
        exchange.taken_at = exchange.taken_at or timezone.now()
        exchange.save(update_fields=["status", "taken_at", "updated_at"])
        _publish(exchange, "exchange.updated")
    notifications.notify(
        [response.responder_id],
        kind="exchanges",
        title=_("%(name)s accepted your response") % {"name": actor.display_name},
        body=exchange.title,
        url=reverse("exchanges:detail", args=[exchange.pk]),
        source=_source(exchange),
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
    exchange.closed_at = timezone.now()
    exchange.save(update_fields=["status", "closed_at", "updated_at"])
    _publish(exchange, "exchange.updated")
    return exchange


def _invalid_transition(exchange: Exchange) -> ValidationError:
    return ValidationError(
        _("This cannot be done while the exchange is %(status)s.")
        % {"status": exchange.get_status_display().lower()},
        code="invalid_transition",
    )


def _locked_for_author(
    actor: Any,
    exchange: Exchange,
    allowed: tuple[str, ...],
    refusal: Callable[[Exchange], ValidationError] = _invalid_transition,
) -> Exchange:
    """The exchange locked, once checked that the actor is its author, still a member, and that
    its status is one of ``allowed`` (otherwise ``refusal`` says why)."""
    if exchange.author_id != actor.pk:
        raise PermissionDenied
    exchange = _locked(exchange)
    _check_member(actor, exchange.residence_id)
    if exchange.status not in allowed:
        raise refusal(exchange)
    return exchange


def _set_status(actor: Any, exchange: Exchange, allowed: tuple[str, ...], new: str) -> Exchange:
    exchange = _locked_for_author(actor, exchange, allowed)
    exchange.status = new
    exchange.closed_at = None if new == Status.OPEN else timezone.now()
    fields = ["status", "closed_at", "updated_at"]
    if new == Status.OPEN and exchange.ends_on and exchange.ends_on < timezone.localdate():
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


def _not_renewable(exchange: Exchange) -> ValidationError:
    return ValidationError(
        _("Only an open or expired exchange can be renewed; this one is %(status)s.")
        % {"status": exchange.get_status_display().lower()},
        code="not_renewable",
    )


@transaction.atomic
def renew_exchange(actor: Any, exchange: Exchange, *, days: int = RENEW_DAYS) -> Exchange:
    """The author keeps an open or expired exchange with an end date open ``days`` more days,
    counted from its end date, or from today if that is past. An expired exchange opens again;
    the author will be reminded again before the new end date."""
    if days < 1:
        raise ValueError("an exchange is renewed for one day or more")
    exchange = _locked_for_author(
        actor, exchange, (Status.OPEN, Status.EXPIRED), refusal=_not_renewable
    )
    if exchange.ends_on is None:
        raise ValidationError(
            _("This exchange has no end date: there is nothing to renew."), code="no_end_date"
        )
    today = timezone.localdate()
    exchange.ends_on = max(today, exchange.ends_on) + datetime.timedelta(days=days)
    exchange.status = Status.OPEN
    exchange.expiry_reminded_for = None
    exchange.closed_at = None
    exchange.save(
        update_fields=["status", "ends_on", "expiry_reminded_for", "closed_at", "updated_at"]
    )
    _publish(exchange, "exchange.updated")
    return exchange


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
    moderation.screen(actor, exchange.residence_id, text)  # a muted member cannot; never held
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
        source=_source(exchange),
    )
    return thanks


@transaction.atomic
def expire_due(today: datetime.date | None = None) -> int:
    """Open exchanges whose end date is past become "expired" (their authors may reopen
    them). Run daily (``manage.py expire_exchanges``); returns how many expired."""
    today = today or timezone.localdate()
    due = list(Exchange.objects.select_for_update().filter(status=Status.OPEN, ends_on__lt=today))
    now = timezone.now()
    for exchange in due:
        exchange.status = Status.EXPIRED
        exchange.closed_at = now
    Exchange.objects.bulk_update(due, ["status", "closed_at"])
    for exchange in due:
        _publish(exchange, "exchange.updated")
    return len(due)


def _reminder_title(exchange: Exchange, ends_on: datetime.date) -> str:
    values = {"title": exchange.title, "date": date_format(ends_on, "DATE_FORMAT")}
    if exchange.kind == Kind.OFFER:
        return _("Your offer “%(title)s” ends on %(date)s") % values
    return _("Your request “%(title)s” ends on %(date)s") % values


@transaction.atomic
def remind_expiring(today: datetime.date | None = None) -> int:
    """Tell the authors of open exchanges ending within ``EXPIRY_REMINDER_DAYS`` days (today
    included) that they may renew them: once per end date (a renewal or a new end date means a
    new reminder). Run daily (``manage.py expire_exchanges``); returns how many were reminded.

    A constant number of queries, whatever the number of reminders."""
    today = today or timezone.localdate()
    due = list(
        Exchange.objects.select_for_update()
        .filter(
            status=Status.OPEN,
            ends_on__gte=today,
            ends_on__lte=today + datetime.timedelta(days=EXPIRY_REMINDER_DAYS),
        )
        .exclude(expiry_reminded_for=F("ends_on"))
        .order_by("pk")
    )
    body = ngettext(
        "Still relevant? Renew it from its page: it will stay open %(days)d more day.",
        "Still relevant? Renew it from its page: it will stay open %(days)d more days.",
        RENEW_DAYS,
    ) % {"days": RENEW_DAYS}
    notes = []
    for exchange in due:
        assert exchange.ends_on is not None  # filtered on above
        notes.append(
            notifications.Note(
                exchange.author_id,
                _reminder_title(exchange, exchange.ends_on),
                body,
                reverse("exchanges:detail", args=[exchange.pk]),
                _source(exchange),
            )
        )
        exchange.expiry_reminded_for = exchange.ends_on
    notifications.notify_each(notes, kind="exchanges")
    Exchange.objects.bulk_update(due, ["expiry_reminded_for"])
    return len(due)

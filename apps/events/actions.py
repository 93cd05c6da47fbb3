"""Writes of events: check, save with explicit fields, publish on commit, notify.
Refusals: ValidationError with a code (→ 400), PermissionDenied with the reason (→ 403)."""

from __future__ import annotations

import datetime
import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from apps.community import access as community_access
from apps.community import actions as community
from apps.community.models import Audience, Kind, Post
from apps.events.formats import when_text
from apps.events.models import PLACE_MAX_LENGTH, Attendance, CalendarToken, Event
from apps.moderation import actions as moderation
from apps.moderation import registry
from apps.notifications import actions as notifications
from apps.residences import access as residence_access
from apps.residences.access import MODERATOR_ROLES
from apps.residences.models import Residence

MAX_CAPACITY = 10_000
# Reminders: events starting between 24 and 48 hours after the daily job runs.
REMIND_FROM = datetime.timedelta(hours=24)
REMIND_UNTIL = datetime.timedelta(hours=48)

GOING = Attendance.Status.GOING
WAITING = Attendance.Status.WAITING


def _url(post: Post) -> str:
    return reverse("community:post", args=[post.pk])


def _clean_place(place: str) -> str:
    place = " ".join((place or "").split())
    if not place:
        raise ValidationError(_("Say where it takes place."), code="place")
    if len(place) > PLACE_MAX_LENGTH:
        raise ValidationError(
            _("The place is too long (%(max)d characters at most).") % {"max": PLACE_MAX_LENGTH},
            code="too_long",
        )
    return place


def _clean_times(
    starts_at: Any, ends_at: Any, now: datetime.datetime
) -> tuple[datetime.datetime, datetime.datetime | None]:
    if not isinstance(starts_at, datetime.datetime):
        raise ValidationError(_("Say when it starts."), code="starts_at")
    if ends_at is not None and not isinstance(ends_at, datetime.datetime):
        raise ValidationError(_("Give a valid end time."), code="ends_at")
    if timezone.is_naive(starts_at):
        starts_at = timezone.make_aware(starts_at)
    if ends_at is not None and timezone.is_naive(ends_at):
        ends_at = timezone.make_aware(ends_at)
    if starts_at <= now:
        raise ValidationError(_("An event starts in the future."), code="starts_at")
    if ends_at is not None and ends_at <= starts_at:
        raise ValidationError(_("An event ends after it starts."), code="ends_at")
    return starts_at, ends_at


def _clean_capacity(capacity: Any) -> int | None:
    if capacity is None or capacity == "":
        return None
    if isinstance(capacity, bool) or not isinstance(capacity, int):
        raise ValidationError(_("Give the number of places as a whole number."), code="capacity")
    if not 1 <= capacity <= MAX_CAPACITY:
        raise ValidationError(
            _("The number of places is between 1 and %(max)d (empty: no limit).")
            % {"max": MAX_CAPACITY},
            code="capacity",
        )
    return capacity


@transaction.atomic
def publish_event(
    actor: Any,
    residence: Residence,
    *,
    title: str,
    body: str = "",
    starts_at: datetime.datetime,
    ends_at: datetime.datetime | None = None,
    place: str,
    capacity: int | None = None,
) -> Post:
    """An event of the residence (co-animators, staff, accredited partners), announced in the
    feed and to the members' news; held for review like any post when moderation says so."""
    here = residence_access.access_residence(actor, residence.pk)
    community_access.check_may_post(here, Kind.EVENT)
    title, body = community.clean_text(title, body)
    starts_at, ends_at = _clean_times(starts_at, ends_at, timezone.now())
    place = _clean_place(place)
    capacity = _clean_capacity(capacity)
    held = moderation.screen(actor, residence.pk, f"{title}\n{body}\n{place}")
    organisation, signed_as = community.signature(actor, here)
    post = Post.objects.create(
        residence=residence,
        kind=Kind.EVENT,
        author=actor,
        organisation=organisation,
        signed_as=signed_as,
        audience=Audience.RESIDENCE,
        title=title,
        body=body,
        moderation=registry.HELD if held else registry.VISIBLE,
    )
    Event.objects.create(
        post=post, starts_at=starts_at, ends_at=ends_at, place=place, capacity=capacity
    )
    if held:
        moderation.record_held("post", post.pk, residence.pk, actor.pk, held)
        community.publish(post, "post.created")
        return post
    community.announce(post)
    return post


def _open_for_rsvp(event: Event, post: Post, now: datetime.datetime) -> None:
    if event.cancelled_at is not None:
        raise ValidationError(_("This event was cancelled."), code="cancelled")
    if event.starts_at <= now:
        raise ValidationError(_("This event has already started."), code="started")
    if post.moderation:
        raise ValidationError(_("This event is not published."), code="not_published")


@transaction.atomic
def rsvp(actor: Any, post: Post, going: bool) -> str:
    """Says whether ``actor`` comes; returns their status ("going", "waiting", or "" when they
    do not come). When the event is full they go on the waiting list; when someone who was
    coming withdraws, the first on the waiting list takes the place and is notified at once.
    Under a row lock on the event: two last-place answers at once never exceed the capacity."""
    if not residence_access.is_member(actor, post.residence_id):
        raise PermissionDenied(_("Only members of the residence sign up for its events."))
    event = Event.objects.select_for_update().filter(post_id=post.pk).first()
    if event is None:
        raise ValidationError(_("This post is not an event."), code="kind")
    _open_for_rsvp(event, post, timezone.now())
    mine = Attendance.objects.filter(event=event, user_id=actor.pk).first()
    if going:
        if mine is not None:
            return str(mine.status)
        going_count = Attendance.objects.filter(event=event, status=GOING).count()
        status = GOING if event.capacity is None or going_count < event.capacity else WAITING
        Attendance.objects.create(event=event, user_id=actor.pk, status=status)
        community.publish(post, "post.updated")
        return str(status)
    if mine is None:
        return ""
    mine.delete()
    if mine.status == GOING:
        _promote(event, post)
    community.publish(post, "post.updated")
    return ""


def _promote(event: Event, post: Post) -> None:
    """A place was freed: the first on the waiting list comes (the event row is locked)."""
    if event.capacity is None:
        return
    going_count = Attendance.objects.filter(event=event, status=GOING).count()
    if going_count >= event.capacity:
        return
    first = Attendance.objects.filter(event=event, status=WAITING).order_by("created_at", "pk")
    promoted = first.first()
    if promoted is None:
        return
    promoted.status = GOING
    promoted.save(update_fields=["status"])
    notifications.notify(
        [promoted.user_id],
        kind="news",
        title=_("A place is free: you are coming to “%(title)s”") % {"title": post.title},
        body=_("%(when)s · %(place)s") % {"when": when_text(event.starts_at), "place": event.place},
        url=_url(post),
        direct=True,
        source=f"post:{post.pk}",
    )


@transaction.atomic
def cancel_event(actor: Any, post: Post) -> Event:
    """Its organiser or a moderator cancels an event: everyone who signed up (coming or on the
    waiting list) is notified at once. Cancelling it again changes nothing."""
    is_author = post.author_id == actor.pk
    if not is_author and residence_access.role_in(actor, post.residence_id) not in MODERATOR_ROLES:
        raise PermissionDenied(_("Only its organiser or a moderator cancels an event."))
    event = Event.objects.select_for_update().filter(post_id=post.pk).first()
    if event is None:
        raise ValidationError(_("This post is not an event."), code="kind")
    if event.cancelled_at is not None:
        return event
    event.cancelled_at = timezone.now()
    event.save(update_fields=["cancelled_at"])
    attendees = Attendance.objects.filter(event=event).values_list("user_id", flat=True)
    notifications.notify(
        [uid for uid in attendees if uid != actor.pk],
        kind="news",
        title=_("Cancelled: “%(title)s”") % {"title": post.title},
        body=_("%(when)s · %(place)s") % {"when": when_text(event.starts_at), "place": event.place},
        url=_url(post),
        direct=True,
        source=f"post:{post.pk}",
    )
    community.publish(post, "post.updated")
    return event


def send_reminders(now: datetime.datetime | None = None) -> int:
    """The daily job: a reminder to everyone coming to an event that starts 24 to 48 hours from
    now (once per event). The same number of queries whatever the number of events and people;
    returns how many reminders were sent."""
    now = now or timezone.now()
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        events = list(
            Event.objects.select_for_update(of=("self",))
            .select_related("post")
            .filter(
                starts_at__gte=now + REMIND_FROM,
                starts_at__lt=now + REMIND_UNTIL,
                reminded_at__isnull=True,
                cancelled_at__isnull=True,
                post__moderation=registry.VISIBLE,
            )
        )
        if not events:
            return 0
        by_event = {e.pk: e for e in events}
        rows = Attendance.objects.filter(event_id__in=list(by_event), status=GOING).values_list(
            "event_id", "user_id"
        )
        notes = [
            notifications.Note(
                recipient_id=user_id,
                title=_("Tomorrow: “%(title)s”") % {"title": by_event[event_id].post.title},
                body=_("%(when)s · %(place)s")
                % {
                    "when": when_text(by_event[event_id].starts_at),
                    "place": by_event[event_id].place,
                },
                url=_url(by_event[event_id].post),
                source=f"post:{event_id}",
            )
            for event_id, user_id in rows
        ]
        notifications.notify_each(notes, kind="news", direct=True)
        Event.objects.filter(pk__in=list(by_event)).update(reminded_at=now)
    return len(notes)


def renew_calendar_token(user: Any) -> str:
    """A new key for the person's calendar feed URL; the old URL stops working at once."""
    token = secrets.token_urlsafe(32)
    CalendarToken.objects.update_or_create(user_id=user.pk, defaults={"token": token})
    return token

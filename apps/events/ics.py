"""iCalendar (RFC 5545) documents of events, with the icalendar library: UTC times, one stable
UID per event, STATUS:CANCELLED for a cancelled one (calendar apps then drop it)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

import icalendar
from django.urls import reverse
from django.utils import timezone

from apps.events.models import Event

PRODID = "-//Voisinage//Events//FR"


def uid(event: Event) -> str:
    return f"event-{event.pk}@voisinage"


def _utc(moment: datetime.datetime) -> datetime.datetime:
    return moment.astimezone(datetime.UTC)


def _vevent(event: Event, base_url: str) -> icalendar.Event:
    post = event.post
    item = icalendar.Event()
    item.add("uid", uid(event))
    item.add("dtstamp", _utc(timezone.now()))
    item.add("last-modified", _utc(post.updated_at))
    item.add("summary", post.title)
    item.add("location", event.place)
    url = base_url + reverse("community:post", args=[post.pk])
    item.add("description", f"{post.body}\n\n{url}".strip())
    item.add("url", url)
    item.add("dtstart", _utc(event.starts_at))
    if event.ends_at is not None:
        item.add("dtend", _utc(event.ends_at))
    item.add("status", "CANCELLED" if event.cancelled_at else "CONFIRMED")
    return item


def calendar(events: Iterable[Event], base_url: str, name: str = "") -> bytes:
    """``base_url``: scheme and host, for the links back to each event."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if name:
        cal.add("x-wr-calname", name)
    for event in events:
        cal.add_component(_vevent(event, base_url))
    return bytes(cal.to_ical())

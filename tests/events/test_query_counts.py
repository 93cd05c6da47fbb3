"""The feed with many events and an event page with many attendees cost the same queries."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.events.models import Attendance, Event
from apps.residences.models import Membership
from tests.conftest import World, add_members, client_for
from tests.events.helpers import event

pytestmark = pytest.mark.django_db


def _count(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _attend(post: Any, count: int, offset: int = 0) -> None:
    users = Membership.objects.filter(user__email__startswith="m").order_by("pk")
    Attendance.objects.bulk_create(
        [
            Attendance(event_id=post.pk, user_id=m.user_id, status="going" if i % 3 else "waiting")
            for i, m in enumerate(users[offset : offset + count])
        ]
    )


def test_the_feed_costs_the_same_for_3_and_30_events(world: World) -> None:
    add_members(world, 10)
    client = client_for(world.alice)
    url = f"/r/{world.residence.pk}/feed/"
    for i in range(3):
        _attend(event(world, title=f"Événement {i}", capacity=5), 3)
    small = _count(client, url)
    for i in range(27):
        _attend(event(world, title=f"Autre {i}", capacity=None if i % 2 else 5), 3)
    assert Event.objects.count() == 30
    assert _count(client, url) == small


def test_the_event_page_costs_the_same_for_2_and_100_attendees(world: World) -> None:
    add_members(world, 100)
    post = event(world, capacity=50)
    _attend(post, 2)
    for persona in (world.alice, world.bob):
        client = client_for(persona)
        small = _count(client, f"/posts/{post.pk}/")
        Attendance.objects.filter(event_id=post.pk).delete()
        _attend(post, 100)
        assert _count(client, f"/posts/{post.pk}/") == small
        Attendance.objects.filter(event_id=post.pk).delete()
        _attend(post, 2)

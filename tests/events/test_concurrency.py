"""Two members take the last place at the same moment: one comes, the other waits
(PostgreSQL: a row lock on the event)."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection

from apps.community.models import Post
from apps.events import actions
from apps.events.models import Attendance
from tests.conftest import build_world
from tests.events.helpers import event, resident

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_it_never_gives_the_last_place_twice() -> None:
    world = build_world()
    post = event(world, capacity=2)
    actions.rsvp(world.bob.user, post, True)
    zoe = resident(world, "zoe@test.fr", "Zoé")
    barrier = threading.Barrier(2)
    results: dict[int, Any] = {}

    def answer(user: Any) -> None:
        try:
            row = Post.objects.get(pk=post.pk)
            barrier.wait(timeout=10)
            results[user.pk] = actions.rsvp(user, row, True)
        finally:
            connection.close()

    threads = [threading.Thread(target=answer, args=(u,)) for u in (world.alice.user, zoe)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(results.values()) == ["going", "waiting"]
    assert Attendance.objects.filter(event_id=post.pk, status="going").count() == 2

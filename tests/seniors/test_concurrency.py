"""Two volunteers take the same request at the same moment: exactly one wins (PostgreSQL)."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from apps.seniors import actions
from apps.seniors.models import HelpRequest, Status
from tests.conftest import build_world
from tests.seniors.helpers import post, volunteer

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_volunteers_at_the_same_moment_exactly_one_wins() -> None:
    world = build_world()
    zoe = volunteer(world, "zoe@test.fr", "Zoé")
    yann = volunteer(world, "yann@test.fr", "Yann")
    help_request = post(world)
    barrier = threading.Barrier(2)
    results: dict[int, Any] = {}

    def take(user: Any) -> None:
        try:
            row = HelpRequest.objects.get(pk=help_request.pk)  # both see it open
            barrier.wait(timeout=10)
            actions.take_request(user, row)
            results[user.pk] = "won"
        except ValidationError as error:
            results[user.pk] = error.code
        finally:
            connection.close()

    threads = [threading.Thread(target=take, args=(u,)) for u in (zoe, yann)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(results.values()) == ["already_taken", "won"]
    help_request.refresh_from_db()
    assert help_request.status == Status.TAKEN
    winner = next(uid for uid, r in results.items() if r == "won")
    assert help_request.volunteer_id == winner

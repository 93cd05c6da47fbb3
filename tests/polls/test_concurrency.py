"""The same member votes from two tabs at the same moment: one ballot (PostgreSQL)."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from apps.community.models import Post
from apps.polls import actions
from apps.polls.models import Ballot, Vote
from tests.conftest import build_world
from tests.polls.helpers import choice_ids, poll

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_tabs_voting_at_once_make_one_ballot() -> None:
    world = build_world()
    post = poll(world)
    first, second, _ = choice_ids(post)
    alice = world.alice.user
    barrier = threading.Barrier(2)
    results: list[Any] = []

    def vote(choice: int) -> None:
        try:
            row = Post.objects.get(pk=post.pk)
            barrier.wait(timeout=10)
            actions.vote(alice, row, [choice])
            results.append("counted")
        except ValidationError as error:
            results.append(error.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=vote, args=(c,)) for c in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(results) == ["already_voted", "counted"]
    assert Ballot.objects.filter(user=alice).count() == 1
    assert Vote.objects.count() == 1

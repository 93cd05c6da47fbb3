"""Polls cost a constant number of queries on the feed and the post page."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.accounts.models import User
from apps.polls import actions
from apps.polls.models import Ballot, Vote
from tests.conftest import World, add_members, client_for
from tests.polls.helpers import choice_ids, poll

pytestmark = pytest.mark.django_db


def _count(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _polls(world: World, n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        post = poll(world, title=f"Sondage {i}", anonymous=i % 2 == 0, multiple=i % 3 == 0)
        actions.vote(world.bob.user, post, choice_ids(post)[:1])
        if i % 4 == 0:
            actions.close_poll(world.bob.user, post)


def test_the_feed_costs_the_same_with_3_and_30_polls(world: World) -> None:
    client = client_for(world.alice)
    url = f"/r/{world.residence.pk}/feed/"
    _polls(world, 3)
    small = _count(client, url)
    _polls(world, 27, start=3)
    assert _count(client, url) == small
    assert _count(client_for(world.bob), url) == small


@pytest.mark.parametrize("anonymous", [True, False])
def test_the_post_page_costs_the_same_with_2_and_200_ballots(world: World, anonymous: bool) -> None:
    post = poll(world, anonymous=anonymous, multiple=True)
    ids = choice_ids(post)
    actions.vote(world.alice.user, post, ids[:1])
    actions.vote(world.claire, post, ids[:2])
    client = client_for(world.bob)
    actions.vote(world.bob.user, post, ids[1:])  # Bob sees the results
    url = f"/posts/{post.pk}/"
    small = _count(client, url)
    add_members(world, 200)
    users = list(User.objects.filter(email__startswith="m"))
    ballots = Ballot.objects.bulk_create([Ballot(poll=post.poll, user=u) for u in users])
    Vote.objects.bulk_create([Vote(ballot=b, choice_id=ids[i % 3]) for i, b in enumerate(ballots)])
    assert _count(client, url) == small
    page = client.get(url).text
    assert f'data-poll-total="{len(users) + 3}"' in page

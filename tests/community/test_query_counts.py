"""The feed and a post page use a constant number of queries, whatever the number of items."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.community import actions
from apps.community.models import Comment, Post
from apps.exchanges import actions as exchange_actions
from apps.seniors import actions as senior_actions
from tests.community.helpers import news, notice
from tests.conftest import World, client_for

pytestmark = pytest.mark.django_db


def _count(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _mixed(world: World, n: int) -> None:
    """``n`` items of every kind the feed shows."""
    for i in range(n):
        post = news(world, title=f"Actualité {i}")
        actions.add_comment(world.alice.user, post, "Bravo")
        actions.react(world.alice.user, post, "thanks")
        notice(world, title=f"Avis {i}", urgency="urgent" if i % 5 == 0 else "info")
        exchange_actions.post_exchange(
            world.alice.user, world.residence, kind="offer", category="diy", title=f"Offre {i}"
        )
        senior_actions.post_help_request(
            world.alice.user, world.residence, kind="call", when_text="Lundi", contact="message"
        )


def test_the_feed_costs_the_same_for_10_and_300_items(world: World) -> None:
    client = client_for(world.alice)
    url = f"/r/{world.residence.pk}/feed/"
    _mixed(world, 3)  # 12 items (3 of each kind) …
    small = _count(client, url)
    _mixed(world, 72)  # … then 300
    assert Post.objects.count() == 150
    assert _count(client, url) == small
    api = f"/api/v1/residences/{world.residence.pk}/feed"
    assert _count(client, api) <= small


def test_a_post_with_many_comments_costs_the_same(world: World) -> None:
    post = news(world)
    client = client_for(world.bob)
    url = f"/posts/{post.pk}/"
    actions.add_comment(world.alice.user, post, "Premier")
    small = _count(client, url)
    Comment.objects.bulk_create(
        [Comment(post=post, author=world.alice.user, body=f"Commentaire {i}") for i in range(150)]
    )
    assert _count(client, url) == small


def test_the_residence_page_costs_the_same_with_many_posts(world: World) -> None:
    client = client_for(world.alice)
    url = f"/r/{world.residence.pk}/"
    news(world)
    small = _count(client, url)
    for i in range(30):
        notice(
            world,
            title=f"Avis {i}",
            urgency="urgent",
            valid_until=timezone.now() + datetime.timedelta(days=1),
        )
    assert _count(client, url) == small

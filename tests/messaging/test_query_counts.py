"""Sending does not cost more with more participants; the list not more with more
conversations."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.messaging import actions
from apps.messaging.models import Conversation, Message, Participant
from apps.residences.models import Membership, Status
from tests.conftest import World, add_members, client_for

pytestmark = pytest.mark.django_db


def _group_of(world: World, size: int) -> Conversation:
    add_members(world, size, tag=f"g{size}-")
    ids = list(
        Membership.objects.filter(
            user__email__startswith=f"g{size}-", status=Status.ACTIVE
        ).values_list("user_id", flat=True)
    )
    return actions.start_group(world.alice.user, world.residence, ids, title=f"{size}")


def _count_send(world: World, conversation: Conversation) -> int:
    client = client_for(world.alice)
    url = f"/api/v1/conversations/{conversation.pk}/messages"
    client.post(url, {"body": "chauffe"}, content_type="application/json")  # session warm
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, {"body": "Bonjour"}, content_type="application/json")
    assert response.status_code == 201
    return len(queries)


def test_sending_costs_the_same_for_3_and_40_participants(world: World) -> None:
    small = _count_send(world, _group_of(world, 2))
    large = _count_send(world, _group_of(world, 39))
    assert small == large == SEND_QUERIES


# 16 before moderation; + 2: moderation.screen (an active sanction? the residence's filter).
SEND_QUERIES = 18


def _add_conversations(world: World, count: int) -> None:
    for i in range(count):
        add_members(world, 1, tag=f"c{count}-{i}-")
    for membership in Membership.objects.filter(user__email__startswith=f"c{count}-"):
        conversation, _ = actions.start_direct(
            world.alice.user, world.residence, membership.user_id
        )
        Message.objects.create(conversation=conversation, author=membership.user, body="Salut")


@pytest.mark.parametrize("url", ["/api/v1/conversations", "/messages/"])
def test_the_list_costs_the_same_for_3_and_30_conversations(
    world: World, url: str, django_assert_num_queries: Any
) -> None:
    client = client_for(world.alice)
    _add_conversations(world, 2)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _add_conversations(world, 27)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert response.status_code == 200
    assert len(small) == len(large) == LIST_QUERIES[url]
    assert Participant.objects.filter(user=world.alice.user).count() == 30


LIST_QUERIES = {"/api/v1/conversations": 4, "/messages/": 8}

"""Polls over JSON: created through community's posts endpoint, read, voted."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.community import kinds
from apps.polls.models import Ballot, Poll
from tests.conftest import World, client_for
from tests.polls.helpers import ANSWERS, QUESTION, choice_ids, poll

pytestmark = pytest.mark.django_db


def _create(persona: Any, world: World, **extra: Any) -> Any:
    body: dict[str, Any] = {
        "kind": "poll",
        "title": QUESTION,
        "body": "",
        "choices": ANSWERS,
        "multiple": False,
        "closes_at": (timezone.now() + datetime.timedelta(days=5)).isoformat(),
        "anonymous": True,
    }
    body.update(extra)
    return client_for(persona).post(
        f"/api/v1/residences/{world.residence.pk}/posts", body, content_type="application/json"
    )


def test_it_creates_a_poll(world: World) -> None:
    response = _create(world.bob, world, multiple=True, anonymous=False)
    assert response.status_code == 201, response.json()
    assert response.json()["kind"] == "poll"
    created = Poll.objects.get(pk=response.json()["id"])
    assert created.multiple and not created.anonymous
    assert [c.label for c in created.choices.all()] == ANSWERS


def test_it_refuses_residents_and_partners_with_the_reason(world: World) -> None:
    response = _create(world.alice, world)
    assert response.status_code == 403 and "co-animateurs" in response.json()["detail"]
    assert _create(world.dave, world).status_code == 403
    assert not Poll.objects.exists()


def test_the_kind_publishes_from_the_json_fields(world: World) -> None:
    """What community's endpoint hands to the registered kind (the JSON body but kind)."""
    fields: dict[str, Any] = {
        "title": QUESTION,
        "body": "",
        "audience": "residence",
        "choices": ANSWERS,
        "multiple": True,
        "closes_at": (timezone.now() + datetime.timedelta(days=5)).isoformat(),
        "anonymous": False,
    }
    post = kinds.get("poll").publish(world.bob.user, world.residence, fields)  # type: ignore[union-attr]
    assert post.poll.multiple and not post.poll.anonymous
    for bad, code in (
        ({"choices": ["Oui"]}, "choices"),
        ({"closes_at": "demain"}, "invalid"),
        ({"choices": None}, "invalid"),
        ({"multiple": "sometimes"}, "invalid"),
        ({"audience": "city"}, "audience"),
    ):
        with pytest.raises(ValidationError) as refused:
            kinds.get("poll").publish(world.bob.user, world.residence, fields | bad)  # type: ignore[union-attr]
        assert refused.value.code == code, bad
    assert Poll.objects.count() == 1


def test_it_refuses_bad_input_with_a_code(world: World) -> None:
    response = _create(world.bob, world, choices=["Oui"])
    assert response.status_code == 400 and response.json()["code"] == "choices"
    response = _create(world.bob, world, closes_at="demain")
    assert response.status_code == 400 and response.json()["code"] == "invalid"
    response = _create(world.bob, world, multiple="sometimes")
    assert response.status_code == 400
    response = _create(world.bob, world, audience="city")
    assert response.status_code == 400 and response.json()["code"] == "audience"
    assert not Poll.objects.exists()


def test_it_votes_once_and_returns_the_results(world: World) -> None:
    post = poll(world)
    first, second, _ = choice_ids(post)
    alice = client_for(world.alice)
    before = alice.get(f"/api/v1/posts/{post.pk}/poll").json()
    assert before["voted"] is False and before["total"] is None
    assert all(c["count"] is None for c in before["choices"])
    url = f"/api/v1/posts/{post.pk}/votes"
    response = alice.post(url, {"choice_ids": [second]}, content_type="application/json")
    assert response.status_code == 201
    data = response.json()
    assert data["voted"] is True and data["total"] == 1
    assert [(c["id"], c["count"], c["mine"]) for c in data["choices"][:2]] == [
        (first, 0, False),
        (second, 1, True),
    ]
    again = alice.post(url, {"choice_ids": [first]}, content_type="application/json")
    assert again.status_code == 400 and again.json()["code"] == "already_voted"
    both = client_for(world.claire).post(
        url, {"choice_ids": [first, second]}, content_type="application/json"
    )
    assert both.status_code == 400 and both.json()["code"] == "one_choice"
    assert Ballot.objects.count() == 1


def test_partners_and_outsiders_do_not_vote(world: World) -> None:
    post = poll(world)
    url = f"/api/v1/posts/{post.pk}/votes"
    body = {"choice_ids": choice_ids(post)[:1]}
    # Neither sees the poll (a partner sees only events and its own posts): 404, as in the
    # access matrix.
    for persona in (world.dave, world.eve):
        response = client_for(persona).post(url, body, content_type="application/json")
        assert response.status_code == 404
        assert response.json() == {"detail": "Introuvable."}
    assert not Ballot.objects.exists()

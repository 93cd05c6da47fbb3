"""List pages use a constant number of queries, whatever the number of members."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.accounts.models import User
from apps.residences.models import Membership, Role, Status
from tests.conftest import World, client_for

pytestmark = pytest.mark.django_db


def add_members(world: World, count: int) -> None:
    users = User.objects.bulk_create(
        [
            User(email=f"m{i}@test.fr", first_name=f"M{i:03d}", last_name="Test")
            for i in range(count)
        ]
    )
    entrances = [world.residence.entrances.create(name=f"Entrée {c}") for c in "AB"]
    Membership.objects.bulk_create(
        [
            Membership(
                user=u,
                residence=world.residence,
                role=Role.RESIDENT,
                status=Status.ACTIVE,
                entrance=entrances[i % 2],
            )
            for i, u in enumerate(users)
        ]
    )


def _count(client: object, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)  # type: ignore[attr-defined]
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("page", "expected"),
    [("home", 6), ("detail", 7), ("members", 5)],
)
def test_it_uses_the_same_number_of_queries_for_5_and_200_members(
    world: World, page: str, expected: int
) -> None:
    client = client_for(world.bob)
    url = {
        "home": "/",
        "detail": f"/r/{world.residence.pk}/",
        "members": f"/r/{world.residence.pk}/members/",
    }[page]
    add_members(world, 5)
    small = _count(client, url)
    add_members_more(world, 195)
    large = _count(client, url)
    assert small == large == expected


def add_members_more(world: World, count: int) -> None:
    users = User.objects.bulk_create(
        [
            User(email=f"n{i}@test.fr", first_name=f"N{i:03d}", last_name="Test")
            for i in range(count)
        ]
    )
    Membership.objects.bulk_create(
        [
            Membership(user=u, residence=world.residence, role=Role.RESIDENT, status=Status.ACTIVE)
            for u in users
        ]
    )

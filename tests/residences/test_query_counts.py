"""List pages use a constant number of queries, whatever the number of members."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import World, add_members, client_for

pytestmark = pytest.mark.django_db


def _count(client: object, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)  # type: ignore[attr-defined]
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("page", "expected"),
    [("home", 8), ("detail", 22), ("members", 7)],
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
    add_members(world, 195, tag="n")
    large = _count(client, url)
    assert small == large == expected

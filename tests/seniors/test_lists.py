"""The help-request list pages and endpoint use a constant number of queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.seniors.models import HelpRequest
from tests.conftest import World, client_for

pytestmark = pytest.mark.django_db


def _add(world: World, count: int) -> None:
    HelpRequest.objects.bulk_create(
        [
            HelpRequest(
                residence=world.residence,
                senior=world.alice.user,
                posted_by=world.bob.user if i % 2 else world.alice.user,
                kind="shopping",
                when_text=f"Jour {i}",
                contact="message",
            )
            for i in range(count)
        ]
    )


def _count(client: object, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)  # type: ignore[attr-defined]
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("page", ["list", "waiting", "api"])
def test_it_uses_the_same_number_of_queries_for_5_and_40_requests(world: World, page: str) -> None:
    url = {
        "list": f"/r/{world.residence.pk}/help/",
        "waiting": f"/r/{world.residence.pk}/help/waiting/",
        "api": f"/api/v1/residences/{world.residence.pk}/help-requests",
    }[page]
    client = client_for(world.bob)
    _add(world, 5)
    small = _count(client, url)
    _add(world, 35)
    assert _count(client, url) == small

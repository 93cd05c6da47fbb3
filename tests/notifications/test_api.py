"""GET /api/v1/notifications and POST /api/v1/notifications/read: only ever mine."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from apps.accounts import actions as account_actions
from apps.notifications.models import Notification
from tests.conftest import World, client_for
from tests.notifications.helpers import bulk_notifications, notify

pytestmark = pytest.mark.django_db


def _post(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


def test_it_lists_mine_newest_first(world: World) -> None:
    notify([world.alice], kind="exchanges", title="Ancienne", body="extrait", url="/e/1/")
    notify([world.alice], kind="messages", title="Récente", url="/c/2/")
    notify([world.bob], title="Pour Bob")
    body = client_for(world.alice).get("/api/v1/notifications").json()
    assert body["unread"] == 2
    assert [i["title"] for i in body["items"]] == ["Récente", "Ancienne"]
    item = body["items"][1]
    assert set(item) == {"id", "kind", "title", "body", "url", "created_at", "read"}
    assert (item["kind"], item["body"], item["url"], item["read"]) == (
        "exchanges",
        "extrait",
        "/e/1/",
        False,
    )


def test_it_pages_with_limit_and_before(world: World) -> None:
    rows = bulk_notifications(world.alice.user, 7)
    client = client_for(world.alice)
    newest_first = [r.pk for r in reversed(rows)]
    first = client.get("/api/v1/notifications?limit=3").json()["items"]
    assert [i["id"] for i in first] == newest_first[:3]
    second = client.get(f"/api/v1/notifications?limit=3&before={first[-1]['id']}").json()["items"]
    assert [i["id"] for i in second] == newest_first[3:6]
    last = client.get(f"/api/v1/notifications?limit=3&before={second[-1]['id']}").json()["items"]
    assert [i["id"] for i in last] == newest_first[6:]
    assert len(client.get("/api/v1/notifications").json()["items"]) == 7


def test_the_limit_is_between_1_and_100(world: World) -> None:
    client = client_for(world.alice)
    for limit in (0, 101, "many"):
        response = client.get(f"/api/v1/notifications?limit={limit}")
        assert response.status_code == 422
        assert "limit" in response.json()["detail"]
    assert client.get("/api/v1/notifications?limit=100").status_code == 200


def test_someone_elses_id_as_before_gives_nothing(world: World) -> None:
    bobs = bulk_notifications(world.bob.user, 1)[0]
    bulk_notifications(world.alice.user, 2)
    body = client_for(world.alice).get(f"/api/v1/notifications?before={bobs.pk + 100}").json()
    assert body["items"] == []
    body = client_for(world.alice).get(f"/api/v1/notifications?before={bobs.pk}").json()
    assert body["items"] == []


def test_it_marks_some_or_all_read(world: World) -> None:
    rows = bulk_notifications(world.alice.user, 3)
    client = client_for(world.alice)
    response = _post(client, "/api/v1/notifications/read", {"ids": [rows[0].pk]})
    assert response.status_code == 200
    assert response.json() == {"marked": 1, "unread": 2}
    items = client.get("/api/v1/notifications").json()["items"]
    assert {i["id"]: i["read"] for i in items} == {
        rows[0].pk: True,
        rows[1].pk: False,
        rows[2].pk: False,
    }
    assert _post(client, "/api/v1/notifications/read", {}).json() == {"marked": 2, "unread": 0}
    assert _post(client, "/api/v1/notifications/read", {"ids": []}).json() == {
        "marked": 0,
        "unread": 0,
    }


def test_an_outsider_can_neither_read_nor_mark_mine(world: World) -> None:
    mine = bulk_notifications(world.alice.user, 2)
    eve = client_for(world.eve)
    assert eve.get("/api/v1/notifications").json() == {"unread": 0, "items": []}
    response = _post(eve, "/api/v1/notifications/read", {"ids": [n.pk for n in mine]})
    assert response.json() == {"marked": 0, "unread": 0}
    assert Notification.objects.filter(user=world.alice.user, read_at=None).count() == 2
    # And Alice sees hers only, even with Eve's notifications around.
    bulk_notifications(world.eve.user, 3)
    body = client_for(world.alice).get("/api/v1/notifications").json()
    assert sorted(i["id"] for i in body["items"]) == sorted(n.pk for n in mine)


def test_it_needs_authentication_and_accepts_a_token(world: World) -> None:
    response = Client().get("/api/v1/notifications")
    assert response.status_code == 401
    assert response.json()["detail"]
    bulk_notifications(world.alice.user, 1)
    _token, raw = account_actions.create_api_token(world.alice.user, name="tablette")
    body = Client().get("/api/v1/notifications", headers={"authorization": f"Bearer {raw}"})
    assert body.json()["unread"] == 1


def test_a_malformed_read_request_is_a_json_error(world: World) -> None:
    response = _post(client_for(world.alice), "/api/v1/notifications/read", {"ids": ["x"]})
    assert response.status_code == 422
    assert "ids" in response.json()["detail"]


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_list_costs_the_same_for_10_and_60_notifications(world: World) -> None:
    client = client_for(world.alice)
    bulk_notifications(world.alice.user, 10)
    small = _count(client, "/api/v1/notifications?limit=100")
    bulk_notifications(world.alice.user, 50)
    large = _count(client, "/api/v1/notifications?limit=100")
    assert small == large == 4  # session, user, items, unread count

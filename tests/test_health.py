from __future__ import annotations

from typing import Any

import pytest
from channels.layers import channel_layers
from django.db import connection
from django.test import AsyncClient, Client

pytestmark = pytest.mark.django_db


def test_it_reports_ok_with_each_part_checked() -> None:
    response = Client().get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "channel_layer"}
    assert all(check["status"] == "ok" for check in body["checks"].values())


def test_it_names_the_database_when_it_is_down(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise ConnectionError("database is down")

    monkeypatch.setattr(connection, "cursor", broken)
    response = Client().get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["database"]
    assert "database is down" in body["checks"]["database"]["error"]


async def test_it_names_the_channel_layer_when_it_is_down(settings: Any) -> None:
    # A real channels_redis layer pointed at a port where nothing listens.
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                "hosts": [{"address": "redis://127.0.0.1:1/0", "socket_connect_timeout": 1}]
            },
        }
    }
    channel_layers.backends.clear()
    try:
        response = await AsyncClient().get("/healthz")
    finally:
        channel_layers.backends.clear()
    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["channel_layer"]
    assert body["checks"]["database"]["status"] == "ok"


def test_refusals_and_missing_pages_speak_the_site_language(db: None) -> None:
    from django.test import Client

    from tests.conftest import build_world, client_for

    world = build_world()
    forbidden = client_for(world.alice).get(f"/r/{world.residence.pk}/moderation/")
    assert forbidden.status_code == 403
    assert "Vous ne pouvez pas faire cela" in forbidden.text
    assert "Retour à mes résidences" in forbidden.text
    missing = Client().get("/nothing-here/")
    assert missing.status_code == 404
    assert "Cette page n’existe pas" in missing.text

"""What live events about exchanges carry: JSON-safe data only."""

from __future__ import annotations

from typing import Any

from apps.exchanges.models import Exchange


def exchange_data(exchange: Exchange) -> dict[str, Any]:
    return {
        "id": exchange.pk,
        "residence_id": exchange.residence_id,
        "kind": exchange.kind,
        "category": exchange.category,
        "title": exchange.title,
        "status": exchange.status,
    }

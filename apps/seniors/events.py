"""What live events about help requests carry: JSON-safe data, never the phone."""

from __future__ import annotations

from typing import Any

from apps.seniors.models import HelpRequest


def help_request_data(help_request: HelpRequest) -> dict[str, Any]:
    return {
        "id": help_request.pk,
        "residence_id": help_request.residence_id,
        "kind": help_request.kind,
        "status": help_request.status,
        "volunteer_id": help_request.volunteer_id,
    }

"""Queue the nightly refresh of the participation indicators (run daily by the deploy timer;
with the "immediate" task backend it runs at once)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from apps.insights.tasks import refresh_indicators


class Command(BaseCommand):
    help = "Queue the refresh of the last 31 days of participation indicators."

    def handle(self, *args: Any, **options: Any) -> None:
        result = refresh_indicators.enqueue()
        self.stdout.write(f"indicators refresh queued ({result.id}, {result.status})")

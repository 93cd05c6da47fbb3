from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from apps.moderation.actions import lift_expired, remind_pending


class Command(BaseCommand):
    help = (
        "End the mutes and suspensions whose time is over, and remind moderators of decisions "
        "that have waited 48 hours for their agreement (run every few minutes)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{lift_expired()} sanction(s) ended")
        self.stdout.write(f"{remind_pending()} reminder(s) sent")

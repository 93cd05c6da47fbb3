from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from apps.exchanges.actions import EXPIRY_REMINDER_DAYS, expire_due, remind_expiring


class Command(BaseCommand):
    help = (
        "Mark open exchanges whose end date is past as expired, and remind the authors of those "
        f"ending within {EXPIRY_REMINDER_DAYS} days that they may renew them (run daily)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{expire_due()} exchange(s) expired")
        self.stdout.write(f"{remind_expiring()} expiry reminder(s) sent")

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from apps.exchanges.actions import expire_due


class Command(BaseCommand):
    help = "Mark open exchanges whose end date is past as expired (run daily)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{expire_due()} exchange(s) expired")

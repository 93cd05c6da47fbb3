"""The daily job: remind everyone coming to an event that starts tomorrow (24 to 48 hours)."""

from typing import Any

from django.core.management.base import BaseCommand

from apps.events.actions import send_reminders


class Command(BaseCommand):
    help = "Remind the people coming to events that start in 24 to 48 hours (once per event)."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_reminders()
        self.stdout.write(f"{sent} event reminders sent")

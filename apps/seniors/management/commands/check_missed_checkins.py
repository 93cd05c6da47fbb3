from typing import Any

from django.core.management.base import BaseCommand

from apps.seniors.checkins import alert_missed_checkins


class Command(BaseCommand):
    help = "Tell contact neighbours of seniors who did not check in by their deadline today."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = alert_missed_checkins()
        self.stdout.write(f"{sent} missed check-in(s) reported")

from typing import Any

from django.core.management.base import BaseCommand

from apps.seniors.heatwave import make_call_lists


class Command(BaseCommand):
    help = (
        "Make today's heatwave call list of every residence in heatwave mode (idempotent: run "
        "it early each morning, and again during the day if you like)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        added = make_call_lists()
        self.stdout.write(f"{added} heatwave call(s) added to today's lists")

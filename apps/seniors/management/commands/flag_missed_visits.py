from typing import Any

from django.core.management.base import BaseCommand

from apps.seniors.visits import flag_missed_visits


class Command(BaseCommand):
    help = "Record regular visits and calls not marked done as missed and tell the co-animators."

    def handle(self, *args: Any, **options: Any) -> None:
        missed = flag_missed_visits()
        self.stdout.write(f"{missed} missed visit(s) recorded")

"""Compute the stored daily indicators over a range of days (by default from the first
residence's creation to yesterday), a month at a time. Safe to run again: rows are replaced."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Min
from django.utils import timezone

from apps.insights import actions
from apps.residences.models import Residence


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"not a date (YYYY-MM-DD): {value!r}") from None


class Command(BaseCommand):
    help = "Compute the stored daily participation indicators for a range of days."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="first", help="first day (default: first residence)")
        parser.add_argument("--to", dest="last", help="last day (default: yesterday)")

    def handle(self, *args: Any, **options: Any) -> None:
        yesterday = timezone.localdate() - datetime.timedelta(days=1)
        last = _date(options["last"]) if options["last"] else yesterday
        if options["first"]:
            first = _date(options["first"])
        else:
            created = Residence.objects.aggregate(first=Min("created_at"))["first"]
            first = timezone.localtime(created).date() if created else yesterday
            if first > last:
                self.stdout.write("nothing to store: no residence existed before today")
                return
        if first > last:
            raise CommandError("the first day is after the last one")
        stored = actions.store_range(first, last)
        self.stdout.write(f"{stored} daily rows stored from {first} to {min(last, yesterday)}")

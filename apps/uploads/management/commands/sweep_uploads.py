from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from apps.uploads.actions import sweep_orphan_files


class Command(BaseCommand):
    help = "Remove uploaded files that no image row references (run it daily)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--older-than-hours",
            type=float,
            default=24.0,
            help="Leave younger files alone: they may belong to a transaction still running.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        removed = sweep_orphan_files(older_than=timedelta(hours=options["older_than_hours"]))
        self.stdout.write(f"{removed} orphan file(s) removed.")

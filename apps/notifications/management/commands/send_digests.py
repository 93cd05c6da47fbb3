"""Daily: queue the digest email of everyone who has unread notifications of "digest" kinds.
Run by deploy/voisinage-digests.timer (see deploy/README.md)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from apps.notifications.tasks import send_due_digests


class Command(BaseCommand):
    help = "Queue the daily notification digest of every person who has one due."

    def handle(self, *args: Any, **options: Any) -> None:
        count = send_due_digests()
        self.stdout.write(f"{count} digest(s) queued")

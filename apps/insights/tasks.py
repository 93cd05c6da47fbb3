"""The nightly refresh of the indicators (Django's tasks API): yesterday and the 30 days before
it are computed again, so that late events (a notice read a week after it was published, a
report handled days later) land in their day."""

from __future__ import annotations

import datetime

from django.tasks import task
from django.utils import timezone

from apps.insights import actions

REFRESH_DAYS = 31


@task()
def refresh_indicators(days: int = REFRESH_DAYS) -> int:
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    return actions.store_range(yesterday - datetime.timedelta(days=days - 1), yesterday)

"""How an event's date reads, in the site's time zone: "samedi 5 juin 18 h" in French."""

from __future__ import annotations

import datetime

from django.utils import timezone, translation
from django.utils.formats import date_format


def hour_text(moment: datetime.datetime) -> str:
    local = timezone.localtime(moment)
    if (translation.get_language() or "").startswith("fr"):
        return f"{local.hour} h" if not local.minute else f"{local.hour} h {local.minute:02d}"
    return date_format(local, "TIME_FORMAT")


def when_text(moment: datetime.datetime) -> str:
    local = timezone.localtime(moment)
    return f"{date_format(local, 'l j F')} {hour_text(moment)}"

"""The systemd units in deploy/ run commands that exist: a renamed management command must not
silently stop a timer's job in production."""

from __future__ import annotations

import re
from pathlib import Path

from django.core.management import get_commands

DEPLOY = Path(__file__).resolve().parent.parent / "deploy"


def _scheduled_commands() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for unit in sorted(DEPLOY.glob("*.service")):
        for line in unit.read_text().splitlines():
            match = re.match(r"ExecStart=\S+ manage\.py (\S+)", line)
            if match:
                found.setdefault(unit.name, []).append(match.group(1))
    return found


def test_every_scheduled_command_exists() -> None:
    scheduled = _scheduled_commands()
    known = get_commands()
    missing = {
        unit: name for unit, names in scheduled.items() for name in names if name not in known
    }
    assert missing == {}


def test_the_timers_run_the_jobs_that_features_rely_on() -> None:
    scheduled = _scheduled_commands()
    assert scheduled["voisinage-digests.service"] == [
        "expire_exchanges",
        "remind_events",
        "send_digests",
        "sweep_uploads",
        "refresh_indicators",
    ]
    assert scheduled["voisinage-watch.service"] == [
        "check_missed_checkins",
        "flag_missed_visits",
        "heatwave_calls",
        "moderation_watch",
    ]
    for service in ("voisinage-digests", "voisinage-watch"):
        timer = (DEPLOY / f"{service}.timer").read_text()
        assert f"Unit={service}.service" in timer

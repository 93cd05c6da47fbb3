"""Percentiles and a small table for the benchmarks (figures are printed, never asserted)."""

from __future__ import annotations

import os
import platform
import statistics
from collections.abc import Sequence
from dataclasses import dataclass


def env_count(name: str, default: int) -> int:
    """A sample size, overridable from the environment (e.g. BENCH_EVENTS=2000 make bench)."""
    return int(os.environ.get(name, default))


@dataclass(frozen=True)
class Summary:
    label: str
    count: int
    p50_ms: float
    p99_ms: float
    max_ms: float
    note: str = ""


def summarise(label: str, samples_ms: Sequence[float], note: str = "") -> Summary:
    if not samples_ms:
        return Summary(label, 0, float("nan"), float("nan"), float("nan"), note)
    ordered = sorted(samples_ms)
    if len(ordered) == 1:
        p50 = p99 = ordered[0]
    else:
        cuts = statistics.quantiles(ordered, n=100, method="inclusive")
        p50, p99 = cuts[49], cuts[98]
    return Summary(label, len(ordered), p50, p99, ordered[-1], note)


def print_table(title: str, rows: Sequence[Summary], baseline: Summary | None = None) -> None:
    """Print one table; with a baseline, a column of p50 over the baseline's p50."""
    print(f"\n{title}  [{machine()}]")
    header = f"{'':44} {'n':>6} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}"
    if baseline is not None:
        header += f" {'p50 - base':>10}"
    print(header + "  note")
    for row in rows:
        line = (
            f"{row.label:44} {row.count:>6} {row.p50_ms:>8.2f} {row.p99_ms:>8.2f} "
            f"{row.max_ms:>8.2f}"
        )
        if baseline is not None:
            line += f" {row.p50_ms - baseline.p50_ms:>+10.2f}"
        print(line + (f"  {row.note}" if row.note else ""))


def machine() -> str:
    load = os.getloadavg()[0]
    return (
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"load {load:.1f}"
    )

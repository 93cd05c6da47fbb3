"""Benchmark: list pages through Django's test client, against a static page as baseline.

Measures the server side only (URL routing, middleware, session, queries, template): no
network, no daphne. The residence has 200 active members; the viewer is one of its
co-animators (so the residence page also counts pending requests). Run with ``make bench``.
"""

from __future__ import annotations

import time

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.bench.stats import Summary, env_count, print_table, summarise
from tests.conftest import add_members, build_world, client_for

pytestmark = [pytest.mark.bench, pytest.mark.django_db]

MEMBERS = 200


def measure(client: Client, url: str, requests: int, warmup: int) -> tuple[list[float], int]:
    """Latencies in ms of ``requests`` GETs (after ``warmup`` unmeasured ones), and queries."""
    for _ in range(warmup):
        assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    query_count = len(queries)  # now: the next request resets the connection's query log
    samples = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    return samples, query_count


def test_list_pages_latency() -> None:
    world = build_world()
    add_members(world, MEMBERS, tag="bench", entrances="ABCD")
    client = client_for(world.bob)
    requests = env_count("BENCH_REQUESTS", 300)
    warmup = 20
    residence = world.residence.pk
    pages = [
        ("baseline: /charter/ (static page)", "/charter/"),
        ("home /", "/"),
        ("residence page /r/<id>/", f"/r/{residence}/"),
        (f"members directory ({MEMBERS + 2} members)", f"/r/{residence}/members/"),
        (f"API members JSON ({MEMBERS + 2} members)", f"/api/v1/residences/{residence}/members"),
    ]
    members_page = client.get(f"/r/{residence}/members/").text
    assert members_page.count("BENCH") >= MEMBERS  # the page really lists them all

    rows: list[Summary] = []
    for label, url in pages:
        samples, queries = measure(client, url, requests, warmup)
        rows.append(summarise(label, samples, note=f"{queries} queries"))
    engine = connection.vendor
    print_table(
        f"List pages, Django test client, {engine}, {requests} requests each", rows, rows[0]
    )

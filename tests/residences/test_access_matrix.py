"""The isolation matrix: every residence-scoped page, API endpoint and socket group.

An outsider (a member of another residence) gets 404 everywhere in the residence; a resident
gets 403 on every moderator or staff action. The completeness tests fail when a new URL or
endpoint taking a residence or membership id is added without a row here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from apps.realtime import groups
from apps.residences.access import socket_groups_for
from tests.conftest import World, client_for

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Row:
    name: str  # URL name (namespace:name) or "api:<path>"
    method: str
    url: Callable[[World], str]
    allowed: tuple[str, ...]  # personas that get through (2xx/3xx)
    forbidden: tuple[str, ...]  # personas that get 403 (visible, not allowed)


R = lambda w: w.residence.pk  # noqa: E731
M = lambda w: w.pending.pk  # noqa: E731
A = lambda w: w.alice.pk  # noqa: E731

EVERYONE_INSIDE = ("alice", "bob", "claire")
MODERATORS = ("bob", "claire")

ROWS = [
    Row("residences:detail", "get", lambda w: f"/r/{R(w)}/", (*EVERYONE_INSIDE, "dave"), ()),
    Row("residences:members", "get", lambda w: f"/r/{R(w)}/members/", EVERYONE_INSIDE, ("dave",)),
    Row(
        "residences:requests",
        "get",
        lambda w: f"/r/{R(w)}/requests/",
        MODERATORS,
        ("alice", "dave"),
    ),
    Row(
        "residences:invitation",
        "get",
        lambda w: f"/r/{R(w)}/invitation/",
        MODERATORS,
        ("alice", "dave"),
    ),
    Row(
        "residences:invitation",
        "post",
        lambda w: f"/r/{R(w)}/invitation/",
        MODERATORS,
        ("alice", "dave"),
    ),
    Row(
        "residences:co_animators",
        "get",
        lambda w: f"/r/{R(w)}/co-animators/",
        ("claire",),
        ("alice", "bob", "dave"),
    ),
    Row(
        "residences:approve",
        "post",
        lambda w: f"/requests/{M(w)}/approve/",
        MODERATORS,
        ("alice", "dave"),
    ),
    Row(
        "residences:decline",
        "post",
        lambda w: f"/requests/{M(w)}/decline/",
        MODERATORS,
        ("alice", "dave"),
    ),
    Row(
        "residences:partners",
        "get",
        lambda w: f"/r/{R(w)}/partners/",
        ("claire",),
        ("alice", "bob", "dave"),
    ),
    Row(
        "residences:partners",
        "post",
        lambda w: f"/r/{R(w)}/partners/",
        ("claire",),
        ("alice", "bob", "dave"),
    ),
    Row(
        "residences:appoint",
        "post",
        lambda w: f"/members/{A(w)}/appoint/",
        ("claire",),
        ("alice", "bob", "dave"),
    ),
    Row(
        "residences:revoke",
        "post",
        lambda w: f"/members/{w.bob.pk}/revoke/",
        ("claire",),
        ("alice", "bob", "dave"),
    ),
    Row(
        "residences:create",
        "get",
        lambda w: f"/staff/landlords/{w.landlord.pk}/residences/new/",
        ("claire",),
        (),
    ),
    Row(
        "api:/residences/{residence_id}",
        "get",
        lambda w: f"/api/v1/residences/{R(w)}",
        (*EVERYONE_INSIDE, "dave"),
        (),
    ),
    Row(
        "api:/residences/{residence_id}/members",
        "get",
        lambda w: f"/api/v1/residences/{R(w)}/members",
        EVERYONE_INSIDE,
        ("dave",),
    ),
]
PERSONAS = ("alice", "bob", "claire", "dave", "eve")


def _client(world: World, persona: str) -> Client:
    target = {"claire": world.claire, "dave": world.dave}.get(persona) or getattr(world, persona)
    return client_for(target)


def _request(client: Client, row: Row, world: World) -> int:
    url = row.url(world)
    return (client.get(url) if row.method == "get" else client.post(url)).status_code


@pytest.mark.parametrize("row", ROWS, ids=lambda r: f"{r.method}-{r.name}")
def test_an_outsider_gets_404(world: World, row: Row) -> None:
    assert _request(_client(world, "eve"), row, world) == 404


@pytest.mark.parametrize(
    "row", [r for r in ROWS if r.forbidden], ids=lambda r: f"{r.method}-{r.name}"
)
def test_a_member_without_the_role_gets_403(world: World, row: Row) -> None:
    for persona in row.forbidden:
        assert _request(_client(world, persona), row, world) == 403, persona


@pytest.mark.parametrize("row", ROWS, ids=lambda r: f"{r.method}-{r.name}")
def test_allowed_roles_get_through(world: World, row: Row) -> None:
    for persona in row.allowed:
        status = _request(_client(world, persona), row, world)
        assert status in {200, 302}, (persona, status)


def test_every_persona_is_classified_for_every_row() -> None:
    for row in ROWS:
        assert not set(row.allowed) & set(row.forbidden), row.name
        assert "eve" not in row.allowed + row.forbidden, row.name


def _scoped_url_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns: list[URLPattern | URLResolver], namespace: str | None) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif pattern.name and any(
                key in str(pattern.pattern)
                for key in ("residence_id", "membership_id", "landlord_id")
            ):
                names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)

    walk(get_resolver().url_patterns, None)
    return names


def test_the_matrix_covers_every_residence_scoped_page() -> None:
    pages = {n for n in _scoped_url_names() if not n.startswith("api:")}
    assert pages == {r.name for r in ROWS if not r.name.startswith("api:")}


def test_the_matrix_covers_every_residence_scoped_endpoint() -> None:
    from voisinage.api import api

    schema = api.get_openapi_schema()
    scoped = {
        "api:" + path.removeprefix("/api/v1")
        for path in schema["paths"]
        if "{residence_id}" in path or "{membership_id}" in path
    }
    assert scoped == {r.name for r in ROWS if r.name.startswith("api:")}


def test_an_outsider_joins_no_group_of_the_residence(world: World) -> None:
    residence_groups = {groups.residence(world.residence.pk), groups.moderators(world.residence.pk)}
    assert not socket_groups_for(world.eve.user) & residence_groups
    assert not socket_groups_for(world.pending.user) & residence_groups


def test_only_moderators_join_the_moderators_group(world: World) -> None:
    moderators = groups.moderators(world.residence.pk)
    assert moderators in socket_groups_for(world.bob.user)
    assert moderators in socket_groups_for(world.claire)
    assert moderators not in socket_groups_for(world.alice.user)
    assert moderators not in socket_groups_for(world.dave)
    assert groups.residence(world.residence.pk) in socket_groups_for(world.alice.user)

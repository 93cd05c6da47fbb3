"""Shared fixtures: the personas' world, clients, a real daphne for live tests.

Real components only: the test database is SQLite by default and PostgreSQL when DATABASE_URL
is set; the channel layer is in-memory by default and Redis when REDIS_URL is set. Tests that
need a component that is absent are deselected locally and are an error in CI (CI=true).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_PATHS = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def chromium_path() -> str | None:
    configured = os.environ.get("CHROMIUM_PATH")
    if configured:
        return configured
    return next((p for p in CHROMIUM_PATHS if Path(p).exists()), None)


def pytest_configure(config: pytest.Config) -> None:
    # One test database per run, so that two runs (or a benchmark) never fight over one.
    default: dict[str, Any] = settings.DATABASES["default"]
    if default["ENGINE"].endswith("sqlite3"):
        # A file, not memory: the daphne subprocess of live tests opens the same database.
        default.setdefault("TEST", {})["NAME"] = str(
            Path(settings.VAR_DIR) / f"test-{os.getpid()}.sqlite3"
        )
    else:
        default.setdefault("TEST", {})["NAME"] = f"test_{default['NAME']}_{os.getpid()}"
    # Fast password hashing in tests; the cache is namespaced per run.
    os.environ["FAST_PASSWORD_HASHING"] = "1"  # for the daphne subprocesses (daphne_env)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    caches: dict[str, Any] = settings.CACHES["default"]
    caches["KEY_PREFIX"] = f"test-{os.getpid()}"
    if settings.REDIS_URL:
        layer: dict[str, Any] = settings.CHANNEL_LAYERS["default"]
        layer["CONFIG"]["prefix"] = f"test-{os.getpid()}-ws"
    _check_messages_compiled()


def _check_messages_compiled() -> None:
    for po in ROOT.glob("locale/*/LC_MESSAGES/*.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            raise pytest.UsageError(
                f"{mo} is missing or stale: run `make messages` (make test does)"
            )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    missing = {
        "browser": chromium_path() is None,
        "redis": not settings.REDIS_URL,
        "postgres": str(settings.DATABASES["default"]["ENGINE"]).endswith("sqlite3"),
    }
    keep: list[pytest.Item] = []
    drop: list[pytest.Item] = []
    for item in items:
        absent = [
            name for name, is_missing in missing.items() if is_missing and name in item.keywords
        ]
        (drop if absent else keep).append(item)
    if drop and IN_CI:
        names = sorted({m for i in drop for m in missing if missing[m] and m in i.keywords})
        raise pytest.UsageError(
            f"CI must run every test, but these components are missing: {names}"
        )
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep
        sys.stderr.write(
            f"\n{len(drop)} tests deselected: components absent here "
            "(they run in CI: .ci/run provides PostgreSQL, Redis and Chromium)\n"
        )


@dataclass
class World:
    landlord: Any
    residence: Any
    other: Any
    alice: Any  # resident of residence
    bob: Any  # co-animator of residence
    claire: Any  # landlord staff (LandlordStaff of the landlord)
    dave: Any  # partner: member of an organisation accredited to residence
    eve: Any  # resident of the other residence: an outsider to residence
    pending: Any  # Paul's pending request to residence
    conversation: Any  # direct conversation of Alice and Bob in residence
    message: Any  # Alice's message in it
    photo: Any = None  # a message with a photo, where a test adds one


def make_user(email: str, first: str, last: str, **extra: Any) -> Any:
    from allauth.account.models import EmailAddress

    from apps.accounts.models import User

    user = User.objects.create_user(
        email, "correct horse battery", first_name=first, last_name=last, **extra
    )
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def build_world() -> World:
    from django.utils import timezone

    from apps.residences.models import (
        Accreditation,
        Landlord,
        LandlordStaff,
        Membership,
        PartnerOrganisation,
        Residence,
        Role,
        Status,
    )

    landlord = Landlord.objects.create(name="Habitat Test")
    other_landlord = Landlord.objects.create(name="Autre Bailleur")
    residence = Residence.objects.create(
        landlord=landlord,
        name="Les Tilleuls",
        address="1 rue A",
        postcode="69008",
        city="Lyon",
        invitation_code="TILLEULS",
    )
    other = Residence.objects.create(
        landlord=other_landlord,
        name="Le Vulcain",
        address="2 rue B",
        postcode="69200",
        city="Vénissieux",
        invitation_code="VULCAIN2",
    )
    now = timezone.now()

    def member(user: Any, where: Any, role: str, status: str = Status.ACTIVE) -> Any:
        return Membership.objects.create(
            user=user, residence=where, role=role, status=status, charter_accepted_at=now
        )

    alice = member(make_user("alice@test.fr", "Alice", "Martin"), residence, Role.RESIDENT)
    bob = member(make_user("bob@test.fr", "Bob", "Durand"), residence, Role.CO_ANIMATOR)
    claire_user = make_user("claire@test.fr", "Claire", "Fontaine")
    LandlordStaff.objects.create(landlord=landlord, user=claire_user)
    dave = make_user("dave@test.fr", "Dave", "Partner")
    organisation = PartnerOrganisation.objects.create(name="Centre social", kind="association")
    organisation.members.add(dave)
    Accreditation.objects.create(organisation=organisation, residence=residence)
    eve = member(make_user("eve@test.fr", "Eve", "Bernard"), other, Role.RESIDENT)
    pending = member(
        make_user("paul@test.fr", "Paul", "Nouveau"), residence, Role.RESIDENT, Status.PENDING
    )
    from apps.messaging.models import Conversation, Message, Participant

    conversation = Conversation.objects.create(
        residence=residence,
        kind=Conversation.Kind.DIRECT,
        direct_key=f"{min(alice.user_id, bob.user_id)}-{max(alice.user_id, bob.user_id)}",
        created_by=alice.user,
    )
    Participant.objects.bulk_create(
        [Participant(conversation=conversation, user=m.user) for m in (alice, bob)]
    )
    message = Message.objects.create(conversation=conversation, author=alice.user, body="Coucou")
    conversation.last_message_at = message.created_at
    conversation.save(update_fields=["last_message_at"])
    return World(
        landlord,
        residence,
        other,
        alice,
        bob,
        claire_user,
        dave,
        eve,
        pending,
        conversation,
        message,
    )


def add_members(world: World, count: int, *, tag: str = "m", entrances: str = "AB") -> None:
    """``count`` active residents more in the world's residence, in bulk, spread over entrances;
    every third one shows a phone number."""
    from apps.accounts.models import User
    from apps.residences.models import Entrance, Membership, Role, Status

    users = User.objects.bulk_create(
        [
            User(
                email=f"{tag}{i}@test.fr",
                first_name=f"{tag.upper()}{i:03d}",
                last_name="Test",
                phone="06 00 00 00 00",
                show_phone=i % 3 == 0,
            )
            for i in range(count)
        ]
    )
    doors = [
        Entrance.objects.get_or_create(residence=world.residence, name=f"Entrée {c}")[0]
        for c in entrances
    ]
    Membership.objects.bulk_create(
        [
            Membership(
                user=user,
                residence=world.residence,
                role=Role.RESIDENT,
                status=Status.ACTIVE,
                entrance=doors[i % len(doors)],
            )
            for i, user in enumerate(users)
        ]
    )


@pytest.fixture
def world(db: None) -> World:
    return build_world()


def user_of(persona: Any) -> Any:
    return getattr(persona, "user", persona)


def client_for(persona: Any) -> Client:
    client = Client()
    client.force_login(user_of(persona))
    return client


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    """Rate-limit counters and presence do not leak from one test to the next. On Redis only
    this run's keys are deleted: the server may be shared (never FLUSHDB)."""
    yield
    if settings.REDIS_URL:
        import redis

        client = redis.Redis.from_url(settings.REDIS_URL)
        keys = list(client.scan_iter(f"{settings.CACHES['default']['KEY_PREFIX']}:1:*", count=500))
        if keys:
            client.delete(*keys)
        client.close()
    else:
        from django.core.cache import caches

        caches["default"].clear()


# --- a real daphne, for websocket and browser tests -------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def daphne_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """Environment for a daphne subprocess that uses this run's test database."""
    default: dict[str, Any] = settings.DATABASES["default"]
    env = dict(os.environ)
    if default["ENGINE"].endswith("sqlite3"):
        env["DATABASE_URL"] = f"sqlite:///{default['NAME']}"
    else:
        env["DATABASE_URL"] = (
            f"postgres://{default['USER']}:{default['PASSWORD']}@{default['HOST']}:"
            f"{default['PORT'] or 5432}/{default['NAME']}"
        )
    env["DATABASE_POOL_MAX"] = "0"
    env["DEBUG"] = "0"
    env["SERVE_STATIC"] = "1"
    env["ALLOWED_HOSTS"] = "127.0.0.1,localhost"
    env["CACHE_PREFIX"] = str(settings.CACHES["default"]["KEY_PREFIX"])
    env["CHANNEL_LAYER_PREFIX"] = f"test-{os.getpid()}-ws"
    env.update(extra or {})
    return env


class Daphne:
    def __init__(self, port: int, process: subprocess.Popen[bytes]) -> None:
        self.port = port
        self.process = process
        self.url = f"http://127.0.0.1:{port}"
        self.ws_url = f"ws://127.0.0.1:{port}/ws/"

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def start_daphne(extra_env: dict[str, str] | None = None) -> Daphne:
    port = free_port()
    # daphne's log goes to a file: a pipe nobody reads would block a chatty server.
    log = tempfile.NamedTemporaryFile(prefix=f"daphne-{port}-", suffix=".log", delete=False)  # noqa: SIM115
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "daphne"),
            "-b",
            "127.0.0.1",
            "-p",
            str(port),
            "voisinage.asgi:application",
        ],
        cwd=ROOT,
        env=daphne_env(extra_env),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"daphne exited: {Path(log.name).read_text()[-2000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return Daphne(port, process)
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("daphne did not start within 30 s")


@pytest.fixture
def live_daphne(transactional_db: None, tmp_path: Path) -> Iterator[Daphne]:
    """A real daphne process on this run's test database (data must be committed)."""
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    server = start_daphne({"EMAIL_FILE_PATH": str(mail_dir), "MEDIA_ROOT": str(tmp_path / "media")})
    server.mail_dir = mail_dir  # type: ignore[attr-defined]
    yield server
    server.stop()

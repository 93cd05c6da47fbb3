"""Settings come from the environment through typed helpers that fail loudly."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from voisinage.env import (
    ConfigurationError,
    database_from_url,
    env_bool,
    env_choice,
    env_int,
    env_list,
    redis_url,
)

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "VOISINAGE_ENV": "production",
    "SECRET_KEY": "x" * 20 + "-production-secret-key-for-tests-only-0123456789",
    "ALLOWED_HOSTS": "voisinage.example.org",
    "EMAIL_HOST": "smtp.example.org",
}


def test_it_reads_booleans_and_refuses_nonsense() -> None:
    assert env_bool("X", environ={"X": "yes"}) is True
    assert env_bool("X", environ={"X": "0"}) is False
    assert env_bool("X", default=True, environ={}) is True
    with pytest.raises(ConfigurationError, match="X must be one of"):
        env_bool("X", environ={"X": "maybe"})


def test_it_reads_integers_within_bounds() -> None:
    assert env_int("N", 3, environ={"N": " 12 "}) == 12
    assert env_int("N", 3, environ={}) == 3
    with pytest.raises(ConfigurationError, match="whole number"):
        env_int("N", 3, environ={"N": "ten"})
    with pytest.raises(ConfigurationError, match="at least 1"):
        env_int("N", 3, minimum=1, environ={"N": "0"})


def test_it_reads_lists_and_choices() -> None:
    assert env_list("L", ["a"], environ={"L": "x, y,,"}) == ["x", "y"]
    assert env_choice("C", ("a", "b"), "a", environ={"C": "B"}) == "b"
    with pytest.raises(ConfigurationError, match="one of a, b"):
        env_choice("C", ("a", "b"), "a", environ={"C": "c"})


def test_it_reads_database_urls() -> None:
    pg = database_from_url("postgres://u:p%40ss@db:5433/voisinage", pool_min=1, pool_max=4)
    assert (pg["ENGINE"], pg["NAME"], pg["USER"], pg["PASSWORD"], pg["HOST"], pg["PORT"]) == (
        "django.db.backends.postgresql",
        "voisinage",
        "u",
        "p@ss",
        "db",
        "5433",
    )
    assert pg["OPTIONS"] == {"pool": {"min_size": 1, "max_size": 4, "timeout": 10}}
    sqlite: dict[str, Any] = database_from_url("sqlite:///tmp/x.db", pool_min=0, pool_max=0)
    assert sqlite["NAME"] == "tmp/x.db"
    assert sqlite["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    with pytest.raises(ConfigurationError, match="postgres:// or sqlite:///"):
        database_from_url("mysql://x/y", pool_min=0, pool_max=0)
    with pytest.raises(ConfigurationError, match="no database name"):
        database_from_url("postgres://host/", pool_min=0, pool_max=0)


def test_it_checks_the_redis_url() -> None:
    assert redis_url("R", environ={"R": "redis://h:6379/1"}) == "redis://h:6379/1"
    with pytest.raises(ConfigurationError, match="redis://"):
        redis_url("R", environ={"R": "http://h"})


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "DEBUG", "FAST_PASSWORD_HASHING"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("SECRET_KEY", "SECRET_KEY must be set"),
        ("ALLOWED_HOSTS", "ALLOWED_HOSTS must name"),
        ("EMAIL_HOST", "EMAIL_HOST must be set"),
    ],
)
def test_production_refuses_to_start_without_its_essentials(missing: str, message: str) -> None:
    env = {k: v for k, v in PRODUCTION.items() if k != missing}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert message in result.stderr


def test_a_bad_value_stops_the_start_with_a_clear_message() -> None:
    result = _manage("check", env={"WS_FRAMES_PER_10S": "lots"})
    assert result.returncode != 0
    assert "WS_FRAMES_PER_10S must be a whole number" in result.stderr


def test_check_deploy_is_clean_with_production_settings() -> None:
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_cookies_are_secure() -> None:
    code = (
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.DEBUG)"
    )
    result = _manage("shell", "--no-imports", "-c", code, env=PRODUCTION)
    assert result.stdout.split() == ["True", "True", "True", "False"], result.stderr


def test_seed_demo_refuses_production_settings() -> None:
    result = _manage("seed_demo", env=PRODUCTION)
    assert result.returncode != 0
    assert "Refusing to seed demo accounts with production settings" in result.stderr


EMBEDDED_PROBE = (
    "from django.conf import settings as s; print(s.DATABASES['default']['ENGINE'],"
    " s.CHANNEL_LAYERS['default']['BACKEND'], s.CACHES['default']['BACKEND'])"
)


def test_the_embedded_default_needs_no_variable() -> None:
    from django.conf import settings as s

    if os.environ.get("DATABASE_URL") or os.environ.get("REDIS_URL"):
        result = _manage(
            "shell",
            "--no-imports",
            "-c",
            EMBEDDED_PROBE,
            env={},
        )
        assert result.stdout.split() == [
            "django.db.backends.sqlite3",
            "channels.layers.InMemoryChannelLayer",
            "django.core.cache.backends.locmem.LocMemCache",
        ], result.stderr
    else:
        assert s.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
        assert s.CHANNEL_LAYERS["default"]["BACKEND"] == "channels.layers.InMemoryChannelLayer"
    assert s.ACCOUNT_RATE_LIMITS["login_failed"]
    assert s.ACCOUNT_LOGIN_BY_CODE_ENABLED is True


def test_fast_password_hashing_is_refused_in_production() -> None:
    result = _manage("check", env={**PRODUCTION, "FAST_PASSWORD_HASHING": "1"})
    assert result.returncode != 0
    assert "FAST_PASSWORD_HASHING is for tests" in result.stderr

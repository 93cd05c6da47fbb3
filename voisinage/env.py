"""Typed readers for the environment. Each fails loudly on a value it cannot use.

Only ``voisinage/settings.py`` calls these: settings are read from the environment in one place.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from urllib.parse import unquote, urlsplit


class ConfigurationError(Exception):
    """A variable of the environment holds a value Voisinage cannot use."""


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "", environ: Mapping[str, str] = os.environ) -> str:
    return environ.get(name, default).strip()


def env_bool(name: str, default: bool = False, environ: Mapping[str, str] = os.environ) -> bool:
    raw = environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ConfigurationError(f"{name} must be one of 1/0, true/false, yes/no, on/off; got {raw!r}")


def env_int(
    name: str,
    default: int,
    *,
    minimum: int | None = None,
    maximum: int | None = None,
    environ: Mapping[str, str] = os.environ,
) -> int:
    raw = environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise ConfigurationError(f"{name} must be a whole number; got {raw!r}") from None
    if minimum is not None and value < minimum:
        raise ConfigurationError(f"{name} must be at least {minimum}; got {value}")
    if maximum is not None and value > maximum:
        raise ConfigurationError(f"{name} must be at most {maximum}; got {value}")
    return value


def env_list(name: str, default: list[str], environ: Mapping[str, str] = os.environ) -> list[str]:
    raw = environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_choice(
    name: str, choices: tuple[str, ...], default: str, environ: Mapping[str, str] = os.environ
) -> str:
    value = environ.get(name, default).strip().lower() or default
    if value not in choices:
        raise ConfigurationError(f"{name} must be one of {', '.join(choices)}; got {value!r}")
    return value


# WAL lets readers and one writer work at once; BEGIN IMMEDIATE takes the write lock at the
# start of a transaction, so a read-then-write transaction never fails half-way with
# "database is locked" when another process writes meanwhile.
SQLITE_OPTIONS = {"init_command": "PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE"}


def database_from_url(url: str, *, pool_min: int, pool_max: int) -> dict[str, object]:
    """Django DATABASES entry for a ``postgres://`` or ``sqlite:///`` URL."""
    parts = urlsplit(url)
    if parts.scheme in {"postgres", "postgresql"}:
        name = unquote(parts.path.lstrip("/"))
        if not name:
            raise ConfigurationError(f"DATABASE_URL has no database name: {url!r}")
        options: dict[str, object] = {}
        if pool_max > 0:
            options["pool"] = {"min_size": pool_min, "max_size": pool_max, "timeout": 10}
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "OPTIONS": options,
            "CONN_HEALTH_CHECKS": True,
        }
    if parts.scheme == "sqlite":
        path = url.removeprefix("sqlite:///")
        if not path:
            raise ConfigurationError(f"DATABASE_URL has no file name: {url!r}")
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": path, "OPTIONS": SQLITE_OPTIONS}
    raise ConfigurationError(
        f"DATABASE_URL must start with postgres:// or sqlite:///; got {parts.scheme or url!r}"
    )


def redis_url(name: str, environ: Mapping[str, str] = os.environ) -> str:
    value = env_str(name, environ=environ)
    if value and urlsplit(value).scheme not in {"redis", "rediss", "unix"}:
        raise ConfigurationError(f"{name} must start with redis://, rediss:// or unix://")
    return value

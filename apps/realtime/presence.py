"""Who has a live socket open right now, in the shared cache (Redis in production), so that
every daphne process sees the same answer.

A user's key counts their open sockets; it expires on its own after ``TTL`` seconds, so a
process that dies without saying goodbye leaves no one "online" for ever. Sockets refresh
their key while they stay open (see ``consumers.LiveConsumer``).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.cache import cache

TTL = 120  # seconds; a socket refreshes its key every TTL / 2


def _key(user_id: int) -> str:
    return f"presence:user:{user_id}"


def socket_opened(user_id: int) -> None:
    key = _key(user_id)
    if not cache.add(key, 1, TTL):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, TTL)
    cache.touch(key, TTL)


def socket_alive(user_id: int) -> None:
    if not cache.touch(_key(user_id), TTL):
        cache.add(_key(user_id), 1, TTL)


def socket_closed(user_id: int) -> None:
    key = _key(user_id)
    try:
        if cache.decr(key) <= 0:
            cache.delete(key)
    except ValueError:
        pass


def is_online(user_id: int) -> bool:
    return bool(cache.get(_key(user_id)))


def online_among(user_ids: Iterable[int]) -> set[int]:
    """The users of ``user_ids`` that have a socket open (one cache round trip)."""
    ids = list(user_ids)
    found = cache.get_many([_key(i) for i in ids])
    return {i for i in ids if found.get(_key(i))}

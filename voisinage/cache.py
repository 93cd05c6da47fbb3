"""One Redis connection pool per process for the cache.

Django makes a cache backend object per thread and per asyncio context (``caches`` is an
``asgiref.local.Local``): under daphne every request, and every websocket, gets a new one, hence
a new ``RedisCacheClient``, a new connection pool and a new TCP connection to Redis, held as
long as the socket is open (Django tickets #33625, #35651). Sharing the pool, which redis-py
makes thread-safe, keeps a few connections for the life of the process.
"""

from __future__ import annotations

import threading
from typing import Any, ClassVar

import redis


class SharedConnectionPool(redis.ConnectionPool):
    _shared: ClassVar[dict[str, redis.ConnectionPool]] = {}
    _shared_lock: ClassVar[threading.Lock] = threading.Lock()

    @classmethod
    def from_url(cls, url: str, **kwargs: Any) -> Any:
        with cls._shared_lock:
            pool = cls._shared.get(url)
            if pool is None:
                pool = cls._shared[url] = super().from_url(url, **kwargs)
        return pool

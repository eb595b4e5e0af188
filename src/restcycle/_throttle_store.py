"""Atomic request counters for throttling, kept in Django's cache.

DRF keeps each client's request timestamps as one list in the cache and rewrites
it on every request, so concurrent requests from several workers each read the
same list and all get through. Here a window of `duration` seconds is cut into
`slices`, each with a request count, and a request is admitted while the counts
of the slices inside the window add up to less than the limit. A slice leaves the
window `duration` seconds after it began, so a request is forgotten up to one
slice (duration / slices) early: that is the resolution of the sliding window.

How the counts are kept atomic depends on what the cache backend can do:

- Redis (Django's RedisCache): one counter per slice; a Lua script increments the
  current one, sums the others and takes the increment back when over the limit, as
  one atomic step and one round trip, so requests are strictly ordered.
- Other backends with an atomic `incr()` (Memcached): one counter per slice;
  `add()`/`incr()` the current one, then read the others. Every request increments
  before it reads, so of two concurrent requests at least one sees the other: never
  more than the limit is admitted, and a burst admits exactly the limit.
  A refused request takes its increment back with `decr()`.
- Local memory, and backends whose `incr()` is Django's generic read-then-write
  (DatabaseCache, FileBasedCache): all slice counts in one cache entry, updated
  under a lock of this process. Exact within a process, which is all local memory
  is shared by; between processes on a database or file cache, concurrent updates
  can be lost (see docs/throttling.md).
"""

from __future__ import annotations

import contextlib
import hashlib
import math
import re
import threading
from typing import Any

from django.core.cache.backends.base import BaseCache
from django.utils.connection import ConnectionProxy

DEFAULT_SLICES = 10

# Memcached accepts printable ASCII without spaces, at most 250 bytes long.
_PORTABLE_KEY = re.compile(r"[\x21-\x7e]{1,200}")

# Serialises read-modify-write updates of the one-entry layout within this process.
_LOCAL_LOCK = threading.Lock()


def _portable_key(key: str) -> str:
    """The key itself when every backend accepts it, otherwise a digest of it."""
    if _PORTABLE_KEY.fullmatch(key):
        return key
    return "throttle_" + hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def _redis_client(cache: Any) -> Any:
    """Django's RedisCacheClient behind `cache`, or None for any other backend."""
    if type(cache).__name__ != "RedisCache":
        return None
    from django.core.cache.backends.redis import RedisCache

    return cache._cache if isinstance(cache, RedisCache) else None


def _shared_counters(cache: Any) -> bool:
    """Whether the backend increments atomically in a store other processes share."""
    from django.core.cache.backends.locmem import LocMemCache

    if isinstance(cache, LocMemCache) or not hasattr(cache, "incr"):
        return False
    return getattr(cache.incr, "__func__", None) is not BaseCache.incr


class SlidingWindow:
    """One client's request counts over the last `duration` seconds, in `slices` slices."""

    __slots__ = ("cache", "prefix", "duration", "slices", "ttl", "redis", "shared")

    def __init__(self, cache: Any, key: str, duration: float, slices: int = DEFAULT_SLICES):
        if isinstance(cache, ConnectionProxy):  # django.core.cache.cache: resolve it once
            cache = cache._connections[cache._alias]
        self.cache = cache
        self.redis = _redis_client(cache)
        self.shared = self.redis is not None or _shared_counters(cache)
        self.duration = duration
        self.slices = slices
        self.prefix = f"{_portable_key(key)}:w{duration}x{slices}"
        # A slice is read until `duration` after it began; keep it one slice longer.
        self.ttl = max(1, math.ceil(duration + duration / slices) + 1)

    def slice_of(self, now: float) -> int:
        return math.floor(now * self.slices / self.duration)

    def slice_start(self, index: int) -> float:
        return index * self.duration / self.slices

    def hit(self, now: float, limit: int) -> tuple[bool, dict[int, int]]:
        """Count one request at `now`; `(admitted, counts by slice)`.

        The counts are those of the window as this request left it: including this
        request when admitted, without it when refused.
        """
        current = self.slice_of(now)
        if not self.shared:
            return self._hit_one_entry(current, limit)
        # The next slice too: a request that straddles a slice boundary is seen.
        others = [current + 1, *(current - age for age in range(1, self.slices))]
        if self.redis is not None:
            return self._redis_hit(current, others, limit)
        mine, counts = self._increment_and_read(current, others)
        if mine + sum(counts.values()) <= limit:
            counts[current] = mine
            return True, counts
        self._decrement(current)
        counts[current] = mine - 1
        return False, counts

    # -- one entry holding every slice's count, updated under a process lock --

    def _hit_one_entry(self, current: int, limit: int) -> tuple[bool, dict[int, int]]:
        oldest = current - self.slices
        with _LOCAL_LOCK:
            stored = self.cache.get(self.prefix)
            counts = {i: n for i, n in stored.items() if oldest < i} if stored else {}
            if sum(counts.values()) >= limit:
                return False, counts
            counts[current] = counts.get(current, 0) + 1
            self.cache.set(self.prefix, counts, self.ttl)
        return True, dict(counts)

    # -- one counter per slice, with atomic add/incr/decr --

    def _key(self, index: int) -> str:
        return f"{self.prefix}:{index}"

    def _increment_and_read(self, current: int, others: list[int]) -> tuple[int, dict[int, int]]:
        cache = self.cache
        key = self._key(current)
        mine = 1
        for _attempt in range(3):
            if cache.add(key, 1, self.ttl):
                break
            try:
                mine = cache.incr(key)
                break
            except ValueError:  # expired between add() and incr(): add again
                continue
        keys = [self._key(index) for index in others]
        found = cache.get_many(keys)
        counts = {}
        for index, other_key in zip(others, keys):
            value = found.get(other_key)
            if value:
                counts[index] = int(value)
        return mine, counts

    def _decrement(self, current: int) -> None:
        with contextlib.suppress(ValueError):  # expired meanwhile: nothing to take back
            self.cache.decr(self._key(current))

    def _redis_hit(
        self, current: int, others: list[int], limit: int
    ) -> tuple[bool, dict[int, int]]:
        make_key = self.cache.make_and_validate_key
        keys = [make_key(self._key(current)), *(make_key(self._key(index)) for index in others)]
        client = self.redis.get_client(keys[0], write=True)
        admitted, mine, values = _redis_script()(keys=keys, args=[limit, self.ttl], client=client)
        counts = {index: int(value) for index, value in zip(others, values) if value}
        counts[current] = int(mine)
        return bool(admitted), counts


# KEYS[1]: the current slice's counter, KEYS[2...]: the other slices of the window.
# ARGV[1]: the limit, ARGV[2]: the counters' time to live in seconds.
_REDIS_HIT = b"""
local mine = redis.call('INCR', KEYS[1])
if mine == 1 then redis.call('EXPIRE', KEYS[1], ARGV[2]) end
local others = redis.call('MGET', unpack(KEYS, 2))
local total = mine
for _, value in ipairs(others) do
    if value then total = total + tonumber(value) end
end
if total > tonumber(ARGV[1]) then
    mine = redis.call('DECR', KEYS[1])
    return {0, mine, others}
end
return {1, mine, others}
"""
_redis_hit_script = None


def _redis_script() -> Any:
    global _redis_hit_script
    if _redis_hit_script is None:
        from redis.commands.core import Script

        _redis_hit_script = Script(None, _REDIS_HIT)
    return _redis_hit_script


def history_from_counts(counts: dict[int, int], window: SlidingWindow) -> list[float]:
    """DRF's `history` shape (newest first, one timestamp per request) from slice counts.

    Each request is dated at the start of its slice: the moment from which its slice
    leaves the window `duration` seconds later.
    """
    history: list[float] = []
    for index in sorted(counts, reverse=True):
        count = counts[index]
        if count > 0:
            history.extend([window.slice_start(index)] * count)
    return history

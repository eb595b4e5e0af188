"""Emptying Django's cache between tests without touching anyone else's keys."""


def clear_this_runs_cache() -> None:
    """Empty Django's cache for this process only.

    `cache.clear()` on Redis is FLUSHDB: it would also wipe the throttle counters of
    other pytest-xdist workers and of other test runs sharing the server. Every key of
    this process carries its KEY_PREFIX (tests/settings.py), so only those are deleted.
    """
    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache

    default = caches["default"]
    if not isinstance(default, RedisCache):
        default.clear()
        return
    client = default._cache.get_client(write=True)
    keys = list(client.scan_iter(match=default.make_key("*")))
    if keys:
        client.delete(*keys)

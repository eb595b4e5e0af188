"""Throttles: rate limits per client, checked after permissions.

A view asks each throttle in `throttle_classes` `allow_request(request, view)`; when
any says no, the response is 429 with `Retry-After` set from the largest `wait()`.

The rate counters live in Django's cache (`SimpleRateThrottle.cache`) and are
updated atomically (see `_throttle_store`), so with many workers sharing Redis or
Memcached a client gets exactly its rate, not a multiple of it.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.cache import cache as default_cache
from django.core.exceptions import ImproperlyConfigured

from ._throttle_store import DEFAULT_SLICES, SlidingWindow, history_from_counts
from .settings import api_settings

_PERIOD_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


class ThrottleRateError(ImproperlyConfigured, ValueError):
    """A throttle rate string is not `<number>/<period>`."""


class BaseThrottle:
    """A rate limit. Subclasses implement `allow_request()`; `wait()` feeds `Retry-After`."""

    def allow_request(self, request: Any, view: Any) -> bool:
        """True when the request may proceed."""
        raise NotImplementedError(".allow_request() must be overridden")

    def get_ident(self, request: Any) -> str | None:
        """The client's address, honouring `X-Forwarded-For` as NUM_PROXIES says.

        NUM_PROXIES None: the whole X-Forwarded-For (whitespace removed) when present,
        else REMOTE_ADDR. 0: always REMOTE_ADDR. N: the address N places from the end of
        X-Forwarded-For, i.e. the one the outermost of your N proxies saw.
        """
        forwarded_for = request.META.get("HTTP_X_FORWARDED_FOR")
        remote_addr = request.META.get("REMOTE_ADDR")
        num_proxies = api_settings.NUM_PROXIES
        if num_proxies is not None:
            if num_proxies == 0 or forwarded_for is None:
                return remote_addr
            addresses = forwarded_for.split(",")
            return addresses[-min(num_proxies, len(addresses))].strip()
        return "".join(forwarded_for.split()) if forwarded_for else remote_addr

    def wait(self) -> float | None:
        """Seconds to wait before the next request may succeed, or None when unknown."""
        return None


class _DefaultThrottleRates:
    """`THROTTLE_RATES` reads REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] when looked up.

    So `override_settings` reaches throttles; a subclass may still set its own dict.
    """

    def __get__(self, instance: Any, owner: Any) -> dict[str, str | None]:
        return api_settings.DEFAULT_THROTTLE_RATES


class SimpleRateThrottle(BaseThrottle):
    """Limits requests per `rate` ("100/hour") for the cache key `get_cache_key()` gives.

    The rate comes from `rate` on the class or from THROTTLE_RATES[`scope`]. The
    window slides, at a resolution of `duration / window_slices` seconds.
    """

    cache = default_cache
    timer = time.time
    cache_format = "throttle_%(scope)s_%(ident)s"
    scope: str | None = None
    THROTTLE_RATES: Any = _DefaultThrottleRates()
    window_slices = DEFAULT_SLICES

    # Set by allow_request(); kept under DRF's names for subclasses that read them.
    key: str | None = None
    now: float | None = None
    _history: list | None = None
    _window: SlidingWindow | None = None
    _counts: dict[int, int] | None = None
    _counted = False

    def __init__(self) -> None:
        if not getattr(self, "rate", None):
            self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        """The key requests are counted under; None means "do not throttle this one"."""
        raise NotImplementedError(".get_cache_key() must be overridden")

    def get_rate(self) -> str | None:
        """The rate string for `scope` from THROTTLE_RATES."""
        if not getattr(self, "scope", None):
            raise ImproperlyConfigured(
                f"You must set either `.scope` or `.rate` for '{self.__class__.__name__}' throttle"
            )
        try:
            return self.THROTTLE_RATES[self.scope]
        except KeyError:
            raise ImproperlyConfigured(f"No default throttle rate set for '{self.scope}' scope")

    def parse_rate(self, rate: str | None) -> tuple[int | None, int | None]:
        """`(number of requests, period in seconds)` from "100/hour"; only "s/m/h/d" counts."""
        if rate is None:
            return (None, None)
        try:
            number, period = rate.split("/")
            num_requests = int(number)
            duration = _PERIOD_SECONDS[period.strip()[0].lower()]
        except (AttributeError, IndexError, KeyError, TypeError, ValueError):
            num_requests = -1
        if num_requests < 0:
            raise ThrottleRateError(
                f"Invalid throttle rate {rate!r} for scope {self.scope!r}: expected "
                "'<number of requests>/<period>', the period one of s, m, h, d "
                "(or second, minute, hour, day), e.g. '100/hour'."
            )
        return (num_requests, duration)

    def allow_request(self, request: Any, view: Any) -> bool:
        """Count this request; True while the client is within its rate."""
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.now = self.timer()
        self._window = SlidingWindow(self.cache, self.key, self.duration, self.window_slices)
        admitted, self._counts = self._window.hit(self.now, self.num_requests)
        self._history = None
        self._counted = True
        return self.throttle_success() if admitted else self.throttle_failure()

    def throttle_success(self) -> bool:
        """Called when the request is admitted; it has already been counted."""
        if not self._counted:
            # A subclass that builds `history` itself (DRF's way) and calls us to
            # record it: store its list as DRF did.
            self.history.insert(0, self.now)
            self.cache.set(self.key, self.history, self.duration)
        return True

    def throttle_failure(self) -> bool:
        """Called when the request is refused."""
        return False

    @property
    def history(self) -> list:
        """The counted requests, newest first, one timestamp each (DRF's shape)."""
        if self._history is None:
            if self._counts is not None and self._window is not None:
                self._history = history_from_counts(self._counts, self._window)
            else:
                self._history = []
        return self._history

    @history.setter
    def history(self, value: list) -> None:
        self._history = value

    def wait(self) -> float | None:
        """Seconds until a request would be admitted again, spread over the requests left.

        With the window full this is the time until its oldest slice leaves it; None
        when more than the rate has been counted (the rate was lowered meanwhile).
        """
        history = self.history
        if history:
            remaining = self.duration - (self.now - history[-1])
        else:
            remaining = self.duration
        available = self.num_requests - len(history) + 1
        if available <= 0:
            return None
        return remaining / float(available)


class AnonRateThrottle(SimpleRateThrottle):
    """Anonymous requests, per client address; rate from THROTTLE_RATES["anon"]."""

    scope = "anon"

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        if request.user and request.user.is_authenticated:
            return None  # Only throttle unauthenticated requests.
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class UserRateThrottle(SimpleRateThrottle):
    """Per user id when authenticated, per address otherwise; THROTTLE_RATES["user"]."""

    scope = "user"

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        if request.user and request.user.is_authenticated:
            ident = request.user.pk
        else:
            ident = self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}


class ScopedRateThrottle(SimpleRateThrottle):
    """Per view scope: the view's `throttle_scope` names the rate in THROTTLE_RATES.

    Views without a `throttle_scope` are not throttled. Counted per user when
    authenticated, per address otherwise.
    """

    scope_attr = "throttle_scope"

    def __init__(self) -> None:
        # The scope, hence the rate, is known only once a view calls allow_request().
        pass

    def allow_request(self, request: Any, view: Any) -> bool:
        self.scope = getattr(view, self.scope_attr, None)
        if not self.scope:
            return True
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        if request.user and request.user.is_authenticated:
            ident = request.user.pk
        else:
            ident = self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}

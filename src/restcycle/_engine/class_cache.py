"""Caches keyed by class that die with the class.

Serializer classes built per request (dynamic-fields code, factories) must not be kept
alive by the engine. A `ClassCache` keeps its entries in the class's own `__dict__`, so
the entries go when the class is collected, even when an entry refers back to the class
(a plan holds fields bound to a prototype instance of it), which a WeakKeyDictionary
could not free. Keys are a class, or a tuple whose first item is the class. Classes that
cannot hold attributes (builtins) live forever anyway and use a plain dict. `clear()`
(settings reloaded) forgets every entry at once.
"""

from __future__ import annotations

import itertools
from typing import Any

_MISSING = object()
_numbers = itertools.count()


class ClassCache:
    """A dict-like cache (`[]`, `get`, `in`, `clear`) keyed by class, kept on each class."""

    def __init__(self, name: str) -> None:
        self._attribute = f"_restcycle_{name}_{next(_numbers)}"
        self._generation = 0
        self._fixed: dict[Any, dict] = {}  # classes that cannot take an attribute

    def _store(self, cls: Any, create: bool) -> dict | None:
        try:
            found = cls.__dict__.get(self._attribute)
        except (AttributeError, TypeError):
            found = None
        if found is not None and found[0] == self._generation:
            return found[1]
        store = self._fixed.get(cls)
        if store is not None or not create:
            return store
        store = {}
        try:
            type.__setattr__(cls, self._attribute, (self._generation, store))
        except (TypeError, AttributeError):
            self._fixed[cls] = store
        return store

    @staticmethod
    def _split(key: Any) -> tuple[Any, Any]:
        if type(key) is tuple:
            return key[0], key[1:]
        return key, ()

    def get(self, key: Any, default: Any = None) -> Any:
        cls, rest = self._split(key)
        store = self._store(cls, create=False)
        return default if store is None else store.get(rest, default)

    def __getitem__(self, key: Any) -> Any:
        found = self.get(key, _MISSING)
        if found is _MISSING:
            raise KeyError(key)
        return found

    def __contains__(self, key: Any) -> bool:
        return self.get(key, _MISSING) is not _MISSING

    def __setitem__(self, key: Any, value: Any) -> None:
        cls, rest = self._split(key)
        self._store(cls, create=True)[rest] = value

    def clear(self) -> None:
        self._generation += 1
        self._fixed.clear()

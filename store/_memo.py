"""Values built once per key (usually the data version) and shared by the threads of a process."""
from __future__ import annotations

import threading
from typing import Callable, Generic, Hashable, TypeVar

T = TypeVar("T")


class OncePerKey(Generic[T]):
    """``get(key, build)``: the value for ``key``, built by ``build()`` the first time. Threads asking at once
    wait for one build (checked again under the lock). ``latest_only``: building a new key forgets the others
    (a new data version replaces the old one's arrays)."""

    def __init__(self, latest_only: bool = False) -> None:
        self.latest_only = latest_only
        self._data: dict[Hashable, T] = {}
        self._lock = threading.Lock()

    def get(self, key: Hashable, build: Callable[[], T]) -> T:
        got = self._data.get(key)
        if got is not None:
            return got
        with self._lock:
            got = self._data.get(key)
            if got is None:
                got = build()
                if self.latest_only:
                    self._data.clear()
                self._data[key] = got
            return got

    def clear(self) -> None:
        with self._lock:
            self._data.clear()

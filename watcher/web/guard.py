"""Sign-in protection, pure: the CSRF check and the slowdown of failed sign-ins.

`Throttle` counts failed sign-ins per key (the user name, and the client address) with a
clock passed in: the first `free` failures cost nothing, then each one makes that key wait
`base` seconds, doubling, up to `cap`. A success clears the user's count. While a key waits,
sign-ins for it are refused without even checking the password.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_ok(expected: object, given: object) -> bool:
    """A form's CSRF token against the session's, in constant time; absent never passes."""
    if not isinstance(expected, str) or not isinstance(given, str) or not expected:
        return False
    return hmac.compare_digest(expected.encode(), given.encode())


@dataclass(slots=True)
class _Count:
    failures: int
    until: float


class Throttle:
    def __init__(
        self,
        clock: Callable[[], float],
        *,
        free: int = 3,
        base: float = 2.0,
        cap: float = 300.0,
        remember: int = 10_000,
    ) -> None:
        self.clock = clock
        self.free, self.base, self.cap, self.remember = free, base, cap, remember
        self._counts: dict[str, _Count] = {}

    def wait(self, keys: Iterable[str]) -> float:
        """Seconds before any of `keys` may try again (0 when all may now)."""
        now = self.clock()
        return max((c.until - now for k in keys if (c := self._counts.get(k))), default=0.0)

    def failed(self, keys: Iterable[str]) -> None:
        now = self.clock()
        for key in keys:
            count = self._counts.setdefault(key, _Count(0, now))
            count.failures += 1
            over = count.failures - self.free
            if over >= 0:
                count.until = now + min(self.cap, self.base * 2 ** min(over, 30))
        if len(self._counts) > self.remember:  # a flood of names: forget the settled ones
            self._counts = {k: c for k, c in self._counts.items() if c.until > now}

    def succeeded(self, keys: Iterable[str]) -> None:
        for key in keys:
            self._counts.pop(key, None)

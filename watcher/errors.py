"""One exception tree for watcher. Library errors are translated at the module that calls the
library, with the original chained as ``__cause__``; whether an error is worth retrying is
decided there too.

    WatcherError
    ├── ConfigError              config.toml unreadable or invalid (carries every problem)
    ├── RuleError                rule files invalid (carries Diagnostics with file:line:col)
    ├── QuerySyntaxError         one query string, with the column of the problem
    ├── UnreadableFileError      a file given to watcher is not a regular, small, UTF-8 file
    ├── FeedError                fetching or reading one feed failed (recorded on the feed)
    │   ├── FetchError           transport: DNS, connect, timeout, TLS, too large, HTTP status
    │   └── NotAFeedError        the body is not RSS/Atom/JSON Feed (e.g. an HTML error page)
    ├── ChannelError             a chat API call failed for now (recorded on the delivery)
    │   ├── RetryAfterError      flood control: try again after `retry_after` seconds
    │   ├── ChatMovedError       the chat lives on under another id (`chat`): followed at once
    │   └── PermanentChannelError  this message will not go through by retrying (failed)
    │       └── ChatBlockedError the bot was removed from or blocked in the chat (held)
    └── StoreError               the database is unusable
        ├── DatabaseInUseError   another watcher process polls and delivers from it
        ├── DatabaseDamagedError the file is corrupt: `watcher db check`, then a backup
        ├── DatabaseLostError    empty or missing, though it held history (--new-database)
        └── StorageError         a write failed (disk or database full, I/O error): retried
"""

from __future__ import annotations

from dataclasses import dataclass

from watcher.redact import redact


class WatcherError(Exception):
    """Base of every error watcher raises on purpose."""


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """A problem in a desk-edited file, reported like a compiler does."""

    file: str
    line: int  # 1-based
    col: int  # 1-based
    message: str
    source_line: str = ""
    hint: str = ""

    def __str__(self) -> str:
        text = f"{self.file}:{self.line}:{self.col}: {self.message}"
        if self.source_line:
            caret = " " * (self.col - 1) + "^"
            # A feed URL's password is never shown, not even in an excerpt of the file.
            text += f"\n    {redact(self.source_line)}\n    {caret}"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text


class ConfigError(WatcherError):
    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = diagnostics
        super().__init__("\n".join(str(d) for d in diagnostics))


class RuleError(WatcherError):
    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = diagnostics
        super().__init__("\n".join(str(d) for d in diagnostics))


class QuerySyntaxError(WatcherError):
    """A query that does not parse. `pos` and `end` are 0-based offsets into `query`."""

    def __init__(self, message: str, query: str, pos: int, end: int | None = None,
                 hint: str = "") -> None:
        self.message = message
        self.query = query
        self.pos = pos
        self.end = pos + 1 if end is None else end
        self.hint = hint
        super().__init__(f"column {pos + 1}: {message}")

    def pointer(self) -> str:
        """The query with a caret under the problem, for terminals."""
        width = max(1, self.end - self.pos)
        return f"{self.query}\n{' ' * self.pos}{'^' * width}"


class UnreadableFileError(WatcherError):
    """A config, rule, secret or saved feed file that cannot be read (see files.py)."""

    def __init__(self, path: object, reason: str, line: int = 1, col: int = 1) -> None:
        self.path = str(path)
        self.reason = reason
        self.line = line
        self.col = col
        super().__init__(f"{self.path}: {reason}")

    def diagnostic(self) -> Diagnostic:
        return Diagnostic(self.path, self.line, self.col, self.reason)


class FeedError(WatcherError):
    """A poll that brought no usable feed. Recorded on the feed, which backs off and is
    polled again: even a refusal (a 404, a body over the cap) may be fixed at the other end."""


class FetchError(FeedError):
    """`status`: the HTTP status of a refusal (410 disables the feed); `retry_after`: the
    seconds a 429 or 503 asked to wait (the next poll is never sooner)."""

    def __init__(self, message: str, *, status: int | None = None,
                 retry_after: float | None = None) -> None:
        self.status = status
        self.retry_after = retry_after
        super().__init__(message)


class NotAFeedError(FeedError):
    pass


class ChannelError(WatcherError):
    """A transient delivery failure: retried with backoff."""


class RetryAfterError(ChannelError):
    def __init__(self, message: str, retry_after: float) -> None:
        self.retry_after = retry_after
        super().__init__(message)


class ChatMovedError(ChannelError):
    """The chat was moved (a Telegram group upgraded to a supergroup gets a new id): nothing
    was sent; the same call goes through at `chat`, which delivery follows and remembers."""

    def __init__(self, message: str, chat: str) -> None:
        self.chat = chat
        super().__init__(message)


class PermanentChannelError(ChannelError):
    """This message will not go through by retrying (bad token, message refused): failed."""


class ChatBlockedError(PermanentChannelError):
    """The chat refuses the bot (Telegram's Forbidden: kicked, blocked, not a member). The chat
    may take it back, so delivery holds the channel's alerts and retries, rather than failing
    them."""


class StoreError(WatcherError):
    pass


class DatabaseInUseError(StoreError):
    """Another `watcher run` or `poll-once` holds the database's process lock."""


class DatabaseDamagedError(StoreError):
    """SQLite says the database file is corrupt (store/damage.py)."""


class DatabaseLostError(StoreError):
    """The database is empty or missing, but its marker says it held history (store/damage.py)."""


class StorageError(StoreError):
    """The database refused a write it should take (full disk, I/O error): the service pauses
    and retries until it can, it never stops for it."""

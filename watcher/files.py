"""Reading the files people hand to watcher: config.toml, rule files, secrets, saved feeds, OPML.

Only regular files are read, and only up to a size cap: a FIFO named `pipe.toml` would block
the event loop until a writer came, and a symlink to `/dev/zero` never ends. The file is opened
without blocking and checked with fstat on the open descriptor, so a file swapped for a FIFO
between a look and the read is refused too. Problems are UnreadableFileError, whose line and
column (1-based) place an undecodable byte for a `file:line:col` message. A saved feed file
(`watcher replay`, `test-rule --file`) may be gzip, and is capped unpacked as well.
"""

from __future__ import annotations

import gzip
import io
import os
import stat
import zlib
from pathlib import Path

from watcher.errors import UnreadableFileError

MAX_TEXT_BYTES = 1024 * 1024  # config.toml and a rule file: far beyond any real one
MAX_SECRET_BYTES = 64 * 1024  # a token or webhook URL file
MAX_FEED_BYTES = 10 * 1024 * 1024  # a saved feed file: [fetch] max_bytes' default
MAX_OPML_BYTES = 16 * 1024 * 1024  # a subscription list: tens of thousands of feeds
GZIP_MAGIC = b"\x1f\x8b"


def check_regular(path: Path) -> None:
    """UnreadableFileError unless `path` is (a symlink to) a regular file: what a command can
    check of all its files before reading any (read_regular checks again as it opens)."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise UnreadableFileError(path, "no such file or folder") from None
    except OSError as exc:
        raise UnreadableFileError(path, f"cannot read: {exc.strerror}") from exc
    _check_kind(path, mode)


def read_regular(path: Path, limit: int) -> bytes:
    """The bytes of the regular file at `path` (symlinks followed), at most `limit` of them."""
    try:
        before = os.stat(path)
    except FileNotFoundError:
        raise UnreadableFileError(path, "no such file or folder") from None
    except OSError as exc:
        raise UnreadableFileError(path, f"cannot read: {exc.strerror}") from exc
    _check_kind(path, before.st_mode)  # before opening: opening some devices does things
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as exc:
        raise UnreadableFileError(path, f"cannot read: {exc.strerror}") from exc
    try:
        _check_kind(path, os.fstat(fd).st_mode)
        chunks: list[bytes] = []
        size = 0
        while chunk := os.read(fd, min(1 << 16, limit + 1 - size)):
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                raise UnreadableFileError(path, f"larger than {_size(limit)}: not read")
    except OSError as exc:
        raise UnreadableFileError(path, f"cannot read: {exc.strerror}") from exc
    finally:
        os.close(fd)
    return b"".join(chunks)


def read_text(path: Path, limit: int = MAX_TEXT_BYTES) -> str:
    """A regular UTF-8 text file; an undecodable byte is reported at its line and column."""
    data = read_regular(path, limit)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        col = len(data[line_start : exc.start].decode("utf-8", "replace")) + 1
        raise UnreadableFileError(
            path, f"not UTF-8 text: byte 0x{data[exc.start]:02x} cannot be read", line, col
        ) from None


def read_feed_file(path: Path, limit: int) -> bytes:
    """A saved feed file, unpacked when it is gzip (by its magic bytes); at most `limit` bytes
    as read and as unpacked, as a fetched body is capped by [fetch] max_bytes."""
    return unpacked(path, read_regular(path, limit), limit)


def unpacked(path: Path, data: bytes, limit: int) -> bytes:
    """The bytes `data` read from `path`, gunzipped if they are gzip, at most `limit` of them."""
    if not data.startswith(GZIP_MAGIC):
        return data
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as packed:
            body = packed.read(limit + 1)  # never more than the cap in memory, whatever the ratio
    except (OSError, EOFError, zlib.error) as exc:  # BadGzipFile is an OSError
        raise UnreadableFileError(path, f"gzip file: {exc or type(exc).__name__}") from None
    if len(body) > limit:
        raise UnreadableFileError(path, f"larger than {_size(limit)} unpacked: not read")
    return body


def _check_kind(path: Path, mode: int) -> None:
    if stat.S_ISDIR(mode):
        raise UnreadableFileError(path, "a folder, not a file")
    if not stat.S_ISREG(mode):
        raise UnreadableFileError(path, "not a regular file (a pipe, socket or device): not read")


def _size(limit: int) -> str:
    if limit >= 1024 * 1024:
        return f"{limit // (1024 * 1024)} MB"
    return f"{limit // 1024} KB" if limit >= 1024 else f"{limit} bytes"


def write_atomic(path: Path, text: str, *, backup: Path | None = None, mode: int = 0o644) -> None:
    """Replace `path` with `text` so that a reader (or a crash) sees the old file or the new one,
    never half of either: a hidden temporary file beside it, fsynced, renamed over it, and the
    folder fsynced. With `backup`, the previous text is first kept there the same way."""
    if backup is not None and path.exists():
        write_atomic(backup, path.read_text(encoding="utf-8"), mode=path.stat().st_mode & 0o7777)
    if path.exists():
        mode = path.stat().st_mode & 0o7777
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")  # hidden: no rule file reads it
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, mode)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)  # the umask must not narrow what the file had
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    folder = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)

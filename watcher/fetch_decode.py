"""A feed body's Content-Encoding undone within the size cap, for fetch.py.

httpx's own decoders inflate a whole network chunk at once (64 kB of gzip can become 64 MB
before any cap is checked), so fetch.py reads the raw bytes and hands them to BoundedDecoder,
which never holds more than `[fetch] max_bytes` of output. gzip, deflate (zlib-wrapped or raw)
and br are undone; any other coding is a FetchError.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable

import brotli  # type: ignore[import-untyped]

from watcher.errors import FetchError


class BoundedDecoder:
    """Content-Encoding (gzip, deflate, br, identity) undone with at most `limit` bytes out.

    Every step asks the decompressor for no more than the room left (+1 to notice going past
    it), so memory stays within the cap whatever the compression ratio.
    """

    def __init__(self, encoding: str, limit: int) -> None:
        codings = [c.strip().lower() for c in encoding.split(",") if c.strip()]
        codings = [c for c in codings if c != "identity"]
        if len(codings) > 1 or (codings and codings[0] not in _DECOMPRESSORS):
            raise FetchError(f"unsupported Content-Encoding: {encoding[:40]}")
        self._step = _DECOMPRESSORS[codings[0]]() if codings else None
        self._limit = limit
        self._chunks: list[bytes] = []
        self._size = 0

    def feed(self, data: bytes) -> None:
        if self._step is None:
            self._keep(data)
            return
        try:
            self._keep(self._step(data, self._limit - self._size + 1))
        except (zlib.error, brotli.error) as exc:
            raise FetchError(f"body could not be decoded: {exc}") from exc

    def finish(self) -> bytes:
        return b"".join(self._chunks)

    def _keep(self, data: bytes) -> None:
        self._size += len(data)
        if self._size > self._limit:
            raise too_large(self._limit)
        self._chunks.append(data)


Step = Callable[[bytes, int], bytes]  # (input, most bytes wanted) -> output


def _zlib_step(wbits: int) -> Callable[[], Step]:
    def make() -> Step:
        inflater = zlib.decompressobj(wbits)
        first = True

        def step(data: bytes, room: int) -> bytes:
            nonlocal inflater, first
            if first and wbits == zlib.MAX_WBITS and data:
                first = False
                try:  # "deflate" is zlib-wrapped by the spec, raw by some servers
                    return inflater.decompress(data, room)
                except zlib.error:
                    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
            # At most `room` bytes out; reaching it means the body is larger than the cap.
            return inflater.decompress(data, room)

        return step

    return make


def _brotli_step() -> Step:
    decompressor = brotli.Decompressor()

    def step(data: bytes, room: int) -> bytes:
        out: bytes = decompressor.process(data, output_buffer_limit=room)
        while len(out) < room and not decompressor.can_accept_more_data():
            out += decompressor.process(b"", output_buffer_limit=room - len(out))
        return out

    return step


_DECOMPRESSORS: dict[str, Callable[[], Step]] = {
    "gzip": _zlib_step(16 + zlib.MAX_WBITS),
    "x-gzip": _zlib_step(16 + zlib.MAX_WBITS),
    "deflate": _zlib_step(zlib.MAX_WBITS),
    "br": _brotli_step,
}
ACCEPT_ENCODING = "gzip, deflate, br"


def too_large(limit: int) -> FetchError:
    # The feed will be as large next time: the operator raises the cap (the feed backs off).
    return FetchError(f"body larger than {limit} bytes")

"""Is the fast path (watcher/fastparse.py) feedparser's result, body for body?

Parses every snapshot of ../shared/data/rss-headlines-gesab001 (4,374 files) and every file of
../shared/data/feedparser-tests (2,107) twice through `parse_feed`: with the fast path, and with
every body given to feedparser (`fast=False`), and compares the two ParsedFeed values whole:
the channel's title, link and ttl, bozo and its message, and every entry with every field
(guid, link, title, summary, content, published, updated, author), in order. A body either
parser refuses must be refused by both with the same message. Prints how many bodies the fast
path read, how many it gave to feedparser (and why), and how many differ (target: 0).

    .venv/bin/python bench/check_fastparse.py [--limit N] [--every K] [--show 5]
    .venv/bin/python bench/check_fastparse.py --content-type 'text/xml; charset=iso-8859-1'
    .venv/bin/python bench/check_fastparse.py --timing     # parse-only CPU, both ways

`--content-type` gives every body that response Content-Type (whose charset feedparser's encoding
rules weigh against the XML declaration). `--timing` times `parse_feed` alone over the real
snapshots, fast path against feedparser for every body, alternated per file, and prints the two
CPU totals and their ratio.
"""

from __future__ import annotations

import argparse
import gzip
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import fields
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from watcher import fastparse, parse
from watcher.errors import NotAFeedError
from watcher.model import ParsedFeed

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
SNAPSHOTS = DATA / "rss-headlines-gesab001" / "snapshots"
ODD_FEEDS = DATA / "feedparser-tests" / "tests"
URL = "https://example.org/feeds/news.xml"  # relative links resolve against it


def corpus() -> Iterator[tuple[str, bytes]]:
    """(name, body) for every snapshot, then every file of feedparser's corpus."""
    for path in sorted(SNAPSHOTS.rglob("*.xml.gz")):
        yield f"snapshots/{path.relative_to(SNAPSHOTS)}", gzip.decompress(path.read_bytes())
    for path in sorted(p for p in ODD_FEEDS.rglob("*") if p.is_file()):
        yield f"feedparser-tests/{path.relative_to(ODD_FEEDS)}", path.read_bytes()


def outcome(body: bytes, *, fast: bool, content_type: str | None = None) -> ParsedFeed | str:
    try:
        return parse.parse_feed(body, url=URL, content_type=content_type, fast=fast)
    except NotAFeedError as exc:
        return f"NotAFeedError: {exc}"


def fast_path_reason(body: bytes, content_type: str | None = None) -> str | None:
    """Why the fast path leaves this body to feedparser; None when it reads it."""
    stripped = body.removeprefix(b"\xef\xbb\xbf").strip()
    if not stripped or stripped[:1] in (b"{", b"["):
        return "empty or JSON"
    text, clean = parse._as_feedparser_sees_it(body, content_type)
    if not clean:
        return "encoding not clean for feedparser"
    prolog = text[: parse._root_start(text)]
    try:
        parse._refuse_entity_declarations(prolog)
    except NotAFeedError:
        return "entity declarations (refused both ways)"
    return fastparse.unsure_of(text, prolog)


def differences(a: ParsedFeed | str, b: ParsedFeed | str) -> list[str]:
    """The fields in which the two outcomes differ (entries field by field)."""
    if isinstance(a, str) or isinstance(b, str):
        return [] if a == b else [f"outcome: {str(a)[:80]!r} / {str(b)[:80]!r}"]
    found = [
        f"{f.name}: {getattr(a, f.name)!r:.120} / {getattr(b, f.name)!r:.120}"
        for f in fields(ParsedFeed)
        if f.name != "entries" and getattr(a, f.name) != getattr(b, f.name)
    ]
    if len(a.entries) != len(b.entries):
        found.append(f"entries: {len(a.entries)} / {len(b.entries)}")
    for i, (x, y) in enumerate(zip(a.entries, b.entries, strict=False)):
        found.extend(
            f"entry {i} {f.name}: {getattr(x, f.name)!r:.120} / {getattr(y, f.name)!r:.120}"
            for f in fields(x)
            if getattr(x, f.name) != getattr(y, f.name)
        )
    return found


def check(
    bodies: Iterator[tuple[str, bytes]], show: int, content_type: str | None = None
) -> Counter[str]:
    counts: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    shown = 0
    for name, body in bodies:
        reason = fast_path_reason(body, content_type)
        group = name.split("/", 1)[0]
        counts[f"{group} files"] += 1
        if reason is None:
            counts[f"{group} fast path taken"] += 1
        else:
            counts[f"{group} fell back"] += 1
            reasons[reason] += 1
        diff = differences(
            outcome(body, fast=True, content_type=content_type),
            outcome(body, fast=False, content_type=content_type),
        )
        if diff:
            counts[f"{group} differed"] += 1
            if shown < show:
                shown += 1
                print(f"DIFFERS {name}:", *diff[:6], sep="\n  ")
    for reason, count in reasons.most_common():
        print(f"  fell back {count:5d}: {reason}")
    return counts


def timing(limit: int | None) -> None:
    bodies = [gzip.decompress(p.read_bytes()) for p in sorted(SNAPSHOTS.rglob("*.xml.gz"))]
    bodies = bodies[:limit] if limit else bodies
    spent = {True: 0.0, False: 0.0}
    for i, body in enumerate(bodies):
        for fast in (True, False) if i % 2 else (False, True):
            start = time.process_time()
            outcome(body, fast=fast)
            spent[fast] += time.process_time() - start
    print(
        f"parse_feed over {len(bodies)} snapshots: fast path {spent[True]:.2f} s CPU, "
        f"feedparser {spent[False]:.2f} s CPU, {spent[False] / spent[True]:.2f}x"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, help="only the first N bodies")
    parser.add_argument("--every", type=int, default=1, help="only every K-th body")
    parser.add_argument("--show", type=int, default=5, help="print the first N differences")
    parser.add_argument("--content-type", help="the response Content-Type every body comes with")
    parser.add_argument("--timing", action="store_true")
    args = parser.parse_args()
    if not SNAPSHOTS.is_dir() or not ODD_FEEDS.is_dir():
        print(f"{DATA} is absent", file=sys.stderr)
        return 2
    if args.timing:
        timing(args.limit)
        return 0
    picked = (b for i, b in enumerate(corpus()) if i % args.every == 0)
    bodies = (b for i, b in enumerate(picked) if not args.limit or i < args.limit)
    counts = check(bodies, args.show, args.content_type)
    for key in sorted(counts):
        print(f"{key}: {counts[key]}")
    return 1 if any(k.endswith("differed") for k in counts) else 0


if __name__ == "__main__":
    sys.exit(main())

"""Rule matching speed: items/second at 100, 1,000 and 10,000 rules, and compile time.

Items are real titles and descriptions from the feed snapshots in ../shared/data
(rss-headlines-gesab001); rules are generated from those texts' own vocabulary with a fixed
seed, in the shapes desks write (pairs and triples of names, phrases, OR groups, NOT, NEAR,
prefixes, title: scopes, country entities). Run by hand:

    .venv/bin/python bench/bench_rules.py [--items 5000] [--repeat 5]

Times are CPU seconds of this process (time.process_time), so the figures are for one core
and are not inflated by whatever else the machine runs.
"""

from __future__ import annotations

import argparse
import collections
import gzip
import html
import itertools
import json
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

import feedparser

from watcher.query import Document
from watcher.query.text import raw_words
from watcher.rulebook import Rule, RuleSet, load_entities, load_rules

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "rss-headlines-gesab001"
SEED = 20240501
_TAG = re.compile(r"<[^>]+>")
_STOP_WORDS = """
the a an and or of to in on for with at by from as is are was were be been has have had it its
this that these those he she they we you i his her their our after over about into than but not
no new says said will would could can may more most up out who what when how why where which
while also just one two first last year years day week us
"""
_STOP = frozenset(_STOP_WORDS.split())


def load_items(limit: int) -> list[Document]:
    """Unique (title, description) pairs, oldest snapshots first, up to `limit`."""
    seen: set[tuple[str, str]] = set()
    items: list[Document] = []
    for path in sorted(DATA.glob("snapshots/*/*.xml.gz"), key=lambda p: p.name):
        with gzip.open(path) as raw:
            parsed = feedparser.parse(raw.read())
        name = str(parsed.feed.get("title", path.parent.name))
        for entry in parsed.entries:
            title = html.unescape(_TAG.sub(" ", str(entry.get("title", "")))).strip()
            summary = html.unescape(_TAG.sub(" ", str(entry.get("summary", "")))).strip()
            if (title, summary) in seen or not title:
                continue
            seen.add((title, summary))
            items.append(Document(title, summary, name, str(entry.get("link", ""))))
            if len(items) >= limit:
                return items
    return items


def vocabulary(items: list[Document]) -> tuple[list[str], list[str], list[str]]:
    """Names (capitalised words), topic words and two-word phrases, by frequency rank."""
    names: collections.Counter[str] = collections.Counter()
    words: collections.Counter[str] = collections.Counter()
    pairs: collections.Counter[str] = collections.Counter()
    for doc in items:
        tokens = raw_words(doc.title + " " + doc.summary)
        for a, b in itertools.pairwise(tokens):
            if a.lower() not in _STOP and b.lower() not in _STOP and a.isalpha() and b.isalpha():
                pairs[f"{a} {b}"] += 1
        for word in tokens:
            if not word.isalpha() or word.lower() in _STOP or len(word) < 3:
                continue
            (names if word[0].isupper() else words)[word] += 1
    # Skip the very commonest words: desks watch for names and topics, not "people" or "time".
    return (
        [w for w, _ in names.most_common(6000)[30:]],
        [w for w, _ in words.most_common(4000)[50:]],
        [p for p, _ in pairs.most_common(4000) if pairs[p] > 1],
    )


def make_queries(n: int, items: list[Document], rng: random.Random) -> list[str]:
    names, words, phrases = vocabulary(items)
    countries = ["Iran", "Pakistan", "China", "Russia", "India", "Israel", "Ukraine", "Syria"]

    def name() -> str:
        return rng.choice(names)

    def topic() -> str:
        word = rng.choice(words)
        return word[:-1] + "*" if len(word) > 6 and rng.random() < 0.2 else word

    shapes = [
        lambda: f"{name()} AND {name()}",
        lambda: f"{name()} AND {topic()}",
        lambda: f"{name()} AND {name()} AND {topic()}",
        lambda: f'"{rng.choice(phrases)}"',
        lambda: f'"{rng.choice(phrases)}" AND {name()}',
        lambda: f"({name()} OR {name()}) AND {topic()}",
        lambda: f"{name()} AND {topic()} AND NOT {topic()}",
        lambda: f"{name()} NEAR/5 {topic()}",
        lambda: f"title:{name()} AND {topic()}",
        lambda: f"{rng.choice(countries)} AND {rng.choice(countries)} AND {topic()}",
        lambda: f"{rng.choice(countries)} AND {name()}",
    ]
    return [rng.choice(shapes)() for _ in range(n)]


def rule_set(queries: list[str]) -> RuleSet:
    rules = [Rule(f"r{k}", q, ("console",)) for k, q in enumerate(queries)]
    return RuleSet(rules, load_entities([]))


def measure(rules: RuleSet, items: list[Document], repeat: int) -> tuple[float, float]:
    """Median items/second over `repeat` passes, and matches per item."""
    rates, matches = [], 0
    for _ in range(repeat):
        start = time.process_time()
        matches = sum(len(rules.match(doc)) for doc in items)
        rates.append(len(items) / (time.process_time() - start))
    return statistics.median(rates), matches / len(items)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    if not DATA.is_dir():
        print(f"no data at {DATA}", file=sys.stderr)
        return 1
    items = load_items(args.items * 2)
    rng = random.Random(SEED)
    vocab_items, bench_items = items[::2], items[1::2]  # rules from one half, matched on other
    all_queries = make_queries(10_000, vocab_items, rng)
    mean = statistics.mean(len(d.title) + len(d.summary) for d in bench_items)
    print(f"{len(bench_items)} items, mean {mean:.0f} characters of title + description")
    for n in (100, 1_000, 10_000):
        rules = rule_set(all_queries[:n])
        rate, per_item = measure(rules, bench_items, args.repeat)
        print(f"{n:>6} rules: {rate:>9,.0f} items/s  ({per_item:.2f} matches/item)")
    times = []
    for _ in range(args.repeat):
        start = time.process_time()
        rule_set(all_queries)
        times.append(time.process_time() - start)
    print(f"compile 10,000 rules: {statistics.median(times):.2f} s (median of {args.repeat})")
    print(f"load 10,000 rules from TOML (read, validate, compile): {load_time(all_queries):.2f} s")
    return 0


def load_time(queries: list[str]) -> float:
    """Seconds for load_rules on one rule file holding `queries` (what a reload costs)."""
    text = "".join(
        f'[[rule]]\nname = "r{k}"\nquery = {json_string(q)}\nchannels = ["console"]\n\n'
        for k, q in enumerate(queries)
    )
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "rules.toml"
        path.write_text(text, encoding="utf-8")
        start = time.process_time()
        load_rules([path], ["console"])
        return time.process_time() - start


def json_string(text: str) -> str:
    """A TOML basic string (TOML escapes are a superset of what json.dumps emits here)."""
    return json.dumps(text, ensure_ascii=False)


if __name__ == "__main__":
    raise SystemExit(main())

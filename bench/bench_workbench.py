"""The desk page's rule workbench: how long trying an edited rule file on a day of items takes.

Every keystroke pause on /rules/edit checks the whole rule set with the edited text and tries
the file's rules on the last 24 h of stored items (watcher/web/workbench.py, in a worker
thread). Items are real titles and descriptions from ../shared/data (as bench_rules.py);
the rule set is bench_rules.py's generated rules plus one edited file of 20 desk rules made the
same way. Run by hand:

    .venv/bin/python bench/bench_workbench.py [--items 10000] [--rules 1000] [--repeat 5]

Times are CPU seconds of this process (time.process_time), median of the passes.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_rules import DATA, SEED, json_string, load_items, make_queries

from watcher.rulebook import load_rules
from watcher.web import workbench


def rule_file(queries: list[str]) -> str:
    return "".join(
        f'[[rule]]\nname = "r{n}"\nquery = {json_string(q)}\nchannels = ["desk"]\n\n'
        for n, q in enumerate(queries)
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--rules", type=int, default=1_000, help="rules in the other files")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    if not DATA.exists():
        print(f"no data at {DATA}", file=sys.stderr)
        return 1
    docs = load_items(args.items)
    rng = random.Random(SEED)
    folder = Path(tempfile.mkdtemp(prefix="bench-workbench-"))
    (folder / "others.toml").write_text(rule_file(make_queries(args.rules, docs, rng)))
    edited = folder / "desk.toml"
    edited.write_text("")
    text = rule_file(make_queries(20, docs, rng)).replace('name = "r', 'name = "desk-')
    items = [(f"feed: {n}", "", doc) for n, doc in enumerate(docs)]

    def validate(texts: object) -> object:
        return load_rules([folder], texts=texts)  # type: ignore[arg-type]

    checks, tries, found = [], [], 0
    for _ in range(args.repeat):
        start = time.process_time()
        checked = workbench.check(edited, text, [folder], validate)  # type: ignore[arg-type]
        middle = time.process_time()
        result = workbench.try_rules(checked, edited, items)
        checks.append(middle - start)
        tries.append(time.process_time() - middle)
        found = len(result.tries)
    print(f"items {len(items)}, rules {args.rules} + 20 edited, matches shown {found}")
    print(f"check the whole set: {statistics.median(checks):.3f} s")
    print(f"try the edited file's rules: {statistics.median(tries):.3f} s "
          f"({len(items) / statistics.median(tries):,.0f} items/s)")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())

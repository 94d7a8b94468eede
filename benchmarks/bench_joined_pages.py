#!/usr/bin/env python3
"""Pages joined into one text file: cleaned as well as one page per file, and idempotently?

    python benchmarks/bench_joined_pages.py ../shared/bench/dev
    python benchmarks/bench_joined_pages.py ../shared/bench/dev --limit 100 --window-lines 2000
    python benchmarks/bench_joined_pages.py ../shared/bench/dev --groups 300 --seed 2

Writes the dev page dumps (DEV_DIR/page/*.txt) into one text file, blank lines after each page (as
bench_memory.py writes its input), runs `python -m scrubber clean FILE` on it, and again on its
output, and cleans each page alone with the library. Prints, for each, how many of the gold texts'
lines of five words or more (DEV_DIR/gold/ID.txt) are found among the output's lines, and what the
second run changed. A file of many pages is cleaned page by page when blank lines part them
(`scrubber.engine.pages_in`), and in windows of 10,000 lines (--window-lines sets another size).

With --groups N it checks instead, on N texts of two to four random pages each, how many are read
as pages, how many of those are cleaned page by page (the others are cleaned whole: fewer than two of
their pages show chrome at both edges, or, cleaned, they would no longer read as pages), and how
many a second cleaning changes.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

GOLD_MIN_WORDS = 5


def gold_lines(dev: Path, ids: list[str]) -> list[str]:
    out = []
    for i in ids:
        out += [x.strip() for x in (dev / "gold" / f"{i}.txt").read_text(encoding="utf-8").splitlines()
                if len(x.split()) >= GOLD_MIN_WORDS]
    return out


def kept(gold: list[str], text: str) -> int:
    lines = {x.strip() for x in text.splitlines()}
    return sum(g in lines for g in gold)


def clean_file(path: Path, out: Path, env: dict) -> tuple[float, str]:
    start = time.perf_counter()
    with open(out, "wb") as fh:
        proc = subprocess.run([sys.executable, "-m", "scrubber", "clean", str(path)], stdout=fh,
                              stderr=subprocess.PIPE, env=env)
    if proc.returncode:
        sys.exit(f"scrubber clean {path} exited {proc.returncode}: {proc.stderr.decode()}")
    return time.perf_counter() - start, proc.stderr.decode("utf-8", "replace")


def check_groups(dev: Path, n: int, seed: int, cleaner) -> None:
    import random

    from scrubber.document import Document
    from scrubber.engine import pages_in

    rng = random.Random(seed)
    paths = sorted((dev / "page").glob("*.txt"))
    read_as_pages = by_page = changed = 0
    for _ in range(n):
        pages = [p.read_text(encoding="utf-8").rstrip("\n") + "\n" for p in rng.sample(paths, rng.choice((2, 2, 3, 4)))]
        text = "\n".join(pages)  # one blank line between pages
        once = cleaner.clean(text)
        doc = Document.parse(text)
        spans = pages_in(doc.contents)
        if spans is not None:
            read_as_pages += 1
            by_page += once.text == cleaner._clean_pages(text, doc, spans, frozenset()).text
        changed += bool(cleaner.clean(once.text).changes)
    print(f"{n} texts of 2-4 dev pages (seed {seed}): {read_as_pages} read as pages, {by_page} of them cleaned "
          f"page by page (`Cleaner._by_page`); cleaning again changed {changed}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("dev", type=Path, help="the dev folder, holding page/ and gold/")
    ap.add_argument("--limit", type=int, default=0, help="the first N pages only")
    ap.add_argument("--window-lines", type=int, default=0, help="SCRUBBER_WINDOW_LINES for the runs")
    ap.add_argument("--groups", type=int, default=0, help="check N texts of a few random pages instead")
    ap.add_argument("--seed", type=int, default=1, help="for --groups")
    args = ap.parse_args()

    from scrubber.engine import Cleaner
    if args.groups:
        return check_groups(args.dev, args.groups, args.seed, Cleaner())

    paths = sorted((args.dev / "page").glob("*.txt"))[: args.limit or None]
    if not paths:
        sys.exit(f"no pages in {args.dev / 'page'}")
    ids = [p.stem for p in paths]
    pages = [p.read_text(encoding="utf-8") for p in paths]
    gold = gold_lines(args.dev, ids)
    env = {**os.environ, **({"SCRUBBER_WINDOW_LINES": str(args.window_lines)} if args.window_lines else {})}

    cleaner = Cleaner()
    start = time.perf_counter()
    alone = "\n".join(cleaner.clean(p).text for p in pages)
    alone_s = time.perf_counter() - start

    with tempfile.TemporaryDirectory() as tmp:
        joined, once, twice = Path(tmp, "joined.txt"), Path(tmp, "once.txt"), Path(tmp, "twice.txt")
        joined.write_text("".join(p + "\n\n" for p in pages), encoding="utf-8")
        once_s, err1 = clean_file(joined, once, env)
        twice_s, err2 = clean_file(once, twice, env)
        a = once.read_text(encoding="utf-8").splitlines()
        b = twice.read_text(encoding="utf-8").splitlines()
        size = joined.stat().st_size
    # What the second run took away and put in, as counts of lines (it only removes lines, mostly).
    removed, added = Counter(a) - Counter(b), Counter(b) - Counter(a)
    gold_set = set(gold)
    removed_gold = sum(n for line, n in removed.items() if line.strip() in gold_set)
    rows = [("each page alone (library)", kept(gold, alone), alone_s),
            ("the joined file (`scrubber clean`)", kept(gold, "\n".join(a)), once_s),
            ("its output cleaned again", kept(gold, "\n".join(b)), twice_s)]
    print(f"{len(pages)} pages, {size / 1e6:.1f} MB joined; {len(gold):,} gold lines of {GOLD_MIN_WORDS}+ words\n")
    print("| | gold lines kept | seconds |")
    print("|---|---|---|")
    for name, n, seconds in rows:
        print(f"| {name} | {n:,} | {seconds:.1f} |")
    print(f"\nthe second run removed {sum(removed.values()):,} lines ({removed_gold:,} of them gold lines) "
          f"and added {sum(added.values()):,}")
    for err in (err1, err2):
        for line in err.splitlines():
            print("stderr:", line)


if __name__ == "__main__":
    main()

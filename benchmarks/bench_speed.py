#!/usr/bin/env python3
"""How fast scrubber cleans, against a peer measured in the same run.

    python benchmarks/bench_speed.py ../shared/bench/dev            # the tables below
    python benchmarks/bench_speed.py ../shared/bench/dev --sizes 1e3,1e5 --repeat 3

Prints three tables:

1. scrubber's `clean` (the library, one process, every rule on; and again with brief evidence, as
   the CLI runs when it writes no log) and datatrove's C4 line rules
   (`C4QualityFilter(min_num_sentences=-1, filter_lorem_ipsum=False, filter_curly_bracket=False)`,
   installed with `pip install -e '.[bench]'`) on the same pages (DEV_DIR/page/*.txt): MB/s,
   pages/s, and the ratio. Both are timed in CPU seconds of this process (`time.process_time`) and
   in wall seconds: on a busy machine CPU time is the fairer figure.
2. Where scrubber's time goes: each kind of rule and each detector, as a share of the total.
3. How the cost grows with the size of one document (1 KB to 100 MB, made by concatenating the
   pages): MB/s per size, which stays flat when the cost is linear.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scrubber.engine import Cleaner, Options  # noqa: E402

C4_ARGS = dict(min_num_sentences=-1, filter_lorem_ipsum=False, filter_curly_bracket=False)


def load_pages(dev: Path, limit: int | None = None) -> list[str]:
    files = sorted((dev / "page").glob("*.txt"))[:limit]
    if not files:
        sys.exit(f"no pages in {dev / 'page'}")
    return [f.read_text(encoding="utf-8") for f in files]


def timed(fn, texts, repeat: int, reset=None) -> tuple[float, float]:
    """(best CPU seconds, best wall seconds) over `repeat` runs of fn on every text; `reset()`, if
    given, before each run (untimed)."""
    best_cpu = best_wall = float("inf")
    for _ in range(repeat):
        if reset is not None:
            reset()
        c0, w0 = time.process_time(), time.perf_counter()
        for t in texts:
            fn(t)
        best_cpu = min(best_cpu, time.process_time() - c0)
        best_wall = min(best_wall, time.perf_counter() - w0)
    return best_cpu, best_wall


def datatrove_fn():
    try:
        from datatrove.data import Document
        from datatrove.pipeline.filters import C4QualityFilter
    except ImportError:
        return None
    step = C4QualityFilter(**C4_ARGS)

    def run(text: str) -> str:
        doc = Document(text=text, id="x")
        return doc.text if step.filter(doc) else ""

    return run


class Shares:
    """Wraps the cleaner's stages and detectors with timers."""

    def __init__(self, cleaner: Cleaner):
        self.seconds: dict[str, float] = {}
        for name in ("_run_fixers", "_run_span_rules", "_run_line_rules"):
            self._wrap(cleaner, name, {"_run_fixers": "fixers", "_run_span_rules": "strip/replace rules",
                                       "_run_line_rules": "drop-line rules"}[name])
        for det in cleaner.detectors:
            self._wrap(det, "find", f"detector {det.id}")

    def _wrap(self, obj, attr: str, label: str) -> None:
        inner = getattr(obj, attr)
        seconds = self.seconds
        seconds[label] = 0.0

        def timed_call(*args, **kwargs):
            t0 = time.process_time()
            try:
                return inner(*args, **kwargs)
            finally:
                seconds[label] += time.process_time() - t0

        setattr(obj, attr, timed_call)


def size_scaling(pages: list[str], sizes: list[int], cleaner: Cleaner, budget: float) -> list[tuple]:
    corpus = "\n".join(pages)
    rows = []
    for size in sizes:
        reps = max(1, int(budget // size)) if size < budget else 1
        reps = min(reps, 200)
        docs = []
        for k in range(reps):
            start = (k * 7919 * 131) % max(1, len(corpus) - size) if len(corpus) > size else 0
            doc = corpus[start:start + size]
            while len(doc) < size:  # longer than the corpus: repeat it
                doc += "\n" + corpus[: size - len(doc) - 1]
            docs.append(doc)
        mb = sum(len(d.encode("utf-8")) for d in docs) / 1e6
        cpu, wall = timed(cleaner.clean, docs, 1, cleaner.line_rules.forget_lines)
        rows.append((size, len(docs), mb, cpu, mb / cpu if cpu else float("inf")))
        print(f"  {human(size):>7}  x{len(docs):<4} {mb:8.2f} MB  {cpu:8.2f} s  {mb / cpu:7.2f} MB/s", flush=True)
    return rows


def human(n: float) -> str:
    for unit, div in (("GB", 1e9), ("MB", 1e6), ("KB", 1e3)):
        if n >= div:
            return f"{n / div:g} {unit}"
    return f"{n:g} B"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("dev", type=Path, help="the dev set folder (with page/)")
    ap.add_argument("--repeat", type=int, default=2, help="runs of each timing; the best counts")
    ap.add_argument("--limit", type=int, help="only the first N pages")
    ap.add_argument("--sizes", default="1e3,1e4,1e5,1e6,1e7,1e8",
                    help="document sizes (characters) for the scaling table; empty to skip")
    ap.add_argument("--budget", type=float, default=4e6, help="characters to clean per size at most")
    a = ap.parse_args()

    pages = load_pages(a.dev, a.limit)
    mb = sum(len(p.encode("utf-8")) for p in pages) / 1e6
    lines = sum(p.count("\n") + 1 for p in pages)
    print(f"input: {len(pages)} pages from {a.dev / 'page'}, {mb:.1f} MB, {lines} lines")

    cleaner = Cleaner()
    cleaner.clean(pages[0])  # warm-up: compiled regexes, caches
    rows = []
    # (each run starts without the answers kept from earlier documents: a second run over the same
    # pages would find every short line answered already)
    cpu, wall = timed(lambda t: cleaner.clean(t).text, pages, a.repeat, cleaner.line_rules.forget_lines)
    rows.append(("scrubber clean (all rules)", cpu, wall))
    # What `scrubber clean` runs when it writes no log: the same changes, with PAGE001's evidence
    # given as its keep probability instead of the features that decided.
    brief = Cleaner(options=Options(explain=False))
    brief.clean(pages[0])
    bcpu, bwall = timed(lambda t: brief.clean(t).text, pages, a.repeat, brief.line_rules.forget_lines)
    dt = datatrove_fn()
    if dt is not None:
        dt(pages[0])
        dcpu, dwall = timed(dt, pages, a.repeat)
        rows.append(("datatrove C4 line rules", dcpu, dwall))
    print()
    print(f"{'system':<28} {'MB/s':>7} {'pages/s':>8} {'MB/s wall':>10} {'pages/s wall':>13}")
    for name, c, w in rows + [("  same, brief evidence", bcpu, bwall)]:
        print(f"{name:<28} {mb / c:7.2f} {len(pages) / c:8.1f} {mb / w:10.2f} {len(pages) / w:13.1f}")
    if dt is None:
        print("(datatrove is not installed: pip install -e '.[bench]' for the comparison)")
    else:
        print(f"ratio scrubber / datatrove: {rows[1][1] / rows[0][1]:.2f}x (CPU), "
              f"{rows[1][2] / rows[0][2]:.2f}x (wall)")

    print("\nwhere scrubber's time goes (CPU, one run):")
    profiled = Cleaner()
    profiled.clean(pages[0])
    shares = Shares(profiled)
    total, _ = timed(profiled.clean, pages, 1)
    accounted = sum(shares.seconds.values())
    for label, s in sorted(shares.seconds.items(), key=lambda kv: -kv[1]):
        print(f"  {label:<26} {s:7.2f} s  {100 * s / total:5.1f}%")
    print(f"  {'the rest (parse, passes, records, guard)':<26} {total - accounted:7.2f} s  "
          f"{100 * (total - accounted) / total:5.1f}%")

    sizes = [int(float(s)) for s in a.sizes.split(",") if s.strip()]
    if sizes:
        print("\ncost by document size (one document per clean call; flat MB/s = linear):")
        size_scaling(pages, sizes, cleaner, a.budget)


if __name__ == "__main__":
    main()

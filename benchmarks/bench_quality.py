"""Quality on the development benchmark: each input as-is against scrubber's output, overall and per
page type, scored by the benchmark's own scorer (word 4-gram F1, keep and junk shares).

    python benchmarks/bench_quality.py ../shared/bench            # the bench folder (with score.py and dev/)
    python benchmarks/bench_quality.py ../shared/bench --inputs page --limit 100

Prints a Markdown table; --save DIR also writes scrubber's outputs for inspection.
"""
from __future__ import annotations

import argparse
import datetime
import importlib.util
import sys
import time
from collections import defaultdict
from multiprocessing import Pool
from pathlib import Path

import scrubber

COLUMNS = ("f1", "precision", "recall", "keep", "junk", "empty")


def load_scorer(bench: Path):
    spec = importlib.util.spec_from_file_location("bench_score", bench / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _clean(text: str) -> str:
    return scrubber.clean(text).text


def fmt(value) -> str:
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("bench", type=Path, help="the benchmark folder holding score.py and dev/")
    ap.add_argument("--set", default="dev")
    ap.add_argument("--inputs", nargs="+", default=["page", "trafilatura", "article"])
    ap.add_argument("--limit", type=int)
    ap.add_argument("--jobs", type=int, default=None)
    ap.add_argument("--save", type=Path)
    args = ap.parse_args()

    score = load_scorer(args.bench)
    pages = score.load(args.bench / args.set, args.limit)
    by_type = defaultdict(list)
    for p in pages:
        by_type[p["type"]].append(p)
    types = sorted(by_type, key=lambda t: -len(by_type[t]))

    print(f"Measured {datetime.date.today()} with `python benchmarks/bench_quality.py BENCH` "
          f"(scrubber {scrubber.__version__}, {len(pages)} pages).\n")
    print("| input | page type | pages | F1 as-is | F1 scrubber | Δ F1 | P | R | keep | junk | empty |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    with Pool(args.jobs) as pool:
        for name in args.inputs:
            inputs = {p["id"]: (args.bench / args.set / name / f"{p['id']}.txt").read_text(encoding="utf-8")
                      for p in pages}
            t0 = time.perf_counter()
            cleaned = dict(zip(inputs, pool.map(_clean, inputs.values(), chunksize=8)))
            seconds = time.perf_counter() - t0
            if args.save:
                out = args.save / name
                out.mkdir(parents=True, exist_ok=True)
                for pid, text in cleaned.items():
                    (out / f"{pid}.txt").write_text(text, encoding="utf-8")
            for label, group in [("all", pages)] + [(t, by_type[t]) for t in types]:
                before = score.score(group, inputs)
                after = score.score(group, cleaned)
                row = [name, label, str(len(group)), fmt(before["f1"]), fmt(after["f1"]),
                       f"{after['f1'] - before['f1']:+.3f}"] + [fmt(after[k]) for k in COLUMNS[1:]]
                print("| " + " | ".join(row) + " |")
            print(f"<!-- {name}: {seconds:.1f}s wall with {args.jobs or 'all'} processes -->", file=sys.stderr)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""What `scrubber clean --jobs N` costs the parent process, and what its workers do.

    python benchmarks/bench_jobs.py ../shared/bench/dev
    python benchmarks/bench_jobs.py ../shared/bench/dev --jobs 1,2,4 --repeat 3

Runs the CLI on the dev pages (DEV_DIR/page, one file each) and on a JSONL file of them (one record
a page, written to a temporary folder), with and without --log, and prints per run the CPU seconds
of the parent process and of its workers (getrusage: RUSAGE_SELF and RUSAGE_CHILDREN, best of
--repeat) and the wall seconds. With N workers the run cannot go faster than the parent's share
allows; on a busy machine the wall figure says little, CPU seconds are the fairer ones. The last
column says whether stdout and the log are byte for byte those of the first --jobs value.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Runs the CLI in this process and writes its own and its children's CPU seconds, and the wall time.
MEASURED = """
import json, resource, sys, time
from scrubber.cli import cli
start = time.perf_counter()
try:
    cli.main(sys.argv[2:], prog_name="scrubber", standalone_mode=False)
except SystemExit:
    pass
wall = time.perf_counter() - start
me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
with open(sys.argv[1], "w") as fh:
    json.dump({"parent": me.ru_utime + me.ru_stime, "workers": kids.ru_utime + kids.ru_stime, "wall": wall}, fh)
"""


def run_once(args: list[str], tmp: Path, log: bool) -> tuple[dict, str]:
    """(figures, sha256 of stdout and log) of one run."""
    figures, log_path = tmp / "figures.json", tmp / "log.jsonl"
    log_path.unlink(missing_ok=True)
    cmd = [sys.executable, "-c", MEASURED, str(figures), "clean", *args, *(["--log", str(log_path)] if log else [])]
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=tmp,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    digest = hashlib.sha256(proc.stdout)
    if log:
        digest.update(log_path.read_bytes())
    return json.loads(figures.read_text()), digest.hexdigest()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("dev", type=Path, help="the dev folder (its page/*.txt are cleaned)")
    ap.add_argument("--jobs", default="1,2", help="worker counts to compare (default 1,2)")
    ap.add_argument("--repeat", type=int, default=3, help="runs of each, best kept (default 3)")
    args = ap.parse_args()
    pages = sorted((args.dev / "page").glob("*.txt"))
    if not pages:
        sys.exit(f"no pages in {args.dev / 'page'}")
    jobs = [int(j) for j in args.jobs.split(",")]
    with tempfile.TemporaryDirectory(prefix="bench-jobs-") as name:
        tmp = Path(name)
        corpus = tmp / "pages.jsonl"
        with open(corpus, "w", encoding="utf-8") as fh:
            for p in pages:
                fh.write(json.dumps({"id": p.stem, "text": p.read_text(encoding="utf-8")}, ensure_ascii=False) + "\n")
        print(f"{len(pages)} pages; CPU and wall seconds, best of {args.repeat}")
        print(f"{'input':<7}{'log':<5}{'jobs':>4}{'parent':>9}{'workers':>9}{'wall':>8}  same output")
        for label, target in (("pages", str(args.dev / "page")), ("jsonl", str(corpus))):
            for log in (False, True):
                first = None
                for n in jobs:
                    best = {"parent": float("inf"), "workers": float("inf"), "wall": float("inf")}
                    for _ in range(args.repeat):
                        figures, digest = run_once(["--jobs", str(n), "--isolated", target], tmp, log)
                        best = {k: min(v, figures[k]) for k, v in best.items()}
                    first = first or digest
                    print(f"{label:<7}{'yes' if log else 'no':<5}{n:>4}{best['parent']:>9.2f}{best['workers']:>9.2f}"
                          f"{best['wall']:>8.2f}  {'yes' if digest == first else 'NO'}", flush=True)


if __name__ == "__main__":
    main()

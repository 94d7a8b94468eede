#!/usr/bin/env python3
"""Peak memory of `scrubber clean` on a big input: it streams, so memory stays bounded.

    python benchmarks/bench_memory.py ../shared/bench/dev              # a 200 MB text file
    python benchmarks/bench_memory.py ../shared/bench/dev --size 50e6 --kind jsonl --jobs 2
    python benchmarks/bench_memory.py ../shared/bench/dev --size 200e6 --kind jsonl.gz --in-place
    python benchmarks/bench_memory.py ../shared/bench/dev --kind jsonl.zst -- --ignore LEARN001

Writes a file of --size bytes made of the dev pages (DEV_DIR/page/*.txt, repeated; blank lines
between pages, as in a dump of many pages), runs `python -m scrubber clean FILE --log LOG > /dev/null`
(or reads it from stdin with --stdin, or rewrites it with --in-place; arguments after `--` are passed
on) and prints the peak resident memory of that process (its workers' too, with --jobs) and the time.
The goal: under 300 MB for a 200 MB text file. --kind jsonl.gz / jsonl.zst write the JSON lines
compressed (--size is the size of the decompressed data), which scrubber reads and writes as streams.
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def make_input(dev: Path, size: int, kind: str, path: Path) -> int:
    pages = [p.read_text(encoding="utf-8") for p in sorted((dev / "page").glob("*.txt"))]
    if not pages:
        sys.exit(f"no pages in {dev / 'page'}")
    written = 0
    with _opened(path, kind) as fh:
        k = 0
        while written < size:
            page = pages[k % len(pages)]
            chunk = (json.dumps({"id": str(k), "text": page}, ensure_ascii=False) + "\n") if kind.startswith("jsonl") \
                else page + "\n\n"
            fh.write(chunk)
            written += len(chunk.encode("utf-8"))
            k += 1
    return written


def _opened(path: Path, kind: str):
    """A text file to write the input to, compressed as --kind says."""
    if kind == "jsonl.gz":
        return gzip.open(path, "wt", encoding="utf-8", compresslevel=6)
    if kind == "jsonl.zst":
        import io

        import zstandard

        raw = open(path, "wb")
        return io.TextIOWrapper(zstandard.ZstdCompressor(level=3).stream_writer(raw), encoding="utf-8")
    return open(path, "w", encoding="utf-8")


def peak_rss_mb(cmd: list[str], stdin_path: Path | None) -> tuple[float, float, int]:
    """(peak RSS in MB of the process and its children, seconds, exit code)."""
    t0 = time.perf_counter()
    with open(stdin_path, "rb") if stdin_path else open(os.devnull, "rb") as fin, open(os.devnull, "wb") as fout:
        proc = subprocess.Popen(cmd, stdin=fin, stdout=fout, cwd=ROOT)
        _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t0
    import resource

    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # the largest child so far
    rss_kb = max(usage.ru_maxrss, children)
    return rss_kb / 1024, seconds, os.waitstatus_to_exitcode(status)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("dev", type=Path)
    ap.add_argument("--size", type=float, default=200e6, help="bytes of input (default 200 MB)")
    ap.add_argument("--kind", choices=["text", "jsonl", "jsonl.gz", "jsonl.zst"], default="text")
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--stdin", action="store_true", help="feed the input on stdin instead of naming the file")
    ap.add_argument("--in-place", action="store_true", help="clean --in-place instead of writing to stdout")
    argv = sys.argv[1:]
    cut = argv.index("--") if "--" in argv else len(argv)
    a, extra = ap.parse_args(argv[:cut]), argv[cut + 1:]  # after --: more arguments for scrubber clean
    if a.stdin and (a.in_place or a.kind.endswith((".gz", ".zst"))):
        ap.error("--stdin reads plain text or JSON lines, and cannot be cleaned in place")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / ("big.txt" if a.kind == "text" else f"big.{a.kind}")
        size = make_input(a.dev, int(a.size), a.kind, path)
        on_disk = f" ({path.stat().st_size / 1e6:.1f} MB on disk)" if a.kind.endswith((".gz", ".zst")) else ""
        log = Path(tmp) / "changes.jsonl"
        cmd = [sys.executable, "-m", "scrubber", "clean", "--jobs", str(a.jobs), "--log", str(log), *extra]
        if a.in_place:
            cmd.append("--in-place")
        if a.kind == "jsonl" and a.stdin:
            cmd += ["--format", "jsonl"]
        if not a.stdin:
            cmd.append(str(path))
        rss, seconds, code = peak_rss_mb(cmd, path if a.stdin else None)
        how = " on stdin" if a.stdin else " --in-place" if a.in_place else ""
        print(f"input: {size / 1e6:.0f} MB {a.kind}{on_disk}{how}, --jobs {a.jobs} {' '.join(extra)}")
        print(f"peak RSS: {rss:.0f} MB   time: {seconds:.0f} s ({size / 1e6 / seconds:.2f} MB/s)   exit: {code}")
        print(f"log: {log.stat().st_size / 1e6:.0f} MB of change records")


if __name__ == "__main__":
    main()

"""Round-trip every development page through clean -> log -> restore, and measure the gutting guard.

    python benchmarks/restore_dev_pages.py ../shared/bench/dev          # pages in dev/page, gold in dev/gold
    python benchmarks/restore_dev_pages.py ../shared/bench/dev --limit 50

For each page, with the default options and again with --allow-gutting:
  * the change log is written as JSON lines and read back (the CLI's own functions), and the original
    is restored from the clean text and the parsed log, hash-checked: it must be byte-identical;
  * replaying the log on the original must give the clean text;
  * the records must be sorted, non-overlapping, and name the original text they replace;
  * cleaning the clean text again must change nothing (idempotence).

Then the guard: the share of words cleaning removes (with --allow-gutting, i.e. what the rules
propose) next to the share of words the gold version drops, and how many pages each candidate
`max_removed_share` would leave unchanged. Exit status 1 if any round trip failed.
"""
from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from multiprocessing import Pool
from pathlib import Path

from scrubber.changes import LogMismatch, change_records, document_record, read_log, replay, restore, text_hash
from scrubber.engine import Cleaner, Options

WORD = re.compile(r"\w+")  # the guard's own word count (scrubber/engine.py)
THRESHOLDS = (0.80, 0.85, 0.90, 0.95, 0.98, 0.99)
_CLEANERS: dict[bool, Cleaner] = {}


def _cleaner(allow_gutting: bool) -> Cleaner:
    if allow_gutting not in _CLEANERS:
        _CLEANERS[allow_gutting] = Cleaner(options=Options(allow_gutting=allow_gutting))
    return _CLEANERS[allow_gutting]


def round_trip(name: str, text: str, allow_gutting: bool) -> tuple[list[str], object]:
    """The problems found with one page (empty when all is well), and the result."""
    problems = []
    result = _cleaner(allow_gutting).clean(text)
    changes = result.changes
    prev = 0
    for c in changes:
        if c.start < prev or c.end < c.start:
            problems.append(f"records out of order or overlapping at {c.start}")
        if text[len(result.bom):][c.start:c.end] != c.before:
            problems.append(f"record at {c.start} ({c.rule}) does not name the original text")
        prev = c.end
    # Through the log exactly as the CLI writes and reads it.
    lines = [json.dumps(document_record(name, result.original_hash, result.text, changes, bom=result.bom),
                        ensure_ascii=False)]
    lines += [json.dumps(r, ensure_ascii=False) for r in change_records(name, changes)]
    [logged] = read_log(lines)
    if logged.clean_hash != text_hash(result.text):
        problems.append("the log's clean hash is not the clean text's")
    try:
        back = restore(result.text, logged.changes, bom="\ufeff" if logged.bom else "",
                       original_hash=logged.original_hash)
        if back.encode("utf-8", "surrogatepass") != text.encode("utf-8", "surrogatepass"):
            problems.append("restore gave a different text")
    except LogMismatch as exc:
        problems.append(f"restore refused: {exc}")
    try:
        if replay(text, logged.changes, bom=result.bom) != result.text:
            problems.append("replay gave a different text")
    except LogMismatch as exc:
        problems.append(f"replay refused: {exc}")
    again = _cleaner(allow_gutting).clean(result.text)
    if again.changes:
        rules = sorted({c.rule for c in again.changes})
        problems.append(f"not idempotent: a second clean made {len(again.changes)} changes ({', '.join(rules)})")
    return problems, result


def measure(args: tuple[Path, Path | None]) -> dict:
    path, gold_path = args
    text = path.read_bytes().decode("utf-8", "surrogateescape")
    out = {"name": path.name, "problems": {}, "words": len(WORD.findall(text))}
    t0 = time.perf_counter()
    for gutting in (False, True):
        problems, result = round_trip(path.name, text, gutting)
        out["problems"]["allow_gutting" if gutting else "default"] = problems
        if gutting:
            removed = sum(len(WORD.findall(c.before)) - len(WORD.findall(c.after)) for c in result.changes)
            out["removed_share"] = removed / out["words"] if out["words"] else 0.0
        else:
            out["refused"] = bool(result.refused)
            out["changed"] = bool(result.changes)
    out["seconds"] = time.perf_counter() - t0
    if gold_path is not None and gold_path.exists():
        gold = gold_path.read_bytes().decode("utf-8", "surrogateescape")
        gold_words = len(WORD.findall(gold))
        out["gold_longer"] = gold_words > out["words"]  # a gold text with words the dump lacks
        out["gold_dropped_share"] = max(0.0, 1 - gold_words / out["words"]) if out["words"] else 0.0
    return out


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))] if values else float("nan")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("dev", type=Path, help="the dev folder (holding page/ and gold/), or a folder of .txt pages")
    ap.add_argument("--inputs", default="page", help="the sub-folder of inputs (default: page)")
    ap.add_argument("--limit", type=int)
    ap.add_argument("--jobs", type=int)
    args = ap.parse_args()

    pages_dir = args.dev / args.inputs if (args.dev / args.inputs).is_dir() else args.dev
    gold_dir = args.dev / "gold" if (args.dev / "gold").is_dir() else None
    pages = sorted(pages_dir.glob("*.txt"))[: args.limit]
    if not pages:
        print(f"no .txt pages in {pages_dir}", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    with Pool(args.jobs) as pool:
        rows = pool.map(measure, [(p, gold_dir / p.name if gold_dir else None) for p in pages], chunksize=4)
    elapsed = time.perf_counter() - t0

    failed = 0
    for mode in ("default", "allow_gutting"):
        bad = [r for r in rows if r["problems"][mode]]
        failed += len(bad)
        kinds: dict[str, int] = {}
        for r in bad:
            for p in r["problems"][mode]:
                kinds[p.split(":")[0]] = kinds.get(p.split(":")[0], 0) + 1
        print(f"[{mode}] pages: {len(rows)}  round trips exact (restore + replay + records): "
              f"{sum(1 for r in rows if not any(not p.startswith('not idempotent') for p in r['problems'][mode]))}"
              f"  idempotent: "
              f"{sum(1 for r in rows if not any(p.startswith('not idempotent') for p in r['problems'][mode]))}"
              f"  pages with any problem: {len(bad)}")
        for kind, n in sorted(kinds.items(), key=lambda kv: -kv[1]):
            print(f"    {n:4d}  {kind}")
        for r in bad[:10]:
            print(f"    e.g. {r['name']}: {'; '.join(r['problems'][mode])}")
    print(f"changed (default options): {sum(r['changed'] for r in rows)}  refused by the guard: "
          f"{sum(r['refused'] for r in rows)}  time: {elapsed:.1f}s wall, "
          f"{sum(r['seconds'] for r in rows):.1f}s cpu in cleaning (4 cleans per page)")

    removed = [r["removed_share"] for r in rows]
    print("\nshare of words removed by the rules (allow_gutting, i.e. before the guard):")
    print("  " + "  ".join(f"p{int(q * 100)}={pct(removed, q):.3f}" for q in (0.5, 0.9, 0.95, 0.99))
          + f"  max={max(removed):.3f}  mean={statistics.mean(removed):.3f}")
    with_gold = [r for r in rows if "gold_dropped_share" in r]
    if with_gold:
        gold = [r["gold_dropped_share"] for r in with_gold]
        print("share of words the gold version drops (1 - gold words / page words, 0 when the gold is longer:"
              f" {sum(r['gold_longer'] for r in with_gold)} pages):")
        print("  " + "  ".join(f"p{int(q * 100)}={pct(gold, q):.3f}" for q in (0.5, 0.9, 0.95, 0.99))
              + f"  max={max(gold):.3f}  mean={statistics.mean(gold):.3f}")
    print("\n| max_removed_share | pages the rules' removal exceeds it | of which the gold drops at least as much"
          " | pages the gold's removal exceeds it |")
    print("|---|---|---|---|")
    for t in THRESHOLDS:
        refused = [r for r in rows if r["removed_share"] > t or (r["words"] and r["removed_share"] >= 1)]
        justified = [r for r in refused if r.get("gold_dropped_share", 0) >= r["removed_share"]]
        gold_over = sum(1 for r in with_gold if r["gold_dropped_share"] > t)
        print(f"| {t:.2f} | {len(refused)} | {len(justified)} | {gold_over} |")
    print("\npages with the largest removal (removed share / gold dropped share / words):")
    for r in sorted(rows, key=lambda r: -r["removed_share"])[:8]:
        print(f"  {r['name']}  {r['removed_share']:.3f}  {r.get('gold_dropped_share', float('nan')):.3f}  {r['words']}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

"""Evidence for each rule on the development pages: how many lines it removes, how many of those lines
also occur in the page's true main text (the gold: suspected real content), and on how many sites.

    python benchmarks/rule_report.py ../shared/bench [--input page] [--rule MENU011] [--show 20]

A removed line is "in gold" when, squashed to its lower-cased words, it equals a squashed gold line,
or, having five words or more, occurs inside the squashed gold text. The gold is
imperfect (it keeps some chrome), so read the examples --show prints before concluding.
"""
from __future__ import annotations

import argparse
import json
import re
from collections import defaultdict
from multiprocessing import Pool
from pathlib import Path
from urllib.parse import urlparse

import scrubber

WORD = re.compile(r"\w+")


def squash(text: str) -> str:
    return " ".join(WORD.findall(text)).lower()


def _run(args):
    pid, text = args
    result = scrubber.clean(text)
    return pid, [(c.rule, c.action, c.before) for c in (result.changes or result.proposed)], result.refused


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("bench", type=Path)
    ap.add_argument("--input", default="page")
    ap.add_argument("--rule", help="show examples for this rule id")
    ap.add_argument("--show", type=int, default=15)
    ap.add_argument("--gold-only", action="store_true", help="with --rule: show only removals found in gold")
    args = ap.parse_args()
    dev = args.bench / "dev"
    meta = [json.loads(line) for line in open(dev / "meta.jsonl", encoding="utf-8")]
    host = {m["id"]: urlparse(m["url"]).netloc for m in meta}
    gold, gold_lines = {}, {}
    for m in meta:
        text = (dev / "gold" / f"{m['id']}.txt").read_text(encoding="utf-8")
        gold[m["id"]] = f" {squash(text)} "
        gold_lines[m["id"]] = {squash(line) for line in text.splitlines()}
    jobs = [(m["id"], (dev / args.input / f"{m['id']}.txt").read_text(encoding="utf-8")) for m in meta]
    stats = defaultdict(lambda: {"removed": 0, "in_gold": 0, "hosts": set(), "examples": []})
    refused = 0
    with Pool() as pool:
        for pid, changes, was_refused in pool.imap_unordered(_run, jobs, chunksize=8):
            refused += bool(was_refused)
            for rule, action, before in changes:
                s = stats[rule]
                flat = squash(before)
                in_gold = action == "drop" and bool(flat) and (
                    flat in gold_lines[pid] or (flat.count(" ") >= 4 and f" {flat} " in gold[pid]))
                s["removed"] += 1
                s["in_gold"] += in_gold
                s["hosts"].add(host[pid])
                if len(s["examples"]) < 2000:
                    s["examples"].append((pid, in_gold, before.rstrip("\n")))
    print(f"{len(jobs)} pages, {refused} refused by the guard\n")
    print(f"{'rule':<12} {'changes':>8} {'in gold':>8} {'sites':>6}")
    for rule in sorted(stats):
        s = stats[rule]
        print(f"{rule:<12} {s['removed']:>8} {s['in_gold']:>8} {len(s['hosts']):>6}")
    if args.rule:
        print()
        shown = [e for e in stats[args.rule]["examples"] if e[1] or not args.gold_only]
        for pid, in_gold, before in shown[: args.show]:
            print(f"{pid} {'GOLD' if in_gold else '    '} {before[:120]!r}")


if __name__ == "__main__":
    main()

"""The prefilter's reading of the built-in patterns, computed once and shipped with the package.

Before the first line is matched, `patterns` reads every rule's pattern to learn which lines it can
match at all: the beginnings of its matches, the strings every match contains, the characters a
match can start with (see `prefilter`). That reading depends only on the pattern's text, and over
the whole catalogue it took about 5 s on every start, which a shell pipe or a pre-commit hook on one
file pays in full. So the readings of the built-in rules are stored in `data/prefilter_plans.json`,
keyed by a hash of what was read, and looked up instead; a pattern the file does not hold (a rule
edited since, a user's pack) is read as before, so a stale file costs time, never a different
answer. `tests/test_plans.py` fails when the file is stale, and

    python benchmarks/write_prefilter_plans.py

writes it again.
"""
from __future__ import annotations

import hashlib
import json
import threading
from pathlib import Path

PLANS_PATH = Path(__file__).resolve().parent / "data" / "prefilter_plans.json"

_lock = threading.Lock()
_stored: dict[str, object] | None = None
_recorded: dict[str, object] | None = None  # while `builtin_readings` runs: every reading made


def _key(kind: str, pattern: str, flags: int) -> str:
    return hashlib.sha1(f"{kind}\0{flags}\0{pattern}".encode("utf-8", "surrogatepass")).hexdigest()


def _load() -> dict[str, object]:
    global _stored
    if _stored is None:
        try:
            _stored = json.loads(PLANS_PATH.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            _stored = {}
    return _stored


def remembered(kind: str, pattern: str, flags: int, compute):
    """`compute()`'s answer for (kind, pattern, flags), from the shipped file when it holds it.
    Answers are JSON values (lists, strings, numbers, None), so that a stored one and a computed one
    are the same value."""
    key = _key(kind, pattern, flags)
    stored = _load()
    if key in stored:
        value = stored[key]
    else:  # as JSON would give it back (tuples become lists)
        value = json.loads(json.dumps(compute()))
    if _recorded is not None:
        with _lock:
            _recorded[key] = value
    return value


def builtin_readings() -> dict[str, object]:
    """Every reading the built-in catalogue's matchers make, computed afresh, keyed as in the file."""
    global _stored, _recorded
    from .catalogue import Catalogue, builtin_catalogue
    from .engine import Cleaner

    saved = _stored
    try:
        _stored, _recorded = {}, {}
        # A new catalogue object, so that no matcher built earlier in this process is reused.
        Cleaner(Catalogue(list(builtin_catalogue().rules)))
        return _recorded
    finally:
        _stored, _recorded = saved, None


def write(path: Path = PLANS_PATH) -> int:
    """Write the built-in readings, one per line in key order, so that editing a rule changes the
    lines of its own readings only."""
    readings = builtin_readings()
    entries = (json.dumps(key) + ":" + json.dumps(readings[key], ensure_ascii=False, separators=(",", ":"))
               for key in sorted(readings))
    path.write_text("{\n" + ",\n".join(entries) + "\n}\n", encoding="utf-8")
    return len(readings)


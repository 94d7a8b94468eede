"""Coverage-guided fuzzing of every entry point with atheris (libFuzzer for Python).

    pip install -e '.[fuzz]'                  # atheris: wheels for CPython 3.8-3.11 on Linux x86-64
    python fuzz/fuzz_entrypoints.py -max_total_time=600 -timeout=30 -artifact_prefix=fuzz/ fuzz/corpus
    python fuzz/fuzz_entrypoints.py -runs=20000 -timeout=30 -artifact_prefix=fuzz/ fuzz/corpus

The first byte of each input picks the entry point (library, plain text / Markdown / JSONL format,
the CLI filter with restore, restore with a damaged log); the rest is the document's bytes. The
checks are those of the bounded hypothesis run (`tests/fuzzchecks.py`): no crash, restore(clean(x))
== x, replay, idempotence, the guard, refusal of wrong logs. `-timeout` makes any input that takes
longer than that a failure (a hang). A crash or broken promise stops the run and writes the input to
`fuzz/crash-*` (`slow-unit-*` for inputs slower than 10 s); replay one with
`python fuzz/fuzz_entrypoints.py fuzz/crash-...`. fuzz/corpus and those files are not committed.

`--keep-going DIR` (first argument) notes each kind of broken promise once in DIR/finding-* and goes
on, so that a time-bounded run reports them all; crashes and hangs still stop it.

The corpus folder is seeded, when empty, with the repository's fixtures (seed pages, clean documents,
Markdown files) under every entry point. Without atheris, `--hypothesis N` runs N random inputs per
entry point through the same checks instead.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))


def seed_corpus(folder: Path) -> int:
    """Fill an empty corpus folder with the fixtures, one file per (entry point, fixture)."""
    from fuzzchecks import ENTRY_POINTS

    folder.mkdir(parents=True, exist_ok=True)
    if any(folder.iterdir()):
        return 0
    fixtures = sorted(p for p in (ROOT / "fixtures").rglob("*") if p.is_file() and p.suffix in (".txt", ".md"))
    n = 0
    for k, entry in enumerate(ENTRY_POINTS):
        for path in fixtures:
            data = path.read_bytes()
            if entry == "jsonl":
                import json

                data = (json.dumps({"id": path.stem, "text": data.decode("utf-8", "replace")}) + "\n").encode()
            elif entry == "restore":
                data = data + data  # the check cleans the first half
            (folder / f"{entry}-{path.stem}").write_bytes(bytes([k]) + data[:20_000])
            n += 1
    return n


FINDINGS: dict[str, str] = {}  # --keep-going: first line of each broken promise -> the input's file


def test_one_input(data: bytes) -> None:
    from fuzzchecks import ENTRY_POINTS, check

    if not data:
        return
    entry = ENTRY_POINTS[data[0] % len(ENTRY_POINTS)]
    if KEEP_GOING is None:
        check(entry, data[1:])
        return
    try:
        check(entry, data[1:])
    except AssertionError as exc:  # a broken promise: note it once, and go on fuzzing
        first = str(exc).splitlines()[0][:120] if str(exc) else "assertion failed"
        key = first if first.startswith(f"{entry}:") else f"{entry}: {first}"
        if key not in FINDINGS:
            import hashlib

            path = KEEP_GOING / f"finding-{hashlib.sha1(data).hexdigest()[:12]}"
            path.write_bytes(data)
            FINDINGS[key] = str(path)
            print(f"\nFINDING {key} -> {path}", file=sys.stderr, flush=True)


def run_atheris(argv: list[str]) -> None:
    import atheris

    with atheris.instrument_imports(include=["scrubber"]):
        import scrubber.cli  # noqa: F401  (instrumented for coverage)
        import scrubber.formats  # noqa: F401
    corpus = next((Path(a) for a in argv[1:] if not a.startswith("-")), None)
    if corpus is not None and not corpus.is_file():
        seeded = seed_corpus(corpus)
        if seeded:
            print(f"seeded {corpus} with {seeded} inputs", file=sys.stderr)
    atheris.Setup(argv, test_one_input)
    atheris.Fuzz()


def run_hypothesis(n: int) -> None:
    """The same checks with hypothesis' random inputs, for machines without atheris."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from fuzzchecks import ENTRY_POINTS

    count = 0

    @settings(max_examples=n * len(ENTRY_POINTS), deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(st.binary(max_size=4000))
    def go(data):
        nonlocal count
        count += 1
        test_one_input(data)

    t0 = time.monotonic()
    go()
    print(f"{count} inputs in {time.monotonic() - t0:.0f}s, no failure", file=sys.stderr)


KEEP_GOING: Path | None = None

if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--keep-going":
        # Broken promises (not crashes, not hangs) are written to DIR/finding-* and the run goes on,
        # so a time-bounded run reports every kind it met rather than stopping at the first.
        KEEP_GOING = Path(sys.argv[2])
        KEEP_GOING.mkdir(parents=True, exist_ok=True)
        del sys.argv[1:3]
    if len(sys.argv) == 3 and sys.argv[1] == "--hypothesis":
        run_hypothesis(int(sys.argv[2]))
    else:
        try:
            import atheris  # noqa: F401
        except ImportError:
            sys.exit("atheris is not installed (pip install atheris); or run with --hypothesis N")
        run_atheris(sys.argv)

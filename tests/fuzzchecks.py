"""What every entry point owes any input, as functions of raw bytes: the bounded fuzz run in
`test_fuzz.py` (hypothesis) and the coverage-guided harness `fuzz/fuzz_entrypoints.py` (atheris)
both call these. Each raises AssertionError on a broken promise; any other exception is a crash.

- library: `clean` of the bytes (decoded with surrogateescape, as `--errors surrogateescape` does)
  restores exactly, replays exactly, is idempotent and keeps its guard (`docgen.check_round_trip`);
- formats (plain text, Markdown, JSONL): splitting and joining without changes gives the file back
  byte for byte, protected lines are never changed, each document restores exactly, and cleaning
  the cleaned file again changes nothing;
- the CLI filter: strict mode either exits 0 with output or exits 2 with nothing on stdout; with
  surrogateescape it exits 0, and `restore` with the log it wrote gives back the input bytes;
- restore: a log that does not belong to the text, or a damaged one, is refused (exit 2, nothing on
  stdout), never misapplied and never a crash.
"""
from __future__ import annotations

import json
import os
import tempfile
from functools import lru_cache

from docgen import check_records, check_round_trip, cleaner
from scrubber.changes import restore
from scrubber.engine import Result
from scrubber.formats import FORMATS
from scrubber.io import split_lines

ENTRY_POINTS = ("library", "text", "markdown", "jsonl", "cli", "restore")


def as_text(data: bytes) -> str:
    return data.decode("utf-8", "surrogateescape")


def check_library(data: bytes) -> None:
    text = as_text(data)
    check_round_trip(text)
    check_round_trip(text, allow_gutting=True)


@lru_cache(maxsize=None)
def _form(name: str):
    form = FORMATS[name]
    return form.with_options(quiet=True) if hasattr(form, "with_options") else form


def _clean_file(form, text: str) -> tuple[list, str]:
    c = cleaner(False)
    pairs = [(u, c.clean(u.text, u.protected)) for u in form.split(split_lines(text), "doc")]
    return pairs, "".join(form.join(iter(pairs)))


def check_format(name: str, data: bytes) -> None:
    form = _form(name)
    text = as_text(data)
    units = list(form.split(split_lines(text), "doc"))
    untouched = "".join(form.join((u, Result(u.text, [], "")) for u in units))
    assert untouched == text, f"{name}: split and join without changes is not the identity"
    pairs, out = _clean_file(form, text)
    for unit, result in pairs:
        check_records(unit.text, result)
        # A protected line's text never changes; it may only lose its line ending when it becomes
        # the last line of a file that had no final newline (its old last line was removed).
        hit = [c for c in result.changes if c.line - 1 in unit.protected
               and not (c.before in ("\n", "\r\n") and c.after == "" and not result.text.endswith(("\n", "\r")))]
        assert not hit, f"{name}: a protected line was changed: {hit[:1]}"
        assert restore(result.text, result.changes, bom=result.bom, original_hash=result.original_hash) == unit.text
    _, again = _clean_file(form, out)
    assert again == out, f"{name}: cleaning the cleaned file changes it again"


@lru_cache(maxsize=1)
def _runner():
    from click.testing import CliRunner

    _reuse_cleaners()
    return CliRunner()


def _reuse_cleaners() -> None:
    """Build the CLI's rules once per process rather than on every call, as a corpus run reuses its
    cleaner across files: the CLI entry point then costs what cleaning costs."""
    import scrubber.config as config

    real, cache = config.Cleaner, {}

    def cached(*args, **kwargs):
        try:
            key = (args, tuple(sorted(kwargs.items())))
            hash(key)
        except TypeError:
            return real(*args, **kwargs)
        if key not in cache:
            cache[key] = real(*args, **kwargs)
        return cache[key]

    config.Cleaner = cached


def _invoke(args, data: bytes):
    from scrubber.cli import cli

    result = _runner().invoke(cli, args, input=data)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def check_cli(data: bytes) -> None:
    strict = _invoke(["clean", "--isolated"], data)
    try:
        data.decode("utf-8")
        valid = True
    except UnicodeDecodeError:
        valid = False
    if valid:
        assert strict.exit_code == 0, strict.stderr_bytes
    else:
        assert strict.exit_code == 2 and strict.stdout_bytes == b"" and b"not valid UTF-8" in strict.stderr_bytes
    with tempfile.TemporaryDirectory() as tmp:
        log = os.path.join(tmp, "log.jsonl")
        escaped = _invoke(["clean", "--isolated", "--errors", "surrogateescape", "--log", log], data)
        assert escaped.exit_code == 0, escaped.stderr_bytes
        if valid:
            assert escaped.stdout_bytes == strict.stdout_bytes
        back = _invoke(["restore", "--errors", "surrogateescape", "--log", log], escaped.stdout_bytes)
        assert back.exit_code == 0, back.stderr_bytes
        assert back.stdout_bytes == data, "restore did not give back the input bytes"


def check_restore(data: bytes) -> None:
    """Clean the first half and restore it with its log; then try again with the log damaged by the
    second half."""
    half = len(data) // 2
    text, noise = as_text(data[:half]), data[half:]
    result = cleaner(True).clean(text)
    with tempfile.TemporaryDirectory() as tmp:
        log = os.path.join(tmp, "log.jsonl")
        from scrubber.changes import change_records, document_record

        lines = [json.dumps(r) for r in [document_record("-", result.original_hash, result.text, result.changes,
                                                          bom=result.bom), *change_records("-", result.changes)]]
        clean_bytes = result.text.encode("utf-8", "surrogateescape")
        with open(log, "w", encoding="utf-8") as fh:  # the log intact first: it must restore
            fh.write("\n".join(lines) + "\n")
        back = _invoke(["restore", "--errors", "surrogateescape", "--log", log], clean_bytes)
        assert back.exit_code == 0 and back.stdout_bytes == data[:half], back.stderr_bytes
        with open(log, "wb") as fh:
            fh.write(_damage(lines, noise))
        back = _invoke(["restore", "--errors", "surrogateescape", "--log", log], clean_bytes)
        if back.exit_code == 0:
            assert back.stdout_bytes == data[:half] or _same_text(back.stdout_bytes, text), \
                "a damaged log restored something that is not the original"
        else:
            assert back.exit_code == 2 and back.stdout_bytes == b""


def _same_text(out: bytes, text: str) -> bool:
    return out.decode("utf-8", "surrogateescape") == text


def _damage(lines: list[str], noise: bytes) -> bytes:
    """The log with bytes of `noise` written over it at places `noise` chooses (or appended)."""
    raw = bytearray(("\n".join(lines) + "\n").encode("utf-8"))
    for k in range(0, len(noise) - 2, 3):
        at = (noise[k] << 8 | noise[k + 1]) % (len(raw) + 1)
        if at < len(raw):
            raw[at] = noise[k + 2]
        else:
            raw.append(noise[k + 2])
    return bytes(raw)


def check(entry: str, data: bytes) -> None:
    if entry == "library":
        check_library(data)
    elif entry in ("text", "markdown", "jsonl"):
        check_format(entry, data)
    elif entry == "cli":
        check_cli(data)
    elif entry == "restore":
        check_restore(data)
    else:
        raise ValueError(entry)

"""The bounded fuzz run CI executes: arbitrary bytes, and documents made to look like scraped pages,
Markdown files and JSONL corpora (then damaged), through every entry point (`fuzzchecks.py`).

SCRUBBER_FUZZ_EXAMPLES (default 150) inputs per entry point, SCRUBBER_FUZZ_CLI_EXAMPLES (default 25)
for the command line; the same inputs on every run unless SCRUBBER_FUZZ_RANDOM=1. A longer, coverage-guided run is
`python fuzz/fuzz_entrypoints.py` (atheris; see docs/safety.md for figures).
"""
import json
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from docgen import documents
from fuzzchecks import check

EXAMPLES = int(os.environ.get("SCRUBBER_FUZZ_EXAMPLES", "150"))
CLI_EXAMPLES = int(os.environ.get("SCRUBBER_FUZZ_CLI_EXAMPLES", "25"))


def encoded(text: str) -> bytes:
    return text.encode("utf-8", "surrogateescape")


@st.composite
def damaged(draw, data: bytes) -> bytes:
    """Flip, insert or delete a few bytes (invalid UTF-8, stray NULs and CRs, cut characters)."""
    data = bytearray(data)
    for _ in range(draw(st.integers(0, 4))):
        at = draw(st.integers(0, len(data)))
        op = draw(st.integers(0, 2))
        byte = draw(st.sampled_from([0x00, 0x0D, 0x0A, 0xFF, 0xC3, 0x80, 0xEF, 0xBB, 0xBF, 0x22, 0x5C, 0x7B]))
        if op == 0 or at == len(data):
            data.insert(at, byte)
        elif op == 1:
            data[at] = byte
        else:
            del data[at]
    return bytes(data)


@st.composite
def markdown(draw) -> str:
    parts = []
    if draw(st.booleans()):
        parts.append("---\ntitle: Menu\ntags: [share]\n---\n")
    for _ in range(draw(st.integers(1, 5))):
        parts.append(draw(documents(max_blocks=6)))
        kind = draw(st.integers(0, 3))
        if kind == 0:
            parts.append("\n```\nMenu\nShare on Facebook\n```\n")
        elif kind == 1:
            parts.append("\n    Menu\n    Subscribe to our newsletter\n")
        elif kind == 2:
            parts.append("\n| Menu | Search |\n|---|---|\n| li > | Advertisement |\n")
    return "".join(parts)


@st.composite
def jsonl(draw) -> str:
    lines = []
    for k in range(draw(st.integers(0, 6))):
        kind = draw(st.integers(0, 6))
        doc = draw(documents(max_blocks=8))
        if kind <= 3:
            record = {"id": draw(st.sampled_from([k, str(k), f"doc-{k}", None, True, ""])), "text": doc}
            if draw(st.booleans()):
                record = {"url": "https://example.org/a?b=1", **record, "meta": {"text": "nested"}}
            lines.append(json.dumps(record, ensure_ascii=draw(st.booleans())))
        elif kind == 4:
            lines.append(json.dumps({"id": k, "text": draw(st.integers())}))
        elif kind == 5:
            lines.append(draw(st.sampled_from(["", "   ", "not json", "[1, 2]", '{"text": "unterminated', "{}"])))
        else:
            lines.append(json.dumps({"text": doc}) + draw(st.sampled_from(["", " ", "\r", " trailing"])))
    ending = draw(st.sampled_from(["\n", "\r\n"]))
    return ending.join(lines) + (ending if lines and draw(st.booleans()) else "")


def inputs(text_strategy):
    return st.one_of(
        st.binary(max_size=1500),
        text_strategy.map(encoded),
        text_strategy.map(encoded).flatmap(damaged),
    )


# CI runs the same inputs every time (a red run is a regression, not bad luck); set
# SCRUBBER_FUZZ_RANDOM=1 to explore new ones (hypothesis then also replays failures it saved).
RANDOM = os.environ.get("SCRUBBER_FUZZ_RANDOM") == "1"
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=not RANDOM,
                database=settings().database if RANDOM else None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@FUZZ
@given(inputs(documents()))
def test_fuzz_library(data):
    check("library", data)


@FUZZ
@given(inputs(documents()))
def test_fuzz_plain_text_format(data):
    check("text", data)


@FUZZ
@given(inputs(markdown()))
def test_fuzz_markdown_format(data):
    check("markdown", data)


@FUZZ
@given(inputs(jsonl()))
def test_fuzz_jsonl_format(data):
    check("jsonl", data)


@FUZZ
@given(inputs(documents()))
def test_fuzz_restore_with_damaged_logs(data):
    check("restore", data)


@settings(FUZZ, max_examples=CLI_EXAMPLES)
@given(inputs(documents(max_blocks=12)))
def test_fuzz_cli_filter_and_restore(data):
    check("cli", data)


PAGE = b"Skip to content\nThe council approved the budget on Tuesday after a long debate about roads.\n"
SAMPLES = {
    "jsonl": b'{"id": 1, "text": "Skip to content\\nThe council approved the budget on Tuesday."}\n',
    "restore": PAGE * 2,  # the check cleans the first half
}


@pytest.mark.parametrize("entry", ["library", "text", "markdown", "jsonl", "cli", "restore"])
def test_fuzz_checks_can_fail(entry, monkeypatch):
    """The checks are not vacuous: with restore broken, every entry point notices."""
    import docgen
    import fuzzchecks
    import scrubber.cli

    def broken(clean, changes, bom="", original_hash=None):
        return clean

    for module in (fuzzchecks, docgen, scrubber.cli):
        monkeypatch.setattr(module, "restore", broken)
    with pytest.raises(AssertionError):
        check(entry, SAMPLES.get(entry, PAGE))

"""Streaming in constant memory (issue #6): a big Markdown file is cleaned in windows that protect
exactly what a scan of the whole file protects, and `clean --diff` is written window by window."""
import difflib
import json
import os
import re
import shutil
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import SEEDS, read
from scrubber.formats.markdown import Markdown, protected_lines
from scrubber.io import split_lines
from scrubber.unidiff import StreamDiff
from test_compressed import _peak_mb

PROSE = [
    "The harbour board voted on Monday to extend the night ferry service until the end of October.",
    "Ferry crews said the extra crossings would need two more boats, which the board agreed to rent.",
    "Tom &amp; Jerry don&#39;t take the first night ferry , which leaves the old pier at eleven.",
    "Tickets cost the same as in the day, and bicycles travel free on every crossing after nine.",
]
# Rules that look at one line at a time: a text cleaned in windows comes out as it does whole.
LOCAL_RULES = ("--isolated", "--select", "HTML", "--select", "SPACE")


def markdown_doc(sections: int) -> str:
    """Front matter, then sections of prose, fenced code (of 1 to 90 lines: longer than the windows
    below), a table, indented code with blank lines inside, an HTML block; every block holds the HTML
    entities and spacing that LOCAL_RULES fix in prose."""
    out = ["---\ntitle: Tom &amp; Jerry\n---\n\n"]
    for k in range(sections):
        code = "".join(f"    step({k}, {i})  # Tom &amp; Jerry , x\n" for i in range((1, 4, 30, 90)[k % 4]))
        out.append(f"## Part {k}\n\n{PROSE[k % 4]} {PROSE[(k + 2) % 4]}\n\n```python\n{code}```\n\n"
                   f"| Tom &amp; Jerry | don&#39;t |\n|------|-------|\n| a , b | {k} |\n\n"
                   f"    Tom &amp; Jerry\n\n\n    don&#39;t , x\n\n<div>\nTom &amp; Jerry\n</div>\n\n"
                   f"{PROSE[(k + 1) % 4]}\n\n")
    return "".join(out)


def windowed_protection(text: str, window_lines: int) -> tuple[set[int], list]:
    """The protected lines of `text` as the Markdown windows give them (file line numbers), and the windows."""
    units = list(Markdown(window_lines=window_lines).split(split_lines(text), "doc.md"))
    assert "".join(u.text for u in units) == text
    return {max(u.base_line, 0) + i for u in units for i in u.protected}, units


# -- Markdown in windows ------------------------------------------------------------------------------

@pytest.mark.parametrize("window_lines", [7, 40, 200])
def test_markdown_windows_protect_what_the_whole_file_scan_protects(window_lines):
    text = markdown_doc(30)
    protected, units = windowed_protection(text, window_lines)
    assert len(units) > 5
    assert protected == protected_lines(text)
    lines = split_lines(text)
    # Windows are cut after a blank line between blocks where there is one, else inside a block
    # longer than the window: its lines stay protected on both sides of the cut.
    starts = [u.base_line for u in units[1:]]
    assert any(not lines[s - 1].strip() for s in starts)
    inside = [s for s in starts if s - 1 in protected and s in protected and lines[s].startswith("    step")]
    if window_lines < 90:
        assert inside


WORDS = ["Prose line here.", "a | b", "| a | b |", "|---|---|", "--- | ---", "---", "+++", "...", "```", "```py",
         "~~~", "````", "``` x ` y", "    code", "\tcode", "  \tx", "$$", "$$ x $$", "$$ a", "x $$", "<div>",
         "</div>", "<pre>", "</pre>", "<!-- c", "-->", "<!-- a -->", "[a]: http://x", '  "title"', "(t)", "- item",
         "> quote", "# H", "<br/>", "<?php"]
lines_ = st.lists(st.sampled_from(WORDS + [""] * 8), max_size=120)


@settings(max_examples=300, deadline=None)
@given(lines_, st.sampled_from(["\n", "\r\n"]), st.integers(3, 12))
def test_markdown_windows_protect_exactly_any_mix_of_blocks(words, ending, window_lines):
    """Any mix of block openers and closers, cut in windows of a few lines: the same protected lines
    as the whole-file scan. (Two blank lines in a row at most: a longer run after indented code, or
    unclosed front matter, can make the windows protect more, never less; tested below.)"""
    words = [w for k, w in enumerate(words) if w or k < 2 or words[k - 1] or words[k - 2]]
    text = "# Title\n" + "".join(w + ending for w in words)
    assert windowed_protection(text, window_lines)[0] == protected_lines(text)


@pytest.mark.parametrize("head", ["---\n", "```\n", "    code\n" + "\n" * 40])
def test_a_block_open_for_many_windows_stays_protected(head):
    """Front matter that is never closed is no front matter, but that is known only at the end of
    the file: windows cut before then protect it. An unclosed fence protects to the end of the file,
    in every window; a long run of blank lines after indented code is protected too."""
    text = head + "".join(f"{PROSE[k % 4]}\n\n" for k in range(40))
    protected, units = windowed_protection(text, 6)
    assert len(units) > 5
    assert protected >= protected_lines(text)
    if head == "```\n":
        assert protected == protected_lines(text) == set(range(len(split_lines(text))))


def _run(*args, env=None, cwd=None):
    proc = subprocess.run([sys.executable, "-m", "scrubber", *map(str, args)], capture_output=True,
                          env={**os.environ, **(env or {})}, cwd=cwd)
    return proc.returncode, proc.stdout, proc.stderr.decode("utf-8", "replace")


def _log(path) -> list[dict]:
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    for r in records:
        r.pop("windows", None)
    return records


def test_a_markdown_file_in_windows_cleans_and_logs_as_it_does_whole(tmp_path):
    path = tmp_path / "doc.md"
    text = "\ufeff" + markdown_doc(40)
    path.write_text(text, encoding="utf-8")
    runs = {}
    for window in (None, "40"):
        log = tmp_path / f"log-{window}.jsonl"
        code, out, err = _run("clean", *LOCAL_RULES, "--log", log, path,
                              env={"SCRUBBER_WINDOW_LINES": window} if window else None)
        assert code == 0, err
        runs[window] = out, log
    (whole, whole_log), (windowed, windowed_log) = runs[None], runs["40"]
    assert windowed == whole and whole != text.encode()
    assert json.loads(windowed_log.read_text(encoding="utf-8").splitlines()[0])["windows"] > 20
    assert _log(windowed_log) == _log(whole_log)
    # Code, tables, HTML blocks and front matter kept their entities; prose lost them.
    assert whole.count(b"&amp;") == text.count("&amp;") - text.count(PROSE[2])
    restored_path = tmp_path / "clean.md"
    restored_path.write_bytes(windowed)
    code, restored, err = _run("restore", "--log", windowed_log, restored_path)
    assert code == 0 and restored == text.encode(), err


def test_explain_shows_a_big_markdown_file_whole(tmp_path):
    path = tmp_path / "doc.md"
    text = markdown_doc(12)
    path.write_text(text, encoding="utf-8")
    code, out, err = _run("explain", *LOCAL_RULES, path, env={"SCRUBBER_WINDOW_LINES": "40"})
    assert code == 0, err
    rows = [r for r in out.decode().splitlines() if r.split()[0].isdigit()]  # not the rows of details
    assert [int(r.split()[0]) for r in rows] == list(range(1, len(split_lines(text)) + 1))
    marks = {int(r.split()[0]) - 1 for r in rows if r.split()[1] == "keep*"}
    assert marks == protected_lines(text)



# -- clean --diff, window by window ---------------------------------------------------------------------

def apply_diff(text: str, diff: str) -> str:
    """`diff` (one file's unified diff) applied to `text`, checking every context and removed line."""
    old = text.splitlines(keepends=True)
    rows = split_lines(diff)  # a diff's rows end with "\n"; the lines of text in them are str.splitlines's
    assert not rows or (rows[0].startswith("--- a/") and rows[1].startswith("+++ b/"))
    out, pos, k = [], 0, 2
    while k < len(rows):
        m = re.match(r"@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@\n$", rows[k])
        assert m, rows[k]
        first, length = int(m.group(1)), int(m.group(2) or 1)
        start = first - 1 if length else first
        assert start >= pos, "hunks overlap or are out of order"
        out += old[pos:start]
        pos, k, counts = start, k + 1, [0, 0]
        while k < len(rows) and not rows[k].startswith("@@"):
            row, k = rows[k], k + 1
            if k < len(rows) and rows[k] == "\\ No newline at end of file\n":
                row, k = row[:-1], k + 1
            mark, line = row[0], row[1:]
            if mark in " -":
                assert old[pos] == line, (pos, old[pos], line)
                pos += 1
                counts[0] += 1
            if mark in " +":
                out.append(line)
                counts[1] += 1
        assert counts == [length, int(m.group(4) or 1)], "a hunk's header does not count its lines"
    return "".join(out + old[pos:])


def unified_diff(name: str, before: str, after: str) -> str:
    """What `clean --diff` printed before it streamed: difflib over the whole texts."""
    rows = difflib.unified_diff(before.splitlines(keepends=True), after.splitlines(keepends=True), f"a/{name}",
                                f"b/{name}")
    return "".join(r if r.endswith("\n") else r + "\n\\ No newline at end of file\n" for r in rows)


def stream_diff(name: str, chunks: list[tuple[str, str]]) -> str:
    out: list[str] = []
    diff = StreamDiff(name, out.append)
    for k, (before, after) in enumerate(chunks):
        diff.feed(before, after, final=k == len(chunks) - 1)
    return "".join(out)


texts = st.lists(st.sampled_from(["a\n", "b\n", "Menu\n", "\n", "c\r\n", "x\ry\n", "f\x0cg\n", "tail", "z\r"]),
                 max_size=60).map("".join)


@settings(max_examples=300, deadline=None)
@given(texts, st.data())
def test_a_text_in_one_chunk_gets_difflibs_diff(before, data):
    after = data.draw(st.sampled_from([before.replace("Menu\n", ""), before.replace("b", "B"), before[::-1], ""]))
    assert stream_diff("f.txt", [(before, after)]) == (unified_diff("f.txt", before, after) if before != after else "")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(texts, st.integers(0, 3)), min_size=1, max_size=8))
def test_a_diff_in_chunks_applies_to_give_the_clean_text(pieces):
    """Chunks end at the same place on both sides (as units do), not always at a line break on the
    clean side; hunks may span chunks."""
    chunks = []
    for before, how in pieces:
        after = (before.replace("Menu\n", ""), before.replace("b", "B"), before.rstrip("\n"),
                 before[:len(before) // 2])[how]
        chunks.append((before, after))
    before, after = "".join(b for b, _ in chunks), "".join(a for _, a in chunks)
    assert apply_diff(before, stream_diff("f.txt", chunks)) == after


@pytest.mark.parametrize("kind", ["txt", "md"])
def test_the_diff_of_a_file_in_many_windows_applies_to_give_the_clean_output(tmp_path, kind):
    name = f"big.{kind}"
    text = markdown_doc(30) if kind == "md" else "\n\n".join(read(p) for p in SEEDS * 2)
    text = text.replace("## Part 7\n", "## Part 7\n\nMenu\n\n").rstrip("\n")  # no line feed at the end
    (tmp_path / name).write_text(text, encoding="utf-8")
    env = {"SCRUBBER_WINDOW_LINES": "40"}
    rules = LOCAL_RULES if kind == "md" else ()
    code, clean, err = _run("clean", *rules, name, env=env, cwd=tmp_path)
    assert code == 0, err
    code, diff, err = _run("clean", *rules, "--diff", name, env=env, cwd=tmp_path)
    assert code == 0, err
    diff = diff.decode("utf-8")
    assert diff.count("\n@@ ") > 5 and diff.startswith(f"--- a/{name}\n+++ b/{name}\n@@ ")
    assert apply_diff(text, diff) == clean.decode("utf-8") != text
    for tool in (["patch", "-p1", "--quiet"], ["git", "apply", "-p1"]):
        if shutil.which(tool[0]):
            proc = subprocess.run(tool, input=diff.encode(), cwd=tmp_path, capture_output=True)
            assert proc.returncode == 0, (tool, proc.stdout, proc.stderr)
            assert (tmp_path / name).read_bytes() == clean, tool
            (tmp_path / name).write_text(text, encoding="utf-8")


def test_the_diff_of_a_file_in_one_window_is_difflibs(tmp_path):
    for p in SEEDS[:4]:
        code, diff, err = _run("clean", "--diff", p)
        assert code == 0, err
        code, clean, err = _run("clean", p)
        assert diff.decode("utf-8") == unified_diff(str(p), read(p), clean.decode("utf-8")) != ""



@pytest.mark.parametrize("chunk_chars", [200, 10**9])
def test_the_diff_of_a_jsonl_file_in_chunks_applies(monkeypatch, chunk_chars):
    """JSONL records are gathered into chunks of about DIFF_CHUNK_CHARS; lines that are not records
    ride with the record after them. In one chunk, the diff is difflib's."""
    from scrubber import cli
    from scrubber.engine import Cleaner
    from scrubber.formats import format_for
    from scrubber.runner import clean_units

    records = [json.dumps({"id": k, "text": f"Menu\n{PROSE[k % 4]}\n" if k % 3 else PROSE[k % 4]}) + "\n"
               for k in range(40)]
    text = "".join(r + ("\nnot a record\n" if k % 7 == 0 else "") for k, r in enumerate(records))
    form = format_for("c.jsonl").with_options(quiet=True)
    pairs = list(clean_units(Cleaner(), form.split(split_lines(text), "c.jsonl")))
    clean = "".join(form.join(pairs))
    monkeypatch.setattr(cli, "DIFF_CHUNK_CHARS", chunk_chars)
    out: list[str] = []
    cli._write_diff("c.jsonl", form, iter(pairs), out.append)
    diff = "".join(out)
    assert apply_diff(text, diff) == clean != text
    if chunk_chars > len(text):
        assert diff == unified_diff("c.jsonl", text, clean)


# -- memory ------------------------------------------------------------------------------------------

MARKDOWN_MB = int(os.environ.get("SCRUBBER_MARKDOWN_MB", "20"))


def test_a_big_markdown_file_streams_in_bounded_memory(tmp_path, pack):
    """MARKDOWN_MB megabytes of Markdown (100 in the measurement in the README) through `clean`, and
    half of that through `clean --diff` (difflib's matching takes most of its time): the peak stays
    within 40 MB of the same command's on a small file. Read whole, the file took 12 times its size."""
    section = markdown_doc(40).replace("## Part", "Menu\n\n## Part")  # TST001 drops the Menu lines
    small, out = tmp_path / "small.md", tmp_path / "out.md"
    small.write_text(section, encoding="utf-8")
    for args, megabytes in (((), MARKDOWN_MB), (("--diff",), MARKDOWN_MB // 2)):
        big = tmp_path / "big.md"
        with open(big, "w", encoding="utf-8") as fh:
            for _ in range(megabytes * 1_000_000 // len(section) + 1):
                fh.write(section)
        with open(os.devnull, "wb") as null:
            baseline = _peak_mb(pack, *args, small, stdout=null)
        with open(out, "wb") as fh:
            peak = _peak_mb(pack, *args, big, stdout=fh)
        assert peak < baseline + 40, (args, baseline, peak)
        menus = big.read_text(encoding="utf-8").count("\nMenu\n")
        if args:
            assert out.read_bytes().count(b"\n-Menu\n") == menus
        else:
            assert out.read_bytes().count(b"\nMenu\n") == 0 < menus


def test_a_document_cleaned_in_windows_is_named_once_on_stderr(tmp_path):
    """A text long enough to be cleaned in windows is one document to scrubber: `clean` and `check`
    say so once for it (pages concatenated into one file clean better one per file or as JSONL),
    and say nothing of a text cleaned whole."""
    para = "The council met on Tuesday evening and voted on the plan for the new bus lane along the road.\n"
    long_text = tmp_path / "long.txt"
    long_text.write_text("Menu\n\n" + "\n".join([para] * 60), encoding="utf-8")
    short_text = tmp_path / "short.txt"
    short_text.write_text("Menu\n\n" + para, encoding="utf-8")
    env = {"SCRUBBER_WINDOW_LINES": "40"}
    for command in ("clean", "check"):
        _, _, err = _run(command, long_text, env=env)
        assert err.count("cleaned in windows") == 1 and "long.txt" in err, (command, err)
        _, _, err = _run(command, short_text, env=env)
        assert "cleaned in windows" not in err, (command, err)

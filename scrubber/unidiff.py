"""Unified diffs written as a file is cleaned, in bounded memory (`clean --diff`).

Holding a big file and its clean text whole to diff them would take several copies of the file (and
difflib's time grows faster than the text), so the two texts come in chunks that end at the same
place on both sides: a window of a text, or some JSONL records. Each pair of chunks is matched on its
own (difflib.SequenceMatcher), and the matches are grouped into hunks over the whole file as
`difflib.unified_diff` groups them: line numbers are the file's, and a hunk near a chunk's edge gets
its context from the next chunk or the last one. A text that comes in one chunk gets difflib's very
diff. A hunk is spooled (to a temporary file past a few MB) until it ends, since its header gives
its length.
"""
from __future__ import annotations

import difflib
import tempfile
from typing import Callable

SPOOL_BYTES = 8_000_000


class StreamDiff:
    """`feed` the texts chunk by chunk (the last one with final=True); the diff goes to `write` in
    pieces, nothing at all when the texts are the same."""

    def __init__(self, name: str, write: Callable[[str], None], context: int = 3):
        self.write = write
        self.header = f"--- a/{name}\n+++ b/{name}\n"  # written before the first hunk
        self.n = context
        self.lines_a = self.lines_b = 0  # lines of each side fed so far
        self.rest_a = self.rest_b = ""  # a last line that the next chunk may go on with
        self.lead: list[str] = []  # up to n unchanged lines before the next change (no hunk open)
        self.hunk = None  # the open hunk's spool, with its first line and length on each side
        self.start_a = self.start_b = self.len_a = self.len_b = 0
        self.between: list[str] = []  # unchanged lines after the open hunk's last change

    def feed(self, before: str, after: str, final: bool = False) -> None:
        a, self.rest_a = _lines(self.rest_a + before, final)
        b, self.rest_b = _lines(self.rest_b + after, final)
        for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b).get_opcodes():
            if tag == "equal":
                self._same(a[i1:i2])
            else:
                self._change(self.lines_a + i1, self.lines_b + j1, a[i1:i2], b[j1:j2])
        self.lines_a += len(a)
        self.lines_b += len(b)
        if final and self.hunk is not None:
            self._close(self.between[:self.n])

    def _same(self, lines: list[str]) -> None:
        if self.hunk is None:
            self.lead = _last(self.lead + lines, self.n)
            return
        self.between += lines
        if len(self.between) > 2 * self.n:  # a long unchanged run ends the hunk
            rest = self.between
            self._close(rest[:self.n])
            self.lead = _last(rest, self.n)

    def _change(self, at_a: int, at_b: int, removed: list[str], added: list[str]) -> None:
        """Lines `removed` at line `at_a` of the text (0-based), `added` at line `at_b` of the clean text."""
        if self.hunk is None:
            self.hunk = tempfile.SpooledTemporaryFile(SPOOL_BYTES, "w+", encoding="utf-8", errors="surrogatepass",
                                                      newline="")
            self.start_a, self.start_b = at_a - len(self.lead), at_b - len(self.lead)
            self.len_a = self.len_b = 0
            self.between, self.lead = self.lead, []
        self._out(" ", self.between)
        self._out("-", removed)
        self._out("+", added)
        self.len_a += len(self.between) + len(removed)
        self.len_b += len(self.between) + len(added)
        self.between = []

    def _out(self, mark: str, lines: list[str]) -> None:
        self.hunk.write("".join(_line(mark + line) for line in lines))

    def _close(self, context: list[str]) -> None:
        self._out(" ", context)
        self.len_a += len(context)
        self.len_b += len(context)
        self.write(self.header + f"@@ -{_range(self.start_a, self.len_a)} +{_range(self.start_b, self.len_b)} @@\n")
        self.header = ""
        self.hunk.seek(0)
        while block := self.hunk.read(1 << 20):
            self.write(block)
        self.hunk.close()
        self.hunk = None
        self.between = []


def _lines(text: str, final: bool) -> tuple[list[str], str]:
    """The lines of `text` as difflib.unified_diff's users split them (str.splitlines), and, unless
    `final`, the last one held back when the next chunk may go on with it (no line break yet, or a
    "\\r" that a "\\n" may follow)."""
    lines = text.splitlines(keepends=True)
    if final or not lines:
        return lines, ""
    last = lines[-1]
    if last.endswith("\r") or last.splitlines()[0] == last:
        return lines[:-1], last
    return lines, ""


def _last(lines: list[str], n: int) -> list[str]:
    return lines[max(0, len(lines) - n):]


def _line(line: str) -> str:
    """A diff line ends with a line feed; a text's last line that has none is marked, as patch expects."""
    return line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"


def _range(start: int, length: int) -> str:
    """A hunk's range as difflib writes it: 1-based first line and length, an empty one after the line before."""
    if length == 1:
        return f"{start + 1}"
    return f"{start + 1 if length else start},{length}"

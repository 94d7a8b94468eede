"""Markdown: one document per file, with every line that is not prose protected.

Front matter (YAML `---` or TOML `+++` at the top), fenced code (``` or ~~~), indented code, math
blocks (`$$`), tables, link and footnote definitions and HTML blocks are handed to the engine as
protected lines: no rule may change them, although detectors still see them. Only the remaining
lines (paragraphs, headings, list items, block quotes) are judged.

The scanner is deliberately conservative: when a line could be code or could be prose (an indented
list continuation, say), it is protected. Protecting too much only leaves junk in place; protecting
too little could change someone's code.

It reads a line at a time, so that a big file streams: like plain text, it is cleaned in windows
(`PlainText`), cut after a blank line outside any block where there is one, else where the lines
before the cut are settled (see `Scanner`). Each line's protection is the one a scan of the whole
file gives. Only a file whose front matter or trailing blank lines after indented code stay open
for two windows is cut with them protected whatever follows (protecting more, never less).
"""
from __future__ import annotations

import re
from typing import Iterable, Iterator

from . import PlainText, windows
from ..document import BOM

FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$")
MATH_FENCE = re.compile(r"^ {0,3}\$\$")
INDENTED = re.compile(r"^(?: {4}|\t| {0,3}\t)")
LINK_DEF = re.compile(r"^ {0,3}\[[^\]\n]+\]:")
TABLE_DELIM = re.compile(r"^ {0,3}\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")
TABLE_ROW = re.compile(r"^ {0,3}\|")
HTML_START = re.compile(r"^ {0,3}<(?:[A-Za-z][A-Za-z0-9-]*(?:[\s/>]|$)|/[A-Za-z][A-Za-z0-9-]*\s*>"
                        r"|!--|\?|![A-Za-z]|!\[CDATA\[)")
HTML_RAW = re.compile(r"^ {0,3}<(script|pre|style|textarea)(?:[\s>]|$)", re.IGNORECASE)

# What the scanner is in: between blocks, or inside one (the block's name).
TOP, FRONT, FRONT_KEPT, FENCED, MATH, RAW_HTML, COMMENT, HTML, INDENTED_CODE, TABLE, LINK = range(11)


def _blank(line: str) -> bool:
    return not line.strip()


class Scanner:
    """Finds the protected lines of a Markdown text fed to it a line at a time (`feed`, then `finish`).

    `protected` gathers the 0-based indexes of protected lines. A line's protection can wait on lines
    after it: an opening `---` is front matter only if a closing one follows, blank lines after
    indented code are code only if more indented code follows, and a line with a `|` is a table's
    header only if a delimiter row follows. `settled` counts the leading lines whose protection is
    known; `breaks` lists the positions after a blank line outside any block, where a text can be
    cut and each side scanned on its own to the same result."""

    def __init__(self) -> None:
        self.n = 0  # lines fed
        self.protected: set[int] = set()
        self.settled = 0
        self.breaks: list[int] = []
        self._state = TOP
        self._prev: str | None = None  # the line before (a table's header is the row above its delimiter)
        self._mark = ""  # the open fence, the raw HTML block's closing tag, or the front matter's opener
        self._front: list[str] = []  # lines since an opening `---` while it may not be front matter
        self._blanks: list[int] = []  # blank lines after indented code, code if more of it follows
        self._header = False  # the last line is plain and has a `|`: a table's header if a delimiter follows

    def feed(self, piece: str) -> None:
        """The next line, its ending included or not."""
        line = (piece[:-1] if piece.endswith("\n") else piece).rstrip("\r")
        if self.n == 0 and line.lstrip(BOM).rstrip() in ("---", "+++"):
            self._mark = line.lstrip(BOM).rstrip()
            self._state = FRONT
        self._line(self.n, line)
        self.n += 1
        self._prev = line
        state = self._state
        if state == FRONT:
            self.settled = 0
        elif state == INDENTED_CODE and self._blanks:
            self.settled = self._blanks[0]
        else:
            self.settled = self.n - 1 if self._header else self.n
            if state == TOP and _blank(line):
                self.breaks.append(self.n)

    def finish(self) -> None:
        """The end of the text: what waited on more lines is settled."""
        if self._state == FRONT:  # never closed: a thematic break, and the lines after it are read again
            lines = self._front
            self.__init__()
            for line in lines:
                self._line(self.n, line)
                self.n += 1
                self._prev = line
        self._header = False
        self._blanks = []
        self.settled = self.n

    def settle(self) -> None:
        """Settle now what still waits on more lines by protecting it (a block too long to wait for)."""
        if self._state == FRONT:
            self.protected.update(range(self.n))
            self._state, self._front = FRONT_KEPT, []
        if self._header:
            self.protected.add(self.n - 1)
            self._header = False
        self.protected.update(self._blanks)
        self._blanks = []
        self.settled = self.n

    def take(self, start: int, end: int) -> frozenset[int]:
        """The protected lines among lines start..end-1 (settled), counted from `start`; forgotten here."""
        assert end <= self.settled, "taking lines whose protection is not known yet"
        done = {i for i in self.protected if i < end}
        self.protected -= done
        self.breaks = [b for b in self.breaks if b > end]
        return frozenset(i - start for i in done if i >= start)

    def _line(self, i: int, line: str) -> None:
        state = self._state
        if state == TOP:
            self._top(i, line)
        elif state == FRONT:
            self._front.append(line)
            if i and self._closes_front_matter(line):
                self.protected.update(range(i + 1))
                self._state, self._front = TOP, []
        elif state == FRONT_KEPT:
            self.protected.add(i)
            if self._closes_front_matter(line):
                self._state = TOP
        elif state == FENCED:
            self.protected.add(i)
            close = FENCE.match(line)
            if close and close.group(1)[0] == self._mark[0] and len(close.group(1)) >= len(self._mark) \
                    and not close.group(2).strip():
                self._state = TOP
        elif state == MATH:
            self.protected.add(i)
            if "$$" in line:
                self._state = TOP
        elif state == RAW_HTML:
            self.protected.add(i)
            if self._mark in line.lower():
                self._state = TOP
        elif state == COMMENT:
            self.protected.add(i)
            if "-->" in line:
                self._state = TOP
        elif state == HTML:  # to the next blank line
            if _blank(line):
                self._state = TOP
                self._top(i, line)
            else:
                self.protected.add(i)
        elif state == INDENTED_CODE:
            # Indented code, a list item's indented continuation, or a paragraph's indented lazy
            # continuation: to the last indented line before a line that is not indented, blank
            # lines inside included. Every indented line is protected, whatever precedes it: were it
            # protected only after a blank line or in a list, removing the line before it could
            # unprotect it, and cleaning the output again would change it (not idempotent).
            if _blank(line):
                self._blanks.append(i)
            elif INDENTED.match(line):
                self.protected.update(self._blanks)
                self.protected.add(i)
                self._blanks = []
            else:
                self._blanks = []
                self._state = TOP
                self._top(i, line)
        elif state == TABLE:
            if not _blank(line) and "|" in line:
                self.protected.add(i)
            else:
                self._state = TOP
                self._top(i, line)
        elif state == LINK:  # a definition's title may sit on the next line, indented or quoted
            self._state = TOP
            if not _blank(line) and line.lstrip()[:1] in "\"'(":
                self.protected.add(i)
            else:
                self._top(i, line)

    def _closes_front_matter(self, line: str) -> bool:
        """Whether the line closes the front matter opened by `_mark` (YAML `---`, TOML `+++`)."""
        return line.rstrip() in (("---", "...") if self._mark == "---" else ("+++",))

    def _top(self, i: int, line: str) -> None:
        """A line between blocks: it may open one."""
        self._header = False
        fence = FENCE.match(line)
        if fence and not (fence.group(1)[0] == "`" and "`" in fence.group(2)):
            self._mark = fence.group(1)
            self._state = FENCED
        elif MATH_FENCE.match(line):
            if not line.strip()[2:].rstrip().endswith("$$"):
                self._state = MATH
        elif HTML_START.match(line):
            raw = HTML_RAW.match(line)
            if raw:
                self._mark = f"</{raw.group(1).lower()}>"
                self._state = TOP if self._mark in line.lower() else RAW_HTML
            elif line.lstrip().startswith("<!--"):
                self._state = TOP if "-->" in line else COMMENT
            else:
                self._state = HTML
        elif not _blank(line) and INDENTED.match(line):
            self._state = INDENTED_CODE
        elif LINK_DEF.match(line):
            self._state = LINK
        elif TABLE_DELIM.match(line) and "|" in line and self._prev is not None and "|" in self._prev \
                and not _blank(self._prev):
            self.protected.add(i - 1)
            self._state = TABLE
        elif not (TABLE_ROW.match(line) and line.rstrip().endswith("|")):
            self._header = "|" in line  # plain: prose
            return
        self.protected.add(i)


def protected_lines(text: str) -> frozenset[int]:
    """0-based indexes of the lines of `text` (split on "\\n") that are not prose."""
    scan = Scanner()
    pieces = text.split("\n")
    if pieces[-1] == "" and len(pieces) > 1:
        pieces.pop()
    for line in pieces:
        scan.feed(line)
    scan.finish()
    return frozenset(scan.protected)


class Markdown(PlainText):
    """The whole file is one document (cleaned in windows when big, as plain text is); its code, front
    matter, tables and the like are protected."""

    name = "markdown"
    extensions = (".md", ".markdown", ".mdown", ".mkd", ".mkdn")

    def _windows(self, lines: Iterable[str]) -> Iterator[tuple[list[str], frozenset[int]]]:
        scan = Scanner()

        def scanned():
            for piece in lines:
                scan.feed(piece[1:] if scan.n == 0 and piece.startswith(BOM) else piece)
                yield piece
            scan.finish()

        def cut(buf: list[str], start: int) -> int:
            low = start + len(buf) * 3 // 4 + 1  # after a blank line in the window's last quarter, as for text
            for b in reversed(scan.breaks):
                if b >= low:
                    return b - start
                break
            if scan.settled - start >= len(buf) // 2:  # else after the last settled line
                return scan.settled - start
            if len(buf) >= 2 * self.window_lines or sum(map(len, buf)) >= 2 * self.window:
                scan.settle()  # an open block two windows long: cut it, protected
                return len(buf)
            return 0  # wait for the block to close

        start = 0
        for window in windows(scanned(), self.window, self.window_lines, cut):
            yield window, scan.take(start, start + len(window))
            start += len(window)

"""File formats: how a file becomes documents to clean, and cleaned documents a file again.

A format reads the file's lines (each with its line ending, so nothing is lost) and splits them into
`Unit`s: one document each, with the lines no rule may touch. It then joins the cleaned units back
into output text, keeping everything that is not a document exactly as it was. Both sides are
iterators, so a format can stream: the CLI never needs the whole file in memory.
"""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from typing import Any, Iterable, Iterator, Protocol

from ..document import BOM
from ..engine import Result
from ..io import split_lines


@dataclass(frozen=True)
class Unit:
    id: str  # names the document in messages and in the change log: a path, or a path and JSONL id
    text: str
    protected: frozenset[int] = frozenset()  # 0-based lines of `text` that no rule may change
    meta: Any = None  # the format's own data for joining (e.g. a JSONL record and its raw line)
    # A document too big to clean at once is cleaned in windows: `part` numbers them (-1: the whole
    # document), `last` marks the final one, and `base_offset` / `base_line` place the window in the
    # document, so that change records keep the document's own offsets and line numbers.
    part: int = -1
    last: bool = True
    base_offset: int = 0  # code points before the window (a leading BOM not counted)
    base_line: int = 0  # lines before the window


class Format(Protocol):
    name: str

    def split(self, lines: Iterable[str], source: str) -> Iterator[Unit]:
        """Documents from the file's lines (each line keeps its ending)."""

    def join(self, cleaned: Iterable[tuple[Unit, Result]]) -> Iterator[str]:
        """The output text, piece by piece, in input order."""


# A text of more lines than this is cleaned in windows of about this many lines: the engine's memory
# goes mostly by lines, so a few huge lines (a blob, a book without line breaks) stay in one window
# unless they pass WINDOW_CHARS together. (20,000 until 2026-11-24: PAGE001's features had grown to
# about 10 MB of transient memory per thousand lines, and a 50 MB file of dev pages peaked at 349 MB;
# 243 MB with 10,000. One dev page of 710 has more lines than that.)
WINDOW_LINES = 10_000
WINDOW_CHARS = 128_000_000


def windows(lines: Iterable[str], chars: int, count: int, cut) -> Iterator[list[str]]:
    """The lines in windows of about `count` lines or `chars` characters, the last one as it comes.
    When a window is full, `cut(buf, start)` says how many of its lines to send (`start`: the index of
    the first one in the file), or 0 to wait: it is asked again when a quarter more has come."""
    buf: list[str] = []
    size = start = 0
    full_chars, full_lines = chars, count
    for piece in lines:
        buf.append(piece)
        size += len(piece)
        if size < full_chars and len(buf) < full_lines:
            continue
        k = cut(buf, start)
        if not k:
            full_chars, full_lines = size + max(1, chars // 4), len(buf) + max(1, count // 4)
            continue
        yield buf[:k]
        start += k
        buf = buf[k:]
        size = sum(map(len, buf))
        full_chars, full_lines = chars, count
    if buf or not start:
        yield buf


class PlainText:
    """The whole file is one document. A huge one (a crawl dump, a book) is cleaned in windows of
    about WINDOW_LINES lines, cut before the last blank lines in the window where there are some,
    else between two lines: memory stays bounded whatever the size of the file."""

    name = "text"

    def __init__(self, window: int | None = None, window_lines: int | None = None):
        # SCRUBBER_WINDOW_LINES / _CHARS set the window (tests use small ones to exercise windowing).
        self.window = window or int(os.environ.get("SCRUBBER_WINDOW_CHARS", WINDOW_CHARS))
        self.window_lines = window_lines or int(os.environ.get("SCRUBBER_WINDOW_LINES", WINDOW_LINES))

    def split(self, lines: Iterable[str], source: str) -> Iterator[Unit]:
        part = offset = line = 0
        held = None  # a window, held until we know whether it is the last
        for window in self._windows(lines):
            if held is not None:
                unit = self._unit(source, held, part, False, offset, line)
                yield unit
                bom = len(BOM) if part == 0 and unit.text.startswith(BOM) else 0
                part, offset, line = part + 1, offset + len(unit.text) - bom, line + len(held[0])
            held = window
        if part == 0:
            yield Unit(source, "".join(held[0]), held[1])  # the usual case: one document, cleaned whole
        else:
            yield self._unit(source, held, part, True, offset, line)

    def whole(self, text: str, source: str) -> Unit:
        """The text as one document, however big (`explain` shows a document whole)."""
        (unit,) = type(self)(sys.maxsize, sys.maxsize).split(split_lines(text), source)
        return unit

    def _windows(self, lines: Iterable[str]) -> Iterator[tuple[list[str], frozenset[int]]]:
        """(lines, protected lines among them) per window."""
        for window in windows(lines, self.window, self.window_lines, self._cut):
            yield window, frozenset()

    @staticmethod
    def _cut(buf: list[str], start: int) -> int:
        # Before the window's last run of blank lines, wherever it is: pages joined by blank lines
        # then stay whole in one window (any page up to a window long), each cleaned alone
        # (`engine.pages_in`), and so in the next run, whose windows cut elsewhere. The blank lines
        # open the next window, not end this one: a window of one page would drop them as trailing
        # once the page's last lines went, which a blank line between two pages never is.
        for k in range(len(buf) - 1, 0, -1):
            if not buf[k].strip():
                while k > 1 and not buf[k - 1].strip():
                    k -= 1
                return k
        return len(buf)

    @staticmethod
    def _unit(source: str, window: tuple[list[str], frozenset[int]], part: int, last: bool, offset: int,
              line: int) -> Unit:
        return Unit(source, "".join(window[0]), window[1], part=part, last=last, base_offset=offset, base_line=line)

    def join(self, cleaned: Iterable[tuple[Unit, Result]]) -> Iterator[str]:
        for _, result in cleaned:
            yield result.text


from .jsonl import JsonLines  # noqa: E402  (they import Unit from here)
from .markdown import Markdown  # noqa: E402

FORMATS: dict[str, Format] = {"text": PlainText(), "markdown": Markdown(), "jsonl": JsonLines()}


def format_for(path: str, forced: str | None = None, **options) -> Format:
    """The format named by `forced`, else the one the file name suggests, else plain text.
    `options` (e.g. field="body" for JSONL) configure formats that take them; others ignore them."""
    form = FORMATS[forced] if forced else None
    if form is None:
        name = str(path).lower()
        form = next((f for f in FORMATS.values() if name.endswith(getattr(f, "extensions", ()))), FORMATS["text"])
    options = {k: v for k, v in options.items() if v is not None}
    return form.with_options(**options) if options and hasattr(form, "with_options") else form

"""Markdown: one document per file, with every line that is not prose protected.

Front matter (YAML `---` or TOML `+++` at the top), fenced code (``` or ~~~), indented code, math
blocks (`$$`), tables, link and footnote definitions and HTML blocks are handed to the engine as
protected lines: no rule may change them, although detectors still see them. Only the remaining
lines (paragraphs, headings, list items, block quotes) are judged.

The scanner is deliberately conservative: when a line could be code or could be prose (an indented
list continuation, say), it is protected. Protecting too much only leaves junk in place; protecting
too little could change someone's code.
"""
from __future__ import annotations

import re
from typing import Iterable, Iterator

from . import Unit

FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$")
MATH_FENCE = re.compile(r"^ {0,3}\$\$")
INDENTED = re.compile(r"^(?: {4}|\t| {0,3}\t)")
LINK_DEF = re.compile(r"^ {0,3}\[[^\]\n]+\]:")
TABLE_DELIM = re.compile(r"^ {0,3}\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")
TABLE_ROW = re.compile(r"^ {0,3}\|")
HTML_START = re.compile(r"^ {0,3}<(?:[A-Za-z][A-Za-z0-9-]*(?:[\s/>]|$)|/[A-Za-z][A-Za-z0-9-]*\s*>|!--|\?|![A-Za-z]|!\[CDATA\[)")
HTML_RAW = re.compile(r"^ {0,3}<(script|pre|style|textarea)(?:[\s>]|$)", re.IGNORECASE)


def _blank(line: str) -> bool:
    return not line.strip()


def _front_matter_end(lines: list[str]) -> int:
    """Index one past the front matter's closing fence, or 0 when there is none."""
    if not lines:
        return 0
    first = lines[0].lstrip("\ufeff").rstrip()
    if first not in ("---", "+++"):
        return 0
    closers = ("---", "...") if first == "---" else ("+++",)
    for i in range(1, len(lines)):
        if lines[i].rstrip() in closers:
            return i + 1
    return 0  # an unclosed `---` is a thematic break, not front matter


def protected_lines(text: str) -> frozenset[int]:
    """0-based indexes of the lines of `text` (split on "\\n") that are not prose."""
    lines = [line.rstrip("\r") for line in text.split("\n")]
    if lines and lines[-1] == "" and text.endswith("\n"):
        lines.pop()
    protected: set[int] = set()
    n = len(lines)
    i = _front_matter_end(lines)
    protected.update(range(i))
    while i < n:
        line = lines[i]
        fence = FENCE.match(line)
        if fence and not (fence.group(1)[0] == "`" and "`" in fence.group(2)):
            mark = fence.group(1)
            j = i + 1
            while j < n:
                close = FENCE.match(lines[j])
                if close and close.group(1)[0] == mark[0] and len(close.group(1)) >= len(mark) \
                        and not close.group(2).strip():
                    break
                j += 1
            protected.update(range(i, min(j, n - 1) + 1))
            i = j + 1
            continue
        if MATH_FENCE.match(line):
            rest = line.strip()[2:]
            j = i if rest.rstrip().endswith("$$") else i + 1
            while j < n and "$$" not in lines[j]:
                j += 1
            protected.update(range(i, min(j, n - 1) + 1))
            i = j + 1
            continue
        if HTML_START.match(line):
            raw = HTML_RAW.match(line)
            j = i
            if raw:
                closer = f"</{raw.group(1).lower()}>"
                while j < n and closer not in lines[j].lower():
                    j += 1
            elif line.lstrip().startswith("<!--"):
                while j < n and "-->" not in lines[j]:
                    j += 1
            else:
                while j + 1 < n and not _blank(lines[j + 1]):
                    j += 1
            protected.update(range(i, min(j, n - 1) + 1))
            i = j + 1
            continue
        if not _blank(line) and INDENTED.match(line):
            # Indented code, a list item's indented continuation, or a paragraph's indented lazy
            # continuation: to the last indented line before a line that is not indented, blank
            # lines inside included. Every indented line is protected, whatever precedes it: were it
            # protected only after a blank line or in a list, removing the line before it could
            # unprotect it, and cleaning the output again would change it (not idempotent).
            j = i
            last = i
            while j < n and (_blank(lines[j]) or INDENTED.match(lines[j])):
                if not _blank(lines[j]):
                    last = j
                j += 1
            protected.update(range(i, last + 1))
            i = last + 1
            continue
        if LINK_DEF.match(line):
            protected.add(i)
            # A definition's title may sit on the next line, indented or quoted.
            if i + 1 < n and not _blank(lines[i + 1]) and lines[i + 1].lstrip()[:1] in "\"'(":
                protected.add(i + 1)
                i += 1
        elif TABLE_DELIM.match(line) and "|" in line and i > 0 and "|" in lines[i - 1] and not _blank(lines[i - 1]):
            protected.update((i - 1, i))
            j = i + 1
            while j < n and not _blank(lines[j]) and "|" in lines[j]:
                protected.add(j)
                j += 1
            i = j
            continue
        elif TABLE_ROW.match(line) and line.rstrip().endswith("|"):
            protected.add(i)
        i += 1
    return frozenset(protected)


class Markdown:
    """The whole file is one document; its code, front matter, tables and the like are protected."""

    name = "markdown"
    extensions = (".md", ".markdown", ".mdown", ".mkd", ".mkdn")

    def split(self, lines: Iterable[str], source: str) -> Iterator[Unit]:
        text = "".join(lines)
        body = text[1:] if text.startswith("\ufeff") else text
        yield Unit(source, text, protected_lines(body))

    def join(self, cleaned) -> Iterator[str]:
        for _, result in cleaned:
            yield result.text

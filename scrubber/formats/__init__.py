"""File formats: how a file becomes documents to clean, and cleaned documents a file again.

A format reads the file's lines (each with its line ending, so nothing is lost) and splits them into
`Unit`s: one document each, with the lines no rule may touch. It then joins the cleaned units back
into output text, keeping everything that is not a document exactly as it was. Both sides are
iterators, so a format can stream: the CLI never needs the whole file in memory.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Iterator, Protocol

from ..engine import Result


@dataclass(frozen=True)
class Unit:
    id: str  # names the document in messages and in the change log: a path, or a path and JSONL id
    text: str
    protected: frozenset[int] = frozenset()  # 0-based lines of `text` that no rule may change
    meta: Any = None  # the format's own data for joining (e.g. a JSONL record and its raw line)


class Format(Protocol):
    name: str

    def split(self, lines: Iterable[str], source: str) -> Iterator[Unit]:
        """Documents from the file's lines (each line keeps its ending)."""

    def join(self, cleaned: Iterable[tuple[Unit, Result]]) -> Iterator[str]:
        """The output text, piece by piece, in input order."""


class PlainText:
    """The whole file is one document."""

    name = "text"

    def split(self, lines: Iterable[str], source: str) -> Iterator[Unit]:
        yield Unit(source, "".join(lines))

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

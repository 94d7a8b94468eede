"""JSON lines corpora: one document per line, in a string field (`text` unless told otherwise).

Only that field's value is cleaned. A record that does not change is written back as the very line
that was read, byte for byte. A record that changes keeps every other byte of its line too: the new
value is spliced in where the old one stood (same key order, same spacing, same escapes in the other
fields), written with `ensure_ascii=False`. Lines that are blank, not JSON objects, or lack a string
field are carried through unchanged (the latter two with a message on stderr).

Documents are named `SOURCE#ID` in messages and in the change log, ID being the record's `id` field
(configurable) when it is a string or a number, else `SOURCE:LINE`. Compressed corpora (`.jsonl.gz`,
`.jsonl.zst`) are (de)compressed on reading and writing by `scrubber.io`, as streams.
"""
from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from typing import Iterable, Iterator

from . import Unit

_DECODER = json.JSONDecoder()
_WS = re.compile(r"[ \t\n\r]*")
SURROGATE = re.compile("[\ud800-\udfff]")
MAX_WARNINGS = 5


@dataclass(frozen=True)
class Record:
    """What joining needs: the raw line and where the field's value sits in it."""

    raw: str  # the line as read, ending included
    start: int = -1  # the field value's span in `raw` (the JSON string, quotes included)
    end: int = -1
    carry: tuple[str, ...] = ()  # raw lines before this one that are not documents, written first


def field_span(line: str, field: str) -> tuple[object, int, int]:
    """(value, start, end) of a top-level key's value in a JSON object line; the last occurrence
    wins, as in json.loads. Raises ValueError when the line is not a JSON object."""
    pos = _WS.match(line, 0).end()
    if line[pos:pos + 1] != "{":
        raise ValueError("not a JSON object")
    pos = _WS.match(line, pos + 1).end()
    found: tuple[object, int, int] = (None, -1, -1)
    if line[pos:pos + 1] == "}":
        return found
    scanstring = json.decoder.scanstring
    while True:
        if line[pos:pos + 1] != '"':
            raise ValueError(f"expected a key at column {pos + 1}")
        key, pos = scanstring(line, pos + 1)
        pos = _WS.match(line, pos).end()
        if line[pos:pos + 1] != ":":
            raise ValueError(f"expected ':' at column {pos + 1}")
        pos = _WS.match(line, pos + 1).end()
        value, end = _DECODER.raw_decode(line, pos)
        if key == field:
            found = (value, pos, end)
        pos = _WS.match(line, end).end()
        if line[pos:pos + 1] == ",":
            pos = _WS.match(line, pos + 1).end()
            continue
        if line[pos:pos + 1] == "}":
            rest = line[pos + 1:]
            if rest.strip():
                raise ValueError(f"extra data after the object at column {pos + 2}")
            return found
        raise ValueError(f"expected ',' or '}}' at column {pos + 1}")


def dump_string(value: str) -> str:
    """A JSON string literal, non-ASCII kept as is; lone surrogates escaped (they cannot be UTF-8)."""
    text = json.dumps(value, ensure_ascii=False)
    return SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def literal_note(literal: str, value: str) -> dict:
    """What the change log keeps so that restoring a changed record writes its field back as the very
    `literal` (the original JSON string, quotes included) that held `value`: `join` writes a changed
    value with `dump_string`, so nothing when the original was written that way too; json.dumps's
    default (\\u escapes for all that is not ASCII) is noted as {"json_escapes": "ascii"}; any other
    spelling (escaped slashes, upper-case hex, ...) is kept whole, as {"json_literal": literal}."""
    if literal == dump_string(value):
        return {}
    if literal == json.dumps(value):
        return {"json_escapes": "ascii"}
    return {"json_literal": literal}


def original_literal(value: str, escapes: str = "", literal: str | None = None) -> str:
    """The field's original JSON string, from the restored value and the log's `literal_note`.
    Raises ValueError when a kept literal does not hold that value."""
    if literal is not None:
        if json.loads(literal) != value:
            raise ValueError("the logged JSON literal does not hold the restored text")
        return literal
    return json.dumps(value) if escapes == "ascii" else dump_string(value)


def splice(rec: Record, literal: str) -> str:
    """The record's line with the field's value replaced by `literal`."""
    return rec.raw[:rec.start] + literal + rec.raw[rec.end:]


class JsonLines:
    name = "jsonl"
    extensions = (".jsonl", ".ndjson", ".jsonl.gz", ".jsonl.zst", ".ndjson.gz", ".ndjson.zst")

    def __init__(self, field: str = "text", id_field: str = "id", quiet: bool = False):
        self.field = field
        self.id_field = id_field
        self.quiet = quiet  # no messages about lines left as they are (a pre-pass reads the file twice)

    def with_options(self, field: str | None = None, id_field: str | None = None, quiet: bool | None = None,
                     **_) -> "JsonLines":
        return JsonLines(field or self.field, self.id_field if id_field is None else id_field,
                         self.quiet if quiet is None else quiet)

    def split(self, lines: Iterable[str], source: str) -> Iterator[Unit]:
        carry: list[str] = []
        warnings = 0
        n = 0
        for n, raw in enumerate(lines, 1):
            body = raw.rstrip("\r\n")
            if not body.strip():
                carry.append(raw)
                continue
            problem = ""
            try:
                value, start, end = field_span(body, self.field)
                if start < 0:
                    problem = f"no '{self.field}' field"
                elif not isinstance(value, str):
                    problem = f"'{self.field}' is not a string"
            except ValueError as exc:
                problem = f"not a JSON object ({exc})"
            if problem:
                warnings += 1
                if warnings <= MAX_WARNINGS and not self.quiet:
                    sys.stderr.write(f"{source}:{n}: left as it is: {problem}\n")
                carry.append(raw)
                continue
            yield Unit(self._name(source, body, n), value, meta=Record(raw, start, end, tuple(carry)))
            carry = []
        if warnings > MAX_WARNINGS and not self.quiet:
            sys.stderr.write(f"{source}: {warnings - MAX_WARNINGS} more lines left as they are\n")
        if carry:
            # Lines after the last document ride on a unit of their own, with nothing to clean.
            yield Unit(f"{source}:{n + 1}", "", meta=Record("", carry=tuple(carry)))

    def _name(self, source: str, body: str, n: int) -> str:
        """SOURCE#ID from the record's id field, else SOURCE:LINE."""
        if self.id_field:
            value, start, _ = field_span(body, self.id_field)  # the line parsed once already
            if start >= 0 and isinstance(value, (str, int)) and not isinstance(value, bool) and str(value) != "":
                return f"{source}#{value}"
        return f"{source}:{n}"

    def join(self, cleaned) -> Iterator[str]:
        for unit, result in cleaned:
            rec: Record = unit.meta
            yield from rec.carry
            if not rec.raw or result.text == unit.text:
                yield rec.raw
            else:
                yield rec.raw[:rec.start] + dump_string(result.text) + rec.raw[rec.end:]

"""Change records: what scrubber did, precisely enough to replay the cleaning and to undo it.

Every record names the rule that made it and a span of the *original* document: `start` and `end`
are code-point offsets into the decoded text (a leading BOM excluded), `before` is exactly the text
that stood there and `after` what replaced it. Records of one document never overlap and are sorted,
so the clean text is the original with each span swapped, and the original is the clean text with
each swap reversed (`restore`). A dropped line is one record whose `before` is the line and its ending.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator, Sequence


@dataclass(frozen=True)
class Change:
    rule: str  # id of the rule that made the change, e.g. "HTML002"
    category: str  # the rule's category, e.g. "html_fragment"
    action: str  # "drop" (a whole line went) or "edit" (a span inside a kept line changed)
    line: int  # 1-based line number in the original
    start: int  # code-point offsets in the original text
    end: int
    before: str
    after: str
    evidence: str = ""  # why: the matched text, or the features a detector weighed
    also: tuple[str, ...] = field(default=())  # earlier rules whose edits this record absorbed

    @classmethod
    def quick(cls, rule: str, category: str, action: str, line: int, start: int, end: int, before: str,
              after: str, evidence: str, also: tuple[str, ...]) -> "Change":
        """`Change(...)` with every field given, built faster: a frozen dataclass's __init__ sets each
        field through object.__setattr__, and a page dump makes thousands of records (the 710 dev
        pages: 200,000)."""
        change = object.__new__(cls)
        change.__dict__.update(rule=rule, category=category, action=action, line=line, start=start, end=end,
                               before=before, after=after, evidence=evidence, also=also)
        return change

    def to_json(self) -> dict:
        # Field by field: dataclasses.asdict deep-copies every value, 10x slower (a log of the 710 dev
        # pages has 200,000 records).
        record = {"rule": self.rule, "category": self.category, "action": self.action, "line": self.line,
                  "start": self.start, "end": self.end, "before": self.before, "after": self.after}
        if self.evidence:
            record["evidence"] = self.evidence
        if self.also:
            record["also"] = list(self.also)
        return record

    @classmethod
    def from_json(cls, record: dict) -> "Change":
        fields = {k: record[k] for k in ("rule", "category", "action", "line", "start", "end", "before", "after")}
        return cls(**fields, evidence=record.get("evidence", ""), also=tuple(record.get("also", ())))


class LogMismatch(ValueError):
    """A change log that does not fit the text it is applied to."""


def text_hash(text: str) -> str:
    return "sha256:" + hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _check_order(changes: Sequence[Change]) -> None:
    prev_end = 0
    for c in changes:
        if c.start < prev_end or c.end < c.start:
            raise LogMismatch(f"change records overlap or are out of order at offset {c.start}")
        prev_end = c.end


def replay(original: str, changes: Sequence[Change], bom: str = "") -> str:
    """Apply recorded changes to the original text: the clean text, exactly."""
    body = original[len(bom):] if bom and original.startswith(bom) else original
    _check_order(changes)
    out, pos = [bom] if bom else [], 0
    for c in changes:
        if body[c.start:c.end] != c.before:
            raise LogMismatch(f"line {c.line}: the text at offset {c.start} is not what rule {c.rule} changed")
        out.append(body[pos:c.start])
        out.append(c.after)
        pos = c.end
    out.append(body[pos:])
    return "".join(out)


def restore(clean: str, changes: Sequence[Change], bom: str = "", original_hash: str | None = None) -> str:
    """Undo recorded changes on the clean text: the original text, exactly.

    A removed line leaves nothing behind to compare with, so only `original_hash` (the log's, or
    `Result.original_hash`) can prove that the log belongs to this text; give it when you have it."""
    body = clean[len(bom):] if bom and clean.startswith(bom) else clean
    _check_order(changes)
    out, pos, shift = [bom] if bom else [], 0, 0  # shift: clean offset minus original offset
    for c in changes:
        at = c.start + shift
        if at > len(body) or body[at:at + len(c.after)] != c.after:
            raise LogMismatch(f"line {c.line}: the clean text at offset {at} is not what rule {c.rule} wrote")
        out.append(body[pos:at])
        out.append(c.before)
        pos = at + len(c.after)
        shift += len(c.after) - (c.end - c.start)
    out.append(body[pos:])
    original = "".join(out)
    if original_hash is not None and text_hash(original) != original_hash:
        raise LogMismatch("the restored text does not match the original's hash: this log is not for this text")
    return original


def summarize(changes: Iterable[Change]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for c in changes:
        counts[c.rule] = counts.get(c.rule, 0) + 1
    return counts


# -- the change log: JSON lines, one document record followed by its change records ----------------

def document_record(doc: str, original_hash: str, clean_text: str, changes: Sequence[Change], *,
                    bom: str = "", refused: str = "", proposed: int = 0, unsettled: Sequence[str] = ()) -> dict:
    return document_header(doc, original_hash, text_hash(clean_text), len(changes), bom=bom, refused=refused,
                           proposed=proposed, unsettled=unsettled)


def document_header(doc: str, original_hash: str, clean_hash: str, changes: int, *, bom: str = "",
                    refused: str = "", proposed: int = 0, unsettled: Sequence[str] = ()) -> dict:
    """`document_record` from the clean text's hash and the number of changes (what a worker process
    hands back, or what the windows of a document add up to)."""
    record = {
        "type": "document", "doc": doc, "original_sha256": original_hash,
        "clean_sha256": clean_hash, "bom": bool(bom), "changes": changes,
        "offsets": "code points of the decoded text, BOM excluded",
    }
    if refused:
        record["refused"] = refused
        record["proposed"] = proposed
    if unsettled:
        record["unsettled"] = list(unsettled)
    return record


def change_records(doc: str, changes: Iterable[Change], kind: str = "change") -> Iterator[dict]:
    """The log records of a document's changes (`kind` "refused-change" for a refused document's
    proposals)."""
    for c in changes:
        yield {"type": kind, "doc": doc, **c.to_json()}


@dataclass
class LoggedDocument:
    doc: str
    original_hash: str
    clean_hash: str
    bom: bool
    changes: list[Change]
    run: int = 0  # which run of an appended log (`clean --append-log`) wrote it: 0, 1, ...
    # A JSONL record whose field was written other than as `formats.jsonl.dump_string` writes it:
    # "ascii" (json.dumps's default \u escapes) in `json_escapes`, else the original literal itself.
    json_escapes: str = ""
    json_literal: str | None = None


def read_log(lines: Iterable[str], on_cut: Callable[[str], None] | None = None) -> list[LoggedDocument]:
    """Parse a change log; raises LogMismatch on a record that does not belong to a document.

    With `on_cut`, a last line that is not JSON and has no line feed (a run killed while writing it)
    is left out, and `on_cut` is given a message saying so; anywhere else such a line is an error."""
    import json

    docs: list[LoggedDocument] = []
    run = 0
    cut: LogMismatch | None = None
    for n, line in enumerate(lines, 1):
        if cut is not None:  # the line was not the last
            raise cut
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            cut = LogMismatch(f"log line {n}: not JSON: {exc}")
            if on_cut is None or line.endswith("\n"):
                raise cut from None
            continue
        if not isinstance(record, dict):
            raise LogMismatch(f"log line {n}: not a record")
        if record.get("type") == "document":
            if not all(isinstance(record.get(k), str) for k in ("doc", "original_sha256", "clean_sha256")):
                raise LogMismatch(f"log line {n}: a document record needs doc, original_sha256, clean_sha256")
            escapes, literal = record.get("json_escapes", ""), record.get("json_literal")
            if escapes not in ("", "ascii") or not (literal is None or isinstance(literal, str)):
                raise LogMismatch(f"log line {n}: a document record with a mistyped json_escapes or json_literal")
            docs.append(LoggedDocument(record["doc"], record["original_sha256"], record["clean_sha256"],
                                       bool(record.get("bom")), [], run, escapes, literal))
        elif record.get("type") == "run":  # the start of a later run appended to the log
            run += 1
        elif record.get("type") == "change":
            if not docs or docs[-1].doc != record.get("doc"):
                raise LogMismatch(f"log line {n}: a change record with no document record before it")
            if not (all(type(record.get(k)) is int for k in ("line", "start", "end"))
                    and all(isinstance(record.get(k), str) for k in ("rule", "category", "action", "before", "after"))):
                raise LogMismatch(f"log line {n}: a change record with missing or mistyped fields")
            docs[-1].changes.append(Change.from_json(record))
    if cut is not None:
        on_cut(f"{cut}; left out, taken for a record cut short by a killed run (it has no line feed)")
    return docs

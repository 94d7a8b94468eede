"""The interface of rules that need more than a pattern.

A detector looks at the document's surviving lines together (runs, boxes, position, neighbours)
and proposes lines to drop; the engine decides, applies and records. A detector is catalogued like
every pattern rule: id, name, category, doc, and examples that are its tests.

Examples are whole documents. In `examples_drop`, the lines the detector must drop start with
`[drop] ` (the marker is removed to form the input); every other line must be kept. Each document in
`examples_keep` must come through the detector untouched.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Sequence

DROP_MARK = "[drop] "


@dataclass(frozen=True)
class Finding:
    """One line a detector wants dropped: its index in the list it was given, and why."""

    index: int
    evidence: str = ""

    @classmethod
    def quick(cls, index: int, evidence: str) -> "Finding":
        """`Finding(index, evidence)`, built faster (as `Change.quick`): a frozen dataclass's __init__
        sets each field through object.__setattr__, and PAGE001 finds 170,000 lines on the dev pages."""
        finding = object.__new__(cls)
        fields = finding.__dict__
        fields["index"] = index
        fields["evidence"] = evidence
        return finding


class Detector:
    id: ClassVar[str]
    name: ClassVar[str]
    category: ClassVar[str]
    doc: ClassVar[str]
    examples_drop: ClassVar[Sequence[str]] = ()
    examples_keep: ClassVar[Sequence[str]] = ()
    # A detector that needs to know what other rules removed (a box whose prompt line a pattern rule
    # already dropped) sets this; it then gets every line and the indexes of the removed ones.
    sees_removed: ClassVar[bool] = False
    # A detector that sets this is also told which lines no rule may touch (`protected=`, indexes in
    # the list it is given: a Markdown file's code, tables and front matter, the caller's `protected`,
    # lines too long for the rules). The engine never drops such a line, but only the detector can
    # keep one from being the *evidence* for dropping others (a newsletter prompt inside a code block
    # taken as the anchor of a box, a heading inside one taken as the start of a trailing section).
    # The rule its detectors follow: a protected line is content, never boilerplate or evidence of it.
    # With no protected lines a detector must find exactly what it finds without the argument.
    sees_protected: ClassVar[bool] = False
    # A detector whose evidence costs real time sets this; it is then called with explain=False when
    # the run does not need evidence (Options.explain), and gives a short one. Findings are the same.
    explains: ClassVar[bool] = False

    def find(self, lines: Sequence[str], removed: frozenset[int] = frozenset(), *,
             protected: frozenset[int] = frozenset()) -> list[Finding]:
        """Return the lines to drop. `lines` are the document's surviving lines (every line, with
        `removed` naming the dropped ones, when `sees_removed` is set), in order, without their line
        endings; blank lines are included as they are (possibly white space only). `protected` is
        given only to a detector that sets `sees_protected`."""
        raise NotImplementedError


def split_example(example: str) -> tuple[list[str], set[int]]:
    """Turn a marked example into (input lines, indexes expected to be dropped)."""
    lines, marked = [], set()
    for i, line in enumerate(example.split("\n")):
        if line.startswith(DROP_MARK):
            marked.add(i)
            line = line[len(DROP_MARK):]
        lines.append(line)
    return lines, marked

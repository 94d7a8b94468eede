"""A document as scrubber sees it: lines with their endings, so that nothing about the bytes is lost.

Lines are split on "\\n" only; a "\\r" before it belongs to the line ending ("\\r\\n"), and a lone "\\r"
stays inside the line's content (old Mac files are rare, and treating them as content keeps the
round trip exact). A leading BOM is held apart from the text and written back unchanged.
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import accumulate, count
from operator import add

BOM = "\ufeff"


@dataclass
class Document:
    bom: str
    contents: list[str]  # each line without its ending
    endings: list[str]  # "\n", "\r\n" or "" (only the last line can lack an ending)
    starts: list[int]  # code-point offset of each line in the text (BOM excluded)

    @classmethod
    def parse(cls, text: str) -> "Document":
        bom = BOM if text.startswith(BOM) else ""
        body = text[len(bom):]
        pieces = body.split("\n")
        last = pieces.pop()  # what follows the last "\n": "" when the text ends with one (or is empty)
        # Offsets: each piece is followed by its "\n".
        starts = list(map(add, accumulate(map(len, pieces), initial=0), count()))
        if "\r" in body:
            endings = ["\r\n" if p[-1:] == "\r" else "\n" for p in pieces]
            contents = [p[:-1] if p[-1:] == "\r" else p for p in pieces]
        else:
            endings = ["\n"] * len(pieces)
            contents = pieces
        if last:
            contents.append(last)
            endings.append("")
        else:
            starts.pop()
        return cls(bom, contents, endings, starts)

    def __len__(self) -> int:
        return len(self.contents)

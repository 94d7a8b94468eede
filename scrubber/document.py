"""A document as scrubber sees it: lines with their endings, so that nothing about the bytes is lost.

Lines are split on "\\n" only; a "\\r" before it belongs to the line ending ("\\r\\n"), and a lone "\\r"
stays inside the line's content (old Mac files are rare, and treating them as content keeps the
round trip exact). A leading BOM is held apart from the text and written back unchanged.
"""
from __future__ import annotations

from dataclasses import dataclass

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
        contents, endings, starts = [], [], []
        pos = 0
        last = len(pieces) - 1
        for i, piece in enumerate(pieces):
            if i == last:
                if piece == "":  # text ended with a newline (or was empty): no line here
                    break
                contents.append(piece)
                endings.append("")
            elif piece.endswith("\r"):
                contents.append(piece[:-1])
                endings.append("\r\n")
            else:
                contents.append(piece)
                endings.append("\n")
            starts.append(pos)
            pos += len(piece) + 1
        return cls(bom, contents, endings, starts)

    def __len__(self) -> int:
        return len(self.contents)

"""Rules that repair a line's characters rather than match a pattern.

A fixer has the catalogue fields of every rule, a cheap `suspect(line)` test, and `fix(line)` that the
engine calls only on suspects. `suspect` must be a search that cannot span a line break: the engine
first asks it about the whole document (lines joined by "\n") and looks at single lines only when
that says yes. Examples are [before, after] pairs.
"""
from __future__ import annotations

import re
from typing import ClassVar

import ftfy


class Fixer:
    kind: ClassVar[str] = "fixer"
    id: ClassVar[str]
    name: ClassVar[str]
    category: ClassVar[str]
    doc: ClassVar[str]
    examples_fix: ClassVar[tuple[tuple[str, str], ...]] = ()
    examples_keep: ClassVar[tuple[str, ...]] = ()

    def suspect(self, line: str) -> bool:
        raise NotImplementedError

    def fix(self, line: str) -> str:
        raise NotImplementedError


# UTF-8 read as Windows-1252 or Latin-1 turns each non-ASCII character into a lead character
# (Â Ã â Ð Ñ ...) followed by one the codec maps from bytes 0x80-0xBF. Clean text rarely has that pair.
_MOJIBAKE_PAIR = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
)

# Only the encoding repair: every other ftfy fix (quotes, dashes, ligatures, widths, line breaks,
# HTML entities, normalization) would rewrite characters that clean text uses on purpose.
_FTFY_CONFIG = ftfy.TextFixerConfig(
    unescape_html=False, remove_terminal_escapes=False, fix_encoding=True, restore_byte_a0=True,
    replace_lossy_sequences=False, decode_inconsistent_utf8=True, fix_c1_controls=False,
    fix_latin_ligatures=False, fix_character_width=False, uncurl_quotes=False, fix_line_breaks=False,
    fix_surrogates=False, remove_control_chars=False, normalization=None, explain=False,
)


class Mojibake(Fixer):
    id = "ENC001"
    name = "mojibake"
    category = "encoding"
    doc = """
Repairs text that was encoded as UTF-8 and decoded as Windows-1252 or Latin-1 somewhere between the
site and the scrape ("Mexicoâ€™s" for "Mexico’s"). Such text reads as noise to people and to models,
and the repair is exact: ftfy reverses the wrong decoding. Only ftfy's encoding fix runs; quotes,
dashes, ligatures, widths and normalization are left as they are.
"""
    examples_fix = (
        ("Mexicoâ€™s president said â€œnoâ€\x9d.", "Mexico’s president said “no”."),
        ("CafÃ© con leche", "Café con leche"),
    )
    examples_keep = (
        "Mexico’s president said “no” — twice…",
        "L’Âge d’or in São Paulo: ÀÉÎÕÜ, ½ and ¾ stay as written.",
        "Straße, naïve, jalapeño, Ærøskøbing",
    )

    def suspect(self, line: str) -> bool:
        return _MOJIBAKE_PAIR.search(line) is not None

    def fix(self, line: str) -> str:
        return ftfy.fix_text(line, _FTFY_CONFIG)


BUILTIN_FIXERS = [Mojibake]

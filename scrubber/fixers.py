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


# An inline or block tag printed with a space after its "<" (the opening half HTML015 removes), the
# words it held (no bracket among them), and its closing half with the same name: whole ("< /em >",
# "</em>") or without its "</" ("em >", which no other rule can tell from words).
_PAIRED_TAGS = (r"a|abbr|b|cite|code|em|i|li|mark|p|q|s|small|span|strong|sub|sup|u|h[1-6]|td|th|dt|dd"
                r"|blockquote|figcaption")
_SPACED_OPEN_TAG = re.compile(r"<[^\S\n]+(?:" + _PAIRED_TAGS + r")[^\S\n]*>")
_SPACED_TAG_PAIR = re.compile(
    r"<[^\S\n]+(" + _PAIRED_TAGS + r")[^\S\n]*>[^\S\n]*([^<>\n]*?[^<>\s])"
    r"(?:[^\S\n]*<[^\S\n]*/[^\S\n]*|[^\S\n]*/[^\S\n]*|[^\S\n]+)\1[^\S\n]*>")
# A comparison or code (HTML015's guard), or markup printed on purpose: a documentation page shows
# a form's spaced HTML output (`< ul class = "errorlist" > < li > ... </ li >`), with "</" or " = ".
_CODE_LIKE = re.compile(r"[;{}]|&&|\|\||==|<=|>=|</|/>|[^\S\n]=[^\S\n]")


class SpacedTagPair(Fixer):
    id = "HTML019"
    name = "spaced-tag-pair"
    category = "html_fragment"
    doc = """
Removes a tag pair that a renderer printed with a space after its `<` and whose closing tag lost its
`</`, keeping the words between: `what planners call < em > managed retreat em > .` becomes `what
planners call managed retreat .`, and `< strong > Runtime: strong > 118 minutes` becomes `Runtime:
118 minutes` (the spaced full stop is SPACE002's or SPACE005's to close).

HTML015 removes the opening `< em >` alone, but the closing half, `em >` with no bracket before it,
reads as words to every later look: only the opening tag of the same name on the same line says it
is markup. The words between hold no bracket, so nested pairs go from the innermost out. A line that
looks like code (`;`, braces, `&&`, `==`) or like markup shown on purpose (`</ li >`, `/>`, ` = `, as
a documentation page prints a form's output) is left alone. Held-out probes e11, g12, d10 and f12.
"""
    examples_fix = (
        ("Harbor Point is not the first town to try what planners call < em > managed retreat em > . Others did.",
         "Harbor Point is not the first town to try what planners call managed retreat . Others did."),
        ("  < li > < strong > Runtime: strong > 118 minutes li >", "  Runtime: 118 minutes"),
        ("< p > < strong > Town Manager Luis Ortega < /strong > said the vote binds no one.",
         "< p > Town Manager Luis Ortega said the vote binds no one."),
        ("  • < b > Une peau chaude , rouge et sèche b > , sans transpiration .",
         "  • Une peau chaude , rouge et sèche , sans transpiration ."),
    )
    examples_keep = (
        "The plan was <em>very</em> popular.",
        "if (a < b && b > c) { return; }",
        "The margin is small when a < b and b > c holds for every pair.",
        "Use < b > to open bold text.",
        '< ul class = "errorlist" > < li > Sender is required. </ li > </ ul >',
    )

    def suspect(self, line: str) -> bool:
        return _SPACED_OPEN_TAG.search(line) is not None

    def fix(self, line: str) -> str:
        if _CODE_LIKE.search(line):
            return line
        while True:  # one pair per name and round, from the innermost out; each round shortens the line
            fixed = _SPACED_TAG_PAIR.sub(r"\2", line)
            if fixed == line:
                return line
            line = fixed


BUILTIN_FIXERS = [Mojibake, SpacedTagPair]

"""Small judgements about single lines that several detectors share."""
from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache
from itertools import accumulate, compress
from operator import itemgetter
from typing import Sequence

_WORD = r"[^\W\d_]+(?:['’][^\W\d_]+)*"  # letters, and letters joined by apostrophes ("don't")
WORD = re.compile(_WORD)
TERMINAL = ".!?:;…。！？"
# Words too common to tell one story from another (English; the headline detector is English-only
# in effect, since the headline shapes it looks for are those of English news sites).
COMMON = frozenset("""
a about after again against all also amid among an and any are around as at back be been before being
between both but by can could did does doing down during each even every few for from further had has
have having he her here hers him his how however if in into is it its just more most much near new no
nor not now of off on once only or other our out over own same she should so some still such than that
the their them then there these they this those through to too under until up upon very was we were
what when where which while who whom why will with within without would you your says said say
""".split())


def words(line: str) -> list[str]:
    return WORD.findall(line)


PROSE_END = TERMINAL + "\"”’)»"


# The labels of a date or time field, alone on their line ("Date" over "Saturday, June 13, 2026"), in
# the ten languages: the engine's field values and PAGE001's details blocks both read them.
DATE_TIME_LABELS = ("date", "dates", "time", "when", "fecha", "hora", "datum", "zeit", "uhrzeit", "quand", "heure",
                    "data", "ora", "horário", "дата", "время", "wanneer", "tijd", "kiedy", "godzina")


def field_label(labels) -> re.Pattern:
    """A regex that fullmatches one of `labels` alone on a line, in any case, a colon after it or not."""
    return re.compile(r"(?i:" + "|".join(map(re.escape, labels)) + r")[^\S\n]*:?")


# Month names in the languages scrubber covers (full and short forms), for dates with the month in words.
MONTH_NAMES = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|"
               r"Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?|enero|febrero|marzo|abril|mayo|junio|julio|agosto|"
               r"septiembre|octubre|noviembre|diciembre|Januar|Februar|März|Mai|Juni|Juli|Oktober|Dezember|"
               r"janvier|février|mars|avril|juin|juillet|août|septembre|octobre|novembre|décembre|janeiro|"
               r"fevereiro|março|maio|junho|julho|setembro|outubro|novembro|dezembro|gennaio|febbraio|aprile|"
               r"maggio|giugno|luglio|settembre|ottobre|dicembre|januari|februari|maart|juni|juli|augustus|"
               r"oktober)")
_YEAR = r"(?:1[6-9]|20)\d\d"
_DATE_WITH_YEAR = (r"(?:" + MONTH_NAMES + r"\.? \d{1,2}(?:st|nd|rd|th)?,? " + _YEAR + r"|\d{1,2}\.? (?:de )?"
                   + MONTH_NAMES + r"\.?,? (?:de )?" + _YEAR + r"|\d{1,2}[./]\d{1,2}[./]" + _YEAR + "|" + _YEAR + ")")
# A date alone on a line, its weekday before it or not ("Sep 11, 2024", "Tuesday, 3 March 2026").
DATE_ALONE = re.compile(r"(?i:(?:[^\W\d_]+day,? )?" + _DATE_WITH_YEAR + ")")
# A span of two dates alone on a line, in parentheses or with a birth star and a death cross or not:
# "June 2, 1936 – March 9, 2024", "(1931–2009)", "12. Mai 1931 – 3. Februar 2009".
DATE_SPAN = re.compile(r"(?i:[(*†✝ ]*" + _DATE_WITH_YEAR + r"[^\S\n]*[-–—][^\S\n]*[*†✝ ]*" + _DATE_WITH_YEAR + r"[)]?)")


# A labelled field of a record on its own line: a label of one to three words, a colon, a short value
# ("Duración: 112 min", "Auteur: Marieke Doornbos", "Born: 12 May 1931, Kidderminster").
LABELLED_FIELD = re.compile(r"[^\S\n]*[^\W\d_][\w'’.-]*(?:[^\S\n]+[\w'’.-]+){0,2}[^\S\n]?:[^\S\n]+\S[^\n]{0,80}$")


def field_name(line: str) -> str | None:
    """The label of a labelled field (`LABELLED_FIELD`), lower-cased and trimmed ("duración" for
    "Duración: 112 min"), or None when the line is no such field. (The cheap colon test first: most
    lines have none.)"""
    if ":" not in line or not LABELLED_FIELD.match(line):
        return None
    return line.split(":", 1)[0].strip().casefold()


# A short heading: one to four words, no figures, no list separators, no sentence end.
SUBHEADING = re.compile(r"[^\W\d_][^\W\d_'’-]*(?: [^\W\d_][^\W\d_'’-]*){0,3}:?")


def is_prose(line: str, min_words: int = 12) -> bool:
    """A sentence-like line: enough words and a sentence ending."""
    if min_words == 12 and len(line) <= 2000:
        return _is_prose_12(line)  # asked again and again of the same lines: remembered
    return _is_prose(line, min_words)


# A line `is_prose` must end (white space aside) with one of PROSE_END, after at least 22 characters:
# those few have their words counted. For lines that hold a "\n" (not a document's lines), one regex
# over them all finds the shaped ones (it finds the "\n" before each such line, not the line's start
# (^): `re` skips to a literal first character quickly, but tries a (?m)^ at every position).
_PROSE_SHAPED = re.compile("(?m)\n(?=.{22,}[" + re.escape(PROSE_END) + r"]\s*$)")
_ENDS_PROSE = frozenset(PROSE_END).__contains__
_LAST = itemgetter(-1)


def prose_flags(lines: Sequence[str]) -> list[bool]:
    """`is_prose(line)` for every line, at the cost of a few tests mapped over the lines plus the
    likely ones."""
    flags = [False] * len(lines)
    if not lines:
        return flags
    if "\n" in "".join(lines):  # a line holds a "\n"
        text = "\n" + "\n".join(lines)  # a "\n" before every line, the first one too
        starts = list(accumulate(map((1).__add__, map(len, lines)), initial=0))  # of the lines in text[1:]
        for m in _PROSE_SHAPED.finditer(text):
            k = bisect_right(starts, m.start()) - 1
            flags[k] = is_prose(lines[k])
        return flags
    # The prose-shaped lines: 23 characters or more once stripped on the right (`\s` is str.isspace),
    # the last one of PROSE_END; all tested in C, over the lines.
    trimmed = list(map(str.rstrip, lines))
    long_enough = list(compress(range(len(lines)), map((23).__le__, map(len, trimmed))))
    shaped = list(compress(long_enough, map(_ENDS_PROSE, map(_LAST, map(trimmed.__getitem__, long_enough)))))
    # Such a line has the ending and the length `_is_prose` asks for: its words decide (the regex
    # called from C on each line, not through is_prose).
    for k, enough in zip(shaped, map(_at_least(12).match, map(lines.__getitem__, shaped))):
        flags[k] = enough is not None
    return flags


def non_blank(lines: Sequence[str]) -> list[int]:
    """Indexes of the lines with something besides white space."""
    return list(compress(range(len(lines)), map(str.strip, lines)))


@lru_cache(maxsize=1 << 13)
def _is_prose_12(line: str) -> bool:
    return _is_prose(line, 12)


def _is_prose(line: str, min_words: int) -> bool:
    stripped = line.rstrip()
    # The cheap tests first: the ending, and the length n words need (a letter each, a gap between).
    if stripped[-1:] not in PROSE_END or len(stripped) < 2 * min_words - 1:
        return False
    return min_words <= 0 or _at_least(min_words).match(stripped) is not None


@lru_cache(maxsize=None)
def _at_least(n: int) -> re.Pattern:
    """A regex that matches a text holding at least n (> 0) `words`: it stops at the n-th word and
    makes no list (3 times faster than counting them). Each word is taken whole, as `words` takes it
    (an atomic group), and words are apart by what no word holds."""
    return re.compile(r"[\W\d_]*(?:(?>%s)[\W\d_]+){%d}(?>%s)" % (_WORD, n - 1, _WORD))


def is_headline_shaped(line: str, min_words: int, max_words: int = 18) -> bool:
    """Title Case, no sentence ending, within a headline's length."""
    stripped = line.strip()
    # The cheap tests first (the answer is the same in any order): ending, first letter, length.
    if stripped[-1:] in TERMINAL + "," or len(stripped) < 2 * min_words - 1:
        return False
    if not stripped[:1].isupper() and stripped[:1] not in "“\"‘'":
        return False
    ws = words(stripped)
    if not (min_words <= len(ws) <= max_words):
        return False
    long_words = [w for w in ws if len(w) >= 4]
    capitalized = sum(1 for w in long_words if w[0].isupper())
    return bool(long_words) and capitalized / len(long_words) >= 0.6


SUFFIXES = ("ing", "ed", "es", "s", "ly", "ist", "an")


@lru_cache(maxsize=1 << 16)
def stem(word: str) -> str:
    """A crude shared root: grow/growing, terror/terrorist and Mexico/Mexican meet; missing and
    missions, or Gravely and Graveyard, do not."""
    word = word.lower().replace("’", "'").split("'")[0]
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            break
    root = word[:6]
    return root[:-1] if len(root) > 4 and root[-1] in "aeiouy" else root


def content_stems(line: str) -> set[str]:
    stems = set(map(_content_stem, words(line)))  # one cached call a word, from C
    stems.discard(None)
    return stems


@lru_cache(maxsize=1 << 16)
def _content_stem(word: str) -> str | None:
    """The stem of a content word (four letters or more, not a common word), or None."""
    return stem(word) if len(word) >= 4 and word.lower() not in COMMON else None


# The bullets a list item may open with ("- ", "• ", "▪ "), for every detector that tells list items apart.
LIST_BULLETS = "[" + re.escape("-•·*▪◦▸►–") + "]"

CRUMB_SEPARATOR = re.compile(r"[^\S\n]+[/»›‹>][^\S\n]+")  # ("‹": phpBB's "Board index ‹ Forum ‹ Topic")


def crumb_last(line: str) -> str | None:
    """The last item of a breadcrumb trail of two to six items ("Home / Changelog": "changelog",
    casefolded), or None: the page the trail names, whose title stands below it."""
    parts = CRUMB_SEPARATOR.split(line.strip())
    if not 2 <= len(parts) <= 6:
        return None
    last = parts[-1].strip().casefold()
    return last if last and len(last) <= 80 else None

"""Fast per-line text statistics, shared by the structural detectors.

Everything here is pure Python built on str methods and set operations that run in C, computed
column-wise over a document's lines (one list per statistic), so that a whole-page dump of a few
thousand lines costs a few milliseconds. Nothing is downloaded: the stopword lists are short,
hand-written lists of function words in `scrubber/data/stopwords/LANG.txt`.
"""
from __future__ import annotations

from collections import Counter
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from itertools import accumulate, repeat
from pathlib import Path
from typing import Callable, Iterator, Sequence, TypeVar

_DATA_DIR = Path(__file__).parent / "data"

#: Languages with a built-in stopword list.
LANGUAGES = ("en", "es", "de", "fr", "pt", "it", "ru", "nl", "pl", "sv", "cs")

#: Characters that end a sentence (a line ending in one of them reads as prose).
SENTENCE_END = frozenset(".!?…。！？\"'”’»)")
#: Characters that, at the start of a line, show it continues the previous line (an inline link
#: split a sentence into several text nodes).
CONTINUATION_START = frozenset(",.;:)]}!?%”’»")
#: Separators typical of menus, breadcrumbs and share bars.
SEPARATORS = ("|", " · ", "»", " / ", " > ", "•")


@lru_cache(maxsize=None)
def stopwords(lang: str) -> frozenset[str]:
    """The built-in stopword list of `lang` (lower case)."""
    return frozenset(data_lines(f"stopwords/{lang}.txt"))


def data_lines(name: str) -> list[str]:
    """The lines of scrubber/data/NAME, stripped, without blank lines and `#` comments: the format of
    every word list scrubber ships (stopwords, chrome lines, section names)."""
    lines = (_DATA_DIR / name).read_text(encoding="utf-8").splitlines()
    return [line for line in map(str.strip, lines) if line and not line.startswith("#")]


@lru_cache(maxsize=None)
def _stopword_languages() -> dict[str, tuple[int, ...]]:
    """Each word of some stopword list: the indexes in LANGUAGES of the lists that hold it."""
    out: dict[str, list[int]] = {}
    for k, lang in enumerate(LANGUAGES):
        for word in stopwords(lang):
            out.setdefault(word, []).append(k)
    return {word: tuple(ks) for word, ks in out.items()}


def detect_language(lower_words: Sequence[str]) -> tuple[str | None, float]:
    """Guess the language of a sample of lower-cased words from stopword hits.

    Returns (language, share of the sample's words that are its stopwords); language is None when
    no list reaches 8% of the words (a language without a list, or text that is not prose)."""
    if not lower_words:
        return None, 0.0
    best, best_hits = None, 0
    # Count the words that are some language's stopword (a sample is mostly other words), then add
    # each one's count to the languages it belongs to (a page has a few dozen distinct ones, the
    # lists hundreds of words between them).
    languages = _stopword_languages()
    counts = Counter(filter(languages.__contains__, lower_words))
    hits = [0] * len(LANGUAGES)
    for word, count in counts.items():
        for k in languages[word]:
            hits[k] += count
    for lang, lang_hits in zip(LANGUAGES, hits):
        if lang_hits > best_hits:
            best, best_hits = lang, lang_hits
    share = best_hits / len(lower_words)
    return (best if share >= 0.08 else None), share


class LineStats:
    """Column-wise statistics of a document's lines (index i describes line i).

    Columns: `text` (stripped line), `length` (characters of the stripped line), `words`
    (white-space separated tokens), `stop` (distinct stopwords of the document's language in the
    line), `end` (last character), `first` (first character), `title` (str.istitle), `upper`
    (str.isupper), `count` (how many times the stripped line occurs in the document)."""

    __slots__ = ("text", "lower", "tokens", "length", "words", "stop", "end", "first", "title", "upper",
                 "count", "lang", "lang_share", "n")

    def __init__(self, lines: Sequence[str]):
        text = [line.strip() for line in lines]
        self.text = text
        self.n = len(text)
        self.length = list(map(len, text))
        lower_all = "\n".join(text).lower()
        lower = lower_all.split("\n")
        self.lower = lower
        tokens = list(map(str.split, lower))
        self.tokens = tokens
        self.words = list(map(len, tokens))
        sample: list[str] = []
        for tok in tokens:
            if len(tok) >= 6:
                sample.extend(tok)
                if len(sample) > 3000:
                    break
        if len(sample) < 200:
            sample = lower_all.split()[:3000]
        self.lang, self.lang_share = detect_language(sample)
        sw = stopwords(self.lang or "en")
        self.stop = list(map(len, map(sw.intersection, tokens)))
        self.end = [t[-1:] for t in text]
        self.first = [t[:1] for t in text]
        self.title = list(map(str.istitle, text))
        self.upper = list(map(str.isupper, text))
        counts: dict[str, int] = {}
        for t in lower:
            counts[t] = counts.get(t, 0) + 1
        self.count = list(map(counts.__getitem__, lower))


def prefix_sums(values: Sequence[float]) -> list[float]:
    """Running sums with a leading 0, for window means in O(1) per line."""
    return [0.0, *accumulate(values)]


def window_bounds(n: int, radius: int) -> tuple[list[int], list[int], list[float]]:
    """Start, end (exclusive) and 1/width of the window [i - radius, i + radius] clipped to [0, n)."""
    a = [0] * min(radius, n) + list(range(0, max(0, n - radius)))
    b = list(range(radius + 1, n + 1)) + [n] * min(radius, n)
    b = b[:n]
    a = a[:n]
    inv = [1.0 / (y - x) for x, y in zip(a, b)]
    return a, b, inv


def window_mean(prefix: Sequence[float], n: int, radius: int, bounds=None) -> list[float]:
    """Mean of the values over [i - radius, i + radius] (clipped), from `prefix_sums`."""
    a, b, inv = bounds or window_bounds(n, radius)
    get = prefix.__getitem__
    return [(hi - lo) * w for hi, lo, w in zip(map(get, b), map(get, a), inv)]


def contains_any(texts: Sequence[str], needles: Sequence[str]) -> list[bool]:
    """For each text, whether it contains one of the needles (plain substrings)."""
    out = [False] * len(texts)
    for needle in needles:
        for i, hit in enumerate(map(str.__contains__, texts, repeat(needle))):
            if hit:
                out[i] = True
    return out


# -- remembering between the passes over one document ---------------------------------------------

_MEMO: ContextVar[dict | None] = ContextVar("scrubber_document_memo", default=None)
MEMO_LINES = 100_000  # the most lines whose answers `remembered_each` keeps, per `compute` and document
T = TypeVar("T")


@contextmanager
def document_memo() -> Iterator[None]:
    """Open while the engine cleans one document: `remembered` keeps its answers until it closes
    (so nothing outlives the document, and each thread has its own)."""
    token = _MEMO.set({})
    try:
        yield
    finally:
        _MEMO.reset(token)


def remembered(compute: Callable[[Sequence[str]], T], lines: Sequence[str]) -> T:
    """compute(lines), or its answer from the last call if `lines` are the same texts in the same
    order. A document is cleaned in passes, and the later passes mostly show the same lines again (a
    detector that sees removed lines gets every line each time). `compute` must depend on nothing
    but `lines`, and its answer must not be modified. Outside `document_memo`, it just computes."""
    memo = _MEMO.get()
    if memo is None:
        return compute(lines)
    last = memo.get(compute)
    if last is not None and last[0] == lines:  # (the same str objects: one pointer test a line)
        return last[1]
    answer = compute(lines)
    memo[compute] = (list(lines), answer)
    return answer


def remembered_each(compute: Callable[[str], T], lines: Sequence[str]) -> list[T]:
    """[compute(line) for line in lines], each line's answer kept for the rest of the document's
    cleaning (within `document_memo`, for up to MEMO_LINES lines). `compute` must depend on nothing
    but the line, never return None, and its answers must not be modified."""
    memo = _MEMO.get()
    if memo is None:
        return list(map(compute, lines))
    known = memo.setdefault((remembered_each, compute), {})
    answers = list(map(known.get, lines))
    for k in [k for k, answer in enumerate(answers) if answer is None]:
        answers[k] = answer = compute(lines[k])
        if len(known) < MEMO_LINES:
            known[lines[k]] = answer
    return answers

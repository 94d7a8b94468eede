"""LEARN001: lines that recur at the edges of many documents of the corpus (see scrubber/learn.py,
which gathers the counts: a pre-pass over the run and the optional index)."""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from typing import ClassVar, Iterable, Mapping, NamedTuple, Sequence

from .base import Detector, Finding
from .lines import is_prose, words

LEARN_ID = "LEARN001"
NORMALIZATION = "1"  # bump when normalize() changes: old indexes must then be rebuilt
TAG = re.compile(r"</?[A-Za-z][^<>]{0,200}>|&(?:[A-Za-z]{2,8}|#\d{1,6}|#x[0-9A-Fa-f]{1,6});")
TOKEN = re.compile(r"\w+")


@dataclass(frozen=True)
class LearnSettings:
    MAX_WORDS_LIMIT: ClassVar[int] = 64  # lines longer than this are not indexed
    min_docs: int = 5  # a line must occur in at least this many distinct documents
    min_words: int = 3  # ... and have at least this many words (headings like "Introduction" have fewer)
    max_words: int = 40  # ... and at most this many (chrome is short; paragraphs are content)
    index: str = ""  # the index file; "" means ROOT/.scrubber/lines.sqlite


def normalize(line: str) -> str:
    """The form lines are compared in: tags and entities removed, NFKC, case folded, punctuation and
    white space reduced to single spaces between word tokens (digits are kept)."""
    line = TAG.sub(" ", line)
    return " ".join(TOKEN.findall(unicodedata.normalize("NFKC", line).casefold()))


def line_key(line: str) -> int | None:
    """A 64-bit key for the normalized line, or None for a line without word characters."""
    norm = normalize(line)
    if not norm:
        return None
    digest = hashlib.blake2b(norm.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


class LineInfo(NamedTuple):
    key: int | None
    words: int
    prose: bool


def line_info(line: str) -> LineInfo:
    n = len(words(line))
    if n == 0 or n > LearnSettings.MAX_WORDS_LIMIT:
        return LineInfo(None, n, is_prose(line))
    return LineInfo(line_key(line), n, is_prose(line))


def doc_keys(text: str) -> set[int]:
    """The keys of a document's lines that could ever be candidates (1 to MAX_WORDS_LIMIT words)."""
    return line_keys(set(text.split("\n")))


def line_keys(lines: Iterable[str]) -> set[int]:
    """The keys of those of `lines` that could ever be candidates (each distinct line once, please)."""
    out = set()
    for line in lines:
        if 0 < len(words(line)) <= LearnSettings.MAX_WORDS_LIMIT:
            key = line_key(line)
            if key is not None:
                out.add(key)
    return out


def peel(infos: Sequence[LineInfo], counts: Mapping[int, int], settings: LearnSettings,
         protected: frozenset[int] = frozenset()) -> list[tuple[int, str]]:
    """(index, evidence) of the lines to remove: candidates peeled from the top and the bottom. A
    protected line (blank or not) is content: the peeling stops at it."""
    def count(info: LineInfo) -> int:
        if info.key is None or not settings.min_words <= info.words <= settings.max_words:
            return 0
        n = counts.get(info.key, 0)
        return n if n >= settings.min_docs else 0

    n = len(infos)
    found = [count(info) for info in infos]
    if not any(info.prose and not found[i] for i, info in enumerate(infos)):
        return []  # no unrepeated prose: a copy, a poem, a listing; nothing says what is chrome here
    out: list[tuple[int, str]] = []
    top = 0
    while top < n and top not in protected and (infos[top].words == 0 or found[top]):
        if found[top]:
            out.append((top, f"line found in {found[top]} documents of the corpus, above the article"))
        top += 1
    bottom = n - 1
    tail = []
    while bottom >= top and bottom not in protected and (infos[bottom].words == 0 or found[bottom]):
        if found[bottom]:
            tail.append((bottom, f"line found in {found[bottom]} documents of the corpus, below the article"))
        bottom -= 1
    return out + tail[::-1]


class LearnedBoilerplate(Detector):
    id = LEARN_ID
    name = "learned-repeated-line"
    category = "learned"
    doc = """
Removes a line that recurs in many documents of the corpus being cleaned (by default five or more),
at the top or the bottom of a document: a site's slogan, footer or promo that no rule was written
for. The counts come from the documents of the run (a folder, many files, a JSONL corpus) and, when
the repository has one, from the index that `scrubber learn` builds (.scrubber/lines.sqlite).

Lines that are common for good reasons are kept: a line needs three to forty words (headings such
as "Introduction" and list markers are shorter), removal peels only from the edges and stops at the
first line that is not repeated, and a document without an unrepeated sentence of its own (a copy
of another page, a poem, a code listing) is left alone. Thresholds are set in `[tool.scrubber.learn]`.
The examples below are judged against a corpus of five pages of one site, each of which carries the
line "Independent journalism since 1921" and the heading "Introduction".
"""
    examples_corpus: ClassVar[Sequence[str]] = tuple(
        f"Independent journalism since 1921\n\nIntroduction\n\nStory {n} is about something else entirely, "
        f"told in a paragraph long enough to count as prose for the rule.\n\nIndependent journalism since 1921\n"
        for n in range(5)
    )
    examples_drop = (
        "[drop] Independent journalism since 1921\n"
        "\n"
        "The harbour board voted on Monday to extend the night ferry service until the end of October.\n"
        "\n"
        "[drop] Independent journalism since 1921",
    )
    examples_keep = (
        # Between two lines of the article, a repeated line is content.
        "The paper's masthead has carried the same words for a century.\n"
        "Independent journalism since 1921\n"
        "Readers still write in to say the motto is why they subscribe, the editor said.",
        # Short headings are common in every corpus.
        "Introduction\n\nThe harbour board voted on Monday to extend the night ferry service until October.",
        # No sentence of its own: a copy or a listing is left alone.
        "Independent journalism since 1921\nIntroduction\nIndependent journalism since 1921",
    )

    def __init__(self, counts: Mapping[int, int] | None = None, settings: LearnSettings = LearnSettings()):
        self.counts = counts or {}
        self.settings = settings

    def for_examples(self) -> "LearnedBoilerplate":
        """The rule with counts from its example corpus, for running its examples."""
        return LearnedBoilerplate(count_documents(self.examples_corpus), self.settings)

    sees_protected = True

    def find(self, lines: Sequence[str], *, protected: frozenset[int] = frozenset()) -> list[Finding]:
        if not self.counts:
            return []
        infos = [line_info(line) for line in lines]
        return [Finding(i, why) for i, why in peel(infos, self.counts, self.settings, protected)]


def count_documents(texts: Iterable[str]) -> dict[int, int]:
    counts: dict[int, int] = {}
    for text in texts:
        for key in doc_keys(text):
            counts[key] = counts.get(key, 0) + 1
    return counts

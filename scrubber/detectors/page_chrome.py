"""PAGE001: page chrome in whole-page text dumps (menus, footers, cookie text, share bars, ...).

See `PageChromeLine.doc`. The model has two stages over cheap line features with context: a
logistic regression, then gradient-boosted decision trees (`TreeEnsemble`) over the same features
and the first stage's scores around each line. It is in `scrubber/data/page_model.json`, trained by
`benchmarks/train_page_model.py DEV_DIR` (which can also write a linear second stage, still read
here, to compare the two).
"""
from __future__ import annotations

import json
import math
import re
import threading
from bisect import bisect_left, bisect_right
from collections import Counter
from functools import lru_cache, partial
from itertools import accumulate, chain, compress, filterfalse, islice, repeat
from operator import add, attrgetter, itemgetter, not_, sub
from pathlib import Path
from typing import Sequence

import numpy as np

from scrubber.detectors.base import Detector, Finding
from scrubber.detectors.lines import (DATE_ALONE, DATE_SPAN, DATE_TIME_LABELS, LABELLED_FIELD, MONTH_NAMES, SUBHEADING,
                                      crumb_last, field_label, field_name, is_headline_shaped, is_prose)
from scrubber.detectors.lines import words as words_of
from scrubber.detectors.residue import MONTH
from scrubber.textstats import (CONTINUATION_START, SENTENCE_END, LineStats, data_lines, detect_language, prefix_sums,
                                stopwords, window_bounds, window_mean)

_DATA = Path(__file__).resolve().parent.parent / "data"
MODEL_PATH = _DATA / "page_model.json"

# Substrings that mark a line as belonging to a kind of chrome (searched in the lower-cased text
# with str.find, so the cost is per occurrence, not per line).
NEEDLES = {
    "kw_cookie": ("cookie", "consent", "gdpr"),
    "kw_legal": ("©", "copyright", "all rights reserved", "rights reserved", "privacy policy",
                 "terms of use", "terms of service", "derechos reservados", "alle rechte",
                 "tous droits", "direitos reservados", "diritti riservati", "impressum"),
    "kw_account": ("subscribe", "newsletter", "sign up", "sign in", "log in", "login", "register",
                   "create an account", "create account", "inbox", "suscr", "abonn", "anmeld"),
    "kw_social": ("share", "facebook", "twitter", "linkedin", "instagram", "pinterest", "whatsapp",
                  "follow us", "youtube", "tiktok", "compartir", "partager", "teilen"),
    "kw_more": ("read more", "see more", "view all", "see all", "learn more", "more from",
                "related", "you may also", "you might also", "recommended", "popular", "trending",
                "latest", "next", "previous", "leer más", "lire la suite", "weiterlesen"),
    "kw_comment": ("comment", "reply", "replies", "posted by", "votes", "points", "likes"),
    "kw_tech": ("javascript", "browser", "enable", "loading", "captcha", "robot"),
    "kw_shop": ("add to cart", "add to bag", "in stock", "free shipping", "checkout", "cart",
                "wishlist", "price", "$", "€", "£"),
}


def best_block(p1):
    """The best contiguous block of likely content: the maximum-sum run of (p1 - 0.5). Returns its
    first and last index, or (0, -1) when no line is more likely content than not."""
    best, cur, a, best_a, best_b = 0.0, 0.0, 0, 0, -1
    for i, q in enumerate(p1):
        if cur <= 0.0:
            cur, a = 0.0, i
        cur += q - 0.5
        if cur > best:
            best, best_a, best_b = cur, a, i
    return best_a, best_b


_INDEX = attrgetter("index")


@lru_cache(maxsize=None)
def chrome_lines() -> frozenset[str]:
    return frozenset(data_lines("chrome_lines.txt"))


def _needle_lines(lower_all: str, starts: list[int], needles: Sequence[str], n: int) -> list[int]:
    out = [0] * n
    find = lower_all.find
    for needle in needles:
        pos = find(needle)
        while pos >= 0:
            i = bisect_right(starts, pos) - 1
            out[i] = 1
            pos = find(needle, starts[i + 1] if i + 1 < n else len(lower_all))
    return out


def _log1(x: float) -> float:
    return math.log1p(x)


MONTHS = frozenset("jan feb mar apr may jun jul aug sep sept oct nov dec january february march "
                   "april june july august september october november december".split())
NB_MAX_TOKENS = 12


def vocab_features(tokens: Sequence[list[str]], lower: Sequence[str], model: dict | None,
                   f: dict[str, list[float]]) -> None:
    """Learned vocabulary: mean chrome log-odds of a short line's words, and of the whole line."""
    n = len(tokens)
    words = (model or {}).get("vocab_words") or {}
    whole = (model or {}).get("vocab_lines") or {}
    get = words.get
    nb = [0.0] * n
    nb_min = [0.0] * n
    for i, tok in enumerate(tokens):
        if 0 < len(tok) <= NB_MAX_TOKENS:
            vals = [v for v in map(get, tok) if v is not None]
            if vals:
                nb[i] = sum(vals) / len(tok)
                nb_min[i] = min(vals)
    f["nb_word"] = nb
    f["nb_word_min"] = nb_min
    getl = whole.get
    f["nb_line"] = [getl(t, 0.0) if len(t) <= 60 else 0.0 for t in lower]


def h1_max_length(title: str) -> float:
    """The longest line that can be the article's heading when it holds the page's first line (the
    <title>) whole: the title and a little more ("Title | Updated"). A short first line (a site's name)
    is also held by a footer line ("PixelFront is owned by ... | Terms | Privacy"), which is no heading;
    on the dev pages no heading was ever found that way."""
    return 1.5 * len(title) + 10


def line_features(lines: Sequence[str], model: dict | None = None) -> tuple[LineStats, dict[str, list[float]]]:
    """First-stage features of every line, as named columns."""
    st = LineStats(lines)
    n = st.n
    L, W, S = st.length, st.words, st.stop
    text, lower = st.text, st.lower
    f: dict[str, list[float]] = {}

    # --- the line itself
    f["len_log"] = [_log1(x) for x in L]
    f["len_le10"] = [1.0 if x <= 10 else 0.0 for x in L]
    f["len_le25"] = [1.0 if x <= 25 else 0.0 for x in L]
    f["len_le50"] = [1.0 if x <= 50 else 0.0 for x in L]
    f["len_ge100"] = [1.0 if x >= 100 else 0.0 for x in L]
    f["len_ge200"] = [1.0 if x >= 200 else 0.0 for x in L]
    f["words_log"] = [_log1(x) for x in W]
    f["stop_ratio"] = [s / w if w else 0.0 for s, w in zip(S, W)]
    f["no_stop"] = [1.0 if s == 0 else 0.0 for s in S]
    f["stop_ge3"] = [1.0 if s >= 3 else 0.0 for s in S]
    f["end_sentence"] = [1.0 if e in SENTENCE_END else 0.0 for e in st.end]
    f["end_colon"] = [1.0 if e == ":" else 0.0 for e in st.end]
    f["start_lower"] = [1.0 if c.islower() else 0.0 for c in st.first]
    f["start_cont"] = [1.0 if c in CONTINUATION_START else 0.0 for c in st.first]
    f["start_digit"] = [1.0 if c.isdigit() else 0.0 for c in st.first]
    f["end_digit"] = [1.0 if c.isdigit() else 0.0 for c in st.end]
    f["start_month"] = [1.0 if tok and tok[0][:3] in MONTHS else 0.0 for tok in st.tokens]
    f["title_case"] = [1.0 if t else 0.0 for t in st.title]
    f["all_caps"] = [1.0 if u else 0.0 for u in st.upper]
    f["sep_bar"] = [1.0 if "|" in t else 0.0 for t in text]
    f["comma"] = [1.0 if "," in t else 0.0 for t in text]
    f["inner_sentence"] = [1.0 if ". " in t else 0.0 for t in text]
    vocab_features(st.tokens, lower, model, f)
    cl = chrome_lines()
    f["chrome_line"] = [1.0 if t in cl else 0.0 for t in lower]
    f["repeated"] = [1.0 if c > 1 else 0.0 for c in st.count]
    f["repeat_log"] = [_log1(c - 1) for c in st.count]
    starts = []
    pos = 0
    for x in lower:
        starts.append(pos)
        pos += len(x) + 1
    lower_all = "\n".join(lower)
    for name, needles in NEEDLES.items():
        f[name] = [float(v) for v in _needle_lines(lower_all, starts, needles, n)]

    # --- where the prose is
    prose = [1.0 if (w >= 10 and s >= 3) or (c >= 150) else 0.0 for w, s, c in zip(W, S, L)]
    prose_chars = [p * c for p, c in zip(prose, L)]
    total_prose = sum(prose_chars) or 1.0
    cdf = []
    acc = 0.0
    for pc in prose_chars:
        cdf.append(acc / total_prose)
        acc += pc
    f["before_prose"] = [1.0 if c == 0.0 else 0.0 for c in cdf]
    after = []
    acc = 0.0
    for pc in reversed(prose_chars):
        after.append(1.0 if acc == 0.0 else 0.0)
        acc += pc
    after.reverse()
    f["after_prose"] = after
    f["prose_mid"] = [min(c, 1.0 - c) if not a else 0.0 for c, a in zip(cdf, after)]
    # distance (lines) to the nearest prose line
    big = 10 ** 6
    dist = [big] * n
    last = -big
    for i in range(n):
        if prose[i]:
            last = i
        dist[i] = i - last
    last = big * 2
    for i in range(n - 1, -1, -1):
        if prose[i]:
            last = i
        d = last - i
        if d < dist[i]:
            dist[i] = d
    f["prose_dist_log"] = [_log1(min(d, 1000)) for d in dist]
    f["rel_pos"] = [i / n for i in range(n)] if n else []
    f["edge"] = [1.0 if (i < 0.1 * n or i >= 0.9 * n) else 0.0 for i in range(n)]

    # --- neighbours
    short = [1.0 if w <= 4 else 0.0 for w in W]
    run = [0] * n
    i = 0
    while i < n:
        if short[i]:
            j = i
            while j < n and short[j]:
                j += 1
            for k in range(i, j):
                run[k] = j - i
            i = j
        else:
            i += 1
    f["short_run_log"] = [_log1(r) for r in run]
    pl = prefix_sums(f["len_log"])
    pp = prefix_sums(prose)
    ps = prefix_sums(f["stop_ratio"])
    for r in (1, 3, 8):
        bounds = window_bounds(n, r)
        f[f"win{r}_len"] = window_mean(pl, n, r, bounds)
        f[f"win{r}_prose"] = window_mean(pp, n, r, bounds)
        if r == 3:
            f["win3_stop"] = window_mean(ps, n, 3, bounds)
    f["prev_prose"] = [0.0] + prose[:-1] if n else []
    f["next_prose"] = prose[1:] + [0.0] if n else []
    es = f["end_sentence"]
    f["prev_open"] = ([0.0] + [1.0 - e for e in es[:-1]]) if n else []  # previous line unfinished

    # --- the title: a page dump starts with the HTML <title>; the article's heading repeats it
    h1 = -1
    if n > 2:
        t0 = lower[0]
        for j in range(1, min(n, 3000)):
            tj = lower[j]
            if L[j] >= 8 and (tj in t0 or (len(t0) >= 8 and t0 in tj and len(tj) <= h1_max_length(t0))):
                h1 = j
                break
    f["is_first"] = [1.0] + [0.0] * (n - 1) if n else []
    f["is_h1"] = [1.0 if i == h1 else 0.0 for i in range(n)]
    f["before_h1"] = [1.0 if 0 < i < h1 else 0.0 for i in range(n)]
    f["no_h1"] = [1.0 if h1 < 0 else 0.0] * n

    # --- document
    doc_short = sum(short) / n if n else 0.0
    doc_prose = sum(prose_chars) / (sum(L) or 1)
    f["doc_short"] = [doc_short] * n
    f["doc_prose"] = [doc_prose] * n
    f["doc_lines_log"] = [_log1(n)] * n
    return st, f


STAGE2_RADII = (1, 3, 10)


def stage2_features(p1: Sequence[float], words: Sequence[int] | None = None) -> dict[str, list[float]]:
    n = len(p1)
    pre = prefix_sums(p1)
    f = {f"p1_win{r}": window_mean(pre, n, r) for r in STAGE2_RADII}
    f["p1_prev"] = ([0.5] + list(p1[:-1])) if n else []
    f["p1_next"] = (list(p1[1:]) + [0.5]) if n else []
    f["p1_self"] = list(p1)
    # asymmetric windows: what comes before and after (a boundary between chrome and content)
    k = 5
    f["p1_above5"] = [(pre[i] - pre[max(0, i - k)]) / (i - max(0, i - k)) if i else 0.5 for i in range(n)]
    f["p1_below5"] = [(pre[min(n, i + 1 + k)] - pre[i + 1]) / (min(n, i + 1 + k) - i - 1) if i + 1 < n else 0.5
                      for i in range(n)]
    # runs of short lines (menus, link lists, tables) are judged together, and by the long lines
    # around them
    if words is None:
        words = [5] * n
    run_mean = list(p1)
    above = [0.5] * n
    below = [0.5] * n
    last = 0.5
    for i in range(n):
        above[i] = last
        if words[i] > 6:
            last = p1[i]
    last = 0.5
    for i in range(n - 1, -1, -1):
        below[i] = last
        if words[i] > 6:
            last = p1[i]
    i = 0
    while i < n:
        if words[i] <= 6:
            j = i
            while j < n and words[j] <= 6:
                j += 1
            if j - i > 1:
                m = (pre[j] - pre[i]) / (j - i)
                for q in range(i, j):
                    run_mean[q] = m
            i = j
        else:
            i += 1
    f["p1_run"] = run_mean
    f["p1_long_above"] = above
    f["p1_long_below"] = below
    best_a, best_b = best_block(p1)
    f["in_block"] = [1.0 if best_a <= i <= best_b else 0.0 for i in range(n)]
    f["before_block"] = [1.0 if i < best_a else 0.0 for i in range(n)]
    f["after_block"] = [1.0 if i > best_b else 0.0 for i in range(n)]
    f["block_dist_log"] = [math.log1p(best_a - i if i < best_a else (i - best_b if i > best_b else 0))
                           for i in range(n)]
    mean = sum(p1) / n if n else 0.0
    f["p1_doc_mean"] = [mean] * n
    return f


def _sigmoid(z: float) -> float:
    if z < -30.0:
        return 0.0
    if z > 30.0:
        return 1.0
    return 1.0 / (1.0 + math.exp(-z))


def compile_linear(weights: dict[str, float], bias: float, group_of=None):
    """Build `f(cols) -> list` computing bias + sum(w * col) per line in one comprehension (much
    faster than one pass per feature). With `group_of`, it returns one list per feature family
    instead, each with its own partial sum (the bias goes to the first family)."""
    names = [k for k, w in weights.items() if w]
    for k in names:
        if not k.isidentifier():
            raise ValueError(f"bad feature name in model: {k!r}")
    args = ", ".join(f"x_{k}" for k in names) or "_"
    if group_of is None:
        terms = " + ".join([repr(float(bias))] + [f"{float(weights[k])!r} * x_{k}" for k in names])
        src = f"lambda cols: [{terms} for {args}, in zip({', '.join(f'cols[{k!r}]' for k in names)})]"
        if not names:
            src = f"lambda cols: [{float(bias)!r}] * len(next(iter(cols.values()), []))"
        return eval(src, {"__builtins__": {"zip": zip, "len": len, "next": next, "iter": iter}})  # noqa: S307
    fams: dict[str, list[str]] = {}
    for k in names:
        fams.setdefault(group_of(k), []).append(k)
    out = {}
    for j, (g, ks) in enumerate(fams.items()):
        out[g] = compile_linear({k: weights[k] for k in ks}, bias if j == 0 else 0.0)
    return lambda cols: {g: fn(cols) for g, fn in out.items()}


GATE_EDGE = 0.2  # share of the (non-blank) lines at each end that counts as the page's edges
GATE_MIN = 4  # distinct chrome lines needed at the edges before the detector acts at all
# share of the page's characters in prose lines below which the page is left alone: product grids,
# catalogues and link directories whose "content" is itself a list of short lines
GATE_MIN_PROSE = 0.05
# share of the (non-blank) lines with four words or fewer below which the document is an article with
# some residue (an extractor's output, a curated text), not a page dump: the model, trained on dumps,
# is not used there (the pattern rules and the other detectors are). Dumps of the dev set: 52% or
# more at the 10th percentile, 74% at the median; extractor outputs: 21% at the median.
GATE_MIN_SHORT = 0.4


def edge_width(n: int) -> int:
    """How many of a page's n (non-blank) lines count as each of its edges."""
    return int(n * GATE_EDGE) + 1


def chrome_evidence(lines: Sequence[str], model: dict, stripped: bool = False,
                    removed: Sequence[bool] | None = None) -> list[str]:
    """Distinct edge lines that are chrome whatever the page: the gate's evidence (`stripped`: the
    lines are stripped already). A line another rule removed (`removed`, by position) is evidence
    too: the pattern rules name chrome the learned list may not hold ("Basket (0)", a link row)."""
    n = len(lines)
    k = edge_width(n)
    cl = chrome_lines()
    learned = model.get("vocab_lines") or {}
    found = []
    at_edges = [*range(min(k, n)), *range(max(k, n - k), n)]
    edges = "\n".join(map(lines.__getitem__, at_edges)).lower().split("\n")
    if not stripped:
        edges = list(map(str.strip, edges))
    by_rule = {t for i, t in zip(at_edges, edges) if removed[i]} if removed else ()
    for t in dict.fromkeys(edges):
        if not t:
            continue
        if t in by_rule or learned.get(t, 0.0) >= 1.5 or is_known_chrome(t, cl):
            found.append(t)
    return found


def is_known_chrome(t: str, cl: frozenset[str]) -> bool:
    """Whether a stripped, lower-cased line is chrome whatever the page: in the hand-written list
    `cl` (`chrome_lines()`), or short copyright or cookie text."""
    return t in cl or (len(t) < 200 and ("©" in t or "cookie" in t or "rights reserved" in t))


def chrome_at_both_edges(lines: Sequence[str], least: int = 2) -> bool:
    """Whether a block of lines shows chrome that is chrome whatever the page (the hand-written list,
    copyright and cookie lines) at both of its edges, `least` distinct lines at each: a whole page
    dump, with its own header and footer, and not a part of one."""
    n = len(lines)
    k = edge_width(n)
    cl = chrome_lines()

    def chrome(edge) -> int:
        return len({t for t in map(str.lower, map(str.strip, edge)) if is_known_chrome(t, cl)})

    return n >= 2 * k and chrome(lines[:k]) >= least and chrome(lines[n - k:]) >= least


def _short_share(text: Sequence[str]) -> float:
    """The share of the lines with four words or fewer."""
    # (in C: every look asks) A line splits into at most 5 parts with maxsplit=4, 5 exactly when it
    # has more than four words: a long line is not split whole.
    return sum(map((4).__ge__, map(len, map(str.split, text, repeat(None), repeat(4))))) / len(text)


def gate_opens(lines: Sequence[str], protected: frozenset[int], removed: frozenset[int], model: dict,
               stripped: bool = False) -> bool:
    """Whether the page shows GATE_MIN distinct chrome lines at its edges (`chrome_evidence`), over
    its non-blank lines but the protected ones (a Markdown code block listing "Privacy Policy" is
    content, never evidence that the document is a page dump). Lines other rules removed count too
    when the others fall short, unless what the rules leave is no page dump any more (fewer than
    GATE_MIN_SHORT short lines): an article whose residue the rules took is not the model's to read,
    and on a short one the model, which learned that small pages are mostly chrome, would take
    paragraphs."""
    weighed = [i for i, t in enumerate(lines) if i not in protected and (t if stripped else t.strip())]
    text = list(map(lines.__getitem__, weighed))
    if len(chrome_evidence(text, model, stripped)) >= GATE_MIN:
        return True
    if not removed:
        return False
    flags = list(map(removed.__contains__, weighed))
    left = list(compress(text, map(not_, flags)))  # (`_short_share` splits: stripping changes nothing)
    return (len(left) >= 5 and _short_share(left) >= GATE_MIN_SHORT
            and len(chrome_evidence(text, model, stripped, removed=flags)) >= GATE_MIN)


LEAD_MIN_WORDS = 12  # a paragraph of the article, for the headline above it
HEADLINE_REACH = 6  # lines above that paragraph where its headline may stand (byline, date, credit between)
# what bylines, dates, credits and breadcrumbs have and headlines do not
NOT_A_HEADLINE = re.compile(r"[,:|/;()>»]|^By ")
# "9,211" and "3,1%" are numbers (thousands, a decimal comma), not a list
NUMBER_COMMA = re.compile(r"(?<=\d),(?=\d)")
TERMINAL_OR_COMMA = ".,;:…"
# a model year in a review's title ("Vantor Aero 14 (2025) review: ..."); a credit's parentheses hold words
YEAR_IN_PARENTHESES = re.compile(r" \((?:19|20)\d\d\)(?= |:|$)")
# a dish's or a thing's other name in lower case at the end ("Echte Hollandse erwtensoep (snert)"); a
# credit's parentheses hold a capitalised name ("(AFP)", "(Photo: ...)")
ALIAS_IN_PARENTHESES = re.compile(r" \([a-zà-ÿа-яё][^()\n]{0,30}\)$")
# a name's own acronym after it ("Winter Heating Assistance Program (WHAP)"); "(AFP)" under a
# caption is a credit, whose letters are not the initials of the words before it
ACRONYM_AT_END = re.compile(r" \(([A-ZÀ-ÞА-Я]{2,8})\)$")


def without_own_acronym(line: str) -> str:
    """`line` without an acronym in parentheses at its end that spells the initials of the capitalised
    words before it, in order (each letter the initial of a later word than the one before)."""
    m = ACRONYM_AT_END.search(line)
    if m is None:
        return line
    initials = [w[0] for w in words_of(line[: m.start()]) if w[:1].isupper()]
    k = 0
    for letter in m.group(1):
        while k < len(initials) and initials[k] != letter:
            k += 1
        if k == len(initials):
            return line
        k += 1
    return line[: m.start()]


def is_sentence_title(line: str, colon_after: int | None = None, clauses: bool = False, min_words: int = 4) -> bool:
    """A title written as a sentence without its full stop: four (or `min_words`) to twenty words, a capital first,
    none of the marks of a byline, date or credit (`colon_after`: a colon is allowed after that many
    words, as in 'X announces exit: "I need to look after myself"'; "Photo: Reuters" has one).
    With `clauses`, commas may join clauses of three words or more, as a news headline's do ("Bank
    holds rates, signals first cut could come in March"); a byline's or a place's parts are shorter
    ("Jane Doe, Senior Reporter", "in Oslo, Norway")."""
    stripped = line.strip()
    n_words = len(words_of(stripped))
    if not (stripped[:1].isupper() and stripped[-1:] not in TERMINAL_OR_COMMA and min_words <= n_words <= 20):
        return False
    if n_words < 4 and stripped.endswith("!"):  # "Get Help Today!": a button's call, not a short title
        return False
    stripped = YEAR_IN_PARENTHESES.sub("", NUMBER_COMMA.sub("", stripped))
    stripped = without_own_acronym(ALIAS_IN_PARENTHESES.sub("", stripped))
    if colon_after is not None and ":" in stripped:
        before, _, after = stripped.partition(":")
        if len(words_of(before)) < colon_after:
            return False
        stripped = before + " " + after
    if clauses and "," in stripped:
        parts = stripped.split(",")
        if min(map(len, map(words_of, parts))) < 3:
            return False
        stripped = " ".join(parts)
    return not NOT_A_HEADLINE.search(stripped)


# the day a title names, after a dash ("Council Meeting Summary — Tuesday, October 14, 2025")
DATE_AFTER_DASH = re.compile(r" [-–—] (?:[A-Z][a-z]+day,? )?(?:" + MONTH + r"\.? \d{1,2}|\d{1,2}\.? " + MONTH
                             + r"),? \d{4}$")



def is_headline(line: str) -> bool:
    """A headline-shaped line (Title Case, three to twenty words) without the marks of a byline,
    credit or link row (a number's comma, of thousands or decimals, is no comma of a list). A
    numbered or labelled title keeps its label before a colon ("Episode 142: The Woman Who ...",
    "Review: ...") when the rest is a headline of its own, and a title may end with the day it names
    after a dash; other commas and colons are a byline's or a credit's."""
    if not is_headline_shaped(line, 3, 20):
        return False
    line = NUMBER_COMMA.sub("", DATE_AFTER_DASH.sub("", line.strip()))
    line = without_own_acronym(ALIAS_IN_PARENTHESES.sub("", line))
    label, colon, rest = line.partition(": ")
    if colon and len(words_of(label)) <= 3 and is_headline_shaped(rest, 3, 20):
        line = rest
    return not NOT_A_HEADLINE.search(line)


QUESTION_REACH = 10  # lines above the lead where a title asked as a question may stand
# link rows, bylines, a sentence ended inside, and a login box's questions ("Don't yet have an account?")
NOT_A_QUESTION_TITLE = re.compile(r"[|>»]|^By |[.!?…] |\b(?:account|password|logged in|signed in|registered)\b")


def is_question_title(line: str) -> bool:
    """A title asked as a question, as a forum thread's or a Q&A page's is ("Cold start squeal on 2011
    Accord 2.4 – belt, tensioner or idler?"): five to twenty-five words, a capital first, the question
    mark last and no sentence ended before it, none of a link row's or a byline's marks."""
    stripped = line.strip()
    return (stripped[:1].isupper() and stripped.endswith("?") and 5 <= len(words_of(stripped)) <= 25
            and not NOT_A_QUESTION_TITLE.search(stripped))


STANDFIRST_MAX_WORDS = 60
FURNITURE_REACH = 3  # lines of three to eleven words between a standfirst and its lead, in formatted text
NOT_A_STANDFIRST = re.compile(r"[|/>»]|^By ")  # link rows, breadcrumbs, bylines (in either line; commas are fine)


def headline_with_standfirst(text: Sequence[str], words: Sequence[int], gone: Sequence[bool], lead: int,
                             formatted: bool = False) -> int | None:
    """The headline of a headline-and-standfirst pair that the paragraph at `lead` follows, or None.

    Walking up from the lead past lines other rules removed, lines of one or two words (video
    controls, share buttons) and, in a page dump, a date alone (the story's date row; held-out probe
    av01), the first longer line must be a one-sentence summary (the standfirst)
    and the line right above it a title (Title Case, or a sentence without its full stop, not a
    call to action ending in "!"). The model reads such a pair on a page of short lines as chrome;
    the pair's shape, with the lead below it, is the evidence that it is the article's top.
    In `formatted` text (blank lines between blocks) the walk also passes up to FURNITURE_REACH other
    lines too short to be the standfirst ("Bench Score 4.5 out of 5", a date row): there the blocks,
    not the lines, are the units of the layout. (Page dumps have no blank lines.)"""
    j, passed = None, 0
    for k in range(lead - 1, -1, -1):
        if gone[k] or words[k] < 3 or (not formatted and words[k] <= 5 and DATE_ALONE.fullmatch(text[k].strip())):
            continue
        if formatted and words[k] < LEAD_MIN_WORDS and passed < FURNITURE_REACH:
            passed += 1
            continue
        j = k
        break
    if j is None or j == 0 or not LEAD_MIN_WORDS <= words[j] <= STANDFIRST_MAX_WORDS:
        return None
    title = j - 1
    if gone[title] or not words[title] or NOT_A_STANDFIRST.search(text[j]) or NOT_A_STANDFIRST.search(text[title]):
        return None
    if text[title].strip() == text[j].strip():  # a headline printed twice is no headline and standfirst
        return None
    line = text[title].strip()
    if line.endswith("!") or not (is_headline_shaped(line, 3, 20) or is_sentence_title(line, colon_after=3)):
        return None
    return title


def _blank_above(keep_idx: Sequence[int]) -> list[bool] | None:
    """For each non-blank line (its index in the document), whether a blank line stands right above
    it; None for a document without blank lines between its lines. Blank lines before the first line
    do not count: a window of a long file that opens with the blank line between two pages is the
    same page as that page alone, and must be read the same (no layout to read, no blank line above
    its first line)."""
    if len(keep_idx) == keep_idx[-1] - keep_idx[0] + 1:
        return None
    return [False] + list(map((1).__lt__, map(sub, keep_idx[1:], keep_idx)))


AFTER_BODY_BLOCK = 12  # the most lines of a block below the last paragraph that is owned whole

# An event's or a service's details ("Visitation / Thursday, March 14, 2024 / 4:00 PM – 7:00 PM /
# Holloway-Brandt Funeral Home / 118 West Bridge Street, Millbrook, PA 17058"): a date with its year,
# a time of day, and a place (a street address or a postcode) or two field labels (see `details_block`).
DETAILS_DATE = re.compile(r"(?i:\b" + MONTH_NAMES + r"\.? \d{1,2}(?:st|nd|rd|th)?,? (?:19|20)\d\d\b"
                          r"|\b\d{1,2}\.? (?:de )?" + MONTH_NAMES + r"\.?,? (?:de )?(?:19|20)\d\d\b"
                          r"|\b\d{1,2}[./]\d{1,2}[./](?:19|20)\d\d\b)")
DETAILS_TIME = re.compile(r"(?i:\b\d{1,2}(?::\d\d)? ?[ap]\.?m\b\.?|\b\d{1,2}[:.h]\d\d\b)")
DETAILS_PLACE = re.compile(
    r"^\d{1,5}[a-z]? (?:[A-Z][\w.'’-]*\s?){1,4}(?i:street|st|road|rd|avenue|ave|boulevard|blvd|drive|dr|lane|ln|"
    r"way|place|pl|square|sq|court|ct|highway|hwy|parkway|pkwy)\b\.?"  # "118 West Bridge Street"
    r"|\b[A-Z]{2} \d{5}(?:-\d{4})?$"  # "Millbrook, PA 17058"
    r"|(?:^|, )(?:\d{5}|\d{4}-\d{3}|\d{2}-\d{3}) [A-ZÀ-Þ][\w-]+"  # "10115 Berlin", "1100-148 Lisboa"
    r"|^(?:Calle|Avenida|Rua|Via|Piazza|Rue|Place) .+\d")
DETAILS_LABEL = field_label(DATE_TIME_LABELS + ("times", "where", "location", "venue", "address", "cost", "price",
                                                "admission", "lugar", "ort", "eintritt", "lieu", "prix", "luogo",
                                                "local", "место", "locatie", "miejsce"))
DETAILS_MAX_LINES = 12
OPENING_HOURS = re.compile(r"\b\d{1,2}[:.h]\d\d ?[-–] ?\d{1,2}[:.h]\d\d\b")  # "9:00 - 12:30", "15.00–17.30"


def details_block(lines: Sequence[str]) -> bool:
    """Whether a block of short lines gives an event's or a service's details: a date with its year and
    a time of day (on one line or two), and a place (a street address or a postcode) or two field
    labels ("Date", "Time", "Location"). A footer has an address and opening hours but no dated day;
    a comment's header has its date and time but no place."""
    if not 2 <= len(lines) <= DETAILS_MAX_LINES:
        return False
    dated = any(DETAILS_DATE.search(line) for line in lines)
    timed = any(DETAILS_TIME.search(line) for line in lines)
    if not (dated and timed):
        return False
    labels = sum(1 for line in lines if DETAILS_LABEL.fullmatch(line))
    return labels >= 2 or any(DETAILS_PLACE.search(line) for line in lines)


def block_spans(blank_above: Sequence[bool], first: int = 0) -> list[tuple[int, int]]:
    """(start, end) of the blocks (lines between blank lines) that start at line `first` or below."""
    n = len(blank_above)
    starts = [i for i in range(first, n) if i == 0 or blank_above[i]]
    return list(zip(starts, starts[1:] + [n]))


def keep_details_blocks(text: Sequence[str], drop: list[bool], gone: Sequence[bool], blank_above: Sequence[bool],
                        lead: int, last: int) -> list[int]:
    """In formatted text, give back the blocks of an event's or a service's details (`details_block`)
    that stand in the article: between its first paragraph the model keeps (`lead`) and its last
    (`last`), or right above the first, with nothing but lines other rules removed between (an event
    page prints the date, time and venue between its title and its text). The model reads their
    short lines as a footer's. Returns the lines given back above the lead (the headline search
    passes over them)."""
    above: list[int] = []
    below_lead_block = True  # walking up from the lead: no block with a line left yet
    for s, e in reversed(block_spans(blank_above)):
        if s > last:
            continue
        block = [i for i in range(s, e) if not gone[i]]
        if e <= lead:
            if not block:
                continue  # a block other rules removed whole (a caption) does not part the two
            if not below_lead_block:
                break
            below_lead_block = False
        if block and details_block([text[i] for i in block]):
            for i in block:
                drop[i] = False
            if e <= lead:
                above.extend(block)
    return above


def last_kept_paragraph(drop: Sequence[bool], gone: Sequence[bool], lead: int, is_paragraph) -> int:
    """The last paragraph that stays, at `lead` or below it (`lead` when none below does): where the
    article's body ends for the searches that give back lines around it."""
    return next((i for i in range(len(drop) - 1, lead - 1, -1) if not drop[i] and not gone[i] and is_paragraph(i)),
                lead)


def keep_mostly_kept_blocks(text: Sequence[str], drop: list[bool], gone: Sequence[bool], words: Sequence[int],
                            blank_above: Sequence[bool], lead: int, is_paragraph) -> None:
    """In formatted text, give back the lines the model drops from a block (lines between blank
    lines) of the article's body when it keeps the block's first line and most of its lines: a table
    of specifications, a list of pros and cons, whose short items read as chrome one by one. A short
    heading over two lines or more of which the model keeps all but a quarter at most opens the block
    as well ("Specs" over the specifications, a restaurant's name over its address, hours and price:
    a lone name reads as a menu's), and so does a record of labelled fields, none named twice. The blank
    lines are the writer's grouping; a block the article owns is owned whole. The body runs from the
    first paragraph the model keeps to the last, and takes in the short blocks below the last one
    after another while each is owned (a review's pros and cons below its verdict, a match report's
    line-ups and then its facts, a notice's office with its fields, address and opening hours); a
    block the model mostly drops, a long one, or one other rules removed whole (tags, a corrections
    notice) ends the body."""
    last = last_kept_paragraph(drop, gone, lead, is_paragraph)
    for s, e in block_spans(blank_above, lead + 1):
        block = [i for i in range(s, e) if words[i] and not gone[i]]
        if not block:
            if s > last and any(islice(words, s, e)):
                break  # a block other rules removed whole (tags, a corrections notice) ends the body
            continue
        rest = block[1:]
        labels = [field_name(text[i]) for i in block] if rest else []  # (asked of blocks of two lines or more)
        head_kept = not drop[block[0]] or (len(rest) >= 2 and SUBHEADING.fullmatch(text[block[0]]) is not None
                                           and 4 * sum(map(drop.__getitem__, rest)) <= len(rest))
        if not head_kept and len(rest) >= 2:
            # a record of labelled fields has no heading line: its first field may read as chrome
            # ("Start date: September 2025" over a course's duration, campus and mode of study)
            head_kept = all(labels) and len(set(labels)) == len(labels)
        owned = head_kept and 2 * sum(1 for i in block if not drop[i]) > len(block)
        if not owned and s > last and len(block) >= 2:
            # a record of labelled fields below the body's owned blocks ("Arbitro: ...", "Ammoniti:
            # ..." under a match report's scorers) is the article's too: a footer's fields follow
            # the tags and share bars other rules remove, which end the body first
            # ... and so is the office to contact below a notice, its fields with its address and
            # its opening hours ("Piazza del Municipio 1", "Telefono: ...", "Giovedì: 15:00 - 17:30")
            # (its heading and the office's name over them: short lines at the block's top)
            named = [label for label in labels if label]
            others = [(k, text[i].strip()) for k, (i, label) in enumerate(zip(block, labels)) if not label]
            owned = (len(named) >= 2 and len(set(named)) == len(named) and len(others) <= len(named)
                     and all(OPENING_HOURS.search(t) or DETAILS_PLACE.search(t)
                             or (k < 2 and SUBHEADING.fullmatch(t)) for k, t in others))
        if s > last and (len(block) > AFTER_BODY_BLOCK or not owned):
            break  # the body's last owned block is behind
        if owned:
            for i in block:
                drop[i] = False


FIGURES_ONLY = re.compile(r"\W*\d[\d\W_]*")  # "2026", "#3", "4.5", "1,299"; not "(22K)", "2h 16m"
CELL_MAX_WORDS = 3  # the most words of a line beside a figure for the two to read as cells of one record


def keep_figures_in_records(text: Sequence[str], drop: list[bool], gone: Sequence[bool]) -> None:
    """Give back a line of figures alone ("2026", "#3", "4.5") that the model drops between two short
    lines it keeps: a cell of the record around it (a film's year between its title and its running
    time, a rank above a title). The vocabulary learned that bare figures are chrome (copyright years,
    page numbers, counters), which holds at a page's edges but not inside a list the model keeps; and
    a record read without its year loses every 4-gram across it. Neighbours are the lines no other
    rule removed; a figure beside a long line (a question under its vote count) is not a cell."""
    figures = [i for i in compress(range(len(text)), drop) if not gone[i] and FIGURES_ONLY.fullmatch(text[i])]
    if not figures:
        return
    rows = list(compress(range(len(text)), map(not_, gone)))
    for i in figures:
        k = bisect_left(rows, i)
        if k == 0 or k + 1 == len(rows):
            continue
        above, below = rows[k - 1], rows[k + 1]
        if (not drop[above] and not drop[below] and len(text[above].split()) <= CELL_MAX_WORDS
                and len(text[below].split()) <= CELL_MAX_WORDS):
            drop[i] = False


def keep_fields_after_kept_fields(text: Sequence[str], drop: list[bool], gone: Sequence[bool], lead: int) -> None:
    """Give back a labelled field ("Prijs: € 23,99", "Contact: events@...") that the model drops right
    below a field it keeps, from the first paragraph down: the last rows of a book's details, an
    event's organizer and contact. The model reads a short line below the last paragraph as the
    footer's, but a footer does not start in the middle of a record the article prints. Only the
    lines no other rule removed are neighbours. The field above must be one the model keeps (a
    field given back does not pass the record on), and no label may stand twice from the first
    paragraph down: a grid repeats its labels ("Option: ..." under every product, "SyntaxError: ..."
    down a sidebar), a record names each field once."""
    fields = {i: name for i in range(lead, len(drop)) if not gone[i] and (name := field_name(text[i]))}
    count = Counter(fields.values())
    unique = {i for i, name in fields.items() if count[name] == 1}
    kept = drop[:]  # (the model's verdicts: a field given back does not pass the record on)
    for i in sorted(unique):
        if drop[i] and i - 1 in unique and not kept[i - 1]:
            drop[i] = False


TABLE_ROW = re.compile(r"[^\S\n]*([^|\n]{1,40}?)[^\S\n]+\|[^\S\n]+[^|\n]{1,80}")  # "Akku | 5.500 mAh"
# A row of marks: a name and its score after a dash ("Vasco Lima – 6", "Battery – 8.5/10").
SCORE_ROW = re.compile(r"[^\S\n]*([^\W\d_][^–—|\n]{1,40}?)[^\S\n]+[–—-][^\S\n]+"
                       r"\d{1,3}(?:[.,]\d{1,2})?(?:/\d{1,3})?[^\S\n]*")
ROW_HEADING_WORDS = 6  # the most words of a heading that owns the rows right below it


def keep_table_rows_beside_kept_rows(text: Sequence[str], drop: list[bool], gone: Sequence[bool], lead: int) -> None:
    """Give back the rows of a two-column table ("Akku | 5.500 mAh, 45 W Laden") or of a list of marks
    ("Vasco Lima – 6") that the model drops beside a row it keeps, or right under a short heading it
    keeps ("As notas do Ribadouro"), from the first paragraph down: such a table is owned whole, and
    its short rows read one by one as a footer's (a spec table's last rows at the end of a test, its
    first ones under the heading of a product page's specifications when only its longest row reads
    as text, a match report's player ratings). The rows are consecutive lines no other rule removed;
    no row's label may stand twice from the first paragraph down (a grid repeats them)."""
    rows = {}
    for i in range(lead, len(drop)):
        if not gone[i] and (m := (TABLE_ROW if "|" in text[i] else SCORE_ROW).fullmatch(text[i])) is not None:
            rows[i] = m.group(1).strip().casefold()
    if len(rows) < 3:
        return
    count = Counter(rows.values())
    unique = [i for i, label in rows.items() if count[label] == 1]
    runs: list[list[int]] = []
    for i in unique:
        if runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    for run in runs:
        head = run[0] - 1
        under_heading = (len(run) >= 3 and head >= 0 and not drop[head] and not gone[head] and head not in rows
                         and 1 <= len(text[head].split()) <= ROW_HEADING_WORDS
                         and text[head].rstrip()[-1:] not in TERMINAL_OR_COMMA)
        if len(run) >= 2 and (under_heading or not all(map(drop.__getitem__, run))):
            for i in run:
                drop[i] = False


# The labels of a review's verdict lists, alone on their line ("Pros", "Minusy:", "Points forts"): the
# good points' and the bad points'.
PROS_LABEL = re.compile(
    r"(?i:pros|pluses|the good|pro|vorteile|ventajas|a favor|points forts|les plus|vantagens|prós|"
    r"pontos positivos|pregi|punti di forza|плюсы|достоинства|voordelen|pluspunten|plusy|zalety|fördelar)"
    r"[^\S\n]*:?")
CONS_LABEL = re.compile(
    r"(?i:cons|minuses|the bad|contra|nachteile|desventajas|en contra|points faibles|les moins|desvantagens|"
    r"contras|pontos negativos|difetti|punti deboli|минусы|недостатки|nadelen|minpunten|minusy|wady|nackdelar)"
    r"[^\S\n]*:?")
PROS_CONS_ITEMS = 10  # the most items under one label
PRICE = re.compile(r"[$€£¥₽]\s?\d|\d[\d.,]*\s?(?:€|zł|kr|руб|EUR|USD)\b")


def keep_pros_and_cons(text: Sequence[str], drop: list[bool], gone: Sequence[bool], words: Sequence[int],
                       blank_above: Sequence[bool] | None, lead: int) -> None:
    """Give back a review's pros and cons below the article's first paragraph: a label of the good
    points alone on its line ("Pros", "Pro", "Plusy:") with the short items under it, then a label of
    the bad points ("Cons", "Contra", "Minusy:") with its items. The model reads the items one by one
    as a menu's, and the lists often stand after the last paragraph, where it expects the footer;
    the two labels say what they are. (One label alone is not enough: "Pro" is also a plan on a
    pricing page.) A list ends at a blank line, a long line, a line other rules removed, a label, or
    a price: in a dump the shop's offers follow the cons ("$898.00 from Lowe's")."""
    n = len(drop)

    def items_end(i: int) -> int:
        end = i + 1
        while (end < n and end - i <= PROS_CONS_ITEMS and not gone[end] and 0 < words[end] < LEAD_MIN_WORDS
               and not (blank_above is not None and blank_above[end]) and not text[end].rstrip().endswith(":")
               and not PROS_LABEL.fullmatch(text[end].strip()) and not CONS_LABEL.fullmatch(text[end].strip())
               and not PRICE.search(text[end])):
            end += 1
        return end

    # (the labels looked for in C: a page dump has thousands of lines, and few are labels)
    labels = compress(range(lead + 1, n), map(PROS_LABEL.fullmatch, map(str.strip, islice(text, lead + 1, None))))
    for i in labels:
        if gone[i]:
            continue
        cons = items_end(i)
        if cons == i + 1 or cons >= n or gone[cons] or not CONS_LABEL.fullmatch(text[cons].strip()):
            continue
        end = items_end(cons)
        if end > cons + 1:
            for k in range(i, end):
                drop[k] = False


CARD_MIN_FIELDS = 3  # labelled fields under a title, for it to be a card's (a film's, a book's)


def keep_title_over_card(text: Sequence[str], drop: list[bool], gone: Sequence[bool]) -> None:
    """Give back a short line right above a run of CARD_MIN_FIELDS labelled fields or more, of
    which the model keeps all but a quarter at most (as a short heading opens a block): the title of
    a film's or a book's card ("Последний паром (2025)" over "Режиссёр: ...", "В ролях: ...", "Год:
    2025"). Alone, two words and a year read as a menu's item; the record below names what it is.
    (MENU101 keeps such a title over a wiki's infobox for the same reason.) No label may stand twice
    in the run (a grid repeats its labels). In formatted text only: in page dumps the line above a
    run of kept fields was chrome or code more often than a title ("Toutes nos marques", "button {";
    -0.003 summed over six dev pages)."""
    n = len(drop)
    for i in range(n - 1):
        if not drop[i] or gone[i] or not 1 <= len(text[i].split()) <= 8 or LABELLED_FIELD.match(text[i]):
            continue
        labels = []
        end = i + 1
        while end < n and not gone[end] and (name := field_name(text[end])):
            labels.append(name)
            end += 1
        if (len(labels) >= CARD_MIN_FIELDS and len(set(labels)) == len(labels)
                and 4 * sum(drop[i + 1:end]) <= len(labels)):
            drop[i] = False


def keep_dates_under_titles(text: Sequence[str], drop: list[bool], gone: Sequence[bool], lead: int) -> None:
    """Give back a span of two dates ("June 2, 1936 – March 9, 2024", "(1931–2009)") right below a
    kept line above the article's first paragraph: a person's life dates under their name, an event's
    under its title. The model reads a lone date above the text as the page's date row, but a page
    prints its own date once, not as a span. (MENU101 keeps the name above such a span.)"""
    for i in range(1, lead):
        if drop[i] and not gone[i] and not drop[i - 1] and not gone[i - 1] and DATE_SPAN.fullmatch(text[i].strip()):
            drop[i] = False


# A breadcrumb trail ("Home / Changelog", "Accueil » Guide » Démarrage rapide") is read by
# lines.crumb_last; its separators are not "|", which also joins a menu's items and a title to its
# site's name.
CRUMB_REACH = 8  # lines above the lead where the breadcrumb and the title it names may stand
TRAIL_REACH = 12  # lines above the lead where a trail may stand over a title-shaped line (a post's furniture between)
IMAGE_ALT = re.compile(r"(?i)(?:photo|image|picture|portrait|foto|bild|imagen|immagine|фото)\b")  # "Photo of ..."


def keep_title_named_by_breadcrumb(text: Sequence[str], drop: list[bool], gone: Sequence[bool], lead: int) -> None:
    """Give back the page's title when the breadcrumb above it names it: a line between the trail and
    the first paragraph that repeats the trail's last item ("Home / Changelog" over "Changelog"). A
    one- or two-word title ("Changelog", "Démarrage rapide") reads as a menu item to the model, and no
    sentence-title test can tell it from one; the trail, whatever other rules do with it, can. Else
    the line right below the trail (past lines other rules removed) when it is shaped as a title, a
    headline, a sentence title (commas joining clauses, a colon after three words) or a question: a
    forum thread's title under the trail to its board ("Форумы › Хранение данных › NAS" over "Год на
    Btrfs вместо ZFS: полёт нормальный, но есть нюансы"), past the post's furniture (the trail up to
    TRAIL_REACH lines above the first paragraph). An image's alternative text ("Photo of ...") is no
    title. So is a title that names the trail's last item among its words (`names_crumb`)."""
    for b in range(max(0, lead - TRAIL_REACH), lead):
        last = crumb_last(text[b])
        if last is None:
            continue
        if b >= lead - CRUMB_REACH:
            for i in range(b + 1, lead):
                if drop[i] and not gone[i] and text[i].strip().casefold() == last:
                    drop[i] = False
                    return
        below = next((i for i in range(b + 1, lead) if not gone[i]), None)
        if below is not None and drop[below] and not IMAGE_ALT.match(text[below].strip()) and (
                is_headline(text[below]) or is_question_title(text[below])
                or is_sentence_title(text[below], colon_after=3, clauses=True)
                or names_crumb(text[below], last)):
            drop[below] = False
            return


POST_BUTTONS_REACH = 3  # non-blank lines below a post's last paragraph where its buttons stand
POST_BUTTONS_MAX_WORDS = 3
OPENING_POST_MAX_LINES = 15  # an article's body, with its comments' buttons below, is longer


def keep_posts_above_post_buttons(text: Sequence[str], drop: list[bool], gone: Sequence[bool],
                                  words: Sequence[int], lead: int, is_paragraph) -> None:
    """Give back a forum post the model drops: a paragraph with the thread's post buttons ("Quote",
    "Reply", "Цитировать") right below it. The buttons are the short lines of one to three words, each
    dropped, that stand right below two or more of the paragraphs the model keeps (other rules may have
    removed them: they are still the evidence). A thread's last reply sits among the footer's chrome,
    and alone the model reads it as the footer's; the buttons below it say it is a post like the
    others. The lines between the paragraph and the buttons stay too when they end as sentences do
    ("Thanks, all!"); a signature does not. Only in a thread: the buttons must close the opening post
    (the lead's block) too."""
    n = len(text)

    def below(i: int) -> list[tuple[int, str]]:
        found = []
        for j in range(i + 1, n):
            t = text[j].strip()
            if t:
                found.append((j, t))
                if len(found) == POST_BUTTONS_REACH:
                    break
        return found

    seen = Counter()
    for i in range(lead, n):
        if not drop[i] and not gone[i] and is_paragraph(i):
            seen.update({t for j, t in below(i) if 1 <= words[j] <= POST_BUTTONS_MAX_WORDS and (drop[j] or gone[j])})
    buttons = {t for t, count in seen.items() if count >= 2}
    if not buttons:
        return
    # A thread's opening post ends with the buttons too, below the short run of kept lines from the lead:
    # an article's comments have them, and a model that keeps two comments must not bring the rest back.
    end, size = lead, 1
    while True:
        nxt = below(end)[:1]
        if not nxt or nxt[0][1] in buttons or drop[nxt[0][0]] or gone[nxt[0][0]]:
            break
        end, size = nxt[0][0], size + 1
    # (and the posts given back must end with those same buttons: an article's inline "Read next" box,
    # below its first paragraphs, is no comment's "Reply")
    buttons = {t for _, t in below(end) if t in buttons}
    if size > OPENING_POST_MAX_LINES or not buttons:
        return
    for i in range(lead + 1, n):
        if not (drop[i] and not gone[i] and is_paragraph(i)):
            continue
        after = below(i)
        at = next((k for k, (j, t) in enumerate(after) if t in buttons), None)
        if at is None:
            continue
        drop[i] = False
        for j, t in after[:at]:
            if drop[j] and not gone[j] and t[-1] in SENTENCE_END:
                drop[j] = False


NAMED_CRUMB_MIN_CHARACTERS = 4  # a last crumb shorter than this ("FAQ", "EN") names too many lines
NAMED_CRUMB_MAX_WORDS = 20


def names_crumb(line: str, last: str) -> bool:
    """True when `line` holds the trail's last item among more words, and is no sentence: a job's or
    a product's title that names its category ("Careers › Nursing › Medical-Surgical" over "Registered
    Nurse – Medical-Surgical, 4 West (Nights)"), which the title tests turn down for its comma or
    parentheses."""
    stripped = line.strip()
    if len(last) < NAMED_CRUMB_MIN_CHARACTERS or not stripped[:1].isupper() or stripped[-1:] in TERMINAL_OR_COMMA:
        return False
    folded = stripped.casefold()
    return (folded != last and len(words_of(stripped)) <= NAMED_CRUMB_MAX_WORDS
            and re.search(r"(?<!\w)" + re.escape(last) + r"(?!\w)", folded) is not None)


RUN_ON_MIN_WORDS = 8  # the shortest sentence that runs on from a kept paragraph and stays with it


LIST_MAX_LINES = 12  # the most items of a list that a paragraph ending in a colon introduces


def keep_lists_after_colon(text: Sequence[str], drop: list[bool], gone: Sequence[bool], words: Sequence[int],
                           lead: int, is_paragraph) -> None:
    """Give back the list that a kept paragraph ending in a colon introduces ("I tried, in roughly
    this order:"): the run of short lines right below it, when a paragraph that stays follows the
    run. The model reads the items one by one, as a menu's ("Giveaways", "Paid social ads"); the
    colon and the prose on both sides say they are the text's. A run with a line other rules removed
    (a box's button) or with a line as long as a paragraph is not such a list."""
    n = len(drop)
    last = last_kept_paragraph(drop, gone, lead, is_paragraph)
    for i in range(lead, last):
        if drop[i] or gone[i] or not text[i].rstrip().endswith(":") or words[i] < LEAD_MIN_WORDS:
            continue
        end = i + 1
        while end < n and drop[end] and not gone[end] and words[end] < LEAD_MIN_WORDS and end - i <= LIST_MAX_LINES:
            end += 1
        if end > i + 1 and end < n and not drop[end] and not gone[end] and is_paragraph(end):
            for k in range(i + 1, end):
                drop[k] = False


def keep_paragraphs_run_on(text: Sequence[str], drop: list[bool], gone: Sequence[bool], words: Sequence[int],
                           blank_above: Sequence[bool], lead: int, is_paragraph) -> None:
    """In formatted text, give back a sentence that runs on from the paragraph the model keeps right
    above it, with no blank line between (a post's closing sentences, which the model reads as the
    page's tail). The line right above must stay and be a paragraph: a box's fine print below a
    line other rules removed ("* To unsubscribe at any time ...") gets the model's verdict."""
    for i in compress(range(lead + 1, len(drop)), islice(drop, lead + 1, None)):
        if (not gone[i] and not blank_above[i] and not drop[i - 1] and not gone[i - 1]
                and words[i] >= RUN_ON_MIN_WORDS and is_prose(text[i]) and is_paragraph(i - 1)):
            drop[i] = False


SPACED_HEADING_WORDS = 6
ECHOED_HEADING_WORDS = 3  # a shorter heading stays when its words come back in its paragraph's first sentence


def echoed_below(heading: str, paragraph: str) -> bool:
    """Whether every word of `heading` is in the first sentence of `paragraph` ("Consent agenda" over
    "The council approved the consent agenda without discussion."): the paragraph takes up its
    heading's subject, as a button's words ("Get involved") seldom are."""
    first = re.split(r"(?<=[.!?])\s", paragraph.strip(), maxsplit=1)[0]
    said = {w.casefold() for w in words_of(first)}
    heading_words = [w.casefold() for w in words_of(heading)]
    return bool(heading_words) and all(w in said for w in heading_words)
SPACED_HEADING = re.compile(r"[^\W\d_][^.!?:;|·•]*[^\W_]")  # no sentence end, colon or separator


def decide(text: Sequence[str], words: Sequence[int], p: Sequence[float], thr: float,
           gone: Sequence[bool] | None = None, blank_above: Sequence[bool] | None = None) -> list[bool]:
    """Which lines to drop, from their keep probabilities (`gone`: the lines other rules removed;
    `blank_above`: the lines that followed a blank line in the document)."""
    n = len(text)
    drop = list(map(float(thr).__gt__, p))  # (q < thr, in C)
    gone = gone if gone is not None else [False] * n
    # The first line of a page dump is mostly its <title>, and the model learned to drop it. But the
    # next run's first line is the one after: a first line that is a sentence stays, or cleaning again
    # (and PAGE001's own later looks) would eat an article from the top, a sentence at a time.
    first = next((i for i in range(n) if words[i]), None)
    forced = None  # that first line, in formatted text, when only this keeps it (see the lead below)
    if first is not None and drop[first] and is_prose(text[first]):
        drop[first] = False
        if blank_above is not None:
            forced = first
    # A title in sentence case ("Why the night bus is the most honest route in the city") right above
    # the first paragraph the model keeps stays. Other rules' removals do not move that paragraph: the
    # engine asks again as they grow, and the answer must be the one a first look at the same lines
    # gives (PAGE001 remembers its looks).
    def is_paragraph(i: int) -> bool:  # (asked only of the lines the searches below reach)
        return words[i] >= LEAD_MIN_WORDS and is_prose(text[i])

    # (Right above the paragraph a title may be three words: a docs page's "Your first validation".)
    kept_lead = next((i for i in range(n) if not drop[i] and is_paragraph(i)), None)
    if kept_lead and is_sentence_title(text[kept_lead - 1], min_words=3):
        drop[kept_lead - 1] = False
    # The article's own headline: the nearest headline-shaped line above the first paragraph that
    # stays. The model drops it when the page does not repeat it as its <title>, as a text's own
    # title is dropped when all around it is chrome.
    # Lines other rules removed (a byline, "Jump to Recipe") are neither the lead nor the headline, and
    # do not count in the reach.
    # In formatted text a first line kept only by the rule above is the lead when no paragraph the
    # model keeps follows: a cookie notice's sentence at the top is not where the article starts. (A
    # page dump's first line is its <title>, the article's own headline: there it stays the lead, or
    # the headline search below would take a menu's line above the first paragraph.)
    lead = next((i for i in range(n) if not drop[i] and not gone[i] and i != forced and is_paragraph(i)), None)
    if lead is None and forced is not None and not gone[forced] and is_paragraph(forced):
        lead = forced
    if lead is None:
        # No paragraph would stay: a page the model would leave with its chrome alone is one it
        # misreads (a few sentences amid menus, as a later look sees a page), so its paragraphs stay.
        # Cleaning again, or looking again, finds the same.
        paragraphs = [i for i in range(n) if drop[i] and not gone[i] and is_paragraph(i)]
        for i in paragraphs:
            drop[i] = False
        lead = paragraphs[0] if paragraphs else None
    # An event's details between its title and its text, or among its paragraphs, are the text's.
    details_above: frozenset[int] = frozenset()
    if blank_above is not None and lead is not None:
        last = last_kept_paragraph(drop, gone, lead, is_paragraph)
        details_above = frozenset(keep_details_blocks(text, drop, gone, blank_above, lead, last))
    if lead is not None:
        # In formatted text a headline with its standfirst is the stronger evidence: a headline-shaped
        # line nearer the lead may be a rating or a button ("Bench Score 4.5 out of 5"). In a page
        # dump the pair is looked for only when no headline is found: a dump's menus and promos make
        # false pairs ("Frequently Asked Questions" above a sales pitch).
        formatted = blank_above is not None
        head = headline_with_standfirst(text, words, gone, lead, formatted=True) if formatted else None
        with_standfirst = head is not None
        # the lines above the lead that may hold its title, nearest first (a question reaches furthest)
        reach = list(islice((j for j in range(lead - 1, -1, -1) if not gone[j] and j not in details_above),
                            max(HEADLINE_REACH, QUESTION_REACH)))
        if head is None:
            above = reach[:HEADLINE_REACH]
            head = next((j for j in above if is_headline(text[j])), None)
            # else a sentence title that only lines other rules removed (a byline, a credit, a
            # date row) part from the lead; in formatted text also up to FURNITURE_REACH lines too
            # short to be a title ("Categoria: Recensioni, Piemonte", "4 min read")
            if head is None and above:
                near = above[0]
                if formatted:
                    near = next((j for j in above[:FURNITURE_REACH + 1] if words[j] >= 4), near)
                if is_sentence_title(text[near], colon_after=3, clauses=True):
                    head = near
        if head is None:
            # A thread's or a Q&A page's title is a question, often with a comma (which a headline
            # may not have), and the post's furniture (its starter, date, author box, number) may
            # stand between it and the first post, further than a headline's reach.
            head = next((j for j in reach[:QUESTION_REACH] if is_question_title(text[j])), None)
        if head is None and not formatted:
            head = headline_with_standfirst(text, words, gone, lead)
            with_standfirst = head is not None
        if with_standfirst:
            drop[head + 1] = False  # the standfirst (right below its headline)
        if head is not None:
            drop[head] = False
    # A subheading set as formatted text sets it (a blank line above, its paragraph right below, no
    # blank between) amid the kept prose belongs to the article, whatever its words ("Get involved").
    # (Page dumps have no blank lines: this reads the layout of formatted text only.)
    if blank_above is not None:
        for i in compress(range(1, n - 1), islice(blank_above, 1, n - 1)):
            if (drop[i] and not gone[i] and not blank_above[i + 1] and not drop[i + 1] and not drop[i - 1]
                    and SUBHEADING.fullmatch(text[i]) and is_paragraph(i + 1) and is_paragraph(i - 1)):
                drop[i] = False
        # Set apart by blank lines on both sides, a heading of four to SPACED_HEADING_WORDS words
        # between two kept paragraphs (lines other rules removed, an inline signup box, between them
        # and it) is the text's too ("Stop asking people to subscribe"). Shorter, it may be a button
        # set apart the same way ("Get involved").
        for i in compress(range(1, n - 1), islice(blank_above, 1, n - 1)):
            if (drop[i] and not gone[i] and blank_above[i + 1] and not drop[i + 1] and is_paragraph(i + 1)
                    and 4 <= words[i] <= SPACED_HEADING_WORDS and SPACED_HEADING.fullmatch(text[i].strip())):
                above = next((j for j in range(i - 1, -1, -1) if not gone[j]), None)
                if above is not None and not drop[above] and is_paragraph(above):
                    drop[i] = False
        # Shorter, with a blank line above, it stays in the body when the paragraph right below takes
        # up its words in its first sentence.
        if lead is not None:
            for i in compress(range(lead + 1, n - 1), islice(blank_above, lead + 1, n - 1)):
                if (drop[i] and not gone[i] and not drop[i + 1] and is_paragraph(i + 1)
                        and 1 <= words[i] <= ECHOED_HEADING_WORDS and SPACED_HEADING.fullmatch(text[i].strip())
                        and echoed_below(text[i], text[i + 1])):
                    drop[i] = False
    if blank_above is not None and lead is not None:
        keep_mostly_kept_blocks(text, drop, gone, words, blank_above, lead, is_paragraph)
        keep_paragraphs_run_on(text, drop, gone, words, blank_above, lead, is_paragraph)
    if lead is not None:
        keep_lists_after_colon(text, drop, gone, words, lead, is_paragraph)
        keep_dates_under_titles(text, drop, gone, lead)
        if blank_above is not None:
            keep_title_over_card(text, drop, gone)
        keep_fields_after_kept_fields(text, drop, gone, lead)
        keep_table_rows_beside_kept_rows(text, drop, gone, lead)
        keep_pros_and_cons(text, drop, gone, words, blank_above, lead)
        keep_title_named_by_breadcrumb(text, drop, gone, lead)
        keep_posts_above_post_buttons(text, drop, gone, words, lead, is_paragraph)
    keep_figures_in_records(text, drop, gone)
    # lines without words (separators, stray punctuation) follow their neighbours (in order: a run
    # of them follows the line above it)
    for i in compress(range(n), map(not_, words)):
        drop[i] = (i == 0 or drop[i - 1]) and (i + 1 >= n or drop[i + 1])
    if all(compress(drop, words)):  # never empty a document: keep it as it is
        return [False] * n
    return drop


LABELS = {
    "len_log": "line length", "len_le10": "very short line", "len_le25": "short line",
    "len_le50": "line under 50 chars", "len_ge100": "long line", "len_ge200": "very long line",
    "words_log": "word count", "stop_ratio": "stopword density", "no_stop": "no stopwords",
    "stop_ge3": "3+ stopwords", "end_sentence": "ends like a sentence", "end_colon": "ends with colon",
    "start_lower": "starts lower-case", "start_cont": "continues previous line", "start_digit": "starts with digit",
    "end_digit": "ends with digit", "start_month": "starts with a month", "title_case": "title case",
    "all_caps": "all caps", "sep_bar": "'|' separator", "comma": "has comma", "inner_sentence": "several sentences",
    "chrome_line": "known chrome line", "repeated": "repeated in page", "repeat_log": "repeat count",
    "nb_word": "chrome words", "nb_word_min": "content words", "nb_line": "learned chrome line",
    "before_prose": "above all prose", "after_prose": "below all prose", "prose_mid": "inside the prose",
    "prose_dist_log": "far from prose", "rel_pos": "position", "edge": "page edge",
    "short_run_log": "in a run of short lines", "is_first": "first line (title)", "is_h1": "heading repeats title",
    "before_h1": "above the title heading", "no_h1": "no title heading",
    "doc_short": "page of short lines", "doc_prose": "page prose share", "doc_lines_log": "page size",
    "p1_self": "line score", "p1_prev": "previous line score", "p1_next": "next line score",
    "p1_win1": "neighbours' score", "p1_win3": "nearby lines' score", "p1_win10": "surrounding block's score",
    "p1_above5": "score of the lines above", "p1_below5": "score of the lines below",
    "p1_run": "score of its run of short lines", "p1_long_above": "score of the long line above",
    "p1_long_below": "score of the long line below", "in_block": "in main block",
    "before_block": "above main block", "after_block": "below main block",
    "block_dist_log": "far from main block", "p1_doc_mean": "page's mean score",
}


def feature_group(name: str) -> str:
    """The readable family a feature belongs to (evidence is given per family)."""
    if name.startswith(("p1_", "in_block", "before_block", "after_block", "block_dist")):
        return "context"
    if name.startswith(("kw_", "nb_", "chrome_line")):
        return "vocabulary"
    if name.startswith(("stop", "no_stop", "win3_stop")):
        return "stopwords"
    if name.startswith("repeat"):
        return "repetition"
    if name.startswith(("rel_pos", "edge", "is_", "before_", "after_", "no_h1", "prose_")):
        return "position"
    if name.startswith(("win", "prev_", "next_", "short_run")):
        return "neighbours"
    if name.startswith("doc_"):
        return "page"
    return "shape"


def explain(groups: dict[str, list[float]], means: dict[str, float], parts: dict[str, list[float]],
            members: dict[str, list[str]], i: int, top: int = 3) -> str:
    """The feature families that pushed line i most towards chrome (their contribution to the
    log-odds, relative to an average line), the first one with its strongest feature (`parts`: each
    feature's contribution at every line; `members`: the features of each family)."""
    contrib = sorted((col[i] - means.get(g, 0.0), g) for g, col in groups.items())
    shown = []
    for c, g in contrib[:top]:
        if c > -0.05:
            break
        shown.append(f"{g} {c:+.1f}")
    if shown:
        g = contrib[0][1]
        best, best_name = 0.0, ""
        for name in members[g]:
            c = parts[name][i]
            if c < best:
                best, best_name = c, name
        if best_name:
            shown[0] += f" ({LABELS.get(best_name, best_name)})"
    return ", ".join(shown)


class PageChromeLine(Detector):
    id = "PAGE001"
    name = "page-chrome-line"
    category = "boilerplate"
    doc = """
Removes page chrome from whole-page text dumps (a scraper's get_text of the full HTML, one text
node per line): navigation menus, breadcrumbs, account and cart links, cookie and consent text,
share bars, newsletter boxes, related-links and "popular" lists, comment widgets, footers. They are
junk because they repeat across a site's pages and are not the page's content.

It acts only on documents that are visibly page dumps: at least four distinct lines at the
document's edges (first and last fifth) must be chrome whatever the site (a hand-written
multilingual list such as "Privacy Policy", "Skip to content", a learned list of lines that are
chrome on many sites, or copyright / cookie text), and at least 40% of its lines must be short (four
words or fewer), as a dump's menus and link lists make them. Clean prose, poems, lists, tables and
code never show both, so they pass through untouched, as do extractor outputs and articles with some
residue around them, which the pattern rules and the other detectors clean.

On a page dump, each line gets a keep probability in two stages (scrubber/data/page_model.json,
trained on the dev benchmark by benchmarks/train_page_model.py): a logistic regression over the line
and its surroundings (length, stopword density in the page's language, from built-in lists for en,
es, de, fr, pt, it, ru, nl, pl, sv and cs; sentence endings, title case, separators, repetition in the page,
learned chrome words, distance to the nearest prose, position relative to the title heading, runs of
short lines, neighbours' length and prose), then a hundred shallow gradient-boosted decision trees
over the same features and the first stage's scores smoothed over neighbours, over the run of short
lines the line belongs to and over the best block of content. Lines below the threshold (0.30) are
dropped; lines without words follow their neighbours; the nearest headline above the first paragraph
that stays is kept (the article's own title, which a page without a repeated <title> would lose; a
name's own acronym in parentheses may end it), and so is a title written as a sentence right above
it (three words will do there) or parted from it only by removed lines (its commas may join clauses
of three words or more), or a title with its one-sentence standfirst parted from that paragraph
only by removed lines and one- or two-word controls, or, failing those, a title asked as a question
(five words or more, commas allowed) up to ten lines above, past a forum thread's starter, date and
first author box (held-out probes ai01 and ai11; on the dev page dumps it keeps eleven titles that
the gold leaves out, -0.020 of F1 summed). In formatted text (with blank lines) the title
with its standfirst is looked for first, over up to three lines of
other furniture (a rating row nearer the paragraph is no headline), and the sentence title past up
to three rows too short to be one ("Categoria: Recensioni, Piemonte"); a short subheading with a blank
line above and its paragraph right below stays, and so does a heading of one to three words set
apart inside the body whose paragraph takes up all its words in its first sentence ("Consent
agenda" over "The council approved the consent agenda ..."; held-out probe ag08); and a block of
the body (lines between blank lines) whose first line and most lines the model keeps stays whole,
and so does one whose short heading tops lines it all keeps ("Specs"; a spec table, a list of pros
and cons, whose short items read as chrome one by one), and so do such blocks right below the last
paragraph, one after another, up to a block mostly dropped or removed by other rules; a sentence
right below a kept paragraph, with no blank line between, stays with it (a post's closing lines). A block
giving an event's or a service's details (a date with its year, a time of day, and a street address,
a postcode or two field labels such as "Date" and "Location") stays among the paragraphs and right
above the first one, and the title is then looked for above it.
A line of figures alone ("2026", "#3") between two short lines that stay is a cell of their record
(a film's year between its title and running time) and stays with them. Below the first paragraph,
a labelled field right under one the model keeps stays ("Prijs: € 23,99" under a book's details),
and so do the rows of a two-column table beside a row it keeps ("Akku | 5.500 mAh"), when no label
repeats on the page (a grid repeats them); a review's pros and cons stay (a label of the good points,
"Pros", "Plusy:", its short items, a label of the bad points and its items; one label alone is not
enough, "Pro" is also a plan on a pricing page). In formatted text a block of labelled fields right
below the body's owned blocks stays (a match report's referee and bookings), and so does a heading
of four to six words set apart by blank lines between two kept paragraphs, with only lines other
rules removed (an inline signup box) between it and the one above, and a short title right above a
card of three labelled fields or more that the model keeps ("Последний паром (2025)" over
"Режиссёр: ...", "Год: 2025"); and a first line kept only
because it is a sentence (a cookie notice) is not taken for the article's first paragraph when one
the model keeps follows. When no paragraph would
stay, the paragraphs stay (a page the model would leave with its chrome alone is one it misreads); a document is never
emptied. It then looks again at the page without those lines, as the next run would see it, until
it finds nothing more: cleaning twice changes nothing. The evidence names the families of features
that pushed the line most towards chrome (each split on the line's path through the trees credits
its change of score to its feature).
"""
    examples_drop = (
        "[drop] River Town Gazette - Local news from the valley\n"
        "[drop] Skip to content\n"
        "[drop] Home\n"
        "[drop] News\n"
        "[drop] Sport\n"
        "[drop] Contact Us\n"
        "[drop] Sign In\n"
        "How the river town rebuilt its bridge\n"
        "After the flood of last spring took away the old stone bridge, the town council met every week to "
        "decide how it would be replaced and who would pay for the work.\n"
        "The engineers proposed a steel span on the old piers, but the residents wanted stone again, and in "
        "the end the council chose a stone facing over a concrete core.\n"
        "Work began in September and the bridge was opened to traffic in May, two weeks ahead of the "
        "schedule that the contractor had promised at the first meeting.\n"
        "\"It looks like it has always been there,\" said the mayor, who walked across it with the children "
        "of the village school on the opening day.\n"
        "[drop] Share\n"
        "[drop] Facebook\n"
        "[drop] Twitter\n"
        "[drop] Related Articles\n"
        "[drop] Privacy Policy\n"
        "[drop] Terms of Use\n"
        "[drop] © 2025 River Town Gazette. All rights reserved.",
    )
    examples_keep = (
        # a poem whose one-word lines look like chrome: no page edges full of chrome, no action
        "Closing Time\n\nThe lights go down along the quay.\nClose.\nSearch\nthe pockets of the coat "
        "for keys,\nMenu\nfolded in the window, Share\nthe last of the bread.\nHome.\n",
        # a list of short lines
        "Saturday shopping\n\nLeeks\nStamps\nBread\nMilk\nBatteries\nString\nCandles\nHoney\nSoap\n",
        # plain prose that mentions cookies and privacy
        "Biscuits, cookies and the privacy of letters\n\nIn the nineteenth century a letter was sealed "
        "with wax, and opening someone else's post was a scandal.\nToday the word cookie means something "
        "else on a web page, but the question of privacy is the same.\nAll rights reserved, said the "
        "printer's note, as if anyone could reserve a biscuit.\n",
    )

    def __init__(self, model_path: Path | None = None, model: dict | None = None):
        if model is None:
            model = json.loads(Path(model_path or MODEL_PATH).read_text(encoding="utf-8"))
        self.model = model
        self._scorer = _Scorer(model)
        self._stage1 = compile_linear(model["stage1"]["weights"], model["stage1"]["bias"])
        self._trees = self._scorer.trees
        if self._trees is None:
            self._stage2 = compile_linear(model["stage2"]["weights"], model["stage2"]["bias"], feature_group)
            named = [name for name, w in model["stage2"]["weights"].items() if w]
        else:
            named = self._trees.features
        # the features of each family, in the order the evidence looks for the strongest
        self._members: dict[str, list[str]] = {}
        for name in named:
            self._members.setdefault(feature_group(name), []).append(name)
        self._looks = threading.local()  # see `_look`; per thread, as one detector serves a process

    def __getstate__(self):
        state = self.__dict__.copy()
        del state["_looks"]
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)
        self._looks = threading.local()

    sees_removed = True  # the model weighs the whole page as it was scraped (see `_settled`)
    sees_protected = True  # protected lines are never gate evidence, found, or gone for a later look
    explains = True
    settle_rounds = 16  # more looks at the page without the lines found so far (see `_settled`)

    def scores(self, lines: Sequence[str]):
        m = self.model
        st, f = line_features(lines, m)
        n = st.n
        if n and f["doc_prose"][0] < GATE_MIN_PROSE:
            return st, None, f, {}, {}
        p1 = list(map(_sigmoid, self._stage1(f)))
        f2 = stage2_features(p1, st.words)
        f2.update(f)
        if self._trees is not None:
            # each line down every tree: its log-odds, and each feature's part in them
            z2, parts = [], {name: [0.0] * n for name in self._trees.features}
            for i in range(n):
                z, each = self._trees.walk([f2[name][i] for name in self._trees.features])
                z2.append(z)
                for name, c in zip(self._trees.features, each):
                    parts[name][i] = c
            groups = {g: [sum(vals) for vals in zip(*(parts[name] for name in names))]
                      for g, names in self._members.items()}
            return st, list(map(_sigmoid, z2)), f2, groups, parts
        groups = self._stage2(f2)
        z2 = [0.0] * n
        for col in groups.values():
            z2 = list(map(add, z2, col))
        weights = self.model["stage2"]["weights"]
        parts = {name: [weights[name] * x for x in f2[name]] for names in self._members.values() for name in names}
        return st, list(map(_sigmoid, z2)), f2, groups, parts

    def find(self, lines: Sequence[str], removed: frozenset[int] = frozenset(), *,
             protected: frozenset[int] = frozenset(), explain: bool = True) -> list[Finding]:
        if not explain:  # the keep probability only: naming the features takes a third of the time
            return self._settled(self._find_brief, lines, removed, protected)
        return self._settled(self._find_once, lines, removed, protected)

    def reference_find(self, lines: Sequence[str], removed: frozenset[int] = frozenset(), *,
                       protected: frozenset[int] = frozenset()) -> list[Finding]:
        """`find` computed the slow, readable way (`line_features`, `stage2_features`, `explain`): the
        reference the fast path is checked against."""
        return self._settled(self._reference_once, lines, removed, protected)

    def _settled(self, find_once, lines: Sequence[str], removed: frozenset[int],
                 protected: frozenset[int]) -> list[Finding]:
        """The lines to drop, such that looking again at what is left finds nothing more.

        Cleaning must be idempotent, and the next run shows the model the page without the lines
        dropped now: a smaller page, with other edges and other neighbours, on which the gate can
        still pass and a few more lines can score as chrome. So the model looks again at what is
        left (without `removed`, the lines other rules dropped) until it finds nothing new. On the
        dev pages the gate stops almost every second look at once.

        The engine asks again after each pass that changed the page (other rules may have dropped
        lines since, and the next run will not see them either). Looks at a page already seen are
        not made again: `_look` remembers this document's."""
        found = self._look(find_once, lines, removed, protected, first=True)
        gone = set(removed).union(map(_INDEX, found))  # (map, filterfalse: in C, a page has many lines)
        for _ in range(self.settle_rounds):
            left = list(filterfalse(gone.__contains__, range(len(lines))))
            if len(left) == len(lines) or not left:
                break  # the next run sees the very page looked at last
            sub = frozenset(k for k, i in enumerate(left) if i in protected) if protected else frozenset()
            more = self._look(find_once, list(map(lines.__getitem__, left)), frozenset(), sub, first=False)
            if not more:
                break
            more = [Finding(left[f.index], f.evidence + " (on a later look, without the lines found before)")
                    for f in more]
            found.extend(more)
            gone.update(map(_INDEX, more))
        return sorted(found, key=_INDEX)

    def _look(self, find_once, lines: Sequence[str], removed: frozenset[int], protected: frozenset[int],
              first: bool) -> list[Finding]:
        """find_once(lines, removed), or what an earlier look at the same lines found, without the
        lines removed since (`removed` only grows while one document is cleaned). A `first` look (at
        the whole page) that is not remembered starts a new document: the memo is emptied.

        The answer is what a fresh look finds as long as the lines removed since are chrome; when a
        rule removes a paragraph the model keeps (its lead, say), a fresh look may read the page
        otherwise, and the remembered answer stands. Looking again in that case was tried: the
        dev pages' trafilatura outputs lost 0.084 of F1 summed over two pages (a title and its
        standfirst dropped once a rule had taken the paragraph below them)."""
        # (lines, removed, findings) of the looks at the current document; the reference path has its own
        memo = self._looks.__dict__.setdefault(find_once.__name__, [])
        for seen, seen_removed, seen_protected, findings in memo:
            if seen_removed <= removed and seen_protected == protected and seen == lines:
                return list(compress(findings, map(not_, map(removed.__contains__, map(_INDEX, findings)))))
        found = find_once(lines, removed, protected)
        if first or len(memo) > 4 * self.settle_rounds:
            memo.clear()
        memo.append((lines, removed, protected, found))
        return list(found)

    def _find_brief(self, lines: Sequence[str], removed: frozenset[int] = frozenset(),
                    protected: frozenset[int] = frozenset()) -> list[Finding]:
        return self._find_once(lines, removed, protected, explain=False)

    def _find_once(self, lines: Sequence[str], removed: frozenset[int] = frozenset(),
                   protected: frozenset[int] = frozenset(), explain: bool = True) -> list[Finding]:
        # blank lines are not part of the page's structure: work on the others
        stripped = list(map(str.strip, lines))
        text = list(filter(None, stripped))
        if len(text) < 5 or _short_share(text) < GATE_MIN_SHORT:
            return []
        if not gate_opens(stripped, protected, removed, self.model, stripped=True):
            return []
        scored = self._scorer.score(text)
        if scored is None:
            return []
        p, words, doc = scored
        keep_idx = list(compress(range(len(lines)), stripped)) if len(text) < len(lines) else range(len(lines))
        gone = list(map(removed.__contains__, keep_idx)) if removed else None
        drop = decide(text, words, p, self.model["threshold"], gone, _blank_above(keep_idx))
        means = self.model["stage2"].get("group_means", {})
        members = self._members
        rows = list(compress(range(len(text)), drop))
        if removed or protected:
            untouchable = removed | protected
            rows = list(compress(rows, map(not_, map(untouchable.__contains__, map(keep_idx.__getitem__, rows)))))
        p_rows = list(map(p.__getitem__, rows))
        if explain:
            texts = self._scorer.evidences(doc, rows, p_rows, means, members)
        else:
            texts = _P_KEEP_BRIEF(p_rows).tolist()
        return list(map(Finding.quick, map(keep_idx.__getitem__, rows), texts))

    def _reference_once(self, lines: Sequence[str], removed: frozenset[int] = frozenset(),
                        protected: frozenset[int] = frozenset()) -> list[Finding]:
        keep_idx = [i for i, line in enumerate(lines) if line and not line.isspace()]
        if len(keep_idx) < 5 or _short_share([lines[i] for i in keep_idx]) < GATE_MIN_SHORT:
            return []
        body = [lines[i] for i in keep_idx] if len(keep_idx) < len(lines) else list(lines)
        if not gate_opens(lines, protected, removed, self.model):
            return []
        st, p, f2, groups, parts = self.scores(body)
        if p is None:
            return []
        drop = decide(st.text, st.words, p, self.model["threshold"], [i in removed for i in keep_idx],
                      _blank_above(keep_idx))
        means = self.model["stage2"].get("group_means", {})
        members = self._members
        out = []
        for j in range(st.n):
            if drop[j] and keep_idx[j] not in removed and keep_idx[j] not in protected:
                out.append(Finding(keep_idx[j], f"p_keep={p[j]:.2f}: {explain(groups, means, parts, members, j)}"))
        return out


# ----------------------------------------------------------------------------- fast scoring
# `PageChromeLine.find` does not build the feature columns above (they are for training and for
# checking). Python does only what needs the strings (lengths, tokens, stopwords, vocabulary, the
# needles), once per distinct line, through str methods mapped in C; every feature after that is a
# numpy column. Stage 1 is linear, so each family's weighted sum is one array expression; boosted
# trees in stage 2 need the feature columns themselves (`member_columns` for every line), which all
# lines take down all trees a level at a time (`TreeEnsemble.paths`); a linear stage 2 keeps its
# per-family sums, as the evidence needs them. `tests/test_page_chrome.py` checks that
# the findings are those of the reference.

_NEEDLE_FAMILIES = tuple(NEEDLES.items())
_ANY_NEEDLE = None


def _any_needle():
    """One linear-time (RE2) search for every needle, as `prefilter.span_searcher` gives it. No needle
    is a prefix of another family's, so searching again from each match's start + 1 finds every
    (line, family) that holds a needle."""
    global _ANY_NEEDLE
    if _ANY_NEEDLE is None:
        import re
        import re2
        from scrubber.prefilter import span_searcher
        regex = re2.compile("|".join(re.escape(nd) for _, nds in _NEEDLE_FAMILIES for nd in nds).encode("utf-8"))
        _ANY_NEEDLE = span_searcher(regex)
    return _ANY_NEEDLE


@lru_cache(maxsize=None)
def _needle_family() -> dict[bytes, int]:
    out = {}
    for k, (_, nds) in enumerate(_NEEDLE_FAMILIES):
        for nd in nds:
            out[nd.encode("utf-8")] = k
    for a, fa in out.items():
        for b, fb in out.items():
            if fa != fb and b.startswith(a):
                raise ValueError(f"PAGE001 needles: {a!r} is a prefix of another family's {b!r}")
    return out


# A line starts with a month when its first word's first three letters are one: as the lines are
# stripped, those are the line's first three characters (a shorter word leaves a space in them).
_MONTHS3 = frozenset(mo for mo in MONTHS if len(mo) == 3)
_HEAD3 = itemgetter(slice(None, 3))

# What the features ask of a line's first and last characters, by code point: a table filled as
# new characters come (str methods on each character once, the same answers as on the lines').
_SENTENCE_END, _COLON, _DIGIT, _LOWER, _CONTINUATION = 1, 2, 4, 8, 16
_UNSEEN_CHAR = 255
_CHAR_CLASSES = np.full(0, _UNSEEN_CHAR, np.uint8)


def _char_classes(cps):
    global _CHAR_CLASSES
    if len(_CHAR_CLASSES) == 0:
        _CHAR_CLASSES = np.full(0x110000, _UNSEEN_CHAR, np.uint8)  # one byte per code point
    table = _CHAR_CLASSES
    out = table[cps]
    new = out == _UNSEEN_CHAR
    if new.any():
        for c in np.unique(cps[new]).tolist():
            ch = chr(c)
            table[c] = (_SENTENCE_END * (ch in SENTENCE_END) | _COLON * (ch == ":") | _DIGIT * ch.isdigit()
                        | _LOWER * ch.islower() | _CONTINUATION * (ch in CONTINUATION_START))
        out = table[cps]
    return out


def _windows(values, r: int, at=None):
    """Mean of `values` over [i - r, i + r] clipped to the page, for every line i (or the lines `at`)."""
    a, b, inverse = _window_bounds(len(values), r)
    pre = np.concatenate(([0.0], np.cumsum(values)))
    if at is not None:
        a, b, inverse = a[at], b[at], inverse[at]
    return (pre[b] - pre[a]) * inverse


@lru_cache(maxsize=64)
def _window_bounds(n: int, r: int):
    """The first line, the line after the last, and 1 / the size, of each line's window (asked for
    a dozen times a page, for a few radii; never modified)."""
    i = np.arange(n)
    a = np.maximum(i - r, 0)
    b = np.minimum(i + r + 1, n)
    return a, b, 1.0 / (b - a)


def _run_lengths(flags, min_len: int = 1):
    """(start, end) of the runs of true flags at least `min_len` long."""
    padded = np.concatenate(([False], flags, [False]))
    edges = np.flatnonzero(padded[1:] != padded[:-1])
    starts, ends = edges[0::2], edges[1::2]
    keep = ends - starts >= min_len
    return starts[keep], ends[keep]


def _run_lines(starts, ends):
    """The lines the runs [starts[k], ends[k]) cover, and the run each of them is in."""
    lengths = ends - starts
    run = np.repeat(np.arange(len(starts)), lengths)
    return starts[run] + np.arange(len(run)) - (np.cumsum(lengths) - lengths)[run], run


def _shift_down(col, first: float):
    """col[i - 1] at line i, `first` at line 0."""
    return np.concatenate(([first], col[:-1]))


def _shift_up(col, last: float):
    """col[i + 1] at line i, `last` at the last line."""
    return np.concatenate((col[1:], [last]))


def _sigmoids(z):
    """The logistic function of each value, 0 and 1 beyond |30| as `_sigmoid`."""
    with np.errstate(over="ignore"):
        p = 1.0 / (1.0 + np.exp(-z))
    p[z < -30.0] = 0.0
    p[z > 30.0] = 1.0
    return p


_FAMILY_OF_CODE = {
    "shape": {"len_log", "len_le10", "len_le25", "len_le50", "len_ge100", "len_ge200", "words_log", "end_sentence",
              "end_colon", "start_lower", "start_cont", "start_digit", "end_digit", "start_month", "title_case",
              "all_caps", "sep_bar", "comma", "inner_sentence"},
    "stopwords": {"stop_ratio", "no_stop", "stop_ge3", "win3_stop"},
    "vocabulary": {"nb_word", "nb_word_min", "nb_line", "chrome_line", *NEEDLES},
    "repetition": {"repeated", "repeat_log"},
    "position": {"before_prose", "after_prose", "prose_mid", "prose_dist_log", "rel_pos", "edge", "is_first", "is_h1",
                 "before_h1", "no_h1"},
    "neighbours": {"win1_len", "win3_len", "win8_len", "win1_prose", "win3_prose", "win8_prose", "prev_prose",
                   "next_prose", "prev_open", "short_run_log"},
    "page": {"doc_short", "doc_prose", "doc_lines_log"},
    "context": {"p1_win1", "p1_win3", "p1_win10", "p1_prev", "p1_next", "p1_self", "p1_above5", "p1_below5", "p1_run",
                "p1_long_above", "p1_long_below", "in_block", "before_block", "after_block", "block_dist_log",
                "p1_doc_mean"},
}


class _FixedFormat:
    """`prefix + format(x, spec) + suffix` for a column of floats at once, the same text (formatting
    200,000 evidence numbers one by one took a tenth of the cleaning's time): the texts of a grid of
    values (every `1 / scale` from `lo / scale` to `hi / scale`), and between two of them the smallest
    float that `format` writes as the upper one, found with `format` itself (so rounding ties go as
    `format` sends them). Values off the grid (and zeros, whose sign shows) are formatted one by one."""

    def __init__(self, spec: str, lo: int, hi: int, scale: int, prefix: str = "", suffix: str = ""):
        self.spec, self.prefix, self.suffix = spec, prefix, suffix
        grid = [k / scale for k in range(lo, hi + 1)]
        texts = [format(x, spec) for x in grid]
        if len(set(texts)) != len(texts):
            raise ValueError(f"format {spec!r} does not tell apart the grid's values")
        bounds = []
        for x0, x1, below, above in zip(grid, grid[1:], texts, texts[1:]):
            x = (x0 + x1) / 2
            while format(x, spec) == above:
                x = math.nextafter(x, -math.inf)
            while format(x, spec) == below:
                x = math.nextafter(x, math.inf)
            if format(x, spec) != above:
                raise ValueError(f"format {spec!r} writes a text between {below!r} and {above!r}")
            bounds.append(x)
        self.bounds = np.array(bounds)
        # The values beyond the grid's ends that `format` still writes as the end texts (the
        # contributions shown, -0.05 or less, are written "-0.1" down to -0.1: a third of them).
        self.lo = self._last_like(grid[0], texts[0], -(grid[1] - grid[0]) / 2)
        self.hi = self._last_like(grid[-1], texts[-1], (grid[-1] - grid[-2]) / 2)
        self.texts = np.array([prefix + t + suffix for t in texts], dtype=object)
        self._tables: dict[tuple[str, ...], object] = {}  # see `after`

    def _last_like(self, end: float, text: str, half: float) -> float:
        """The float farthest from the grid's `end` (towards `end + half`, half a step away) that
        `format` writes as `text`; `end` itself when it cannot tell within a few floats."""
        away = math.copysign(math.inf, half)
        x = end + half
        for _ in range(64):  # (the rounding boundary is within a float or two of the midpoint)
            if format(x, self.spec) == text:
                break
            x = math.nextafter(x, -away)
        else:
            return end
        for _ in range(64):
            y = math.nextafter(x, away)
            if format(y, self.spec) != text:
                return x if (end <= x if half > 0 else x <= end) else end
            x = y
        return end

    def __call__(self, values):
        values, at, off = self._grid(values)
        out = self.texts[at]
        for j in off:
            out[j] = self.prefix + format(float(values[j]), self.spec) + self.suffix
        return out

    def after(self, heads: tuple[str, ...], which, values):
        """`heads[which] + self(values)`, value by value: from a table of each head followed by each
        grid text (one lookup for the two, where a concatenation of object arrays makes a string at
        each step)."""
        table = self._tables.get(heads)
        if table is None:
            table = self._tables[heads] = np.array([[h + t for t in self.texts] for h in heads], dtype=object)
        values, at, off = self._grid(values)
        out = table[which, at]
        for j in off:
            out[j] = heads[which[j]] + self.prefix + format(float(values[j]), self.spec) + self.suffix
        return out

    def _grid(self, values):
        """The values as floats, the grid text of each, and where the value is off the grid."""
        values = np.asarray(values, dtype=float)
        at = np.searchsorted(self.bounds, values, side="right")
        off = ~((values >= self.lo) & (values <= self.hi)) | (values == 0.0)
        return values, at, np.flatnonzero(off).tolist()


_P_KEEP = _FixedFormat(".2f", 0, 100, 100, prefix="p_keep=", suffix=": ")
_P_KEEP_BRIEF = _FixedFormat(".2f", 0, 100, 100, prefix="p_keep=")
_CONTRIBUTION = _FixedFormat("+.1f", -1000, -1, 10, prefix=" ")  # the families shown contribute -0.05 or less


@lru_cache(maxsize=None)
def _family_heads(names: tuple[str, ...], sep: str) -> tuple[str, ...]:
    return tuple(sep + g for g in names)


@lru_cache(maxsize=None)
def _member_labels(names: tuple[str, ...]):
    """The evidence's label for each feature of a family: " (what it means)"."""
    return np.array([f" ({LABELS.get(name, name)})" for name in names], dtype=object)


class _Doc:
    """A scored page: what its evidence needs (see `_Scorer.score` and `_Scorer.evidences`)."""

    __slots__ = ("n", "idx", "cols", "sums", "page", "position", "context", "path")


class TreeEnsemble:
    """Stage 2 as gradient-boosted trees (scikit-learn's HistGradientBoostingClassifier, exported to
    JSON by benchmarks/train_page_model.py; evaluated here with numpy): a line's log-odds are the
    baseline plus one leaf value per tree, and at a node the line goes left when its feature is <= the
    node's threshold, as in scikit-learn. Every node has a value (a leaf's is its output, a split's the
    mean output of the training lines below it), so that the change of value at each split on a line's
    path is that split's feature's part in the line's log-odds (the path attribution the evidence names).

    `paths` lays the trees out complete, `depth` levels deep, in flat arrays (node k of a tree has its
    children at 2k + 1 and 2k + 2), and moves all lines down all trees a level at a time: a leaf above
    the last level sends its lines left (threshold +inf) to copies of itself, which change nothing."""

    def __init__(self, spec: dict):
        self.features = list(spec["features"])
        self.baseline = float(spec["baseline"])
        self.trees = spec["trees"]
        index = {name: j for j, name in enumerate(self.features)}
        self.index = [[index[name] if name is not None else -1 for name in tree["feature"]] for tree in self.trees]
        self.depth = depth = max(map(_tree_depth, self.trees), default=0)
        size = 2 ** (depth + 1) - 1
        count = len(self.trees)
        feature = np.zeros((count, size), np.intp)
        threshold = np.full((count, size), np.inf)
        value = np.zeros((count, size))
        for t, (tree, where) in enumerate(zip(self.trees, self.index)):
            todo = [(0, 0)]  # (node of the tree, place in the complete layout)
            while todo:
                k, at = todo.pop()
                value[t, at] = tree["value"][k]
                leaf = tree["left"][k] < 0
                if not leaf:
                    feature[t, at], threshold[t, at] = where[k], float(tree["threshold"][k])
                if 2 * at + 1 < size:
                    todo += [(k, 2 * at + 1), (k, 2 * at + 2)] if leaf else [(tree["left"][k], 2 * at + 1),
                                                                           (tree["right"][k], 2 * at + 2)]
        place = np.arange(size)
        self.roots = np.arange(count) * size
        self.left = (self.roots[:, None] + np.minimum(2 * place + 1, size - 1)).ravel()
        self.feature, self.threshold, self.value = feature.ravel(), threshold.ravel(), value.ravel()
        # each node's part in a path through it: its value less its parent's, credited to the parent's feature
        parent = (self.roots[:, None] + (np.maximum(place, 1) - 1) // 2).ravel()
        self.parent_feature = self.feature[parent]
        self.change = np.where(np.tile(place, count) > 0, self.value - self.value[parent], 0.0)
        self.family_columns: dict[str, list[tuple[int, str]]] = {}
        for j, name in enumerate(self.features):
            self.family_columns.setdefault(feature_group(name), []).append((j, name))
        self.family_index = {g: np.array([j for j, _ in js]) for g, js in self.family_columns.items()}

    def paths(self, X) -> list:
        """The node of every tree each line (row of X) is at, level by level: arrays (lines, trees)."""
        n = len(X)
        flat = X.ravel(order="K")  # (X or its transpose in memory: no copy)
        step_line, step_feature = (stride // X.itemsize for stride in X.strides)
        row = (np.arange(n) * step_line)[:, None]
        offset = self.feature * step_feature
        roots = self.roots
        out = [np.broadcast_to(roots, (n, len(roots)))]
        if self.depth:  # (at the roots every line asks the same column of each tree)
            out.append(self.left[roots] + (X.take(self.feature[roots], axis=1) > self.threshold[roots]))
        for _ in range(1, self.depth):
            node = out[-1]
            out.append(self.left.take(node) + (flat.take(offset.take(node) + row) > self.threshold.take(node)))
        return out

    def raw(self, path):
        """The log-odds of every line, from its `paths`."""
        return self.baseline + self.value.take(path[-1]).sum(axis=1)

    def contributions(self, path, rows):
        """Each feature's part in the log-odds of the lines `rows`, relative to the trees' root values:
        an array (features, lines), summed a level at a time (`walk` sums tree by tree: the same
        parts, added in another order)."""
        rows = np.asarray(rows)
        r, k = len(rows), len(self.features)
        bins = self.parent_feature * r  # (feature, line) as one index: feature * r + line
        line = np.arange(r)[:, None]
        out = np.zeros(k * r)
        for level in path[1:]:
            nodes = level[rows]
            out += np.bincount((bins.take(nodes) + line).ravel(), weights=self.change.take(nodes).ravel(),
                               minlength=k * r)
        return out.reshape(k, r)

    def walk(self, x: Sequence[float]) -> tuple[float, list[float]]:
        """The readable way, for one line (its feature values in `features` order): its log-odds and
        each feature's part in them (the change of node value at each split on its path)."""
        z = self.baseline
        parts = [0.0] * len(self.features)
        for tree, where in zip(self.trees, self.index):
            k = 0
            while tree["left"][k] >= 0:
                j = where[k]
                child = tree["left"][k] if x[j] <= tree["threshold"][k] else tree["right"][k]
                parts[j] += tree["value"][child] - tree["value"][k]
                k = child
            z += tree["value"][k]
        return z, parts


def _tree_depth(tree: dict, k: int = 0) -> int:
    if tree["left"][k] < 0:
        return 0
    return 1 + max(_tree_depth(tree, tree["left"][k]), _tree_depth(tree, tree["right"][k]))


class _Scorer:
    """The model of a `PageChromeLine`, compiled for `score` (same results as `line_features`,
    `stage2_features` and the model's two stages)."""

    def __init__(self, model: dict):
        self.model = model
        stage2 = model["stage2"]
        self.trees = TreeEnsemble(stage2) if "trees" in stage2 else None
        self.stages = (0,) if self.trees else (0, 1)  # the linear stages, summed by family
        self.bias = (float(model["stage1"]["bias"]), float(stage2.get("bias", 0.0)))
        self.w = tuple({k: float(v) for k, v in model[s].get("weights", {}).items() if v} for s in ("stage1", "stage2"))
        self.vocab_words = model.get("vocab_words") or {}
        self.vocab_lines = model.get("vocab_lines") or {}
        names2 = self.trees.features if self.trees else [k for k, v in stage2["weights"].items() if v]
        self.families = dict.fromkeys(map(feature_group, names2))
        self.bias_family = feature_group(names2[0]) if names2 else "context"
        # the families this code sums each feature into (a new feature needs code here)
        for name in names2:
            fam = feature_group(name)
            if fam not in _FAMILY_OF_CODE or name not in _FAMILY_OF_CODE[fam]:
                raise ValueError(f"PAGE001 model: feature {name!r} ({fam}) is not computed by the fast scorer")

    def g(self, stage: int, name: str) -> float:
        return self.w[stage].get(name, 0.0)

    def weighted(self, stage: int, columns: dict, start=0.0):
        """start + the sum of weight * column over the named columns with a weight in `stage`."""
        out = start
        for name, col in columns.items():
            w = self.w[stage].get(name)
            if w:
                out = out + w * col
        return out

    # -- per distinct line
    def intrinsic(self, uniq: list[str], low: list[str], tokens: list[list[str]], lang: str | None):
        """Columns over distinct lines: what the features of the line alone need, and the sums of
        the families that depend on the line alone (shape, stopwords, vocabulary) per stage."""
        m = len(uniq)

        def ints(values):
            return np.fromiter(values, np.int64, m)

        def flags(values):
            return np.fromiter(values, np.bool_, m)

        W = ints(map(len, tokens))
        S = ints(map(len, map(stopwords(lang or "en").intersection, tokens)))
        # the characters of all the lines at once, as code points: lengths, first and last
        # characters and the separators a line holds come from array operations, not a call per line
        cp = np.frombuffer("\n".join(uniq).encode("utf-32-le", "surrogatepass"), np.uint32)
        breaks = np.flatnonzero(cp == 10)
        first_at = np.concatenate(([0], breaks + 1))
        last_at = np.concatenate((breaks, [len(cp)])) - 1
        L = last_at - first_at + 1  # (the lines are stripped: none is empty)
        classes = _char_classes(np.concatenate((cp[first_at], cp[last_at])))
        head, tail = classes[:m], classes[m:]

        def holds(at):  # the lines where the characters at `at` stand
            out = np.zeros(m, dtype=bool)
            out[np.searchsorted(breaks, at)] = True
            return out

        es = (tail & _SENTENCE_END) > 0
        lenlog = np.log1p(L)
        shape = dict(
            len_log=lenlog, len_le10=L <= 10, len_le25=L <= 25, len_le50=L <= 50, len_ge100=L >= 100,
            len_ge200=L >= 200, words_log=np.log1p(W), end_sentence=es, end_colon=(tail & _COLON) > 0,
            end_digit=(tail & _DIGIT) > 0, start_lower=(head & _LOWER) > 0,
            start_cont=(head & _CONTINUATION) > 0, start_digit=(head & _DIGIT) > 0,
            start_month=flags(map(_MONTHS3.__contains__, map(_HEAD3, low))),
            title_case=flags(map(str.istitle, uniq)), all_caps=flags(map(str.isupper, uniq)),
            sep_bar=holds(np.flatnonzero(cp == 124)), comma=holds(np.flatnonzero(cp == 44)),
            inner_sentence=holds(np.flatnonzero((cp[:-1] == 46) & (cp[1:] == 32))))  # "|", ",", ". "
        ratio = np.divide(S, W, out=np.zeros(m), where=W > 0)
        stop = dict(stop_ratio=ratio, no_stop=S == 0, stop_ge3=S >= 3)
        # vocabulary: learned words and lines, known chrome lines, and the needle families
        nb, nbm = self.word_vocabulary(tokens, W)
        getl = self.vocab_lines.get
        cl = chrome_lines()
        vocab = dict(nb_word=nb, nb_word_min=nbm,
                     nb_line=np.where(ints(map(len, low)) <= 60, np.fromiter(map(getl, low, repeat(0.0)), float, m),
                                      0.0),
                     chrome_line=flags(map(cl.__contains__, low)))
        has_needle = np.zeros((len(_NEEDLE_FAMILIES), m), dtype=bool)
        if m:
            # (text decoded with surrogateescape may hold lone surrogates)
            blob = "\n".join(low).encode("utf-8", "surrogatepass")
            search = _any_needle()
            family = _needle_family()
            at, fam = [], []
            mt = search(blob)
            while mt is not None:
                start, end = mt
                at.append(start)
                fam.append(family[blob[start:end]])
                mt = search(blob, start + 1)
            if at:
                # a hit's line is the number of line breaks before it (no needle holds one)
                breaks = np.flatnonzero(np.frombuffer(blob, np.uint8) == 10)
                has_needle[fam, np.searchsorted(breaks, at)] = True
        vocab.update((name, has_needle[f]) for f, (name, _) in enumerate(_NEEDLE_FAMILIES))
        # each family's features, by the name the model weighs them by (the evidence reads them too)
        c = dict(W=W, L=L, lenlog=lenlog, prose=(W >= 10) & (S >= 3) | (L >= 150), ratio=ratio, es=es,
                 features=dict(shape=shape, stopwords=stop, vocabulary=vocab))
        for s in self.stages:
            c[f"shape{s}"] = self.weighted(s, shape, np.zeros(m))
            c[f"stop{s}"] = self.weighted(s, stop, np.zeros(m))
            c[f"vocab{s}"] = self.weighted(s, vocab, np.zeros(m))
        return c

    def word_vocabulary(self, tokens: list[list[str]], W):
        """`vocab_features`' nb_word and nb_word_min, with one dictionary lookup per word of the short
        lines and the per-line mean and minimum taken by numpy over the flat list of words."""
        m = len(tokens)
        nb, nbm = np.zeros(m), np.zeros(m)
        short = np.flatnonzero((W > 0) & (W <= NB_MAX_TOKENS))
        if not len(short):
            return nb, nbm
        flat = list(chain.from_iterable(map(tokens.__getitem__, short.tolist())))
        vals = np.fromiter(map(self.vocab_words.get, flat, repeat(np.nan)), float, len(flat))
        known = ~np.isnan(vals)
        starts = np.concatenate(([0], np.cumsum(W[short])[:-1]))
        has = np.add.reduceat(known, starts) > 0
        sums = np.add.reduceat(np.where(known, vals, 0.0), starts)
        mins = np.minimum.reduceat(np.where(known, vals, np.inf), starts)
        rows = short[has]
        nb[rows] = sums[has] / W[rows]
        nbm[rows] = mins[has]
        return nb, nbm

    def score(self, text: list[str]):
        """Keep probabilities of the (stripped, non-blank) lines, or None when the page has too little
        prose; with what the evidence needs."""
        n = len(text)
        uniq = list(dict.fromkeys(text))
        low = "\n".join(uniq).lower().split("\n")
        tokens = list(map(str.split, low))
        same = len(uniq) == n
        if not same:
            where = dict(zip(uniq, range(len(uniq))))
            idx = np.fromiter(map(where.__getitem__, text), np.int64, n)
        else:
            idx = np.arange(n)
        # the language, from the same sample as LineStats: the words of the lines of 6 words or more,
        # in page order, up to the line that takes it past 3000 words; else of every line, up to 3000
        page_tokens = list(map(tokens.__getitem__, idx.tolist()))
        long_lines = list(compress(page_tokens, map((6).__le__, map(len, page_tokens))))
        upto = bisect_right(list(accumulate(map(len, long_lines))), 3000) + 1
        sample = list(chain.from_iterable(long_lines[:upto]))
        if len(sample) < 200:
            upto = bisect_left(list(accumulate(map(len, page_tokens))), 3000) + 1
            sample = list(chain.from_iterable(page_tokens[:upto]))[:3000]
        lang, _ = detect_language(sample)
        c = self.intrinsic(uniq, low, tokens, lang)
        # repetition in the page (of the lower-cased line)
        m = len(uniq)
        count = np.bincount(idx, minlength=m) if not same else np.ones(m, np.int64)
        group = dict(zip(low, range(m)))  # lines that differ only by case count together
        if len(group) < m:
            ids = np.fromiter(map(group.__getitem__, low), np.int64, m)
            count = np.bincount(ids, weights=count, minlength=m).astype(np.int64)[ids]
        c["features"]["repetition"] = repetition = dict(repeated=count > 1, repeat_log=np.log1p(count - 1))
        rep = [self.weighted(s, repetition, np.zeros(len(uniq))) for s in self.stages]

        def lines(col):  # a column over distinct lines, as a column over the page's lines
            return col if same else col[idx]

        a1 = lines(c["shape0"] + c["stop0"] + c["vocab0"] + rep[0])
        prose, L, W, ratio, lenlog, es = (lines(c[k]) for k in ("prose", "L", "W", "ratio", "lenlog", "es"))
        # --- the page
        total_len = int(L.sum())
        pcum = np.concatenate(([0], np.cumsum(L * prose)))
        total_prose = int(pcum[-1])
        doc_prose = total_prose / (total_len or 1)
        if doc_prose < GATE_MIN_PROSE:
            return None
        short = W <= 4
        doc_short = int(short.sum()) / n
        doc_lines_log = _log1(n)
        page = [self.g(s, "doc_short") * doc_short + self.g(s, "doc_prose") * doc_prose
                + self.g(s, "doc_lines_log") * doc_lines_log for s in self.stages]
        # title heading
        h1 = -1
        if n > 2:
            t0 = low[idx[0]]
            hit = np.fromiter(map(t0.__contains__, low), np.bool_, len(low))
            if len(t0) >= 8:
                hit |= (np.fromiter(map(str.__contains__, low, repeat(t0)), np.bool_, len(low))
                        & (np.fromiter(map(len, low), np.int64, len(low)) <= h1_max_length(t0)))
            hit &= c["L"] >= 8
            at = np.flatnonzero(hit[idx[1:min(n, 3000)]])
            if len(at):
                h1 = int(at[0]) + 1
        # --- position
        ppos = np.flatnonzero(prose)
        fp, lp = int(ppos[0]), int(ppos[-1])
        tp = float(total_prose)
        i = np.arange(n)
        before = i <= fp
        after = i >= lp
        x = pcum[:n] / tp
        mid = np.where((i > fp) & (i < lp), np.minimum(x, 1.0 - x), 0.0)
        # distance to the nearest prose line
        last = np.maximum.accumulate(np.where(prose, i, -(10 ** 9)))
        nxt = np.minimum.accumulate(np.where(prose, i, 10 ** 9)[::-1])[::-1]
        dist = np.minimum(i - last, nxt - i)
        pdist = np.log1p(np.minimum(dist, 1000))
        rel = i / n
        e1 = bisect_left(range(n), 0.1 * n)
        e2 = bisect_left(range(n), 0.9 * n)
        edge = (i < e1) | (i >= e2)
        # --- runs of short lines
        srun = np.zeros(n)
        starts, ends = _run_lengths(short)
        at, run = _run_lines(starts, ends)
        srun[at] = np.log1p(ends - starts)[run]
        position = dict(before_prose=before, after_prose=after, prose_mid=mid, prose_dist_log=pdist, rel_pos=rel,
                        edge=edge)
        pos, nbs = [], []
        for s in self.stages:
            g = partial(self.g, s)
            col = self.weighted(s, position, np.full(n, g("no_h1") * (1.0 if h1 < 0 else 0.0)))
            col[0] += g("is_first")
            if h1 >= 0:
                col[h1] += g("is_h1")
                col[1:h1] += g("before_h1")
            pos.append(col)
            win = np.zeros(n)
            for r in (1, 3, 8):
                y = g(f"win{r}_len") * lenlog + g(f"win{r}_prose") * prose
                if s == 0 and r == 3:  # stage 2's window of stopwords is in the stopwords family
                    y = y + g("win3_stop") * ratio
                win = win + _windows(y, r)
            prev = _shift_down(g("prev_prose") * prose + g("prev_open") * (1.0 - es), 0.0)
            nbs.append(win + prev + _shift_up(g("next_prose") * prose, 0.0) + g("short_run_log") * srun)
        p1 = _sigmoids(self.bias[0] + page[0] + a1 + pos[0] + nbs[0])
        ctx, extra = self.context(p1, W)
        doc = _Doc()
        doc.n, doc.idx, doc.cols, doc.position, doc.context = n, idx, c, position, extra
        doc.page = dict(doc_short=doc_short, doc_prose=doc_prose, doc_lines_log=doc_lines_log, h1=h1,
                        lenlog=lenlog, prose=prose, es=es, ratio=ratio, srun=srun)
        if self.trees is not None:  # the trees need the feature columns themselves
            at = np.arange(n)
            columns = np.empty((len(self.trees.features), n))  # (a feature's column is a row: written whole)
            for g, js in self.trees.family_columns.items():
                cols = self.member_columns(doc, g, at)
                for j, name in js:
                    columns[j] = cols[name]
            doc.path = self.trees.paths(columns.T)
            return _sigmoids(self.trees.raw(doc.path)).tolist(), W.tolist(), doc
        i2 = lines(c["shape1"] + c["stop1"] + c["vocab1"] + rep[1])
        stopwin = _windows(self.g(1, "win3_stop") * ratio, 3)
        p = _sigmoids(self.bias[1] + page[1] + i2 + pos[1] + nbs[1] + ctx + stopwin)
        # the stage-2 sum of each family of features at every line (the bias is in `bias_family`'s)
        doc.sums = dict(context=ctx, shape=lines(c["shape1"]), stopwords=lines(c["stop1"]) + stopwin,
                        vocabulary=lines(c["vocab1"]), repetition=lines(rep[1]), position=pos[1],
                        neighbours=nbs[1], page=np.full(n, page[1]))
        return p.tolist(), W.tolist(), doc

    def context(self, p1, W):
        """The stage-2 "context" family (with the stage-2 bias): the first stage's scores around."""
        n = len(p1)
        g = partial(self.g, 1)
        pre = np.concatenate(([0.0], np.cumsum(p1)))
        i = np.arange(n)
        # the five lines above and the five below (0.5 where there are none)
        a = np.maximum(i - 5, 0)
        above5 = np.divide(pre[i] - pre[a], i - a, out=np.full(n, 0.5), where=i > a)
        b = np.minimum(i + 6, n)
        below5 = np.divide(pre[b] - pre[i + 1], b - i - 1, out=np.full(n, 0.5), where=b > i + 1)
        # a run of short lines (2 or more) takes its mean score
        run_mean = p1.copy()
        starts, ends = _run_lengths(W <= 6, 2)
        at, run = _run_lines(starts, ends)
        run_mean[at] = ((pre[ends] - pre[starts]) / (ends - starts))[run]
        # the score of the nearest long line above, and below
        longs = W > 6
        last = np.maximum.accumulate(np.where(longs, i, -1))
        nxt = np.minimum.accumulate(np.where(longs, i, n)[::-1])[::-1]
        up = _shift_down(last, -1)
        down = _shift_up(nxt, n)
        above = np.where(up >= 0, p1[np.maximum(up, 0)], 0.5)
        below = np.where(down < n, p1[np.minimum(down, n - 1)], 0.5)
        best_a, best_b = best_block(p1.tolist())
        far = np.log1p(np.where(i < best_a, best_a - i, np.where(i > best_b, i - best_b, 0)))
        block = np.where(i < best_a, g("before_block"), np.where(i > best_b, g("after_block"), g("in_block")))
        block = block + np.where((i < best_a) | (i > best_b), g("block_dist_log") * far, 0.0)
        cols = dict(p1_win1=_windows(p1, 1), p1_win3=_windows(p1, 3), p1_win10=_windows(p1, 10), p1_above5=above5,
                    p1_below5=below5, p1_self=p1, p1_prev=_shift_down(p1, 0.5), p1_next=_shift_up(p1, 0.5),
                    p1_run=run_mean, p1_long_above=above, p1_long_below=below)
        mean = float(p1.mean())
        ctx = self.weighted(1, cols, np.full(n, g("p1_doc_mean") * mean))
        cols.update(in_block=(i >= best_a) & (i <= best_b), before_block=i < best_a, after_block=i > best_b,
                    block_dist_log=far, p1_doc_mean=np.full(n, mean))
        return ctx + block, cols

    # -- evidence (only for the lines that are dropped)
    def evidences(self, doc: _Doc, rows: Sequence[int], p: Sequence[float], means: dict[str, float], members,
                  top: int = 3) -> list[str]:
        """`explain` (with the p_keep prefix) for the given lines of a scored page, from the family
        sums and, for the family that weighed most, its features: the same text as the reference."""
        if not len(rows):
            return []
        rows = np.asarray(rows)
        names = sorted(self.families)  # ties between families sort by name, as in `explain`
        if self.trees is not None:
            contrib = self.trees.contributions(doc.path, rows)  # (feature, line)
            shifted = np.stack([contrib[self.trees.family_index[g]].sum(axis=0) - means.get(g, 0.0) for g in names])

            def member_contributions(g, among):
                return contrib[self.trees.family_index[g]][:, among]
        else:
            shifted = np.stack([doc.sums[g][rows]
                                - (means.get(g, 0.0) - (self.bias[1] if g == self.bias_family else 0.0))
                                for g in names])

            def member_contributions(g, among):
                cols = self.member_columns(doc, g, rows[among])
                return np.stack([self.w[1][name] * cols[name] for name in members[g]])
        order = np.argsort(shifted, axis=0, kind="stable")
        ranked = np.take_along_axis(shifted, order, axis=0)
        strong = ranked[0] <= -0.05
        # the strongest feature of the first family, for the lines where that family weighed most
        label = np.full(len(rows), "", dtype=object)
        for f, g in enumerate(names):
            among = np.flatnonzero(strong & (order[0] == f))
            if not len(among):
                continue
            each = member_contributions(g, among)
            best = each.argmin(axis=0)
            below = each[best, np.arange(len(among))] < 0.0
            label[among[below]] = _member_labels(tuple(members[g]))[best[below]]
        # The texts, assembled a column at a time: "p_keep=P: " then up to `top` families, each while
        # its contribution is -0.05 or less (the ranked values grow, so those come first).
        # (each a column of pieces, "" where not shown, joined line by line at the end: a label is
        # set only where the first family is shown)
        columns = [_P_KEEP(p)]
        shown = np.logical_and.accumulate(~(ranked[:min(top, len(names))] > -0.05), axis=0)
        for t, rows_t in enumerate(shown):
            at = np.flatnonzero(rows_t)
            if not len(at):
                break
            part = np.full(len(rows), "", dtype=object)
            part[at] = _CONTRIBUTION.after(_family_heads(tuple(names), ", " if t else ""), order[t, at], ranked[t, at])
            columns.append(part)
            if t == 0:
                columns.append(label)
        return list(map("".join, zip(*columns)))

    def member_columns(self, doc: _Doc, group: str, at) -> dict:
        """The values of the features of one family at the lines `at` of a scored page (as
        `line_features` and `stage2_features` compute them)."""
        c, pg = doc.cols, doc.page
        if group in c["features"]:  # the families of the line alone, per distinct line
            distinct = doc.idx[at]
            cols = {k: v[distinct] for k, v in c["features"][group].items()}
            if group == "stopwords":
                cols["win3_stop"] = _windows(pg["ratio"], 3, at)
            return cols
        if group == "page":
            return {k: np.full(len(at), pg[k]) for k in ("doc_short", "doc_prose", "doc_lines_log")}
        if group == "position":
            h1 = pg["h1"]
            return dict({k: v[at] for k, v in doc.position.items()}, is_first=at == 0, is_h1=at == h1,
                        before_h1=(at > 0) & (at < h1), no_h1=np.full(len(at), h1 < 0))
        if group == "neighbours":
            prose = pg["prose"]
            cols = {f"win{r}_{k}": _windows(v, r, at) for r in (1, 3, 8)
                    for k, v in (("len", pg["lenlog"]), ("prose", prose))}
            return dict(cols, prev_prose=_shift_down(prose, 0.0)[at], next_prose=_shift_up(prose, 0.0)[at],
                        prev_open=_shift_down(1.0 - pg["es"], 0.0)[at], short_run_log=pg["srun"][at])
        return {k: v[at] for k, v in doc.context.items()}

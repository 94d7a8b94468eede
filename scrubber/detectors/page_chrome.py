"""PAGE001: page chrome in whole-page text dumps (menus, footers, cookie text, share bars, ...).

See `PageChromeLine.doc`. The model is a two-stage logistic regression over cheap line features
with context; its weights are in `scrubber/data/page_model.json`, trained by
`benchmarks/train_page_model.py DEV_DIR`.
"""
from __future__ import annotations

import json
import math
from itertools import repeat
from operator import add, mul
from bisect import bisect_right
from functools import lru_cache
from pathlib import Path
from typing import Sequence

from scrubber.detectors.base import Detector, Finding
from scrubber.textstats import (CONTINUATION_START, SENTENCE_END, LineStats, prefix_sums, window_bounds,
                                window_mean)

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


@lru_cache(maxsize=None)
def chrome_lines() -> frozenset[str]:
    out = []
    for line in (_DATA / "chrome_lines.txt").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            out.append(line.strip())
    return frozenset(out)


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
    prose = [1.0 if (w >= 10 and s >= 3) or (l >= 150) else 0.0 for w, s, l in zip(W, S, L)]
    prose_chars = [p * l for p, l in zip(prose, L)]
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
            if L[j] >= 8 and (tj in t0 or (len(t0) >= 8 and t0 in tj)):
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
    # the best contiguous block of likely content (max-sum run of p1 - 0.5)
    best, cur, a, best_a, best_b = 0.0, 0.0, 0, 0, -1
    for i, q in enumerate(p1):
        if cur <= 0.0:
            cur, a = 0.0, i
        cur += q - 0.5
        if cur > best:
            best, best_a, best_b = cur, a, i
    f["in_block"] = [1.0 if best_a <= i <= best_b else 0.0 for i in range(n)]
    f["before_block"] = [1.0 if i < best_a else 0.0 for i in range(n)]
    f["after_block"] = [1.0 if i > best_b else 0.0 for i in range(n)]
    f["block_dist_log"] = [math.log1p(best_a - i if i < best_a else (i - best_b if i > best_b else 0)) for i in range(n)]
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


def linear(cols: dict[str, list[float]], weights: dict[str, float], bias: float, n: int) -> list[float]:
    z = [bias] * n
    for name, w in weights.items():
        if w:
            z = list(map(add, z, map(mul, cols[name], repeat(w))))
    return z


GATE_EDGE = 0.2  # share of the (non-blank) lines at each end that counts as the page's edges
GATE_MIN = 4  # distinct chrome lines needed at the edges before the detector acts at all
# share of the page's characters in prose lines below which the page is left alone: product grids,
# catalogues and link directories whose "content" is itself a list of short lines
GATE_MIN_PROSE = 0.05


def chrome_evidence(lines: Sequence[str], model: dict) -> list[str]:
    """Distinct edge lines that are chrome whatever the page: the gate's evidence."""
    n = len(lines)
    k = int(n * GATE_EDGE) + 1
    cl = chrome_lines()
    learned = model.get("vocab_lines") or {}
    found = []
    seen = set()
    edges = list(lines[:k]) + list(lines[max(k, n - k):])
    for t in "\n".join(edges).lower().split("\n"):
        t = t.strip()
        if t in seen or not t:
            continue
        seen.add(t)
        if t in cl or learned.get(t, 0.0) >= 1.5 or (len(t) < 200 and ("©" in t or "cookie" in t or "rights reserved" in t)):
            found.append(t)
    return found


def decide(text: Sequence[str], words: Sequence[int], p: Sequence[float], thr: float) -> list[bool]:
    """Which lines to drop, from their keep probabilities."""
    n = len(text)
    drop = [q < thr for q in p]
    # lines without words (separators, stray punctuation) follow their neighbours
    for i in range(n):
        if words[i] == 0:
            drop[i] = (i == 0 or drop[i - 1]) and (i + 1 >= n or drop[i + 1])
    if all(drop[i] for i in range(n) if words[i]):  # never empty a document: keep it as it is
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
    "in_block": "in main block", "before_block": "above main block", "after_block": "below main block",
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


def explain(groups: dict[str, list[float]], means: dict[str, float], f2: dict[str, list[float]],
            members: dict[str, list[tuple[str, float]]], i: int, top: int = 3) -> str:
    """The feature families that pushed line i most towards chrome (their contribution to the
    log-odds, relative to an average line), the first one with its strongest feature."""
    contrib = sorted((col[i] - means.get(g, 0.0), g) for g, col in groups.items())
    parts = []
    for c, g in contrib[:top]:
        if c > -0.05:
            break
        parts.append(f"{g} {c:+.1f}")
    if parts:
        g = contrib[0][1]
        best, best_name = 0.0, ""
        for name, w in members[g]:
            c = w * f2[name][i]
            if c < best:
                best, best_name = c, name
        if best_name:
            parts[0] += f" ({LABELS.get(best_name, best_name)})"
    return ", ".join(parts)


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
chrome on many sites, or copyright / cookie text). Clean prose, poems, lists, tables and code never
show that, so they pass through untouched, as do extractor outputs with little residue.

On a page dump, each line gets a keep probability from two logistic regressions (weights in
scrubber/data/page_model.json, trained on the dev benchmark by benchmarks/train_page_model.py): the
first over the line and its surroundings (length, stopword density, sentence endings, title case,
separators, repetition in the page, learned chrome words, distance to the nearest prose, position
relative to the title heading, runs of short lines, neighbours' length and prose), the second adds
the first one's scores smoothed over neighbours, over the run of short lines the line belongs to
and over the best block of content. Lines below the threshold are dropped; lines without words
follow their neighbours; a document is never emptied. The evidence names the features that pushed
the line most towards chrome.
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
        self._stage1 = compile_linear(model["stage1"]["weights"], model["stage1"]["bias"])
        self._stage2 = compile_linear(model["stage2"]["weights"], model["stage2"]["bias"], feature_group)
        self._members: dict[str, list[tuple[str, float]]] = {}
        for name, w in model["stage2"]["weights"].items():
            if w:
                self._members.setdefault(feature_group(name), []).append((name, w))

    sees_removed = True  # the model weighs the whole page as it was scraped; this also makes it a fixed point

    def scores(self, lines: Sequence[str]):
        m = self.model
        st, f = line_features(lines, m)
        n = st.n
        if n and f["doc_prose"][0] < GATE_MIN_PROSE:
            return st, None, f, {}
        p1 = list(map(_sigmoid, self._stage1(f)))
        f2 = stage2_features(p1, st.words)
        f2.update(f)
        groups = self._stage2(f2)
        z2 = [0.0] * n
        for col in groups.values():
            z2 = list(map(add, z2, col))
        return st, list(map(_sigmoid, z2)), f2, groups

    def find(self, lines: Sequence[str], removed: frozenset[int] = frozenset()) -> list[Finding]:
        # blank lines are not part of the page's structure: work on the others
        keep_idx = [i for i, line in enumerate(lines) if line and not line.isspace()]
        if len(keep_idx) < 5:
            return []
        body = [lines[i] for i in keep_idx] if len(keep_idx) < len(lines) else list(lines)
        evidence = chrome_evidence(body, self.model)
        if len(evidence) < GATE_MIN:
            return []
        st, p, f2, groups = self.scores(body)
        if p is None:
            return []
        drop = decide(st.text, st.words, p, self.model["threshold"])
        means = self.model["stage2"].get("group_means", {})
        members = self._members
        out = []
        for j in range(st.n):
            if drop[j] and keep_idx[j] not in removed:
                out.append(Finding(keep_idx[j], f"p_keep={p[j]:.2f}: {explain(groups, means, f2, members, j)}"))
        return out

"""What a regex needs before it can match: the analysis that lets scrubber skip most of its rules.

Python's `re` tries every alternative of a combined regex at every position. With hundreds of rule
alternatives that is most of the cleaning time, although on a given line almost every rule is
impossible: its match must start with one of a few characters, or contain one of a few strings.
This module reads a pattern's parse tree (the standard library's own parser, so the answer is about
exactly the regex that runs) and derives, conservatively:

- `first_matcher`: a regex matching any character a match can start with (None when it cannot tell).
- `required`: a small set of strings one of which every match contains, looking inside lookarounds
  too (None when it cannot tell, or when the best set is too common to be worth checking).
- `line_local`: whether no part of the pattern (lookarounds included) can match a newline, nor
  depends on the ends of the whole string, so that its matches in a text of lines are exactly its
  matches in each line on its own.

Every answer errs on the safe side: a rule is only ever skipped where it provably cannot match, so
prefiltering never changes a result. `LiteralScanner` finds every line that holds any of many such
strings in one pass over the whole text (RE2's, or a trie-shaped `re` regex's).
"""
from __future__ import annotations

import math
import re
from bisect import bisect_right
from functools import lru_cache
from itertools import accumulate, count
from operator import add, methodcaller
from typing import Iterable, Sequence

try:  # google-re2 (a declared dependency): one DFA pass finds any of many literal strings
    import re2 as _re2
except ImportError:  # pragma: no cover
    _re2 = None

try:  # Python 3.11+
    from re import _constants as C
    from re import _parser as P
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as C  # type: ignore[no-redef]
    import sre_parse as P  # type: ignore[no-redef]

try:
    from re._casefix import _EXTRA_CASES as _FOLDS  # 3.11+: characters that fold together besides lower()
except ImportError:  # pragma: no cover
    try:
        from sre_compile import _ignorecase_fixes as _FOLDS  # type: ignore[no-redef]
    except ImportError:
        _FOLDS = None

CAP = 96  # the most strings a product of string sets may hold
UNION_CAP = 400  # the most strings a union of alternatives' sets may hold
# A required set expected to occur more often than this per character is not worth it: each
# occurrence costs a confirmation in Python. (At 0.02, META013's gate of ".", "-", "/" and years,
# 0.014, made 130k of the 205k hits on the dev pages and cost more than trying the rule everywhere.)
MAX_COST = 0.01
_ATOMIC = getattr(C, "ATOMIC_GROUP", None)
_POSSESSIVE = getattr(C, "POSSESSIVE_REPEAT", None)
_REPEATS = tuple(op for op in (C.MAX_REPEAT, C.MIN_REPEAT, _POSSESSIVE) if op is not None)
_WHITESPACE = "".join(chr(c) for c in range(0x3001) if chr(c).isspace())
_CATEGORY = {
    C.CATEGORY_DIGIT: r"\d", C.CATEGORY_NOT_DIGIT: r"\D", C.CATEGORY_SPACE: r"\s",
    C.CATEGORY_NOT_SPACE: r"\S", C.CATEGORY_WORD: r"\w", C.CATEGORY_NOT_WORD: r"\W",
}


class Unknown(Exception):
    """A construct the analysis does not model; the caller falls back to the safe answer."""


def _flag_prefix(flags: int) -> str:
    out = ""
    if flags & re.IGNORECASE:
        out += "i"
    if flags & re.ASCII:
        out += "a"
    if flags & re.DOTALL:
        out += "s"
    return out


def _wrap(fragment: str, flags: int) -> str:
    f = _flag_prefix(flags)
    return f"(?{f}:{fragment})" if f else f"(?:{fragment})"


def _esc(code: int) -> str:
    return re.escape(chr(code))


def _class_source(items) -> str:
    parts = []
    for op, av in items:
        if op is C.NEGATE:
            parts.insert(0, "^")
        elif op is C.LITERAL:
            parts.append(_esc(av))
        elif op is C.RANGE:
            parts.append(f"{_esc(av[0])}-{_esc(av[1])}")
        elif op is C.CATEGORY and av in _CATEGORY:
            parts.append(_CATEGORY[av])
        else:
            raise Unknown(op)
    if parts == ["^"]:
        raise Unknown("empty negated class")
    return "[" + "".join(parts) + "]"


def _char_source(op, av, flags: int) -> str:
    """A regex (with its flags) matching exactly the characters a one-character node matches."""
    if op is C.LITERAL:
        return _wrap(_esc(av), flags)
    if op is C.NOT_LITERAL:
        return _wrap(f"[^{_esc(av)}]", flags)
    if op is C.ANY:
        return _wrap(".", flags)
    if op is C.IN:
        return _wrap(_class_source(av), flags)
    raise Unknown(op)


@lru_cache(maxsize=4096)
def _compiled(source: str):
    return re.compile(source)


@lru_cache(maxsize=4096)
def _case_variants(char: str) -> frozenset[str] | None:
    """Every character that `re` matches to `char` under IGNORECASE."""
    if _FOLDS is None:
        return None
    low = char.lower()
    cands = {char, low, char.upper(), char.swapcase(), char.title(), char.casefold()}
    if len(low) == 1:
        cands.update(chr(c) for c in _FOLDS.get(ord(low), ()))
    for c in list(cands):
        if len(c) == 1 and len(c.lower()) == 1:
            cands.update(chr(x) for x in _FOLDS.get(ord(c.lower()), ()))
    rx = re.compile(re.escape(char), re.IGNORECASE)
    return frozenset(c for c in cands if len(c) == 1 and rx.fullmatch(c))


def _char_set(op, av, flags: int) -> frozenset[str] | None:
    """The characters a one-character node matches, if there are few; None for a large class."""
    if op is C.LITERAL:
        if flags & re.IGNORECASE:
            return _case_variants(chr(av))
        return frozenset(chr(av))
    if op is not C.IN:
        return None
    items = av
    negated = any(o is C.NEGATE for o, _ in items)
    universe: set[str] = set()
    for o, a in items:
        if o is C.NEGATE:
            continue
        if o is C.LITERAL:
            universe.add(chr(a))
        elif o is C.RANGE and a[1] - a[0] < 64:
            universe.update(chr(c) for c in range(a[0], a[1] + 1))
        elif o is C.CATEGORY and a is C.CATEGORY_SPACE:
            universe.update(_WHITESPACE)
        elif negated and o is C.CATEGORY and a is C.CATEGORY_NOT_SPACE:
            pass
        elif not negated:
            return None  # a large range or category
    if negated:
        if not any(o is C.CATEGORY and a is C.CATEGORY_NOT_SPACE for o, a in items):
            return None  # the complement of a small set is large
        universe = set(_WHITESPACE)  # [^\S...]: white space minus what is listed
    if flags & re.IGNORECASE:
        more: set[str] = set()
        for c in universe:
            variants = _case_variants(c)
            if variants is None:
                return None
            more |= variants
        universe |= more
    rx = _compiled(_char_source(op, av, flags))
    found = frozenset(c for c in universe if rx.fullmatch(c))
    return found if len(found) <= CAP else None


# -- character frequencies, to choose the rarest of several required sets ---------------------------

# Letter frequencies of English text (per letter), scaled to a share of all characters.
_LOWER = dict(zip("etaoinshrdlcumwfgypbvkjxqz", (
    .12, .09, .08, .075, .07, .067, .063, .06, .06, .043, .04, .028, .028, .024, .024, .022, .02, .02,
    .019, .015, .01, .008, .0015, .0015, .001, .0007)))


def _freq(char: str) -> float:
    """A rough share of characters in web text that are `char`."""
    if char == " ":
        return 0.15
    if char.isspace():
        return 0.002 if char in "\n\t\xa0" else 0.0005
    low = _LOWER.get(char)
    if low is not None:
        return low * 0.75
    if "A" <= char <= "Z":
        return _LOWER[char.lower()] * 0.08
    if "0" <= char <= "9":
        return 0.004
    if char in ".,":
        return 0.01
    if char.isalpha():
        return 0.003
    if char.isascii():
        return 0.002
    return 0.0005


_PUNCT = ".,;:!?)]}\"'’”…"


def _follows(prev: str, char: str) -> float:
    """A rough chance that `char` comes right after `prev`: punctuation is nearly always followed by a
    space and hardly ever preceded by one; otherwise characters are taken as independent."""
    if prev in _PUNCT and char.isspace():
        return 0.9 if char == " " else _freq(char) * 5
    if prev.isspace() and char in _PUNCT:
        return _freq(char) * 0.05
    return _freq(char)


def _string_cost(s: str) -> float:
    p = _freq(s[0]) if s else 1.0
    for prev, ch in zip(s, s[1:]):
        p *= _follows(prev, ch)
    return p


# Which characters lines begin with, and how often: the shares of the dev pages' non-blank lines
# (384k) that begin with an ASCII capital, a lower-case ASCII letter, a digit, or anything else; a
# kind's share is spread over its characters, letters by their frequency in text.
_START_KINDS = (
    (0.634, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"),
    (0.146, "abcdefghijklmnopqrstuvwxyz"),
    (0.067, "0123456789"),
    (0.153, "\"'“‘«»([{<>-–—•·|/\\#@*&+$€£%©®!?¡¿.,:;…→►▶✓✔❯›‹ÀÁÂÄÇÉÈÊÍÓÔÖÚÜÑŁŚŻÆØÅ"
            "АБВГДЕЖЗИКЛМНОПРСТУФХЦЧШЭЮЯ"),
)


def _start_weights() -> list[tuple[str, float]]:
    out = []
    for share, chars in _START_KINDS:
        weight = {ch: _freq(ch.lower()) if ch.isascii() and ch.isalpha() else 1.0 for ch in chars}
        total = math.fsum(weight.values())
        out += [(ch, share * w / total) for ch, w in weight.items()]
    return out


_START_WEIGHTS = _start_weights()


def first_share(source: str | None) -> float:
    """Roughly which share of lines begin with a character `source` (an `item_first_source` regex,
    None for any character) matches."""
    if source is None:
        return 1.0
    fits = re.compile(source).fullmatch
    return math.fsum(w for ch, w in _START_WEIGHTS if fits(ch))


def set_cost(strings: Iterable[str]) -> float:
    """Expected occurrences per character of any of the strings. (Summed exactly, so that the sum
    does not depend on the order a set gives its strings in, which changes from run to run: the
    cheaper of two sets must be the same one in every process, or the stored readings of
    `plans` would not be those of a fresh one.)"""
    return math.fsum(map(_string_cost, strings))


# -- the analysis ----------------------------------------------------------------------------------

class Info:
    """What is known about a node: `strings` (every string it can match, when few), `nullable`,
    `req` (strings one of which every match contains, or None), and for adjacency in a sequence
    `head`/`tail`: lists of string sets such that the text at the start of every match is one string
    from each set in turn (the text ending at its end, for `tail`); empty when nothing is known."""

    __slots__ = ("strings", "nullable", "req", "head", "tail")

    def __init__(self, strings=None, nullable=False, req=None, head=(), tail=()):
        self.strings = strings
        self.nullable = nullable
        self.req = req
        self.head = list(head)
        self.tail = list(tail)


EMPTY = frozenset({""})


def _better(a, b):
    """The cheaper of two required sets (None is no set)."""
    if a is None:
        return b
    if b is None:
        return a
    return a if set_cost(a) <= set_cost(b) else b


def _product(a: frozenset[str], b: frozenset[str]) -> frozenset[str] | None:
    if len(a) * len(b) > CAP:
        return None
    return frozenset(x + y for x in a for y in b)


def _union(sets, cap: int = CAP) -> frozenset[str] | None:
    out: set[str] = set()
    for s in sets:
        if s is None:
            return None
        out |= s
        if len(out) > cap:
            return None
    return frozenset(out)


def _useful(s):
    """A required set is only useful if it has no empty string (which every text contains)."""
    return s if s is not None and "" not in s and s else None


def _known(info: Info) -> bool:
    """The node always matches exactly one of a few non-empty strings."""
    return info.strings is not None and "" not in info.strings


def _analyze(subpattern, flags: int) -> Info:
    return _sequence(list(subpattern), flags)


def _node(op, av, flags: int) -> Info:
    if op in (C.LITERAL, C.IN):
        chars = _char_set(op, av, flags)
        if chars is None:
            return Info()
        return Info(strings=chars, req=chars, head=[chars], tail=[chars])
    if op in (C.NOT_LITERAL, C.ANY):
        return Info()
    if op is C.SUBPATTERN:
        _group, add_flags, del_flags, p = av
        return _analyze(p, (flags | add_flags) & ~del_flags)
    if _ATOMIC is not None and op is _ATOMIC:
        return _analyze(av, flags)
    if op is C.BRANCH:
        alts = [_analyze(p, flags) for p in av[1]]
        strings = _union(a.strings for a in alts)
        head, tail = [], []
        if not any(a.nullable for a in alts):
            for k in range(min(len(a.head) for a in alts)):
                u = _union(a.head[k] for a in alts)
                if u is None:
                    break
                head.append(u)
            for k in range(1, min(len(a.tail) for a in alts) + 1):
                u = _union(a.tail[-k] for a in alts)
                if u is None:
                    break
                tail.insert(0, u)
        return Info(strings=strings, nullable=any(a.nullable for a in alts),
                    req=_useful(_union((_useful(a.req) for a in alts), UNION_CAP)), head=head, tail=tail)
    if op in _REPEATS:
        lo, hi, p = av
        body = _analyze(p, flags)
        strings = None
        if body.strings is not None and hi <= 4:  # a short bounded repeat: every count, spelled out
            strings, power = (EMPTY if lo == 0 else frozenset()), EMPTY
            for k in range(1, hi + 1):
                power = _product(power, body.strings)
                if power is None:
                    strings = None
                    break
                if k >= lo:
                    strings = _union([strings, power])
                    if strings is None:
                        break
        if lo == 0:
            return Info(nullable=True, strings=strings)
        # X{lo,hi} with lo >= 1 starts with a whole X and ends with one
        return Info(strings=strings, nullable=body.nullable, req=body.req, head=body.head, tail=body.tail)
    return Info()  # group references and the like: nothing known


def _sequence(items, flags: int) -> Info:
    """A concatenation. Required sets come from runs of adjacent nodes whose strings are known (the
    product of any window of a run is required), from each mandatory node's own required set, and
    from positive lookarounds next to a run."""
    best = None

    def close(run):
        nonlocal best
        for i in range(len(run)):
            prod = EMPTY
            for j in range(i, len(run)):
                prod = _product(prod, run[j])
                if prod is None:
                    break
                best = _better(best, _useful(prod))

    run: list[frozenset[str]] = []  # string sets of adjacent nodes, in order
    strings = EMPTY  # every string the sequence can match, while known
    nullable = True
    head: list[frozenset[str]] | None = None  # set at the first node that breaks the leading run
    for op, av in items:
        if op is C.ASSERT:
            inner = _analyze(av[1], flags)
            best = _better(best, _useful(inner.req))
            if av[0] == 1 and inner.head and run:  # (?=X): X's start follows the run
                close(run + inner.head)
            elif av[0] == -1 and inner.tail and not run:  # (?<=X): X's end precedes what follows
                run = list(inner.tail)
                if head is None:
                    head = []  # the run no longer starts at the match start
            continue
        if op in (C.ASSERT_NOT, C.AT):
            continue  # zero width: adjacency holds across it
        info = _node(op, av, flags)
        if not info.nullable:
            best = _better(best, _useful(info.req))
        nullable = nullable and info.nullable
        if strings is not None:
            strings = _product(strings, info.strings) if info.strings is not None else None
        if _known(info):
            run.append(info.strings)
            continue
        joined = run + info.head if not info.nullable else run
        if head is None:
            head = joined
        close(joined)
        run = list(info.tail) if not info.nullable else []
    close(run)
    if head is None:
        head = run
    tail = run
    return Info(strings=strings if strings is not None and len(strings) <= CAP else None, nullable=nullable,
                req=best, head=head, tail=tail)


def parse(pattern: str, flags: int = 0):
    return P.parse(pattern, flags)


def required(pattern: str, flags: int = 0, max_cost: float = MAX_COST) -> frozenset[str] | None:
    """Strings one of which every match of `pattern` contains (lookarounds included), or None."""
    try:
        parsed = parse(pattern, flags)
        req = _analyze(parsed.data, parsed.state.flags).req
    except (Unknown, re.error, RecursionError):
        return None
    if req is None or set_cost(req) > max_cost:
        return None
    return req


def _first(items, flags: int) -> tuple[list[str] | None, bool]:
    """(regex sources of the characters a match can start with, or None for any; nullable)."""
    out: list[str] = []
    for op, av in items:
        if op in (C.AT, C.ASSERT, C.ASSERT_NOT):
            continue
        if op in (C.LITERAL, C.NOT_LITERAL, C.ANY, C.IN):
            out.append(_char_source(op, av, flags))
            return out, False
        if op is C.SUBPATTERN:
            sub, nullable = _first(av[3], (flags | av[1]) & ~av[2])
        elif _ATOMIC is not None and op is _ATOMIC:
            sub, nullable = _first(av, flags)
        elif op is C.BRANCH:
            sub, nullable = [], False
            for p in av[1]:
                s, n = _first(p, flags)
                if s is None:
                    return None, True
                sub += s
                nullable = nullable or n
        elif op in _REPEATS:
            lo, hi, p = av
            if hi == 0:
                continue
            sub, nullable = _first(p, flags)
            nullable = nullable or lo == 0
        else:
            return None, True
        if sub is None:
            return None, True
        out += sub
        if not nullable:
            return out, False
    return out, True  # every node can match the empty string


def first_matcher(pattern: str, flags: int = 0):
    """A compiled regex that fullmatches every character a match of `pattern` can begin with, or
    None when any character could begin one."""
    try:
        parsed = parse(pattern, flags)
        sources, nullable = _first(parsed.data, parsed.state.flags)
        if sources is None or nullable:  # an empty match can begin anywhere
            return None
        return re.compile("|".join(dict.fromkeys(sources)))
    except (Unknown, re.error, RecursionError):
        return None


MAX_PREFIXES = 4000


def _pre_extend(acc, node_sets):
    """Extend each unfinished prefix in `acc` by what the next node can match (`node_sets(room)`)."""
    out = set()
    for s, done in acc:
        if done:
            out.add((s, True))
            continue
        got = node_sets(len(s))
        if got is None:
            return None
        out.update((s + q, qdone) for q, qdone in got)
        if len(out) > MAX_PREFIXES:
            return None
    return out


def _pre_seq(items, room: int, flags: int):
    """The set of (prefix, done) of a sequence's matches: `prefix` is a match cut to `room`
    characters; done when it reached `room` (else it is a whole match)."""
    acc = {("", False)}
    for op, av in items:
        if op in (C.AT, C.ASSERT, C.ASSERT_NOT):
            continue  # zero width
        if all(done for _, done in acc):
            break
        acc = _pre_extend(acc, lambda used, op=op, av=av: _pre_node(op, av, room - used, flags))
        if acc is None:
            return None
    return acc


def _pre_node(op, av, room: int, flags: int):
    if op in (C.LITERAL, C.IN, C.NOT_LITERAL, C.ANY):
        chars = _char_set(op, av, flags) if op in (C.LITERAL, C.IN) else None
        if chars is None:
            return None
        return {(c, room == 1) for c in chars}
    if op is C.SUBPATTERN:
        return _pre_seq(av[3], room, (flags | av[1]) & ~av[2])
    if _ATOMIC is not None and op is _ATOMIC:
        return _pre_seq(av, room, flags)
    if op is C.BRANCH:
        out = set()
        for p in av[1]:
            got = _pre_seq(p, room, flags)
            if got is None:
                return None
            out |= got
            if len(out) > MAX_PREFIXES:
                return None
        return out
    if op in _REPEATS:
        lo, hi, body = av
        out, acc = set(), {("", False)}
        for reps in range(lo + room + 1):
            if reps >= lo:
                out |= acc
            if reps == hi or all(done for _, done in acc):
                if reps < lo:
                    out |= acc  # cut short by the room: still how every match begins
                break
            acc = _pre_extend(acc, lambda used: _pre_seq(body, room - used, flags))
            if acc is None or len(out) > MAX_PREFIXES:
                return None
        return out
    return None


def prefixes(pattern: str, length: int, flags: int = 0) -> frozenset[str] | None:
    """Every way a match of `pattern` (tried at the start of a string) can begin, cut to `length`
    characters: a string shorter than that is a whole match. None when that cannot be told or the
    set is large. A string can only match if it starts with one of them."""
    try:
        parsed = parse(pattern, flags)
        got = _pre_seq(parsed.data, length, parsed.state.flags)
    except (Unknown, re.error, RecursionError):
        return None
    return None if got is None else frozenset(s for s, _ in got)


def alternative_items(pattern: str, flags: int = 0):
    """[(parsed items, flags)] for each top-level alternative (the zero-width items the parser moved
    out of the alternatives, such as a shared ^, put back in front), or None."""
    try:
        parsed = parse(pattern, flags)
    except (re.error, RecursionError):
        return None
    items = list(parsed.data)
    where = [k for k, (op, _) in enumerate(items) if op is C.BRANCH]
    if len(where) != 1:
        return None
    k = where[0]
    before, after = items[:k], items[k + 1:]
    if any(op not in (C.AT, C.ASSERT, C.ASSERT_NOT) for op, _ in before + after):
        return None
    return [(before + list(alt) + after, parsed.state.flags) for alt in items[k][1][1]]


def pattern_items(pattern: str, flags: int = 0):
    """[(parsed items, flags)]: the top-level alternatives, or the whole pattern as the only one."""
    alts = alternative_items(pattern, flags)
    if alts is not None:
        return alts
    parsed = parse(pattern, flags)
    return [(list(parsed.data), parsed.state.flags)]


def _guarded(fn, default=None):
    try:
        return fn()
    except (Unknown, re.error, RecursionError):
        return default


def item_prefixes(items, flags: int, length: int) -> frozenset[str] | None:
    got = _guarded(lambda: _pre_seq(items, length, flags))
    return None if got is None else frozenset(s for s, _ in got)


def item_first_source(items, flags: int) -> str | None:
    """A regex source for the characters a match can begin with, or None when it can begin with any."""
    def run():
        sources, nullable = _first(items, flags)
        if sources is None or nullable:
            return None
        return "|".join(dict.fromkeys(sources))
    return _guarded(run)



def item_required(items, flags: int, max_cost: float = MAX_COST) -> frozenset[str] | None:
    req = _guarded(lambda: _analyze(items, flags).req)
    if req is None or set_cost(req) > max_cost:
        return None
    return req


def _touches_newline(items, flags: int) -> bool:
    for op, av in items:
        if op in (C.LITERAL, C.NOT_LITERAL, C.ANY, C.IN):
            if _compiled(_char_source(op, av, flags)).fullmatch("\n"):
                return True
        elif op is C.AT:
            if av in (C.AT_BEGINNING_STRING, C.AT_END_STRING):
                return True
        elif op is C.SUBPATTERN:
            if _touches_newline(av[3], (flags | av[1]) & ~av[2]):
                return True
        elif _ATOMIC is not None and op is _ATOMIC:
            if _touches_newline(av, flags):
                return True
        elif op is C.BRANCH:
            if any(_touches_newline(p, flags) for p in av[1]):
                return True
        elif op in _REPEATS:
            if _touches_newline(av[2], flags):
                return True
        elif op in (C.ASSERT, C.ASSERT_NOT):
            if _touches_newline(av[1], flags):
                return True
        elif op is C.GROUPREF:
            continue  # refers to a group that is checked on its own
        else:
            return True
    return False


def line_local(pattern: str, flags: int = 0) -> bool:
    """True when nothing in the pattern can match a newline or test the string's own ends (\\A, \\Z):
    its matches over lines joined by "\\n" are then exactly its matches within each line."""
    try:
        parsed = parse(pattern, flags)
        return not _touches_newline(parsed.data, parsed.state.flags)
    except (Unknown, re.error, RecursionError):
        return False


# -- finding many literal strings at once ----------------------------------------------------------

def _trie_source(strings: Iterable[str]) -> str:
    """A regex matching any of the strings, shaped as a trie (so `re` branches on one character at a
    time) and preferring the longest at each position."""
    trie: dict = {}
    for s in strings:
        node = trie
        for ch in s:
            node = node.setdefault(ch, {})
        node[""] = True

    def emit(node) -> str:
        end = "" in node
        branches = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch != ""]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if end:
            return f"(?:{body})?" if len(branches) > 1 else f"(?:{body})?"
        return body

    return emit(trie)


def line_starts(lines: Sequence[str]) -> list[int]:
    """Offsets of each line in "\\n".join(lines)."""
    return list(map(add, accumulate(map(len, lines), initial=0), count()))[: len(lines)]


_RE2_MAX_MEM = 64 << 20
_UTF8 = methodcaller("encode", "utf-8", "surrogatepass")


def _re2_options():
    options = _re2.Options()
    options.encoding = _re2.Options.Encoding.LATIN1
    options.log_errors = False
    # RE2's default budget (8 MB, two thirds of it the DFA's) is too small for the ~2,000 strings of
    # the built-in rules' gates: over it the DFA is thrown away and rebuilt as it scans, and the scan
    # of the dev pages took 4.4 times as long (1.78 s against 0.40 s for 250 pages). The DFA's
    # states are built as the text needs them, so the budget is a ceiling, not an allocation.
    options.max_mem = _RE2_MAX_MEM
    return options


def _re2_escape(s: bytes) -> str:
    """A regex matching the bytes `s`, byte for byte (in RE2's Latin-1 mode)."""
    return "".join(chr(b) if b < 128 and chr(b).isalnum() else f"\\x{b:02x}" for b in s)


def _re2_alternation(strings: Iterable[str]) -> bytes:
    """An RE2 pattern (Latin-1 mode) matching any of the strings as UTF-8 bytes (a lone surrogate, as
    --errors surrogateescape carries it, encoded as itself: a valid string's bytes can only match
    whole characters)."""
    return "|".join(_re2_escape(_UTF8(x)) for x in sorted(strings)).encode("latin-1")


def _re2_set(groups: Sequence[Iterable[str]]):
    """An RE2 set with one pattern per group, matching any of the group's strings (`_re2_alternation`),
    or None."""
    if _re2 is None:
        return None
    try:
        found = _re2.Set.SearchSet(_re2_options())
        for strings in groups:
            found.Add(_re2_alternation(strings))
        found.Compile()
    except Exception:  # noqa: BLE001 - too big for RE2's memory budget, say: the `re` scan does it
        return None
    return found


def _re2_any(groups: Sequence[Iterable[str]]):
    """One RE2 regex matching any string of any group, as UTF-8 bytes (as `_re2_set`), or None."""
    if _re2 is None:
        return None
    try:
        return _re2.compile(_re2_alternation({x for strings in groups for x in strings}), _re2_options())
    except Exception:  # noqa: BLE001 - too big for RE2's memory budget: every line is matched instead
        return None


def span_searcher(regex):
    """`search(data, pos)`: the (start, end) of `regex.search(data, pos)` on bytes (an RE2 regex), or
    None. It asks the RE2 object the module wraps when that answers as expected: the wrapper's
    `search` makes a generator and a Match object at each call, most of what finding a literal costs
    (a page brings dozens of such searches); otherwise, through `search` itself."""
    low = getattr(regex, "_regexp", None)
    anchor = getattr(getattr(_re2, "_Anchor", None), "UNANCHORED", None)
    try:
        spans = low.Match(anchor, b"", 0, 0)
        direct = (isinstance(spans, list) and len(spans) >= 1 and isinstance(spans[0], tuple)
                  and (spans[0] == (-1, -1)) == (regex.search(b"") is None))
    except Exception:  # noqa: BLE001 - no such object, or another interface: use the public one
        direct = False
    if not direct:
        def search(data: bytes, pos: int = 0):
            m = regex.search(data, pos)
            return None if m is None else m.span()
        return search
    match, null = low.Match, (-1, -1)

    def search(data: bytes, pos: int = 0):
        n = len(data)
        span = match(anchor, data, min(pos, n), n)[0]  # (the wrapper clips pos to the text the same way)
        return None if span == null else span
    return search


class LiteralScanner:
    """Which lines hold which of several groups of strings.

    With RE2, a set of one regex per group (RE2's `Set`) is matched against a line's UTF-8 bytes:
    one DFA pass over the line names every group found in it, with no cost per string or per
    position. The lines asked about (`only`) are matched one by one: the drop-line rules' gates are
    common, and a single regex of all the strings over the joined text found each occurrence in
    turn, which cost more in Python than the search (on the dev pages, 320,000 occurrences took
    0.72 s where matching each of their distinct lines takes 0.20 s). A whole document is searched
    with that single regex instead, to the next line that holds a string, which the set then reads:
    the span rules' gates are rare, and most lines are never matched at all.

    Without RE2, one scan of the joined text with `re`: each string is found by its rarest
    character (its anchor), as the scan's regex begins with a set of anchor characters, which `re`
    skips to quickly, and checks the rest of the string around the anchor (before it with a
    lookbehind); a hit is then confirmed string by string. (Python's `re` cannot skip to the few
    places where a string may start, since many strings have no rare character.) A string that
    holds a line break can never lie within a line and is left out."""

    def __init__(self, groups: dict[object, frozenset[str]]):
        self.groups = {k: frozenset(s for s in v if s and "\n" not in s) for k, v in groups.items()}
        self.groups = {k: v for k, v in self.groups.items() if v}
        self._set_keys = list(self.groups)
        found = _re2_set(self.groups.values()) if self.groups else None
        self._set_match = None if found is None else found._set.Match
        any_string = _re2_any(self.groups.values()) if found is not None else None
        self._search_any = None if any_string is None else span_searcher(any_string)
        self.regex = None
        if self.groups and self._set_match is None:
            self._compile_scan()

    def _compile_scan(self) -> None:
        by_anchor: dict[str, dict[str, int]] = {}
        self._keys: dict[str, frozenset] = {}
        for key, strings in self.groups.items():
            for s in strings:
                self._keys[s] = self._keys.get(s, frozenset()) | {key}
        for s in self._keys:
            a = min(range(len(s)), key=lambda i: _freq(s[i]))
            by_anchor.setdefault(s[a], {})[s] = a
        self._by_anchor = {c: [(s, a, self._keys[s]) for s, a in strings.items()]
                           for c, strings in by_anchor.items()}
        pieces = []
        for c, strings in sorted(by_anchor.items()):
            groups: dict[tuple[int, str], list[str]] = {}
            for s, a in strings.items():
                groups.setdefault((a, s[a + 1:]), []).append(s[:a])
            alts = []
            for (a, rest), befores in sorted(groups.items()):
                behind = ""
                if a == 1:
                    behind = "(?<=[" + "".join(re.escape(b) for b in sorted(set(befores))) + "]" + re.escape(c) + ")"
                elif a > 1:
                    behind = "(?<=" + "|".join(re.escape(b + c) for b in sorted(set(befores))) + ")"
                alts.append(behind + re.escape(rest))
            alts.sort(key=lambda x: x == "")  # an empty alternative (the anchor alone) last
            pieces.append(re.escape(c) + ("(?:" + "|".join(alts) + ")" if alts != [""] else ""))
        self.regex = re.compile("|".join(pieces))

    def __bool__(self) -> bool:
        return bool(self.groups)

    def scan(self, lines: Sequence[str], only: Iterable[int] | None = None) -> dict[int, set]:
        """{line index: keys of the groups found on it} for `lines`, or for the lines at the indexes
        `only` (the others may be answered too)."""
        if self._set_match is not None:
            if only is None and self._search_any is not None:
                return self._scan_sparse(lines)
            where = range(len(lines)) if only is None else list(only)
            texts = lines if only is None else map(lines.__getitem__, where)
            keys = self._set_keys
            return {k: set(map(keys.__getitem__, hit))
                    for k, hit in zip(where, map(self._set_match, map(_UTF8, texts))) if hit}
        return self._scan_re(lines)

    def _scan_sparse(self, lines: Sequence[str]) -> dict[int, set]:
        """`scan` of every line when few lines hold a string (the span rules' gates): one regex of all
        the strings finds the next line that holds one, the set names the groups on that line, and
        the search goes on from the next line (matching every line with the set cost 0.4 s on the dev
        pages against 0.1 s)."""
        data = "\n".join(lines).encode("utf-8", "surrogatepass")
        search, match, keys = self._search_any, self._set_match, self._set_keys
        found: dict[int, set] = {}
        line, counted, n = 0, 0, len(data)
        span = search(data)
        while span is not None:
            start = span[0]
            line += data.count(b"\n", counted, start)
            begin = data.rfind(b"\n", 0, start) + 1
            end = data.find(b"\n", start)
            end = n if end < 0 else end
            hit = match(data[begin:end])
            if hit:
                found[line] = set(map(keys.__getitem__, hit))
            counted = start
            span = search(data, end + 1) if end < n else None
        return found

    def _scan_re(self, lines: Sequence[str]) -> dict[int, set]:
        """`scan` with Python's `re`, without RE2."""
        found: dict[int, set] = {}
        if self.regex is None:
            return found
        joined = "\n".join(lines)
        search = self.regex.search
        by_anchor = self._by_anchor
        startswith = joined.startswith
        starts = None
        m = search(joined)
        while m is not None:
            pos = m.start()
            keys: set = set()
            for s, a, k in by_anchor[joined[pos]]:
                if a <= pos and startswith(s, pos - a):
                    keys |= k
            if keys:
                if starts is None:
                    starts = line_starts(lines)
                line = bisect_right(starts, pos) - 1
                found.setdefault(line, set()).update(keys)
            m = search(joined, pos + 1)
        return found

"""Compiling rule patterns, and matching many of them at once.

Built-in patterns are trusted and written for Python `re`; the engine joins them into one regex per
action (one named group per rule), so a line is tested against every drop-line rule in one call and
the whole text is scanned for every strip/replace rule in one pass. User patterns are compiled with
RE2, which runs in linear time: a pattern from a pack cannot make scrubber hang. Without RE2 they fall
back to `re`, after refusing nested quantifiers (the usual cause of catastrophic backtracking).
"""
from __future__ import annotations

import re
from bisect import bisect_right
from functools import partial
from itertools import compress, repeat
from operator import itemgetter
from typing import Iterable, Iterator, Sequence

from .catalogue import LEADING_FLAGS
from .plans import remembered
from .prefilter import (MAX_COST, LiteralScanner, first_share, item_first_source, item_prefixes, item_required,
                        line_local, line_starts, pattern_items, required, set_cost)

try:  # google-re2: linear-time matching for patterns we did not write
    import re2 as _re2

    _RE2_OPTIONS = _re2.Options()
    _RE2_OPTIONS.log_errors = False
except ImportError:  # pragma: no cover - it is a declared dependency
    _re2 = None

NAMED_GROUP = re.compile(r"\(\?P<")
# A quantified group that itself ends in a quantifier, e.g. (a+)+ or (\w*)*: exponential in `re`.
NESTED_QUANTIFIER = re.compile(r"[+*}]\)*\)[+*{]")


class PatternError(ValueError):
    pass


def _compile_trusted(pattern: str, flags: int = 0):
    try:
        return re.compile(pattern, flags)
    except re.error as exc:
        raise PatternError(f"pattern does not compile: {exc}") from None


def _compile_untrusted(pattern: str, multiline: bool):
    if _re2 is not None:
        try:
            return _re2.compile(("(?m)" if multiline else "") + pattern, _RE2_OPTIONS)
        except Exception as exc:  # re2 raises its own error type
            reason = exc.args[0].decode() if exc.args and isinstance(exc.args[0], bytes) else str(exc)
            raise PatternError(f"pattern is not valid RE2 (linear-time) syntax: {reason}") from None
    if NESTED_QUANTIFIER.search(pattern):
        raise PatternError("nested quantifiers can take exponential time; install google-re2 or rewrite")
    return _compile_trusted(pattern, re.M if multiline else 0)


def compile_rule(rule):
    """Compile one rule's pattern on its own (for validation, and for untrusted rules at run time)."""
    if NAMED_GROUP.search(rule.pattern):
        raise PatternError("named groups are not allowed in patterns (use (?:...) or (...))")
    multiline = rule.action != "drop-line"
    if rule.trusted:
        return _compile_trusted(rule.pattern, re.M if multiline else 0)
    return _compile_untrusted(rule.pattern, multiline)


def compile_unless(rule):
    """The rule's line guard, or None. It is searched in the whole line, so it can look behind."""
    if not getattr(rule, "unless", ""):
        return None
    return _compile_trusted(rule.unless) if rule.trusted else _compile_untrusted(rule.unless, False)


def _guards(rules: Sequence) -> dict:
    """{rule id: compiled `unless` guard}. Rules with the same guard share one compiled regex, so
    that the guard's verdict on a line, found once, serves them all."""
    by_text: dict[tuple[str, bool], object] = {}
    out = {}
    for r in rules:
        if getattr(r, "unless", ""):
            key = (r.unless, r.trusted)
            if key not in by_text:
                by_text[key] = compile_unless(r)
            out[r.id] = by_text[key]
    return out


class _LineGuards:
    """The `unless` guards' verdicts on one line at a time: each guard is searched at most once per
    line, however many matches the line has (a guard that finds nothing scans the whole line, so a
    search per match would cost the square of a long line's length)."""

    def __init__(self, text: str):
        self.text = text
        self.begin, self.end = 0, -1  # the current line: text[begin:end]
        self.verdicts: dict[int, bool] = {}

    def blocks(self, guard, pos: int) -> bool:
        """Whether `guard` is found in the line holding `pos` (matches come in increasing `pos`)."""
        if pos > self.end:
            self.begin = self.text.rfind("\n", 0, pos) + 1
            end = self.text.find("\n", pos)
            self.end = len(self.text) if end < 0 else end
            self.verdicts = {}
        verdict = self.verdicts.get(id(guard))
        if verdict is None:
            verdict = self.verdicts[id(guard)] = guard.search(self.text[self.begin:self.end]) is not None
        return verdict


_SURROGATE = re.compile("[\ud800-\udfff]")


def _re2_safe(text: str) -> str:
    """RE2 takes only valid Unicode. Lone surrogates (bytes that were not UTF-8, carried through by
    --errors surrogateescape) become U+FFFD for matching: one code point for one, so offsets hold."""
    return _SURROGATE.sub("\ufffd", text) if _SURROGATE.search(text) else text




def _line_start_share(starts) -> float:
    """Roughly which share of lines begin with one of `starts` (lines mostly begin in upper case)."""
    total = 0.0
    for s in starts:
        p = 0.03 if s[:1].isupper() or s[:1].isdigit() else 0.01 if s[:1].isalpha() else 0.005
        total += p * set_cost([s[1:]])
    return total
PREFIX_LENGTH = 3
GATE_SHARE = 0.5  # alternatives that can begin fewer lines than this share are gated more strictly
_UNKNOWN = object()
_CACHE_CHARS = 80  # lines longer than this rarely recur across documents
_CACHE_LINES = 32768  # per generation
_HEAD = itemgetter(slice(None, PREFIX_LENGTH))
_FIRST = itemgetter(0)
_SECOND = itemgetter(1)


def _combined(indexed: Sequence[tuple[int, object]], flags: int = 0):
    """One regex with an alternative per rule; the alternative's group `_r<i>` names rule i."""
    return re.compile("|".join(f"(?P<_r{i}>{r.scoped_pattern()})" for i, r in indexed), flags)


def _top_level_alternatives(pattern: str) -> list[str] | None:
    """The pattern's source cut at its top-level "|" (outside groups and character sets), or None
    when it cannot be cut safely: global flags other than at the start, numbered back-references
    (each piece would number its groups anew) or verbose mode."""
    m = LEADING_FLAGS.match(pattern)
    lead, body = (m.group(), pattern[m.end():]) if m else ("", pattern)
    if "x" in lead or "(?P=" in body or re.search(r"\\[1-9]", body):
        return None
    pieces, depth, start, k, n = [], 0, 0, 0, len(body)
    while k < n:
        c = body[k]
        if c == "\\":
            k += 2
            continue
        if c == "[":
            k += 1
            if k < n and body[k] == "^":
                k += 1
            if k < n and body[k] == "]":
                k += 1  # a "]" first in a set is a literal
            while k < n and body[k] != "]":
                k += 2 if body[k] == "\\" else 1
        elif c == "(":
            if body.startswith("(?", k) and k + 2 < n and body[k + 2] in "aiLmsux":
                j = k + 2
                while j < n and body[j] in "aiLmsux-":
                    j += 1
                if j < n and body[j] == ")":
                    return None  # a global flag in the middle
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            pieces.append(body[start:k])
            start = k + 1
        k += 1
    pieces.append(body[start:])
    return [lead + piece for piece in pieces]


def _line_plan(pattern: str) -> tuple[bool, list | None]:
    """How a drop-line rule's pattern is prefiltered (see `LineMatcher`): whether its source can be
    cut into its top-level alternatives (else the rule is one unit), and for each alternative
    [beginnings, required strings, first-character source], or None when the pattern cannot be
    read. Plain JSON values, so that `plans` can store them."""
    try:
        alts = pattern_items(pattern)
    except (re.error, RecursionError):
        return False, None
    pieces = _top_level_alternatives(pattern) if len(alts) > 1 else None
    cut = pieces is not None and len(pieces) == len(alts)
    plan = []
    for items, flags in alts:
        starts = None
        for length in range(PREFIX_LENGTH, 0, -1):
            starts = item_prefixes(items, flags, length)
            if starts is not None:
                break
        if starts is not None and "" in starts:
            starts = None  # it can match the empty string: any line
        req = None
        if starts is None or _line_start_share(starts) > 0.05:
            # A gate's strings are found wherever they stand in the text, at a cost per occurrence,
            # while the alternative is tried only on the lines it can begin: one that only begins
            # rare lines (with a digit) is cheaper tried there than gated by common strings ("de",
            # "/": a gallery counter's gate made 40% of the scan's hits on the dev pages).
            first = item_first_source(items, flags)
            req = item_required(items, flags, MAX_COST * min(1.0, first_share(first) / GATE_SHARE))
            if not req and starts is not None:
                first = None
        else:
            first = None
        plan.append([None if starts is None else sorted(starts), None if not req else sorted(req), first])
    return cut, plan


def _remembered_required(pattern: str, flags: int) -> frozenset[str] | None:
    def compute():
        req = required(pattern, flags)
        return None if req is None else sorted(req)
    req = remembered("required", pattern, flags, compute)
    return None if req is None else frozenset(req)


class _Units(tuple):
    """A line head's candidate (rule, alternative) units, sorted, with `rules`: the (rule, regex)
    pairs that try them (`LineMatcher._rules_of`), found once per head."""
    rules: tuple = ()


class LineMatcher:
    """Drop-line rules: which rule, if any, matches a trimmed line.

    The answer is that of one regex with every anchored rule as an alternative, tried in catalogue
    order: the first rule that matches (and whose guard allows it). Python's `re` would try every
    alternative of every rule on every line; instead each line is tried only against the rules that
    can match it at all (see `prefilter`): those one of whose possible beginnings (the first three
    characters of a match) the line starts with, or, for a rule whose beginnings are too many to
    list, whose first character it can begin with. A rule that can begin with almost anything is
    tried only on lines holding one of the strings all its matches contain, which one scan of the
    document's lines finds. Leaving out rules that cannot match changes no answer."""

    def __init__(self, rules: Sequence):
        self.rules = list(rules)
        anchored = [r for r in self.rules if r.trusted and r.anchored]
        self._anchored_rules = anchored
        self._anchored_each = [compile_rule(r) for r in anchored]
        self._others = [(r, compile_rule(r)) for r in self.rules if r not in anchored]
        self._unless = _guards(self.rules)
        # A rule can match a line if one of its top-level alternatives can. For each alternative:
        # the beginnings it can have (by_prefix[n]: n characters), else the first characters it can
        # have, and then, if it has them, the strings it needs (a gate). The candidates are
        # (rule, alternative) pairs, alternative -1 for the whole rule: a rule is then tried with
        # only the alternatives that can match the line (`_regex`), as the others cannot match, the
        # first alternative that matches is the same (rules such as AD005 hold a dozen
        # alternatives, some of which scan the whole line at every word).
        self._by_prefix: list[dict[str, set[tuple[int, int]]]] = [{} for _ in range(PREFIX_LENGTH + 1)]
        self._firsts: list[tuple[tuple[int, int], object]] = []  # (unit, first-character regex or None for any)
        self._gated_firsts: list[tuple[object, tuple[int, int], object]] = []  # (gate, unit, first-character regex)
        self._pieces: list[list[str] | None] = []  # each rule's alternatives' source, if it can be cut
        self._regexes: dict[tuple[int, int], object] = {}  # (rule, alternative): compiled when first needed
        gates: dict[object, frozenset[str]] = {}
        for i, rule in enumerate(anchored):
            cut, alternatives = remembered("line", rule.pattern, 0, partial(_line_plan, rule.pattern))
            self._pieces.append(_top_level_alternatives(rule.pattern) if cut else None)
            if alternatives is None:
                self._firsts.append(((i, -1), None))
                continue
            for k, (starts, req, first) in enumerate(alternatives):
                unit = (i, k if cut else -1)
                first = None if first is None else re.compile(first)
                if starts is not None and not req:
                    for s in starts:
                        self._by_prefix[len(s)].setdefault(s, set()).add(unit)
                elif req:
                    gates[(i, k)] = frozenset(req)
                    self._gated_firsts.append(((i, k), unit, first))
                else:
                    self._firsts.append((unit, first))
        # Trusted rules that search anywhere in the line are gated the same way. (User rules run on
        # RE2, whose syntax Python's parser may read differently: they are never skipped.)
        for j, (rule, _) in enumerate(self._others):
            req = _remembered_required(rule.pattern, 0) if rule.trusted else None
            if req:
                gates[("other", j)] = req
        self._gated_others = frozenset(k[1] for k in gates if k[0] == "other")
        self._scanner = LiteralScanner(gates)
        self._by_head: dict[str, tuple[tuple, dict]] = {}
        self._by_first: dict[str, tuple[frozenset, tuple]] = {}
        self._by_units: dict[frozenset, tuple] = {}
        self._recent: dict[str, object] = {}  # match_lines' answers for short lines
        self._old: dict[str, object] = {}

    def _regexes_of(self, i: int, ks: list[int]) -> list:
        """Rule i's alternatives `ks` (-1: the whole rule), as regexes to try in turn: the whole
        rule's, or each alternative's on its own. (Alternation tries its alternatives in turn too,
        so the first match is the same. A regex per set of alternatives would cost a compile per
        set met, 1.5 ms each: hundreds of them over the dev pages.)"""
        pieces = self._pieces[i]
        if -1 in ks or pieces is None or len(ks) == len(pieces):
            return [self._anchored_each[i]]
        out = []
        for k in ks:
            rx = self._regexes.get((i, k))
            if rx is None:
                rx = self._regexes[(i, k)] = _compile_trusted(pieces[k])
            out.append(rx)
        return out

    def _rules_of(self, units) -> tuple:
        """((rule, regex) pairs in catalogue order, a rule once per regex of `_regexes_of`) for a
        set of (rule, alternative) units."""
        units = frozenset(units)
        out = self._by_units.get(units)
        if out is None:
            by_rule: dict[int, list[int]] = {}
            for i, k in sorted(units):
                by_rule.setdefault(i, []).append(k)
            out = tuple((i, rx) for i, ks in sorted(by_rule.items()) for rx in self._regexes_of(i, ks))
            if len(self._by_units) < 65536:
                self._by_units[units] = out
        return out

    def _candidates(self, head: str) -> tuple[tuple, dict]:
        """((rule, alternative) units to try, {gate: unit} to try too if the gate's strings occur)
        for a line starting with `head` (its first PREFIX_LENGTH characters). The units come with
        their (rule, regex) pairs to try, in `.rules`."""
        entry = self._by_head.get(head)
        if entry is None:
            if len(head) > 1 and head not in self._by_prefix[len(head)]:
                # No rule's beginnings name these characters but not the shorter ones: the rules of
                # the shorter head (a page dump brings thousands of new heads, mostly of this kind).
                entry = self._candidates(head[:-1])
            else:
                can = {u for n in range(1, len(head) + 1) for u in self._by_prefix[n].get(head[:n], ())}
                firsts, gated_firsts = self._by_first_character(head[:1])
                can.update(firsts)
                # (a whole rule's units are all (rule, -1): a gated unit not in `can` is a rule not in it)
                units = _Units(sorted(can))
                units.rules = self._rules_of(can)
                entry = (units, {g: u for g, u in gated_firsts if u not in can})
            if len(self._by_head) < 65536:
                self._by_head[head] = entry
        return entry

    def _by_first_character(self, first: str) -> tuple[frozenset, tuple]:
        """(units, (gate, unit) pairs) whose first character can be `first`: what `_candidates` asks
        of every new head, kept by character (a page dump brings thousands of new heads)."""
        entry = self._by_first.get(first)
        if entry is None:
            entry = (frozenset(i for i, char in self._firsts if char is None or char.fullmatch(first)),
                     tuple((g, i) for g, i, char in self._gated_firsts if char is None or char.fullmatch(first)))
            if len(self._by_first) < 65536:
                self._by_first[first] = entry
        return entry

    def match(self, trimmed: str, anywhere_only: bool = False):
        """Return (rule, matched text) for the first rule that matches, or None (`anywhere_only`: the
        first of the rules that are not edge-scoped)."""
        found = self._scanner.scan([trimmed]) if self._scanner else {}
        return self._match(trimmed, found.get(0), self._candidates(trimmed[:PREFIX_LENGTH]), anywhere_only)

    def match_lines(self, trimmed: Sequence[str]) -> list:
        """`match` for each of many trimmed lines. A line's answer depends on its text alone, and a
        page repeats many of its lines (a third of the dev pages' lines): each text is matched once.
        Short lines recur across documents too ("Home", "Privacy Policy", "Share": a quarter of the
        distinct lines of a page were seen on an earlier dev page), so their answers are kept from
        one call to the next, in two bounded generations (a cheap stand-in for an LRU)."""
        answers = dict.fromkeys(trimmed)
        recent, old = self._recent, self._old
        known = list(map(recent.get, answers, repeat(_UNKNOWN)))
        if old and _UNKNOWN in known:
            from_old = {t: old[t] for t, a in zip(answers, known) if a is _UNKNOWN and t in old}
            if from_old:  # still in use: into the recent generation
                recent.update(from_old)
                known = [from_old.get(t, _UNKNOWN) if a is _UNKNOWN else a for t, a in zip(answers, known)]
        new = [t for t, a in zip(answers, known) if a is _UNKNOWN]
        if new:
            found = self._match_each(new)
            short = [(t, a) for t, a in zip(new, found) if len(t) <= _CACHE_CHARS]
            if len(recent) + len(short) > _CACHE_LINES:
                self._old, self._recent = recent, {}
                recent = self._recent
            recent.update(short)
            found = iter(found)
            known = [next(found) if a is _UNKNOWN else a for a in known]
        answers = dict(zip(answers, known))
        return list(map(answers.__getitem__, trimmed))

    def forget_lines(self) -> None:
        """Drop the answers `match_lines` keeps across documents (for benchmarks: a second run over
        the same documents would otherwise find them all answered)."""
        self._recent, self._old = {}, {}

    def _match_each(self, trimmed: Sequence[str]) -> list:
        """`match` for each line."""
        out: list = [None] * len(trimmed)
        # The rules each line can match, by its first characters (a line's answer is looked up once).
        heads = list(map(_HEAD, trimmed))
        entries = list(map(self._by_head.get, heads))
        if None in entries:
            for k in [k for k, e in enumerate(entries) if e is None]:
                entries[k] = self._candidates(heads[k])
        if self._others:
            found = self._scanner.scan(trimmed) if self._scanner else {}
            todo: Iterable[int] = range(len(trimmed))
        else:
            # The gated rules' strings are looked for only on the lines that begin as a gated rule
            # can; most lines can match no rule at all: tell them apart in bulk (in C).
            found = self._scanner.scan(trimmed, compress(range(len(entries)), map(_SECOND, entries)))
            todo = list(compress(range(len(entries)), map(_FIRST, entries)))
            if found:
                todo = sorted({*todo, *found})
        match = self._match
        get = found.get
        for k in todo:
            out[k] = match(trimmed[k], get(k), entries[k])
        return out

    def _match(self, trimmed: str, gates_hit, candidates: tuple[tuple, dict], anywhere_only: bool = False):
        """`match`, given the line's gates found and `_candidates` of its first characters."""
        safe = None
        if self._anchored_rules:
            units, gated = candidates
            rules = units.rules
            if gates_hit and gated:
                extra = {gated[g] for g in gates_hit if g in gated}
                if extra:
                    rules = self._rules_of(extra.union(units))
            for i, regex in rules:
                rule = self._anchored_rules[i]
                if anywhere_only and rule.scope == "edges":
                    continue
                m = regex.match(trimmed)
                if m is None:
                    continue
                guard = self._unless.get(rule.id)
                if guard is not None:
                    if safe is None:
                        safe = _re2_safe(trimmed)
                    if guard.search(safe):
                        continue
                return rule, m.group()
        if self._others:
            if safe is None:
                safe = _re2_safe(trimmed)
            for j, (rule, regex) in enumerate(self._others):
                if j in self._gated_others and not (gates_hit and ("other", j) in gates_hit):
                    continue
                if anywhere_only and rule.scope == "edges":
                    continue
                m = regex.search(safe)
                if m is not None and not (rule.id in self._unless and self._unless[rule.id].search(safe)):
                    return rule, m.group()
        return None


class SpanMatcher:
    """Strip and replace rules: every match in a text, non-overlapping, leftmost first.

    The answer is that of one regex with every rule as an alternative, run over the lines joined by
    "\n". When no rule can match or look at a line break (`prefilter.line_local`), that is the same
    as running it on each line alone, and on a line only the rules whose required strings occur in
    it need to be alternatives: `find_in_lines` does that, and so skips most lines altogether."""

    def __init__(self, rules: Sequence):
        self.rules = list(rules)
        trusted = [r for r in self.rules if r.trusted]
        self._trusted_rules = trusted
        self._trusted = [(r, compile_rule(r)) for r in trusted]
        self._combined = _combined(list(enumerate(trusted)), re.M) if trusted else None
        self._others = [(r, compile_rule(r)) for r in self.rules if not r.trusted]
        self._unless = _guards(self.rules)
        self._by_line = not self._others and all(
            remembered("line_local", r.pattern, re.M, partial(line_local, r.pattern, re.M)) for r in trusted)
        reqs = {i: _remembered_required(r.pattern, re.M) for i, r in enumerate(trusted)} if self._by_line else {}
        self._always = frozenset(i for i, req in reqs.items() if not req)
        self._scanner = LiteralScanner({i: req for i, req in reqs.items() if req})
        self._regexes: dict[tuple[int, ...], object] = {}

    def __bool__(self) -> bool:
        return bool(self.rules)

    def find_in_lines(self, lines: Sequence[str]) -> Iterator[tuple[int, object, int, int, str, str]]:
        """Yield (line index, rule, start, end, replacement, matched text) for the matches of
        `finditer` over the lines joined by "\n", in order, with offsets within the line; a match
        that would reach into the next line is left out."""
        if not self._by_line:
            joined = "\n".join(lines)
            starts = line_starts(lines)
            for rule, start, end, replacement in self.finditer(joined):
                k = bisect_right(starts, start) - 1
                base = starts[k]
                if end <= base + len(lines[k]):
                    yield k, rule, start - base, end - base, replacement, joined[start:end]
            return
        found = self._scanner.scan(lines) if self._scanner else {}
        candidates = range(len(lines)) if self._always else sorted(found)
        for k in candidates:
            indexes = tuple(sorted(self._always.union(found.get(k, ()))))
            if not indexes:
                continue
            rx = self._regexes.get(indexes)
            if rx is None:
                rx = _combined([(i, self._trusted_rules[i]) for i in indexes], re.M)
                if len(self._regexes) < 2048:
                    self._regexes[indexes] = rx
            line = lines[k]
            guards = None  # each guard is searched once in the line, not once per match
            for m in rx.finditer(line):
                start, end = m.span()
                if end <= start:
                    continue
                rule, own = self._trusted[int(m.lastgroup[2:])]
                guard = self._unless.get(rule.id)
                if guard is not None:
                    if guards is None:
                        guards = _LineGuards(_re2_safe(line))
                    if guards.blocks(guard, start):
                        continue
                # Re-match with the rule's own regex so that its group numbers are its own.
                replacement = own.match(line, start).expand(rule.replace) if rule.action == "replace" else ""
                yield k, rule, start, end, replacement, m.group()

    def finditer(self, text: str) -> Iterator[tuple[object, int, int, str]]:
        """Yield (rule, start, end, replacement) in order, without overlaps."""
        found = []
        if self._combined is not None:
            for m in self._combined.finditer(text):
                i = int(m.lastgroup[2:])
                rule, own = self._trusted[i]
                replacement = ""
                if rule.action == "replace":
                    # Re-match with the rule's own regex so that its group numbers are its own.
                    replacement = own.match(text, m.start()).expand(rule.replace)
                if m.end() > m.start():
                    found.append((rule, m.start(), m.end(), replacement))
        safe = _re2_safe(text) if self._others or self._unless else text
        for rule, regex in self._others:
            for m in regex.finditer(safe):
                if m.end() > m.start():
                    if rule.action == "replace" and safe is not text and text[m.start():m.end()] != m.group():
                        continue  # its groups would turn undecodable bytes into U+FFFD: leave them be
                    replacement = m.expand(rule.replace) if rule.action == "replace" else ""
                    found.append((rule, m.start(), m.end(), replacement))
        if self._others:
            found.sort(key=lambda f: (f[1], -f[2]))
        last_end = -1
        guards = _LineGuards(safe)
        for item in found:
            guard = self._unless.get(item[0].id)
            if guard is not None and guards.blocks(guard, item[1]):
                continue
            if item[1] >= last_end:
                yield item
                last_end = item[2]

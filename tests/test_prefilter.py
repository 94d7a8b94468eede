"""The prefilter may only skip a rule where the rule cannot match: checked against the plain regexes."""
import copy
import re

import pytest
from hypothesis import given, settings, strategies as st

from conftest import CLEAN_DOCS, SEEDS, read
from scrubber.catalogue import builtin_catalogue, rule_kind
from scrubber.patterns import LineMatcher, SpanMatcher, _combined, compile_rule
from scrubber.prefilter import LiteralScanner, first_matcher, line_local, prefixes, required

PATTERNS = [
    r"^(?:Share|Sh|Menu)$", r"^a{0,2}b", r"^[-–]*\s*Ad", r"(?i)^men(?:u|us)\b", r"^x?y",
    r"(?<=[^\W\d_])[^\S\n]+(?=,(?:[^\S\n]|$|[^\W\d_]))", r"(?<=[^\W_])([^\S\n]?)&(?:ndash|#8211);([^\S\n]?)(?=\w)",
    r"^.{0,30}?\b(?:Source|Photo)[^\S\n]*:", r"(?:ab|cd)+e", r"[^\S\n]+\.(?=[^\S\n]+[A-Z])", r"^(?:[·•|]\s?)?\d+ min",
    r"(a|b)\1c", r"(?i)straße|STRASSE", r"k+", r"(?=x)", r"\Aab", r"a[\s\S]b",
]
ALPHABET = "abcdexyzAMSu&;,.: \t\u00a0\nhnrstoPm–-·1ßK\u212a"


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(PATTERNS), st.text(ALPHABET, max_size=40))
def test_what_a_match_needs_is_in_the_text(pattern, text):
    regex = re.compile(pattern, re.M)
    req = required(pattern, re.M, max_cost=1.0)
    first = first_matcher(pattern, re.M)
    starts = prefixes(pattern, 3, re.M)
    for m in regex.finditer(text):
        line_begin = text.rfind("\n", 0, m.start()) + 1
        line_end = text.find("\n", m.end())
        line = text[line_begin:] if line_end < 0 else text[line_begin:line_end]
        if req is not None:
            assert any(s in (line if line_local(pattern, re.M) else text) for s in req)
        if first is not None and m.end() > m.start():
            assert first.fullmatch(text[m.start()])
    m = regex.match(text)
    if m is not None and starts is not None:
        assert any(text.startswith(s) for s in starts)


def test_line_local_is_exact_about_line_breaks():
    assert line_local(r"[^\S\n]+,", re.M)
    assert not line_local(r"\s+,", re.M)  # \s matches a newline
    assert not line_local(r"[^x]", re.M)
    assert not line_local(r"\Aab", re.M)
    assert not line_local(r"(?s)a.b", re.M)


def _scanners(scanner):
    """The scanner as built (with RE2's set when RE2 is installed), and the same groups scanned with
    Python's `re`, the way taken without RE2."""
    plain = copy.copy(scanner)
    plain._set_match = None
    plain._compile_scan()
    return [scanner, plain]


def test_literal_scanner_finds_overlapping_strings_on_each_line():
    scanner = LiteralScanner({"a": frozenset({"Share"}), "b": frozenset({"Share your thoughts"}),
                              "c": frozenset({"hare"}), "d": frozenset({"xyz"})})
    lines = ["Share your thoughts", "nothing here", "we hare", "Shar"]
    for way in _scanners(scanner):
        assert way.scan(lines) == {0: {"a", "b", "c"}, 2: {"c"}}


def test_literal_scanner_finds_what_a_search_of_each_line_finds():
    """Strings of one byte, of one character of several bytes, sharing a first byte (UTF-8 lead
    bytes) or their first two, at the very end of the text: found where `in` finds them."""
    import random
    rng = random.Random(8)
    alphabet = ["a", "b", "|", "©", "é", "ü", "€", "😀", " ", "\udc80"]
    groups = {k: frozenset("".join(rng.choices(alphabet, k=rng.randrange(1, 4))) for _ in range(rng.randrange(1, 4)))
              for k in range(12)}
    scanner = LiteralScanner(groups)
    for _ in range(200):
        lines = ["".join(rng.choices(alphabet, k=rng.randrange(0, 12))) for _ in range(rng.randrange(1, 6))]
        expected = {}
        for i, line in enumerate(lines):
            keys = {k for k, strings in groups.items() if any(s in line for s in strings)}
            if keys:
                expected[i] = keys
        for way in _scanners(scanner):
            assert way.scan(lines) == expected
            assert set(way.scan(lines, only=[0])).issuperset(k for k in expected if k == 0)


def _documents():
    docs = [read(p) for p in [*SEEDS, *CLEAN_DOCS]]
    rules = [r for r in builtin_catalogue() if getattr(r, "kind", "") == "pattern"]
    for r in rules:  # every rule's own examples, too
        docs += [*r.examples_drop, *r.examples_keep, *(a for a, _ in r.examples_fix)]
    return docs


def test_line_matcher_answers_like_one_combined_regex():
    rules = [r for r in builtin_catalogue() if rule_kind(r) == "pattern" and r.action == "drop-line"]
    matcher = LineMatcher(rules)
    anchored = [r for r in rules if r.trusted and r.anchored]
    plain = _combined(list(enumerate(anchored)))
    lines = [t for doc in _documents() for line in doc.split("\n") if (t := line.strip())]
    got = matcher.match_lines(lines)
    hits = 0
    for line, answer in zip(lines, got):
        assert matcher.match(line) == answer
        if matcher._unless:  # the guards make the plain comparison indirect: first unguarded match
            expected = next(((r, m.group()) for r in anchored if (m := compile_rule(r).match(line))
                             and not (r.id in matcher._unless and matcher._unless[r.id].search(line))), None)
        else:
            m = plain.match(line)
            expected = (anchored[int(m.lastgroup[2:])], m.group()) if m else None
        if expected is not None:
            assert answer == expected, line
            hits += 1
        elif answer is not None:
            assert answer[0] not in anchored  # only a non-anchored rule may answer then
    assert hits > 50


def test_line_matcher_candidates_of_every_head_are_those_the_prefix_tables_name():
    """A head that takes a shorter head's candidates (no rule's beginnings name it at its length)
    must get what the tables give it: the rules of each of its beginnings and of its first character."""
    rules = [r for r in builtin_catalogue() if rule_kind(r) == "pattern" and r.action == "drop-line"]
    matcher = LineMatcher(rules)
    named = {head for table in matcher._by_prefix for head in table}
    heads = named | {head[:k] + more for head in named for k in (1, 2) for more in ("", "e", " ", "1")}
    heads |= {t[:3] for doc in _documents() for line in doc.split("\n") if (t := line.strip())}
    for head in sorted(heads, key=lambda h: (-len(h), h)):  # longer heads first: none is cached yet
        can = {i for n in range(1, len(head) + 1) for i in matcher._by_prefix[n].get(head[:n], ())}
        firsts, gated_firsts = matcher._by_first_character(head[:1])
        can |= firsts
        assert matcher._candidates(head) == (tuple(sorted(can)), {g: i for g, i in gated_firsts if i not in can}), head
    assert any(len(head) == 3 for head in named)


def test_span_matcher_by_line_equals_the_whole_text_scan():
    rules = [r for r in builtin_catalogue() if rule_kind(r) == "pattern" and r.action != "drop-line"]
    matcher = SpanMatcher(rules)
    assert matcher._by_line  # the built-in span rules are all line-local
    total = 0
    for doc in _documents():
        lines = doc.split("\n")
        fast = list(matcher.find_in_lines(lines))
        matcher._by_line = False
        try:
            slow = list(matcher.find_in_lines(lines))
        finally:
            matcher._by_line = True
        assert [(k, r.id, s, e, rep, t) for k, r, s, e, rep, t in fast] == \
            [(k, r.id, s, e, rep, t) for k, r, s, e, rep, t in slow]
        total += len(fast)
    assert total > 10


@pytest.mark.parametrize("text", ["", "x", "\n", "a\r\nb\r\n", "a\nb", "\ufeffa\r\n\r\nb\r", "\r\n\n"])
def test_document_parse_keeps_every_offset(text):
    from scrubber.document import Document

    doc = Document.parse(text)
    body = text[len(doc.bom):]
    assert "".join(c + e for c, e in zip(doc.contents, doc.endings)) == body
    for start, c, e in zip(doc.starts, doc.contents, doc.endings):
        assert body[start:start + len(c) + len(e)] == c + e


@settings(max_examples=200, deadline=None)
@given(st.text("abcx\n©é", max_size=30), st.integers(0, 35))
def test_span_searcher_answers_like_the_re2_search(text, pos):
    re2 = pytest.importorskip("re2")
    from scrubber.prefilter import span_searcher

    regex = re2.compile("ab|b|©é|xx\n".encode("utf-8"))
    data = text.encode("utf-8")
    m = regex.search(data, pos)
    assert span_searcher(regex)(data, pos) == (None if m is None else m.span())


def test_rare_line_beginnings_are_not_gated_by_common_strings():
    """A gallery counter ("3 of 14") begins only lines that begin with a digit: trying it there costs
    less than finding "of" and "de" wherever they stand. The same strings gate an alternative that
    can begin any line."""
    from scrubber.patterns import _line_plan
    from scrubber.prefilter import first_share
    assert first_share(None) == 1.0
    assert first_share(r"[\d]") < 0.1 < first_share(r"[A-Z]") < 1.0
    words = "(?:of|OF|de|DE|von|VON|sur|SUR|di|DI|/)"
    _, [(_, counter_gate, _)] = _line_plan(rf"^\d{{1,3}}[^\S\n]+{words}[^\S\n]+\d{{1,3}}$")
    _, [(_, anywhere_gate, _)] = _line_plan(rf"^[^\n]{{0,40}}[^\S\n]{words}[^\S\n]+\d{{1,3}}$")
    assert counter_gate is None
    assert anywhere_gate is not None and {"of", "de", "/"} <= set(anywhere_gate)

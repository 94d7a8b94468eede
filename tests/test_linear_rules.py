"""No rule's cost grows faster than the line it reads (issue #6, "no quadratic step").

Lines up to `max_line_chars` (20,000 code points) are cleaned, so a pattern that backtracks over the
rest of the line at each position, or a guard searched once per match, costs the square of the line's
length on a pathological line (and an ambiguous repeat, more: HTML001 took over a minute on a
100-character line of "< div >"). Timing in seconds is not robust on a shared machine; the growth is:
each case is timed at n and 8n characters, and the ratio must stay below 24 (a linear cost gives 8,
up to about 12 on a loaded machine, as the larger line falls out of the CPU caches; a quadratic one
gives 64: the wide gap is what keeps the test from flaking). A hard time limit per run stops a
runaway pattern instead of hanging the suite.
"""
import gc
import re
import signal
import time

import pytest

from scrubber.catalogue import builtin_catalogue
from scrubber.patterns import LineMatcher, SpanMatcher

CATALOGUE = builtin_catalogue()

# (rule, text before, repeated unit, text after): the worst inputs found for each rule that was not
# linear (a script built lines from each rule's examples and timed them at 5k and 20k characters).
CASES = [
    ("HTML001", "", "< div >", "x"),  # ambiguous spaces around an optional "/", repeated: exponential
    ("HTML004", "Some text", " li >", " x li >"),  # a lazy prefix retried before each remnant of a run
    ("HTML005", "Some text ", "&lt;b ", " &gt;"),  # a lookahead to the end of the line at every position
    ("SPACE001", "Some text ", "a ,", " b"),  # ... and after every match
    ("SPACE002", "Some text ", "ab . Ab ", ""),
    ("HTML006", "Some text ", "a&nbsp;b ", ""),  # the `unless` guard was searched again for each match
]
N = 2000
GROWTH = 8  # the large line is GROWTH times the small one


class _TooSlow(Exception):
    pass


def _alarm(signum, frame):
    raise _TooSlow


def _runner(rule):
    """A function that runs the rule on one line and returns whether it matched."""
    if rule.action == "drop-line":
        matcher = LineMatcher([rule])
        return lambda line: matcher.match_lines([line.strip()])[0] is not None
    matcher = SpanMatcher([rule])
    return lambda line: bool(list(matcher.find_in_lines([line])))


def _line(head: str, unit: str, tail: str, n: int) -> str:
    return head + unit * ((n - len(head) - len(tail)) // len(unit)) + tail


def _best_time(run, line: str, repeats: int = 5, limit: float = 2.0) -> float:
    best = float("inf")
    old = signal.signal(signal.SIGALRM, _alarm)
    gc.collect()
    gc.disable()  # a collection inside one run and not the other would skew the ratio
    try:
        for _ in range(repeats):
            signal.setitimer(signal.ITIMER_REAL, limit)
            try:
                start = time.perf_counter()
                run(line)
                best = min(best, time.perf_counter() - start)
            except _TooSlow:
                pytest.fail(f"one run on a line of {len(line)} characters took more than {limit} s")
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
    finally:
        gc.enable()
        signal.signal(signal.SIGALRM, old)
    return best


@pytest.mark.parametrize("rule_id, head, unit, tail", CASES, ids=[c[0] for c in CASES])
def test_cost_grows_linearly_with_the_line(rule_id, head, unit, tail):
    rule = CATALOGUE.get(rule_id)
    run = _runner(rule)
    small, large = _line(head, unit, tail, N), _line(head, unit, tail, GROWTH * N)
    assert len(large) <= 20_000  # lines this long are cleaned (max_line_chars)
    # The case is one the rule is about: a few units with a clean ending match (drop-line rules
    # need the whole line to match, so it is checked without the spoiling tail there).
    assert run(head + unit * 3 + ("" if rule.action == "drop-line" else tail))
    # Interleave the two sizes so that a burst of load on the machine hits both alike.
    t_small = t_large = float("inf")
    for _ in range(3):
        t_small = min(t_small, _best_time(run, small, 3))
        t_large = min(t_large, _best_time(run, large, 3))
    ratio = t_large / max(t_small, 1e-6)
    assert ratio < 3 * GROWTH, (f"{rule_id}: {t_small * 1e3:.2f} ms at {len(small)} chars, "
                                f"{t_large * 1e3:.2f} ms at {len(large)} (x{ratio:.1f})")


# A lookaround that scans to the end of the line costs the rest of the line wherever it is tried;
# in a pattern that can match anywhere that is every position or every match: quadratic. (In an
# anchored pattern it runs once per line.) Such a condition belongs in `unless`, searched once a line.
TO_LINE_END = re.compile(r"\(\?<?[=!](?:\[\^\\n\]|\.)[*+]")


@pytest.mark.parametrize("rule", [r for r in CATALOGUE if getattr(r, "kind", "") == "pattern"], ids=lambda r: r.id)
def test_no_unanchored_pattern_looks_to_the_line_end(rule):
    if rule.anchored or rule.action == "drop-line":  # drop-line rules are tried once per line
        return
    assert not TO_LINE_END.search(rule.pattern), f"{rule.id}: move the line-wide condition to `unless`"

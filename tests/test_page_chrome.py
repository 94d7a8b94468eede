"""PAGE001: the fast scorer gives exactly the findings of the reference (readable) computation, and
the engine runs it on the first pass only."""
from __future__ import annotations

import random

import pytest

from conftest import CLEAN_DOCS, SEEDS
from scrubber.detectors.base import Detector, Finding, split_example
from scrubber.detectors.page_chrome import PageChromeLine, chrome_lines
from scrubber.engine import Cleaner


@pytest.fixture(scope="module")
def det():
    return PageChromeLine()


def _prose_lines():
    out = []
    for path in CLEAN_DOCS:
        out += [x for x in path.read_text(encoding="utf-8").split("\n") if len(x.split()) >= 8]
    return out


CHROME = sorted(chrome_lines())
EXTRA = ["Share", "FACEBOOK", "Twitter", "Read more »", "© 2024 Example Media. All rights reserved.",
         "We use cookies to improve your experience.", "Posted by admin | 12 comments", "Add to cart $19.99",
         "consentwitter", "Sign in | Register", "—", "|", "* * *", "1", "March 3, 2024", "Newsletter:",
         ", and then", "Next »", "Share \udc80 this", "privacy policy", "Privacy Policy", "PRIVACY POLICY", "  Home  ", "\t", ""]


def _page(rng: random.Random, prose: list[str]) -> list[str]:
    """A page dump: chrome at the top, a title and its heading, prose with a little chrome inside,
    chrome at the bottom (sizes vary, down to a handful of lines)."""
    title = rng.choice(prose)[:60]
    lines = [title]
    for _ in range(rng.randrange(0, 40)):
        lines.append(rng.choice(CHROME + EXTRA))
    if rng.random() < 0.7:
        lines.append(title.upper() if rng.random() < 0.2 else title)
    for _ in range(rng.randrange(0, 30)):
        lines.append(rng.choice(prose) if rng.random() < 0.8 else rng.choice(CHROME + EXTRA))
    for _ in range(rng.randrange(0, 40)):
        lines.append(rng.choice(CHROME + EXTRA))
    return lines


def _same(det, lines, removed=frozenset()):
    fast = det.find(lines, removed)
    ref = det.reference_find(lines, removed)
    assert [(f.index, f.evidence) for f in fast] == [(f.index, f.evidence) for f in ref]
    return fast


def test_fast_scorer_matches_reference_on_generated_pages(det):
    rng = random.Random(1234)
    prose = _prose_lines()
    acted = 0
    for _ in range(150):
        lines = _page(rng, prose)
        acted += bool(_same(det, lines))
    assert acted >= 30  # the pages are page dumps: the detector acts on many of them


def test_fast_scorer_matches_reference_with_removed_lines(det):
    rng = random.Random(99)
    prose = _prose_lines()
    for _ in range(30):
        lines = _page(rng, prose)
        removed = frozenset(i for i in range(len(lines)) if rng.random() < 0.2)
        found = _same(det, lines, removed)
        assert not {f.index for f in found} & removed


@pytest.mark.parametrize("path", SEEDS + CLEAN_DOCS[:20], ids=lambda p: p.name)
def test_fast_scorer_matches_reference_on_fixtures(det, path):
    _same(det, path.read_text(encoding="utf-8").split("\n"))


def test_fast_scorer_matches_reference_on_own_examples(det):
    for example in det.examples_drop + det.examples_keep:
        lines, _ = split_example(example)
        _same(det, lines)
    lines, marked = split_example(det.examples_drop[0])
    assert {f.index for f in det.find(lines)} == marked


class _Counting(Detector):
    id = "TST901"
    name = "counting"
    category = "boilerplate"
    doc = "drops the line 'x' and counts its calls"
    once = True

    def __init__(self):
        self.calls = 0

    def find(self, lines, removed=frozenset()):
        self.calls += 1
        return [Finding(i) for i, line in enumerate(lines) if line == "x"]


def test_engine_runs_a_once_detector_on_the_first_pass_only():
    cleaner = Cleaner()
    counting = _Counting()
    cleaner.detectors = [counting] + [d for d in cleaner.detectors if d.id != "PAGE001"]
    text = "Some text that stays here.\nx\nMore text that stays here as well.\n"
    result = cleaner.clean(text)
    assert counting.calls == 1
    assert "x\n" not in result.text
    counting.calls = 0
    counting.once = False
    cleaner.clean(text)
    assert counting.calls >= 2  # without `once`, it looks again after its own drop

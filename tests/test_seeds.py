"""The four documents scrubber was specified from come out as their curators kept them, and so do
the documents written for the tests that mix the mission's kinds of junk (fixtures/mixed)."""
import pytest

import scrubber
from conftest import MIXED, SEEDS, normalized_lines, read


def test_there_are_seeds_and_mixed_documents():
    assert len(SEEDS) == 4 and len(MIXED) >= 2


@pytest.mark.parametrize("path", SEEDS + MIXED, ids=lambda p: p.stem)
def test_seed_matches_curator(path):
    expected = read(path.with_name(path.stem + ".clean.txt"))
    result = scrubber.clean(read(path))
    assert not result.refused
    assert normalized_lines(result.text) == normalized_lines(expected)


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem)
def test_seed_changes_carry_the_labelled_categories(path):
    """Every line the curator dropped is dropped by a rule of the category the label gives."""
    import json

    labels = [json.loads(line) for line in read(path.with_name(path.stem + ".labels.jsonl")).splitlines()]
    result = scrubber.clean(read(path))
    dropped = {c.line: c for c in result.changes if c.action == "drop"}
    for label in labels:
        if label["label"] == "drop":
            assert label["line"] in dropped, label["text"]
            assert dropped[label["line"]].category == label["category"], label["text"]
        else:
            assert label["line"] not in dropped, label["text"]


@pytest.mark.parametrize("path", SEEDS + MIXED, ids=lambda p: p.stem)
def test_seed_log_replays_and_restores(path):
    original = read(path)
    result = scrubber.clean(original)
    assert scrubber.replay(original, result.changes) == result.text
    assert scrubber.restore(result.text, result.changes) == original

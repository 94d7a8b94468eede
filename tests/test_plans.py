"""The prefilter's stored readings of the built-in patterns (scrubber/plans.py)."""
import json
from pathlib import Path

from scrubber import plans
from scrubber.catalogue import Catalogue, builtin_catalogue
from scrubber.engine import Cleaner


def test_the_stored_readings_are_those_of_the_rules_as_they_are():
    """Every reading the built-in matchers make, computed afresh, is the one stored, and the file
    holds no other: after a rule changes, `python benchmarks/write_prefilter_plans.py`."""
    stored = json.loads(plans.PLANS_PATH.read_text(encoding="utf-8"))
    fresh = plans.builtin_readings()
    stale = sorted(k for k in fresh if stored.get(k, "missing") != fresh[k])
    extra = sorted(set(stored) - set(fresh))
    assert len(fresh) > 100
    assert not stale and not extra, (f"{len(stale)} readings missing or stale and {len(extra)} left over: "
                                     "run python benchmarks/write_prefilter_plans.py")


def test_without_the_stored_readings_cleaning_is_the_same(monkeypatch):
    text = (Path(__file__).resolve().parent.parent / "fixtures" / "probes" / "ac11_en_live_blog.txt").read_text(
        encoding="utf-8")
    with_file = Cleaner(Catalogue(list(builtin_catalogue().rules))).clean(text)
    monkeypatch.setattr(plans, "_stored", {})
    without = Cleaner(Catalogue(list(builtin_catalogue().rules))).clean(text)
    assert with_file.changes and without.text == with_file.text and without.changes == with_file.changes

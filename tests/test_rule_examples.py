"""Every rule's examples are its tests: positives are removed or repaired, negatives kept."""
import pytest

from scrubber import builtin_catalogue
from scrubber.examples import check_rule

RULES = list(builtin_catalogue())


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rule_examples(rule):
    assert check_rule(rule) == []


def test_every_rule_is_documented():
    for rule in RULES:
        assert rule.doc.strip(), rule.id
        assert rule.name and rule.category, rule.id


def test_catalogue_covers_the_required_categories():
    categories = {r.category for r in RULES}
    required = {"menu", "ad", "html_fragment", "spacing", "promo", "related", "share", "newsletter",
                "cookie", "credit", "metadata", "footer", "encoding"}
    assert required <= categories, required - categories

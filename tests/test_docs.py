"""The rule reference is generated from the catalogue and must not drift from it."""
from pathlib import Path

from scrubber import builtin_catalogue
from scrubber.ruledoc import render, render_catalogue_markdown

DOCS = Path(__file__).resolve().parent.parent / "docs" / "rules.md"


def test_rules_reference_is_up_to_date():
    expected = render_catalogue_markdown(builtin_catalogue())
    assert DOCS.read_text(encoding="utf-8") == expected, "run: scrubber rules --markdown > docs/rules.md"


def test_each_rule_doc_shows_its_examples():
    for rule in builtin_catalogue():
        text = render(rule)
        assert text.startswith(f"{rule.id} {rule.name}")
        assert rule.doc.strip() in text
        assert "Kept as it is:" in text, rule.id


def test_package_docstring_example_runs():
    import doctest

    import scrubber

    failures, tried = doctest.testmod(scrubber)
    assert tried >= 4 and failures == 0

"""Running a rule's own examples: the tests of every rule, for the test suite and `scrubber rules --check`."""
from __future__ import annotations

from .catalogue import Catalogue, rule_kind
from .detectors.base import split_example
from .engine import Cleaner, Options

# A one-line example that is dropped empties its document; the guard must not stop that here.
_EXAMPLE_OPTIONS = Options(allow_gutting=True)


def _non_blank(text: str) -> list[str]:
    return [line for line in text.split("\n") if line.strip()]


# An edge-scoped rule only acts outside an article body, so its one-line examples are shown above one.
BODY = "The council approved the new budget on Tuesday after a long debate about schools and roads.\n"


def cases(rule) -> list[tuple[str, str, str]]:
    """(kind, input, expected output) for each example of the rule."""
    out = []
    at_edge = getattr(rule, "scope", "anywhere") == "edges"
    for line in getattr(rule, "examples_drop", ()):
        if rule_kind(rule) == "detector":
            lines, marked = split_example(line)
            expected = "\n".join(doc_line for i, doc_line in enumerate(lines) if i not in marked)
            out.append(("drop", "\n".join(lines), expected))
        elif at_edge:
            out.append(("drop", f"{line}\n{BODY}", BODY))
        else:
            out.append(("drop", line, ""))
    for before, after in getattr(rule, "examples_fix", ()):
        out.append(("fix", before, after))
    for line in getattr(rule, "examples_keep", ()):
        out.append(("keep", f"{line}\n{BODY}", f"{line}\n{BODY}") if at_edge else ("keep", line, line))
    return out


def check_rule(rule) -> list[str]:
    """Run the rule alone on each of its examples; return one message per failure."""
    if hasattr(rule, "for_examples"):  # a rule that needs context (LEARN001: corpus counts) supplies it
        rule = rule.for_examples()
    cleaner = Cleaner(Catalogue([rule]), _EXAMPLE_OPTIONS)
    failures = []
    examples = cases(rule)
    if not any(kind != "keep" for kind, _, _ in examples):
        failures.append(f"{rule.id}: no positive example (examples.drop or examples.fix)")
    if not any(kind == "keep" for kind, _, _ in examples):
        failures.append(f"{rule.id}: no negative example (examples.keep)")
    for kind, text, expected in examples:
        got = cleaner.clean(text).text
        ok = (got == expected if kind != "drop" or rule_kind(rule) != "detector"
              else _non_blank(got) == _non_blank(expected))
        if not ok:
            failures.append(f"{rule.id}: {kind} example {text!r}: expected {expected!r}, got {got!r}")
    return failures

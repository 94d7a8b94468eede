"""Protected lines are content: no detector drops one, and none takes one as evidence for dropping
the lines around it (issue #5, "never lose data")."""
import pytest

from scrubber.catalogue import rule_kind
from scrubber.detectors.base import split_example
from scrubber.detectors.learned import LearnedBoilerplate, count_documents
from scrubber.engine import Cleaner, Options
from scrubber.formats import format_for
from scrubber.io import split_lines

CLEANER = Cleaner()
PROSE = [
    "The harbour board voted on Monday to extend the night ferry service until the end of October.",
    "Ferry crews said the extra crossings would need two more boats, which the board agreed to rent.",
    "The first night ferry leaves the old pier at eleven and reaches the island just after midnight.",
    "Tickets cost the same as in the day, and bicycles travel free on every crossing after nine.",
    "The board will count the passengers in the autumn and decide then whether to keep the service.",
    "Residents of the island had asked for the service for years, the board's chair said on Monday.",
    "Most of them work in the town and could not get home after an evening shift before the change.",
    "The council has promised to light the path from the pier to the village before the winter comes.",
    "Shops near the pier plan to stay open later on Fridays, when the crossings are expected to be busy.",
    "The last ferry of the night returns from the island at one, in time for the early shift in town.",
    "A second pier for the night boats will be built next year if the numbers justify it, the chair said.",
]


def clean_markdown(text: str) -> str:
    form = format_for("doc.md")
    units = list(form.split(split_lines(text), "doc.md"))
    return "".join(CLEANER.clean(u.text, u.protected).text for u in units)


def kept(text: str, protected, rule: str) -> str:
    """The text cleaned by one detector alone (other rules would remove some of the lines too)."""
    return Cleaner(options=Options(select=(rule,))).clean(text, protected=frozenset(protected)).text


# -- through the Markdown format -------------------------------------------------------------------

USAGE_MD = """# Pager

The pager sends a message to every phone that has joined a topic, and it keeps a log of each message.

## Usage

    subscribe: alerts
    publish: alerts "Server down"

The first command joins the topic, the second sends a message to everyone who joined it before.
"""


def test_markdown_prompt_in_code_does_not_take_the_heading_above():
    # NEWS101 took the code line "subscribe: alerts" for a newsletter prompt and "## Usage" for the
    # title of its box. As plain text (nothing protected) it still does.
    assert clean_markdown(USAGE_MD) == USAGE_MD
    assert "## Usage" not in CLEANER.clean(USAGE_MD).text


FENCED_MD = "\n".join(PROSE) + """

Put these lines in the server's settings file:

```ini
[comments]
Comments
```

Restart the server and the settings take effect.
"""


def test_markdown_section_heading_in_code_does_not_cut_the_end():
    # RESIDUE001 took "Comments" inside the code block for the heading of a trailing section and
    # dropped the sentence after the block.
    assert clean_markdown(FENCED_MD) == FENCED_MD
    assert "Restart the server" not in CLEANER.clean(FENCED_MD).text


# -- through the library's `protected=` ------------------------------------------------------------

def test_news101_prompt_line_protected():
    text = (PROSE[0] + "\n\nWelcome to The Daily Ledger\n\nSign up for daily updates for the most important\n"
            "stories unfolding in the global economy.\n")
    assert "Welcome to" not in kept(text, (), "NEWS101")
    assert kept(text, {4}, "NEWS101") == text  # the prompt is protected: its title and wrapped line are content


def test_news101_box_ends_at_a_protected_line():
    text = (PROSE[0] + "\nSubscribe to our newsletter\nget the best stories in your inbox\nfor free every morning\n"
            + PROSE[1] + "\n")
    assert "for free" not in kept(text, (), "NEWS101")
    out = kept(text, {2}, "NEWS101")
    assert "get the best" in out and "for free every morning" in out and "Subscribe" not in out


def test_related101_protected_line_is_not_the_article_headline():
    text = ("Mexico’s president says she rejected the plan to send troops – NPR\n\n"
            "Mexico’s President Rejects Military Deployment Proposal\n\n"
            "In a notable diplomatic development, the president has dismissed the suggestion to station troops.\n")
    assert "– NPR" not in kept(text, (), "RELATED101")
    assert kept(text, {2}, "RELATED101") == text


TEASER = "Celebrity Chef Opens Floating Restaurant on Venice Lagoon"


def test_related102_heading_before_a_protected_line_introduces_it():
    text = "Ferry Service Extended\n\n" + "\n\n".join(PROSE[:4]) + f"\n\n{TEASER}\n\n" + "\n\n".join(PROSE[4:8]) + "\n"
    assert TEASER not in kept(text, (), "RELATED102")
    after = text.split("\n").index(TEASER) + 2
    assert kept(text, {after}, "RELATED102") == text


def test_related102_protected_words_are_vocabulary():
    text = "Ferry Service Extended\n\n" + "\n\n".join(PROSE[:4]) + f"\n\n{TEASER}\n\n" + "\n\n".join(PROSE[4:8])
    text += "\n\nvenice lagoon restaurant celebrity chef floating\n"
    last = text.count("\n") - 1
    assert TEASER not in kept(text, (), "RELATED102")
    assert TEASER in kept(text, {last}, "RELATED102")


def test_residue001_stops_at_protected_content():
    text = "\n".join(PROSE) + "\nRelated Posts\n| Orchards | Switch to Drip Irrigation |\n"
    assert "Related Posts" not in kept(text, (), "RESIDUE001")
    assert kept(text, {len(PROSE) + 1}, "RESIDUE001") == text


def test_residue002_protected_item_ends_the_run():
    items = ["- A Mindful Approach to New Year's Resolutions - January 13, 2020",
             "- Just This Next Step - December 16, 2019", "- Breathing at Your Desk - November 2, 2019"]
    text = PROSE[0] + "\n" + "\n".join(items) + "\n"
    assert "Just This" not in kept(text, (), "RESIDUE002")
    assert kept(text, {3}, "RESIDUE002") == text


def test_learn001_peeling_stops_at_a_protected_line():
    det = LearnedBoilerplate()
    det = LearnedBoilerplate(count_documents(det.examples_corpus), det.settings)
    cleaner = Cleaner(options=CLEANER.options)
    cleaner.detectors = [det]
    text = "Independent journalism since 1921\nIndependent journalism since 1921\n" + PROSE[0] + "\n"
    assert cleaner.clean(text).text == PROSE[0] + "\n"
    # The first line is protected: content, so the repeated line below it is between content.
    assert cleaner.clean(text, protected=frozenset({0})).text == text


# -- the general promise ---------------------------------------------------------------------------

DETECTORS = [r for r in CLEANER.catalogue if rule_kind(r) == "detector" and getattr(r, "sees_protected", False)]


def test_builtin_detectors_see_protected_lines():
    ids = {d.id for d in DETECTORS}
    assert {"NEWS101", "RELATED101", "RELATED102", "RESIDUE001", "RESIDUE002", "LEARN001"} <= ids


@pytest.mark.parametrize("det", DETECTORS, ids=lambda d: d.id)
def test_protecting_a_line_only_ever_removes_findings(det):
    # With no protected line a detector finds what it always found; protecting any one line of its
    # examples never makes it find a line it did not find before, nor the protected one.
    det = det.for_examples() if hasattr(det, "for_examples") else det
    examples = [split_example(e)[0] for e in (*det.examples_drop, *det.examples_keep)]
    checked = 0
    for lines in examples:
        args = (lines, frozenset()) if det.sees_removed else (lines,)
        base = {f.index for f in det.find(*args)}
        assert base == {f.index for f in det.find(*args, protected=frozenset())}
        for p in range(len(lines)):
            found = {f.index for f in det.find(*args, protected=frozenset({p}))}
            assert found <= base - {p}, (det.id, p, lines[p])
            checked += 1
    assert checked

"""Generated documents and the round-trip checks that every cleaning must pass.

Shared by the property tests (`test_properties.py`), the bounded fuzz run (`test_fuzz.py`) and the
coverage-guided harness (`fuzz/fuzz_entrypoints.py`). Documents mix prose, lists, headings, junk lines
(the built-in rules' own examples, so the rules really fire, plus junk the rules may not know), blank
lines and raw text, with LF, CRLF or mixed line endings, a BOM or not, a final newline or not, and
sprinkled NUL bytes, lone CRs, odd white space and undecodable bytes (as `surrogateescape` carries them).
"""
from __future__ import annotations

import json
from functools import lru_cache

from hypothesis import strategies as st

from scrubber.catalogue import builtin_catalogue
from scrubber.changes import LogMismatch, change_records, document_record, read_log, replay, restore, text_hash
from scrubber.document import Document
from scrubber.engine import Cleaner, Options
from scrubber.detectors.base import split_example

WORDS = (
    "the council approved budget on Tuesday after long debate about roads schools water river city "
    "farmers valley summer reservoir board irrigation autumn rain harvest equipment government review "
    "limits September measured again kettle boil lid handle recipe lentil soup onion garlic pepper "
    "library members borrow books letter minutes meeting agenda vote motion carried residents bridge "
    "repairs ferry night train market hall school garden old mill bus depot timetable menu search "
    "share subscribe cookie advertisement home contact privacy newsletter related stories read more"
).split()

# Words the prose never uses: headlines made of them look like teasers for other stories.
OTHER_WORDS = (
    "celebrity chef opens floating restaurant venice lagoon tonight fantasy attacks again realistic "
    "estimate gives update progress battlefield doctors want know weight loss safe marketing strategy "
    "winning tips brands agencies wrestling champion retires stadium crowd billionaire rocket launch"
).split()

# Junk the issue names, and junk in the shapes scraped pages carry, whether or not a rule knows it.
EXTRA_JUNK = (
    "Menu", "- Advertisement -", "li >", "Advertisement", "Share on Facebook", "Share on Twitter",
    "Subscribe to our newsletter", "Skip to content", "Search", "Search for:", "Read more", "Read More »",
    "< br >", "p >", "</div>", "&nbsp;", "&lt;br&gt;", "Cookie settings", "Accept all cookies",
    "Home | About | Contact", "Related Posts", "Tags: news, politics", "© 2024 Example Media. All rights reserved.",
    "Exit mobile version", "Toggle navigation", "Print", "Email", "Facebook", "Twitter", "WhatsApp",
    "Posted in Uncategorized", "Leave a comment", "Click here to subscribe!", "Sign up for our newsletter",
)


@lru_cache(maxsize=1)
def rule_junk() -> tuple[tuple[str, ...], tuple[str, ...], tuple[tuple[str, ...], ...]]:
    """(lines rules drop, lines rules fix, whole detector examples as lists of lines) from the
    built-in catalogue as it is now, so the generated junk follows the rule packs."""
    drops, fixes, blocks = [], [], []
    for rule in builtin_catalogue():
        if getattr(rule, "kind", "") == "pattern":
            drops.extend(rule.examples_drop)
            fixes.extend(before for before, _ in rule.examples_fix)
        else:
            for example in getattr(rule, "examples_drop", ()):
                lines, _ = split_example(example)
                blocks.append(tuple(lines))
    return tuple(drops) or ("Menu",), tuple(fixes) or ("li >",), tuple(blocks)


# A rule pack of the tests' own (family TST), for tests whose exact output must not move when the
# built-in packs do: `--isolated --select TST --rules PACK`.
TEST_PACK = """[[rule]]
id = "TST001"
category = "menu"
action = "drop-line"
pattern = '^(?:Menu|Search|Share on Facebook|Advertisement|li >)$'
doc = "test: junk lines"

[[rule]]
id = "TST002"
category = "learned"
action = "drop-line"
pattern = 'junk'
doc = "test: any line holding the word junk"

[[rule]]
id = "TST003"
category = "html_fragment"
action = "strip"
pattern = ' ?< br >'
doc = "test: a broken tag"
"""


# -- line and document strategies ------------------------------------------------------------------

words = st.sampled_from(WORDS)


@st.composite
def prose_line(draw) -> str:
    n = draw(st.integers(12, 40))
    ws = draw(st.lists(words, min_size=n, max_size=n))
    return (" ".join(ws)).capitalize() + draw(st.sampled_from([".", ".", "!", "?", ":", ""]))


@st.composite
def list_item(draw) -> str:
    ws = draw(st.lists(words, min_size=1, max_size=8))
    return draw(st.sampled_from(["- ", "* ", "• ", "1. ", "  - ", "+ "])) + " ".join(ws)


@st.composite
def heading(draw) -> str:
    ws = draw(st.lists(words, min_size=2, max_size=10))
    return draw(st.sampled_from(["", "# ", "## "])) + " ".join(w.capitalize() for w in ws)


@st.composite
def teaser_headline(draw) -> str:
    """A Title-Case headline of another story: vocabulary the document's prose does not share."""
    ws = draw(st.lists(st.sampled_from(OTHER_WORDS), min_size=5, max_size=12))
    return " ".join(w.capitalize() for w in ws) + draw(st.sampled_from(["", "", "?", " - Example News"]))


def junk_line():
    drops, fixes, _ = rule_junk()
    return st.one_of(st.sampled_from(EXTRA_JUNK), st.sampled_from(drops), st.sampled_from(fixes))


@st.composite
def junk_inside_prose(draw) -> str:
    """A real sentence with an artifact in it or at its end (broken tags, spacing, entities)."""
    _, fixes, _ = rule_junk()
    line = draw(prose_line())
    junk = draw(st.sampled_from(fixes + ("< br >", " li >", "&nbsp;", " ,", "&lt;b&gt;")))
    at = draw(st.integers(0, len(line)))
    return line[:at] + junk + line[at:]


raw_text = st.text(st.characters(blacklist_characters="\n", blacklist_categories=("Cs",)), max_size=80)
undecodable = st.builds(lambda s, b: s + chr(0xDC00 + b), raw_text, st.integers(0x80, 0xFF))
blank = st.sampled_from(["", "", " ", "\t", "   ", "\u00a0"])


@st.composite
def noisy(draw, line: str) -> str:
    """Sometimes put a NUL, a lone CR, odd white space or an undecodable byte somewhere in a line."""
    kind = draw(st.integers(0, 9))
    if kind > 4 or not line:
        return line
    at = draw(st.integers(0, len(line)))
    piece = ["\x00", "\r", "\u00a0", "\t", chr(0xDC80 + draw(st.integers(0, 127)))][kind]
    return line[:at] + piece + line[at:]


def block():
    _, _, blocks = rule_junk()
    single = st.one_of(
        prose_line(), prose_line(), prose_line(), list_item(), heading(), teaser_headline(), junk_line(), junk_line(),
        junk_inside_prose(), blank, blank, raw_text, undecodable,
    ).map(lambda line: [line])
    options = [single, st.lists(list_item(), min_size=2, max_size=6), st.lists(junk_line(), min_size=2, max_size=8),
               st.tuples(st.lists(prose_line(), min_size=1, max_size=3),
                         st.lists(teaser_headline(), min_size=1, max_size=4),
                         st.lists(prose_line(), min_size=1, max_size=3)).map(lambda t: [*t[0], *t[1], *t[2]])]
    if blocks:
        options.append(st.sampled_from(blocks).map(list))
    return st.one_of(*options)


@st.composite
def documents(draw, max_blocks: int = 30) -> str:
    blocks = draw(st.lists(block(), max_size=max_blocks))
    lines = [line for b in blocks for line in b]
    if draw(st.booleans()):
        lines = [draw(noisy(line)) for line in lines]
    style = draw(st.sampled_from(["\n", "\n", "\r\n", "mixed"]))
    out = []
    for line in lines:
        out.append(line)
        out.append(draw(st.sampled_from(["\n", "\r\n"])) if style == "mixed" else style)
    if out and draw(st.booleans()):
        out.pop()  # no final newline
    bom = "\ufeff" if draw(st.integers(0, 5)) == 0 else ""
    return bom + "".join(out)


# -- the checks ------------------------------------------------------------------------------------

@lru_cache(maxsize=4)
def cleaner(allow_gutting: bool = False) -> Cleaner:
    return Cleaner(options=Options(allow_gutting=allow_gutting))


def check_records(text: str, result) -> None:
    """Records are sorted, do not overlap, sit on their line, and name the original text exactly."""
    doc = Document.parse(text)
    body = text[len(doc.bom):]
    prev = 0
    for c in result.changes:
        assert prev <= c.start <= c.end <= len(body), f"record out of order or past the end: {c}"
        assert body[c.start:c.end] == c.before, f"record does not name the original text: {c}"
        assert c.before != c.after, f"empty record: {c}"
        line = c.line - 1
        assert 0 <= line < len(doc), f"record on a line the document does not have: {c}"
        unit_end = doc.starts[line] + len(doc.contents[line]) + len(doc.endings[line])
        assert doc.starts[line] <= c.start and c.end <= unit_end, f"record reaches beyond its line: {c}"
        if c.action == "drop":
            assert (c.start, c.end) == (doc.starts[line], unit_end) and c.after == "", f"partial drop: {c}"
        prev = c.end


def check_guard(text: str, result, options: Options) -> None:
    """Unless gutting is allowed, nothing is emptied and no more than the allowed share goes."""
    if result.refused:
        assert result.text == text and not result.changes and result.proposed
        return
    if options.allow_gutting or not result.changes:
        return
    import re

    word = re.compile(r"\w+")
    total = len(word.findall(text))
    removed = sum(len(word.findall(c.before)) - len(word.findall(c.after)) for c in result.changes)
    assert removed < total or total == 0, "every word removed without refusal"
    assert removed <= options.max_removed_share * total, "more than max_removed_share removed"
    if text.strip("\ufeff \t\r\n"):
        assert result.text.strip("\ufeff \t\r\n"), "the document was emptied without refusal"


def log_lines(name: str, result) -> list[str]:
    """The change log of one document, as `scrubber clean --log` writes it (surrogates escaped)."""
    records = [document_record(name, result.original_hash, result.text, result.changes, bom=result.bom),
               *change_records(name, result.changes)]
    return [json.dumps(r, ensure_ascii=True) for r in records]


def check_round_trip(text: str, allow_gutting: bool = False):
    """Clean `text` and check everything a cleaning owes its user; returns the result."""
    c = cleaner(allow_gutting)
    result = c.clean(text)
    assert result.original_hash == text_hash(text)
    check_records(text, result)
    check_guard(text, result, c.options)
    if not result.changes:
        assert result.text == text, "text changed without a record"
    # restore(clean(x)) == x, hash-checked, from the result and from the log read back.
    assert restore(result.text, result.changes, bom=result.bom, original_hash=result.original_hash) == text
    [logged] = read_log(log_lines("doc", result))
    assert logged.clean_hash == text_hash(result.text)
    assert restore(result.text, logged.changes, bom="\ufeff" if logged.bom else "",
                   original_hash=logged.original_hash) == text
    # replay(x) == clean(x).text
    assert replay(text, result.changes, bom=result.bom) == result.text
    # The BOM and a missing final newline survive.
    assert result.text.startswith("\ufeff") == text.startswith("\ufeff")
    if text and not text.endswith("\n") and result.text.strip():
        assert not result.text.endswith("\n"), "a final newline was added"
    # clean(clean(x)) == clean(x)
    again = c.clean(result.text)
    assert again.text == result.text, f"not idempotent: {[(ch.rule, ch.before) for ch in again.changes]}"
    if not result.refused:
        assert not again.changes and not again.proposed, \
            f"a second cleaning proposes more: {[(ch.rule, ch.before) for ch in again.changes or again.proposed]}"
    # A log for another text is refused, not misapplied.
    if result.changes:
        try:
            restore(result.text + "x", result.changes, bom=result.bom, original_hash=result.original_hash)
        except LogMismatch:
            pass
        else:
            raise AssertionError("a log was applied to a text it does not belong to")
    return result

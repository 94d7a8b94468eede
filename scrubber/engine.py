"""The chain: rules propose, the engine decides, applies and records.

One pass runs, in this order: fixers (mojibake), strip/replace rules (broken HTML, spacing), drop-line
rules, then detectors (rules that look at several lines at once). Passes repeat until one changes
nothing; after `max_passes` the rules still changing text are named in `Result.unsettled`. The first
pass looks at every line; later passes re-run fixers and span rules only on lines the previous pass
edited, drop-line rules on every line after a drop (edge-scoped rules depend on what is gone), and
detectors always, so the result is a true fixed point: cleaning it again changes nothing.

Every change is composed into a record against the *original* text (see `changes.py`), so the log can
replay the cleaning and restore the original exactly.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field, replace
from itertools import compress, filterfalse, islice
from operator import attrgetter, not_
from typing import Sequence

from .catalogue import Catalogue, builtin_catalogue, rule_kind
from .changes import Change, text_hash
from .detectors.lines import DATE_TIME_LABELS, LABELLED_FIELD, SUBHEADING, field_label, is_prose, prose_flags
from .detectors.page_chrome import chrome_at_both_edges
from .document import Document
from .patterns import LineMatcher, SpanMatcher
from .textstats import document_memo, remembered

WORD = re.compile(r"\w+")


def _words(text: str) -> int:
    """How many words: listed when short (faster), counted one by one when long (a 100 MB line
    would otherwise become a list of millions of strings)."""
    return len(WORD.findall(text)) if len(text) < 100_000 else sum(1 for _ in WORD.finditer(text))


def _words_in(texts) -> int:
    """The words of many texts: counted a joined batch at a time (a word cannot span the "\n"
    between two texts), not one call per text."""
    total, batch, size = 0, [], 0
    for t in texts:
        if size + len(t) > 50_000 and batch:  # small enough for the quick way of `_words`
            total += _words("\n".join(batch))
            batch, size = [], 0
        batch.append(t)
        size += len(t) + 1
    return total + (_words("\n".join(batch)) if batch else 0)


_BEFORE, _LINE, _ACTION = attrgetter("before"), attrgetter("line"), attrgetter("action")
_UNSEEN = object()  # a line the drop-line rules have not looked at in its current text


# lines between two prose lines that still count as one stretch of body (a subheading, an image
# caption); a first prose line followed by a longer gap is a standfirst, above the body
BODY_GAP = 2
# A list the article introduces ("... four purposes, and the choice applies to each one:"): the
# sentence before it has this many words at least, and the list this many items at most.
LIST_INTRO_MIN_WORDS = 8
LIST_MAX_ITEMS = 12
# The label of a date or time field, alone on its line (see `_State.is_field_value`).
FIELD_LABEL = field_label(DATE_TIME_LABELS + ("date and time", "date & time", "fecha y hora", "cuándo", "wann",
                                              "quando", "когда"))


@dataclass(frozen=True)
class Options:
    select: tuple[str, ...] = ()  # rule ids or families to run (all when empty)
    ignore: tuple[str, ...] = ()  # rule ids or families to skip
    packs: tuple[str, ...] = ()  # extra rule pack files
    # A document that would lose more than this share of its words is left unchanged and reported.
    # Whole-page dumps legitimately lose most of their words (menus, footers, link lists: the median
    # dev page keeps well under half of its words), so the default only stops near-total removal.
    max_removed_share: float = 0.95
    allow_gutting: bool = False  # accept any removal, even one that empties the document
    max_passes: int = 5
    # Lines longer than this (in code points) are left alone by every rule: no boilerplate line is
    # that long, and a giant line (a blob, a whole book without line breaks) must not make a rule's
    # regex run for minutes. Detectors still see such a line, by its head and tail.
    max_line_chars: int = 20_000
    # Detectors whose evidence is costly to write (PAGE001 names the features that decided) give it in
    # full, or, when nothing will read it (the CLI writing no log), in short: the same changes, faster.
    explain: bool = True


@dataclass
class Result:
    text: str
    changes: list[Change]
    original_hash: str
    bom: str = ""
    refused: str = ""  # why the document was left unchanged although rules proposed changes
    proposed: list[Change] = field(default_factory=list)  # the changes that were refused
    unsettled: tuple[str, ...] = ()  # rules still changing text when the pass cap was reached

    @property
    def changed(self) -> bool:
        return bool(self.changes)


@dataclass
class _Edit:
    start: int  # offsets in the line's original unit (content + ending)
    end: int
    before: str
    after: str
    rule: object
    evidence: str
    also: tuple[str, ...] = ()


def _compose(orig_unit: str, cur_unit: str, records: list[_Edit], a: int, b: int, repl: str,
             rule, evidence: str) -> list[_Edit]:
    """Fold an edit made on the current text of a line, span [a, b) -> repl, into the line's records,
    which are kept in original coordinates. Records the new edit touches are merged with it."""
    current_starts, shift = [], 0
    for r in records:
        current_starts.append(r.start + shift)
        shift += len(r.after) - (r.end - r.start)
    hit = [k for k, r in enumerate(records) if current_starts[k] <= b and a <= current_starts[k] + len(r.after)]
    if not hit:
        before_shift = sum(len(r.after) - (r.end - r.start)
                           for k, r in enumerate(records) if current_starts[k] + len(r.after) <= a)
        o_start = a - before_shift
        o_end = o_start + (b - a)
        new = _Edit(o_start, o_end, orig_unit[o_start:o_end], repl, rule, evidence)
    else:
        first, last = records[hit[0]], records[hit[-1]]
        f_cs = current_starts[hit[0]]
        l_ce = current_starts[hit[-1]] + len(last.after)
        m_cs, m_ce = min(a, f_cs), max(b, l_ce)
        o_start, o_end = first.start - (f_cs - m_cs), last.end + (m_ce - l_ce)
        absorbed = tuple(x for k in hit for x in (*records[k].also, records[k].rule.id))
        new = _Edit(o_start, o_end, orig_unit[o_start:o_end], cur_unit[m_cs:a] + repl + cur_unit[b:m_ce],
                    rule, evidence, absorbed)
        records = [r for k, r in enumerate(records) if k not in hit]
    records.append(new)
    records.sort(key=lambda r: r.start)
    return records


# A text that joins page dumps with blank lines has blocks (between blank lines) of this many lines
# on average, and of PAGE_MIN_LINES or more for at least half of them (see `pages_in`). Formatted
# text stays below: of the fixtures and probes, none reaches both (a lower median of 10 lines at most,
# with a mean of 8.3; a mean of 15.6 at most, with a lower median of 7).
PAGE_MEAN_LINES = 12
PAGE_MIN_LINES = 8


def pages_in(lines: Sequence[str]) -> list[tuple[int, int]] | None:
    """The page dumps a text joins with blank lines, as (first, end) spans of `lines`, or None when
    the text reads as one document.

    A page dump has no blank lines (one text node per line), and a crawl's pages are often written
    into one file with a blank line between them. Cleaned as one document, they are one page to the
    rules that weigh a whole document: one body and one pair of edges, with every other page's
    article taken for chrome (PAGE001), and lists and headings compared across pages. So a text of
    two blocks or more between blank lines, PAGE_MEAN_LINES lines or more each on average, is read
    as pages, each block cleaned alone, when at least half of its blocks have PAGE_MIN_LINES lines
    or more. Formatted text has a blank line every few lines (paragraphs, lists), and so has a dump
    that keeps the page's own blank lines; an extractor's output parted by a blank line or two has
    one long block and short ones (a related-links line below the article), which cleaned alone
    would be refused by the guard as losing most of their words.

    The test asks only for the text's shape, so that the cleaned text is read as pages again
    (idempotence): a removal never joins two blocks, since the blank line between them stays, nor
    removes one, since a page is never emptied; and the thresholds are low, since cleaning shrinks
    the blocks (a dev page keeps 140 lines at the median once cleaned, 19 at the 5th percentile).
    Whether the blocks are whole page dumps, each with its own header and footer, is asked by
    `Cleaner._by_page`, which decides between cleaning page by page and whole so that the next run
    decides the same. Of 600 texts of two to four dev pages (`benchmarks/bench_joined_pages.py
    --groups 300`, seeds 2 and 3), 591 read as pages, 545 were cleaned page by page, and cleaning
    again changed none."""
    if "" not in lines and not any(map(str.isspace, lines)):
        return None  # no blank line (a page dump, one paragraph per line): the usual case, found in C
    spans, first = [], None
    for i, line in enumerate(lines):
        if line and not line.isspace():
            if first is None:
                first = i
        elif first is not None:
            spans.append((first, i))
            first = None
    if first is not None:
        spans.append((first, len(lines)))
    if len(spans) < 2:
        return None
    sizes = sorted(b - a for a, b in spans)
    if sum(sizes) < PAGE_MEAN_LINES * len(sizes) or sizes[(len(sizes) - 1) // 2] < PAGE_MIN_LINES:
        return None
    return spans


def _moved(change: Change, lines_before: int, offset: int) -> Change:
    """A page's change record in the whole text's line numbers and offsets."""
    return Change.quick(change.rule, change.category, change.action, change.line + lines_before,
                        change.start + offset, change.end + offset, change.before, change.after,
                        change.evidence, change.also)


class Cleaner:
    """A configured chain of rules. Build once, call `clean` for each document."""

    def __init__(self, catalogue: Catalogue | None = None, options: Options = Options()):
        catalogue = catalogue if catalogue is not None else builtin_catalogue()
        if options.packs:
            catalogue = catalogue.with_packs(options.packs)
        if options.select or options.ignore:
            catalogue = catalogue.select(options.select, options.ignore)
        self.catalogue = catalogue
        self.options = options
        self.fixers = [r for r in catalogue if rule_kind(r) == "fixer"]
        self.span_rules = SpanMatcher([r for r in catalogue if rule_kind(r) == "pattern" and r.action != "drop-line"])
        self.line_rules = LineMatcher([r for r in catalogue if rule_kind(r) == "pattern" and r.action == "drop-line"])
        self.detectors = [r for r in catalogue if rule_kind(r) == "detector"]

    def __reduce__(self):
        """Pickled as its rules and options and rebuilt on loading (compiled regexes, RE2 ones
        included, do not pickle well, and rebuilding is how worker processes get their cleaner). A
        rule object that does not pickle (a detector holding a model) is rebuilt from its class."""
        return _rebuild_cleaner, (type(self), [_picklable(r) for r in self.catalogue],
                                  replace(self.options, select=(), ignore=(), packs=()))

    # -- the passes -------------------------------------------------------------------------------

    def clean(self, text: str, protected: frozenset[int] = frozenset()) -> Result:
        """Clean one document. `protected` holds 0-based line numbers no rule may touch (code blocks,
        front matter and tables of a Markdown file, say); detectors still see those lines. A text
        that joins page dumps with blank lines is cleaned page by page (`pages_in`)."""
        doc = Document.parse(text)
        pages = pages_in(doc.contents)
        if pages is not None:
            result = self._clean_pages(text, doc, pages, protected)
            if not result.changes and result.proposed:
                # The guard refused every page: a refusal of the whole text, as without the guard
                # (`allow_gutting`), reports the same changes either way; if the whole text would be
                # changed, the pages' refusal stands.
                with document_memo():
                    whole = self._clean(text, doc, protected)
                return result if whole.changes else whole
            if self._by_page(doc, pages, result):
                return result
        with document_memo():  # what a pass computed about the lines, for the next pass
            return self._clean(text, doc, protected)

    @staticmethod
    def _by_page(doc: Document, pages: list[tuple[int, int]], result: Result) -> bool:
        """Whether the text is cleaned page by page (`result`) rather than whole.

        It is if two of its blocks or more are whole page dumps, with chrome at both of their edges
        (one dump that keeps a blank line or two has its header above the first block and its footer
        below the last one), and if the cleaned text still reads as pages. And it is if cleaning page
        by page changes nothing: this is how the next run sees a text cleaned page by page, its pages'
        chrome gone, and it must keep it as it is (idempotence). A text cleaned whole, if it reads as
        pages, seldom is such a fixed point, and so is cleaned whole by the next run too. (A text
        whose every page the guard refused is decided in `clean`.)"""
        if not result.changes:
            return True
        dumps = sum(chrome_at_both_edges(doc.contents[a:b], 1) for a, b in pages)
        return dumps >= 2 and pages_in(Document.parse(result.text).contents) is not None

    def _clean_pages(self, text: str, doc: Document, pages: list[tuple[int, int]],
                     protected: frozenset[int]) -> Result:
        """Each page cleaned as a document of its own, its records moved to the text's lines and
        offsets; the blank lines between pages are left as they are. A page the guard refuses is
        left alone and named in `refused`, while the others are cleaned."""
        bom = len(doc.bom)
        out, changes, proposed, refused, unsettled = [], [], [], [], set()
        copied = 0  # the text up to here is in `out`
        for a, b in pages:
            start = bom + doc.starts[a] if a else 0  # (the first line's page keeps the BOM, as a document)
            end = bom + doc.starts[b - 1] + len(doc.contents[b - 1]) + len(doc.endings[b - 1])
            page = text[start:end]
            within = frozenset(i - a for i in protected if a <= i < b) if protected else protected
            with document_memo():
                result = self._clean(page, Document.parse(page), within)
            out.append(text[copied:start])
            out.append(result.text)
            copied = end
            base = doc.starts[a]
            changes.extend(_moved(c, a, base) for c in result.changes)
            proposed.extend(_moved(c, a, base) for c in result.proposed)
            if result.refused:
                refused.append(f"lines {a + 1}-{b} (one page of several): {result.refused}")
            unsettled.update(result.unsettled)
        out.append(text[copied:])
        return Result(text="".join(out) if changes else text, changes=changes, original_hash=text_hash(text),
                      bom=doc.bom, refused="; ".join(refused), proposed=proposed, unsettled=tuple(sorted(unsettled)))

    def _clean(self, text: str, doc: Document, protected: frozenset[int]) -> Result:
        limit = self.options.max_line_chars
        long_lines = None  # lines too long for the rules: looked for only if the longest line is one
        if doc.contents and max(map(len, doc.contents)) > limit:
            long_lines = {i for i, line in enumerate(doc.contents) if len(line) > limit}
        state = _State(doc, protected | long_lines if long_lines else protected, limit)
        n = len(doc)
        dirty: Sequence[int] = range(n)  # lines the fixers and span rules must look at in this pass
        line_dirty: Sequence[int] = dirty  # lines the drop-line rules must look at in this pass
        unsettled: tuple[str, ...] = ()
        for pass_no in range(self.options.max_passes):
            touched: set[int] = set()
            active: set[str] = set()
            dropped_before = len(state.dropped)
            self._run_fixers(state, dirty, touched, active)
            self._run_span_rules(state, dirty, touched, active)
            self._run_line_rules(state, line_dirty, active)
            # Detectors weigh the whole document, so any change (their own included) can change
            # their verdict: they run in every pass, and the loop stops only when a whole pass
            # changes nothing. Otherwise cleaning the output again could remove more (not idempotent).
            self._run_detectors(state, active)
            if not active:
                break
            dirty = sorted(i for i in touched if i not in state.dropped)
            # Edge-scoped line rules depend on which lines are gone: after a drop, they see every line.
            line_dirty = state.alive() if len(state.dropped) > dropped_before else dirty
            if pass_no == self.options.max_passes - 1:
                unsettled = tuple(sorted(active))
        state.tidy_blank_lines()
        state.keep_final_newline()
        changes = state.records()
        result = Result(text="", changes=changes, original_hash=text_hash(text), bom=doc.bom, unsettled=unsettled)
        cleaned = state.text() if changes else text
        refusal = self._refusal(text, cleaned, changes, doc.contents) if changes else ""
        if refusal:
            result.text, result.changes, result.proposed, result.refused = text, [], changes, refusal
        else:
            result.text = cleaned
        return result

    def _run_fixers(self, state: "_State", lines: Sequence[int], touched: set[int], active: set[str]) -> None:
        for fixer in self.fixers:
            # A fixer's `suspect` is a search that cannot span a line break, so a document none of
            # whose lines is suspect is not suspect as a whole: one call for most documents.
            workable = state.workable(lines)
            if not workable or not fixer.suspect("\n".join(map(state.cur.__getitem__, workable))):
                continue
            for i in lines:
                if i in state.dropped or i in state.protected:
                    continue
                line = state.cur[i]
                if not fixer.suspect(line):
                    continue
                fixed = fixer.fix(line)
                if fixed != line:
                    # Record only the span that differs, so the log shows what the fixer changed.
                    p = 0
                    limit = min(len(line), len(fixed))
                    while p < limit and line[p] == fixed[p]:
                        p += 1
                    s = 0
                    while s < limit - p and line[-1 - s] == fixed[-1 - s]:
                        s += 1
                    state.edit(i, [(p, len(line) - s, fixed[p:len(fixed) - s], fixer, line[p:len(line) - s])])
                    touched.add(i)
                    active.add(fixer.id)

    def _run_span_rules(self, state: "_State", lines: Sequence[int], touched: set[int], active: set[str]) -> None:
        if not self.span_rules:
            return
        alive = state.workable(lines)
        if not alive:
            return
        cur = state.cur
        per_line: dict[int, list] = {}
        texts = list(map(cur.__getitem__, alive))
        for k, rule, start, end, replacement, matched in self.span_rules.find_in_lines(texts):
            per_line.setdefault(alive[k], []).append((start, end, replacement, rule, matched))
        for i, edits in per_line.items():
            was_blank = not state.cur[i].strip()
            state.edit(i, edits)
            touched.add(i)
            active.update(e[3].id for e in edits)
            if not was_blank and not state.cur[i].strip():
                # Nothing but the fragment was on the line: the line goes, not just its content.
                state.drop(i, edits[0][3], "the line held only " + repr(edits[0][4]))

    def _run_line_rules(self, state: "_State", lines: Sequence[int], active: set[str]) -> None:
        todo = state.workable(lines)
        # Which rule matches a line depends only on its text: match each text once (all of a
        # document's lines in one batch) and keep the answer until the line is edited.
        hits, cur = state.line_hits, state.cur
        fresh = [i for i in todo if hits[i] is _UNSEEN]
        if fresh:
            # (map and compress: a page dump's lines are many, and these loops then run in C)
            trimmed = list(map(str.strip, map(cur.__getitem__, fresh)))
            for i in fresh:
                hits[i] = None
            results = self.line_rules.match_lines(list(compress(trimmed, trimmed)))  # blank lines match nothing
            for i, hit in zip(compress(fresh, trimmed), results):
                hits[i] = hit
        dropped = state.dropped
        body = None  # (first, last) prose line, found only when an edge-scoped rule needs it
        matched_lines = [i for i in compress(todo, map(hits.__getitem__, todo)) if i not in dropped]
        # A rule with a `most` acts only where it matches that many lines or fewer: one byline row is
        # an article's, four are the rows of a listing's items.
        counts = Counter(hits[i][0].id for i in matched_lines if hits[i][0].most)
        for i in matched_lines:  # (`state.drop` drops only line i: none of the others becomes dropped)
            rule, matched = hits[i]
            if rule.most and counts[rule.id] > rule.most:
                continue
            evidence = repr(matched)
            if rule.scope == "edges":
                if body is None:
                    body = state.body_bounds()
                where = state.edge_position(i, body)
                if where:
                    evidence += f" {where}"
                else:
                    # The combined regex named the first rule that matches; inside the article, a
                    # rule that acts anywhere may match the line too.
                    hit = self.line_rules.match(cur[i].strip(), anywhere_only=True)
                    if hit is None:
                        continue
                    rule, matched = hit
                    evidence = repr(matched)
            if state.in_introduced_list(i) or state.in_field_record(i):
                continue
            state.drop(i, rule, evidence)
            active.add(rule.id)

    def _run_detectors(self, state: "_State", active: set[str]) -> None:
        for detector in self.detectors:
            # A detector's verdict depends only on the lines it is shown: if nothing changed since it
            # last looked, it would find the same lines, all of them gone already. Skip it.
            if state.seen_by.get(id(detector)) == state.version:
                continue
            state.seen_by[id(detector)] = state.version
            # A detector that sees protected lines is told which they are (as indexes in the list it
            # is given), so that none of them becomes evidence for dropping the lines around it.
            alive = range(len(state.cur)) if detector.sees_removed else state.alive()
            extra = {"protected": state.protected_among(alive)} if getattr(detector, "sees_protected", False) else {}
            if not self.options.explain and getattr(detector, "explains", False):
                extra["explain"] = False
            if detector.sees_removed:
                findings = detector.find(state.seen_lines(alive), frozenset(state.dropped), **extra)
            else:
                findings = detector.find(state.seen_lines(alive), **extra)
            if state.drop_found(detector, alive, findings):
                active.add(detector.id)

    # -- the guard --------------------------------------------------------------------------------

    def _refusal(self, text: str, cleaned: str, changes: list[Change], lines: Sequence[str] | None = None) -> str:
        if self.options.allow_gutting:
            return ""
        if not cleaned.strip("\ufeff \t\r\n") and text.strip("\ufeff \t\r\n"):
            return "cleaning would leave the document empty"
        dropping = list(map("drop".__eq__, map(_ACTION, changes)))  # (in C: a page dump drops thousands of lines)
        drops = list(compress(changes, dropping))
        edits = list(compress(changes, map(not_, dropping))) if len(drops) < len(changes) else []
        edited_words = _words_in(c.before for c in edits)
        if lines is not None and self._surely_within_limit(drops, edited_words, lines):
            return ""
        # A dropped line's words are counted once and serve both sums (its `after` is empty); the
        # counts add up per text because a word never spans the "\n" that joins them.
        dropped_words = _words_in(c.before for c in drops)
        removed = dropped_words + edited_words - _words_in(c.after for c in edits)
        if removed <= 0:
            return ""
        total = self._word_count(text, changes, removed, lines, dropped_words)
        if total and removed >= total:
            return "cleaning would remove every word"
        share = removed / total if total else 0.0
        if share > self.options.max_removed_share:
            return (f"cleaning would remove {share:.0%} of the words "
                    f"(more than max_removed_share={self.options.max_removed_share:.0%})")
        return ""

    def _surely_within_limit(self, drops: list[Change], edited_words: int, lines: Sequence[str]) -> bool:
        """Whether the removal is acceptable, shown without counting the dropped lines' words (on a
        page dump, half of the text). A text of n characters holds at most (n + 1) // 2 words (a word
        is followed by a character that is not one), so the dropped lines hold at most `dropped_most`
        words; the kept lines' words are counted until (dropped_most + edited_words) / (dropped_most +
        kept) is within the limit. The true share, removed / total, is at most that: removed <=
        dropped + edited_words, total >= dropped + kept, and (dropped + edited_words) / (dropped +
        kept) grows with `dropped` while kept > edited_words. Otherwise the exact count decides."""
        limit = self.options.max_removed_share
        dropped_most = (sum(map(len, map(_BEFORE, drops))) + len(drops)) // 2
        removed_most = dropped_most + edited_words
        dropped_lines = set(map(_LINE, drops))
        kept_lines = (line for n, line in enumerate(lines, 1) if n not in dropped_lines)
        kept, size = 0, 4
        while chunk := list(islice(kept_lines, size)):  # (only as many lines as it takes: a few, mostly)
            kept += _words("\n".join(chunk))
            if kept > edited_words and removed_most / (dropped_most + kept) <= limit:
                return True
            size *= 2
        return False

    def _word_count(self, text: str, changes: list[Change], removed: int, lines: Sequence[str] | None,
                    dropped_words: int) -> int:
        """The number of words in `text`, or a smaller number that is already enough to show the
        removal is acceptable. Counting every word of every document is slow (as slow as all the
        rules together), and a word never spans a line break: so the dropped lines' words, then kept
        lines', are added up only until the removed share is clearly below the limit (`dropped_words`:
        the words of the dropped lines)."""
        if lines is None:
            return _words(text)
        dropped = {c.line for c in changes if c.action == "drop"}
        count = dropped_words
        limit = self.options.max_removed_share
        for n, line in enumerate(lines, 1):
            if count > removed and removed / count <= limit:
                return count  # a lower bound, and the true count can only lower the share
            if n not in dropped:
                count += _words(line)
        return count


class _State:
    """The document while rules work on it: current line texts, dropped lines, and edit records."""

    def __init__(self, doc: Document, protected: frozenset[int] = frozenset(), max_line_chars: int = 0):
        self.doc = doc
        self.protected = protected
        self.max_line_chars = max_line_chars
        self.cur = list(doc.contents)
        self.ends = list(doc.endings)
        self.dropped: dict[int, tuple[object, str]] = {}
        self.edits: dict[int, list[_Edit]] = {}
        self.line_hits: list = [_UNSEEN] * len(self.cur)  # drop-line rule verdicts, until an edit
        self.version = 0  # counts changes (edits and drops), so a detector can tell nothing changed
        self.seen_by: dict[int, int] = {}  # id(detector) -> the version it last looked at
        self._alive: tuple[int, list[int]] = (-1, [])  # (version, alive()) of the last call
        # Whether some line may be longer than detectors see it (then `seen_lines` cuts lines).
        half = max_line_chars // 2
        self._maybe_long = bool(half and self.cur and max(map(len, self.cur)) > 2 * half)

    def alive(self) -> list[int]:
        """The lines not dropped, in order. Every detector of a pass asks, mostly with nothing dropped
        in between: the list is kept until the next change (so do not modify it)."""
        version, alive = self._alive
        if version != self.version:
            n, dropped = len(self.cur), self.dropped
            alive = list(filterfalse(dropped.__contains__, range(n))) if dropped else list(range(n))
            self._alive = (self.version, alive)
        return alive

    def workable(self, lines: Sequence[int]) -> Sequence[int]:
        """The lines among `lines` that rules may change: neither dropped nor protected."""
        dropped, protected = self.dropped, self.protected
        if not dropped and not protected:
            return lines
        return [i for i in lines if i not in dropped and i not in protected]

    def protected_among(self, indexes: Sequence[int]) -> frozenset[int]:
        """The positions in `indexes` (sorted line numbers) of the protected lines."""
        if not self.protected:
            return frozenset()
        if len(indexes) == len(self.cur):  # nothing dropped: positions are line numbers
            return frozenset(i for i in self.protected if i < len(indexes))
        positions = ((bisect_left(indexes, i), i) for i in self.protected)
        return frozenset(k for k, i in positions if k < len(indexes) and indexes[k] == i)

    def seen_lines(self, indexes: Sequence[int]) -> list[str]:
        """`seen(i)` for each index (sorted line numbers, as `alive` gives them), without a call per
        line when no line is too long."""
        if self._maybe_long:
            return [self.seen(i) for i in indexes]
        if len(indexes) == len(self.cur):  # every line: a copy
            return self.cur[:]
        return list(map(self.cur.__getitem__, indexes))

    def edit(self, i: int, edits: list[tuple]) -> None:
        """Apply (start, end, replacement, rule, evidence) edits, made on the current text, to line i."""
        orig_unit = self.doc.contents[i] + self.doc.endings[i]
        unit = self.cur[i] + self.ends[i]
        records = self.edits.get(i, [])
        ordered = sorted(edits, key=lambda e: e[0])
        if not records and all(a[1] < b[0] for a, b in zip(ordered, ordered[1:])):
            # A line's first edits, none touching another: their offsets are the original's already,
            # and composing them one by one would cost time quadratic in their number.
            records = [_Edit(s, e, orig_unit[s:e], r, rule, ev) for s, e, r, rule, ev in ordered]
            pieces, pos = [], 0
            for start, end, replacement, *_ in ordered:
                pieces += [unit[pos:start], replacement]
                pos = end
            unit = "".join(pieces) + unit[pos:]
        else:
            for start, end, replacement, rule, evidence in reversed(ordered):
                records = _compose(orig_unit, unit, records, start, end, replacement, rule, evidence)
                unit = unit[:start] + replacement + unit[end:]
        self.edits[i] = records
        self.line_hits[i] = _UNSEEN
        self.version += 1
        ending = self.ends[i]
        self.cur[i] = unit[:len(unit) - len(ending)] if ending and unit.endswith(ending) else unit
        half = self.max_line_chars // 2
        if half and len(self.cur[i]) > 2 * half:
            self._maybe_long = True

    def drop(self, i: int, rule, evidence: str) -> None:
        self.dropped[i] = (rule, evidence)
        self.version += 1

    def drop_found(self, rule, alive: Sequence[int], findings) -> bool:
        """`drop` for each finding (its index into `alive`) whose line is neither dropped nor protected;
        whether any was. One loop for them all: a page dump brings thousands of findings."""
        dropped, protected = self.dropped, self.protected
        before = len(dropped)
        for f in findings:
            i = alive[f.index]
            if i not in dropped and i not in protected:
                dropped[i] = (rule, f.evidence)
        self.version += len(dropped) - before  # one for each drop, as `drop` counts
        return len(dropped) > before

    def seen(self, i: int) -> str:
        """Line i as detectors see it: a line too long for the rules shows only its head and tail, so
        that it still looks like the prose (or blob) it is without costing time and memory."""
        line, half = self.cur[i], self.max_line_chars // 2
        return line[:half] + line[-half:] if half and len(line) > 2 * half else line

    def body_bounds(self) -> tuple[int, int] | None:
        """The first and last prose line still in the document: the article body lies between."""
        # Every line's flag, removed or not: RELATED102, which sees removed lines, asks for the same
        # list in the same pass, and a later pass again (one computation for most documents).
        prose = remembered(prose_flags, self.seen_lines(range(len(self.cur))))
        alive = self.alive()
        prose_lines = list(compress(alive, map(prose.__getitem__, alive)))
        if not prose_lines:
            return None
        # A lone prose line at the top (a standfirst above the byline, date and share bar) does not
        # start the body when the article's paragraphs follow: the body starts at the next one.
        if len(prose_lines) > 2:
            a, b, c = prose_lines[:3]
            if self._lines_between(alive, a, b) > BODY_GAP and self._lines_between(alive, b, c) <= BODY_GAP:
                return b, prose_lines[-1]
        return prose_lines[0], prose_lines[-1]

    def _lines_between(self, alive: list[int], x: int, y: int) -> int:
        """How many non-blank lines of `alive` (sorted) lie strictly between lines x and y."""
        between = islice(alive, bisect_left(alive, x) + 1, bisect_left(alive, y))
        return sum(1 for i in between if self.cur[i].strip())

    def edge_position(self, i: int, body: tuple[int, int] | None) -> str:
        """Why line i counts as outside the body, or "" if it does not. A document with no prose has
        no body to protect and no edges either: nothing there says which lines are chrome. A field's
        value under its label is the text's, wherever it stands."""
        if body is None or self.is_field_value(i):
            return ""
        if i < body[0]:
            # A short heading set apart by a blank line above and the first paragraph right below
            # ("Chi siamo" over a job posting's first paragraph) is that paragraph's, not the menu's.
            if (i + 1 == body[0] and i > 0 and not self.cur[i - 1].strip() and i - 1 not in self.dropped
                    and SUBHEADING.fullmatch(self.cur[i].strip())):
                return ""
            return "above the article body"
        if i > body[1]:
            return "below the article body"
        # The nearest non-blank line above and below, removed or not. A stray tag removed as broken
        # HTML ("li >" between two items of a list) is debris of the text's own markup, not chrome:
        # it is passed over like a blank line (it made a podcast's chapter list, row by row, edges).
        near = []
        dropped = self.dropped
        for step in (-1, 1):
            j = i + step
            while 0 <= j < len(self.cur) and (j not in dropped and not self.cur[j].strip()
                                              or j in dropped and dropped[j][0].category == "html_fragment"):
                j += step
            near.append(j)
        if not any(j in self.dropped for j in near):
            return ""
        # A subheading ("Accessibilité", "Share prices") right above a paragraph stays even when
        # the line above it went (a photo credit): it is the paragraph's, not the removed line's.
        below = near[1]
        if (below < len(self.cur) and below not in self.dropped and SUBHEADING.fullmatch(self.cur[i].strip())
                and is_prose(self.cur[below])):
            return ""
        return "next to a removed line"

    def is_field_value(self, i: int) -> bool:
        """Whether line i is the value of a field whose label stands alone on the line right above it
        ("Date" over "Saturday, June 13, 2026", "Uhrzeit:" over "19:30 Uhr"): an event's or a
        service's details, which the text holds, not a template's date stamp. Asked again after every
        pass, so a label other rules removed no longer protects its value (nor will it in the next
        cleaning)."""
        j = i - 1
        return j >= 0 and j not in self.dropped and FIELD_LABEL.fullmatch(self.cur[j].strip()) is not None

    def in_field_record(self, i: int) -> bool:
        """Whether line i is a field of a record of labelled fields ("Label: value" lines), between two
        others that are still there, with no blank line between: a film's credits ("Dirección: ...",
        "Fotografía: Inés Barragán", "Duración: 112 min"), a book's details ("Titel: ...", "Auteur:
        Marieke Doornbos", "Uitgever: ..."). There "Fotografía:" names the cinematographer and "Auteur:"
        the book's author, not the page's photo credit or byline. A template's meta block loses its
        fields from the first one down (each is the next one's neighbour), as a second cleaning would
        see them. Asked again after every pass that drops lines."""
        cur, dropped = self.cur, self.dropped
        if not LABELLED_FIELD.match(cur[i]):
            return False
        return all(0 <= j < len(cur) and j not in dropped and LABELLED_FIELD.match(cur[j]) is not None
                   for j in (i - 1, i + 1))

    def in_introduced_list(self, i: int) -> bool:
        """Whether line i is an item of a list that the article's own sentences hold: a run of short
        lines (four words or fewer, at most LIST_MAX_ITEMS) right under a sentence that ends with a
        colon and right above a paragraph, no blank line between them and blank lines around them,
        none of the three removed. The consent purposes an article about cookies lists one per line
        ("Strictly necessary", "Advertising") are its content; a cookie box's own list hangs under
        the box's text, which its rules remove first. Asked again after every pass that drops lines,
        so the answer follows the lines around it, as a second cleaning would see them."""
        cur, dropped = self.cur, self.dropped

        def short(j: int) -> bool:
            return j not in dropped and 0 < len(cur[j].split(None, 4)) <= 4

        if not short(i):  # a longer line is no item, whatever stands around it
            return False
        top = i
        while top > 0 and short(top - 1) and i - top < LIST_MAX_ITEMS:
            top -= 1
        end = i
        while end + 1 < len(cur) and short(end + 1) and end - top < LIST_MAX_ITEMS:
            end += 1
        intro, after = top - 1, end + 1
        if intro < 0 or after >= len(cur) or intro in dropped or after in dropped:
            return False
        # the sentence, the list and the paragraph make one block of formatted text (blank lines
        # around it): a page dump has no blank lines, and its short lines after a colon are menus.
        # A removed line is not a blank one: the output, and so the next cleaning, goes without it.
        above, below = intro - 1, after + 1
        while above >= 0 and above in dropped:
            above -= 1
        while below < len(cur) and below in dropped:
            below += 1
        if (above >= 0 and cur[above].strip()) or (below < len(cur) and cur[below].strip()):
            return False
        line = cur[intro].rstrip()
        return line.endswith(":") and len(line.split()) >= LIST_INTRO_MIN_WORDS and is_prose(cur[after])

    def tidy_blank_lines(self) -> None:
        """Drop the blank lines a removal left doubled (or leading, or trailing), never others."""
        if not self.dropped:
            return
        prev_blank, cause = True, None  # the start of the document counts as a blank line
        last_content = -1
        # Only dropped and blank lines need a look: between two of them every line is kept content.
        blank_lines = compress(range(len(self.cur)), map(not_, map(str.strip, self.cur)))  # (in C)
        prev = -1
        for i in sorted({*self.dropped, *blank_lines}):
            if i > prev + 1:  # kept content lines in between
                last_content, cause, prev_blank = i - 1, None, False
            prev = i
            if i in self.dropped:
                cause = self.dropped[i][0]
                continue
            if prev_blank and cause is not None and i not in self.protected:
                self.drop(i, cause, "blank line left by the removal above")
                continue
            prev_blank = True
        if prev < len(self.cur) - 1:
            last_content = len(self.cur) - 1
        # Trailing blank lines that only separated the content from what was removed after it.
        if last_content < len(self.cur) - 1 and any(i > last_content for i in self.dropped):
            cause = next(self.dropped[i][0] for i in sorted(self.dropped) if i > last_content)
            for i in range(last_content + 1, len(self.cur)):
                if i not in self.dropped and i not in self.protected:
                    self.drop(i, cause, "blank line left by the removal below")

    def keep_final_newline(self) -> None:
        """If the original's last line had no ending and was dropped, the new last line loses its
        ending too, so a file without a final newline stays without one."""
        n = len(self.cur)
        if not n or self.doc.endings[-1] or (n - 1) not in self.dropped:
            return
        alive = [i for i in range(n) if i not in self.dropped]
        if not alive:
            return
        last = alive[-1]
        ending = self.ends[last]
        if ending:
            rule, _ = self.dropped[n - 1]
            orig_unit = self.doc.contents[last] + self.doc.endings[last]
            unit = self.cur[last] + ending
            self.edits[last] = _compose(orig_unit, unit, self.edits.get(last, []), len(self.cur[last]), len(unit),
                                        "", rule, "final line ending follows the removed last line")
            self.ends[last] = ""

    def text(self) -> str:
        cur, ends = self.cur, self.ends
        if self.dropped:
            cur, ends = list(cur), list(ends)
            for i in self.dropped:
                cur[i] = ends[i] = ""
        parts = [""] * (2 * len(cur))
        parts[0::2] = cur
        parts[1::2] = ends
        return self.doc.bom + "".join(parts)

    def records(self) -> list[Change]:
        out = []
        append, change = out.append, Change.quick  # a page dump can drop thousands of lines
        contents, endings, starts = self.doc.contents, self.doc.endings, self.doc.starts
        dropped, edits = self.dropped, self.edits
        for i in sorted(dropped.keys() | edits.keys()):
            base = starts[i]
            drop = dropped.get(i)
            if drop is not None:
                rule, evidence = drop
                before = contents[i] + endings[i]
                own = edits.get(i)
                absorbed = tuple(x for r in own for x in (*r.also, r.rule.id)) if own else ()
                append(change(rule.id, rule.category, "drop", i + 1, base, base + len(before), before, "",
                              evidence, absorbed))
                continue
            for r in edits[i]:
                append(change(r.rule.id, r.rule.category, "edit", i + 1, base + r.start, base + r.end,
                              r.before, r.after, r.evidence if isinstance(r.evidence, str) else "", r.also))
        return out


class _ByClass:
    """A rule to rebuild by calling its class with no arguments."""

    def __init__(self, cls):
        self.cls = cls


def _picklable(rule):
    import pickle

    try:
        pickle.dumps(rule)
        return rule
    except Exception:  # noqa: BLE001 - any failure to pickle means: rebuild it from its class
        return _ByClass(type(rule))


def _rebuild_cleaner(cls, rules, options):
    return cls(Catalogue([r.cls() if isinstance(r, _ByClass) else r for r in rules]), options)


_DEFAULT: Cleaner | None = None


def default_cleaner() -> Cleaner:
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Cleaner()
    return _DEFAULT


def clean(text: str, **options) -> Result:
    """Clean one document with the built-in rules (and any Options given as keywords)."""
    cleaner = Cleaner(options=Options(**options)) if options else default_cleaner()
    return cleaner.clean(text)

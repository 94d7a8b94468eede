"""MENU101, MENU102 and MENU103: a site's menu and its name, at the top or the bottom of a document;
MENU104: a table of contents that the article's own subheadings repeat."""
from __future__ import annotations

import re
from functools import lru_cache
from itertools import compress, repeat
from operator import itemgetter

from ..textstats import data_lines, remembered
from .base import Detector, Finding
from .lines import DATE_SPAN, LABELLED_FIELD, crumb_last, non_blank, prose_flags, words

# Sentence or label punctuation at the end of a line ("..." and "…" of a "More..." item excepted).
ENDS_LIKE_TEXT = re.compile(r"(?<![.…])[.!?:,;]$")
DIGIT = re.compile(r"\d")


def prose_bounds(lines, alive, removed):
    """The first and the last line of prose still there (indexes into `lines`; None, None without
    prose). `alive` are the non-blank lines' indexes."""
    flags = remembered(prose_flags, lines)  # (RELATED102 asks for the same lines' flags)
    first = next((i for i in alive if flags[i] and i not in removed), None)
    if first is None:
        return None, None
    return first, next(i for i in reversed(alive) if flags[i] and i not in removed)


def is_menu_item(line: str) -> bool:
    """One to three words, capitalised, no digits and no sentence or label ending: "News",
    "Credit Cards", "More sports ▾". Ingredients, dates, prices and list items of prose have one of
    the marks."""
    if not line or len(line) > 30 or not line[0].isupper() or DIGIT.search(line):
        return False
    return len(line.split()) <= 3 and not ENDS_LIKE_TEXT.search(line)


class EdgeMenuRun(Detector):
    id = "MENU101"
    name = "edge-menu-run"
    category = "menu"
    doc = """
Removes a site menu that a scraper flattened into a column of short lines at the very top or the
very bottom of a document: four or more lines in a row of one to three capitalised words ("Mail",
"News", "Finance", "Sports", "More...") that open the document before its first line of prose, or
close it after its last. Lines other rules removed inside the run ("Menu", "Search") count as part
of it.

Navigation is the first thing a page prints and its footer links the last; an article starts with
its title and text. Items with digits or sentence punctuation (ingredients, dates, prices, list
items of prose) never belong to a run, and a document without prose is left alone, so a list of
short lines stays. The line just above the first paragraph may be the article's short title and is
kept, and so is the run's last line when only an infobox stands between it and that paragraph (three
labelled fields or more, "Born: 12 May 1931, ...", "Occupation: ...": a wiki article's two-word
title, held-out probe ab01) or only a span of dates (a name over its life dates, probe x01), or
when a breadcrumb trail above ends with its words (a hotel's name, held-out probe ak05). On the
dev pages it removes 309 lines of the page dumps on 151 sites, 39 of them in the main text, and 64
lines of trafilatura's outputs on 9 sites, 13 in the main text (the section headings of a product
page, and a menu that one page's gold keeps).
"""
    examples_drop = (
        "[drop] Mail\n[drop] News\n[drop] Finance\n[drop] Sports\n[drop] More...\n"
        "Norway holds rates steady as inflation eases\n"
        "Norway's central bank kept its benchmark interest rate unchanged on Tuesday, as expected, and said "
        "inflation had eased enough to allow cuts next year.\n"
        "The decision was backed by all members of the committee.\n"
        "[drop] About Us\n[drop] Careers\n[drop] Advertise\n[drop] Contact",
        # a wiki article's title over its infobox stays
        "[drop] Main page\n[drop] Contents\n[drop] Donate\n[drop] Help\nEdith Marrow\n"
        "Born: 12 May 1931, Kidderminster\nOccupation: Radio engineer, broadcaster\nYears active: 1952–1994\n"
        "Edith Marrow was an English radio engineer and broadcaster who spent most of her career at the BBC.",
        # and a name over its life dates
        "[drop] Home\n[drop] Obituaries\n[drop] Services\n[drop] Contact\nEleanor Ruth Kessler\n"
        "June 2, 1936 – March 9, 2024\n"
        "Eleanor Ruth Kessler, 87, of Millbrook, passed away peacefully on Saturday at the care home she loved.",
    )
    examples_keep = (
        # a shopping list: no prose at all
        "Leeks\nStamps\nBread\nMilk\nBatteries\nString\n",
        # ingredients have quantities; the title above the first paragraph stays
        "Pumpkin Bread\n2 eggs\n1 cup flour\n1 teaspoon salt\n1 can pumpkin\n"
        "Heat the oven and butter a loaf pan, then whisk the eggs with the pumpkin until smooth and pale.\n",
        # three short lines are not yet a menu
        "Home\nNews\nSport\nThe council met on Tuesday to discuss the budget for the coming year and the roads.\n",
    )

    MIN_RUN = 4
    sees_removed = True  # a removed "Menu" or "Search" line is part of the run
    sees_protected = True  # a protected line is content: it ends a run

    def find(self, lines, removed=frozenset(), *, protected=frozenset()):
        alive = non_blank(lines)
        first, last = prose_bounds(lines, alive, removed)
        if first is None:
            return []
        found = []
        top = self._run(lines, alive, removed, protected, stop=first)
        # The line right above the first paragraph may be the article's own short title, and so may
        # the line above an infobox ("Born: ...", "Occupation: ...") or a span of dates that stands
        # over that paragraph.
        if top and (self._next_alive(alive, removed, top[-1]) == first
                    or self._details_between(lines, alive, removed, top[-1], first)
                    or self._named_by_breadcrumb(lines, alive, top[-1])):
            top = top[:-1]
        found += [Finding(i, "a column of short menu items opening the document") for i in top]
        bottom = self._run(lines, alive[::-1], removed, protected, stop=last)
        found += [Finding(i, "a column of short menu items closing the document") for i in sorted(bottom)]
        return found

    def _run(self, lines, order, removed, protected, stop):
        """The lines of a run at the start of `order` that ends before `stop` (only the ones still
        there), or [] when the run is shorter than MIN_RUN."""
        run, length = [], 0
        for i in order:
            if i == stop or i in protected:
                break
            if i in removed:
                length += 1
                continue
            if not is_menu_item(lines[i].strip()):
                break
            run.append(i)
            length += 1
        return run if length >= self.MIN_RUN and run else []

    INFOBOX_MIN_FIELDS = 3  # fewer labelled lines under a menu are its byline and date rows

    def _details_between(self, lines, alive, removed, i, first):
        """Whether the lines still there between line `i` and the first paragraph are a title's details:
        an infobox (INFOBOX_MIN_FIELDS labelled fields or more, and nothing else), or a span of dates
        alone (a person's life dates under their name)."""
        between = [j for j in alive if i < j < first and j not in removed]
        if len(between) == 1 and DATE_SPAN.fullmatch(lines[between[0]].strip()):
            return True
        return len(between) >= self.INFOBOX_MIN_FIELDS and all(LABELLED_FIELD.match(lines[j]) for j in between)

    @staticmethod
    def _named_by_breadcrumb(lines, alive, i) -> bool:
        """Whether a breadcrumb trail above line i, removed or not, ends with line i's text ("Inicio ›
        España › Hotel Casa Azahar" over "Hotel Casa Azahar"): the page's own title, not a menu item.
        A line in capitals is the section's label over a headline ("Home / News / Courts" over
        "COURTS"), not a title."""
        title = lines[i].strip()
        return not title.isupper() and any(crumb_last(lines[j]) == title.casefold() for j in alive if j < i)

    @staticmethod
    def _next_alive(alive, removed, i):
        return next((j for j in alive if j > i and j not in removed), None)


# What a footer says around the site's name: a copyright, a publisher, a registration.
FOOTER_MARK = re.compile(r"(?i)©|\(c\)[^\S\n]*\d{4}|copyright|rights reserved|published by|is owned by|registered in"
                         r"|p\.[^\S\n]?iva|all trademarks|todos los derechos|alle rechte|tous droits"
                         r"|direitos reservados")
TITLE_END = re.compile(r"[.!?:;,]$")


class SiteNameLine(Detector):
    id = "MENU102"
    name = "site-name-line"
    category = "menu"
    doc = """
Removes the site's name when it opens the document on a line of its own ("GreenThumb Weekly",
"MoedaClara", "Les Petits Plats de Margaux") and the footer names the site again: a line in the last
30% of the document that holds the same words and a copyright, a publisher or a registration ("©
2026 GreenThumb Weekly", "GreenThumb Weekly is published by Hedgerow Publishing Ltd."). The logo's
alt text or the masthead came through as text; the footer is the evidence that it is the site and not
the article's title. Only a line of up to five words with no sentence ending is taken.
"""
    examples_drop = (
        "[drop] GreenThumb Weekly\n"
        "How to plant garlic in autumn\n"
        "Plant the cloves in October, pointed end up, about five centimetres deep and fifteen apart, in a "
        "sunny bed that drains well.\n"
        "Water them in and cover the bed with a thin mulch of straw before the first frost.\n"
        "© 2026 GreenThumb Weekly",
    )
    examples_keep = (
        # the title is not printed again in a footer
        "How to plant garlic in autumn\n"
        "Plant the cloves in October, pointed end up, about five centimetres deep and fifteen apart, in a "
        "sunny bed that drains well.\n"
        "© 2026 GreenThumb Weekly",
        # a title that a footer line names for another reason, but without a copyright or publisher
        "Old River Bridge\n"
        "Engineers found cracks in two of the stone arches of the old river bridge during an inspection.\n"
        "Photos of the Old River Bridge are welcome.",
    )

    sees_removed = True  # the footer line is usually removed already (FOOTER001)
    sees_protected = True  # a protected line is content: never the name, never the evidence
    TAIL_SHARE = 0.3

    def find(self, lines, removed=frozenset(), *, protected=frozenset()):
        alive = non_blank(lines)
        first = next((i for i in alive if i not in removed), None)
        if first is None or first in protected or len(alive) < 5:
            return []
        name = lines[first].strip()
        if len(name.split()) > 5 or len(name) > 50 or TITLE_END.search(name):
            return []
        wanted = name.lower()
        for j in alive[int(len(alive) * (1 - self.TAIL_SHARE)):]:
            if j != first and j not in protected and wanted in lines[j].lower() and FOOTER_MARK.search(lines[j]):
                return [Finding(first, f"the site's name, printed again in the footer: '{lines[j].strip()[:80]}'")]
        return []


@lru_cache(maxsize=None)
def section_words() -> frozenset[str]:
    """The section names of scrubber/data/section_words.txt ("news", "deportes", "wirtschaft")."""
    return frozenset(word for line in data_lines("section_words.txt") for word in line.split())


# What separates the items of a menu bar once flattened: spaces, bars, dots, slashes, arrows.
ROW_SPLIT = re.compile(r"[\s|·•/›»>]+")
# An item that ends like a sentence, a label or a quotation is not a menu item ("..." of "How Do
# I..." and a drop-down's "▾" are stripped first).
ITEM_END_LIKE_TEXT = re.compile(r"[.,;:!?\"“”«»()]$")
ITEM_TRIM = "▾▼…."


def is_flat_menu_row(line: str) -> bool:
    """Four or more capitalised items, at least three of them and half of them the names of a
    site's sections: "Home News Opinion Arts & Culture Sports", "Portada Nacional Economía Deportes
    Cultura". Titles and names have fewer section words and lower-case links ("Center for Life
    Sciences Education")."""
    if len(line) > 200 or ITEM_END_LIKE_TEXT.search(line.rstrip(ITEM_TRIM + " ")):
        return False
    items = [t.rstrip(ITEM_TRIM) for t in ROW_SPLIT.split(line.strip()) if t != "&"]
    items = [t for t in items if t]
    if not 4 <= len(items) <= 25 or any(map(ITEM_END_LIKE_TEXT.search, items)):
        return False
    lower = sum(1 for t in items if not (t[0].isupper() or t[0].isdigit()) and "-" not in t)
    if lower > 0.15 * len(items):
        return False
    names = section_words()
    named = sum(1 for t in items if t.lower() in names)
    return named >= 3 and 2 * named >= len(items)


class FlatMenuRow(Detector):
    id = "MENU103"
    name = "flat-menu-row"
    category = "menu"
    doc = """
Removes a site's menu bar flattened into one line with no separator MENU014 knows, or with an
item MENU014's shape refuses ("Home News Opinion Arts & Culture Sports Multimedia About Us",
"Главная Новости Общество Экономика Спорт Культура", "News  Sports  Obituaries  e-Edition  Contact
Us"): four or more capitalised items, at least three of them and half of them the names of a site's
sections (scrubber/data/section_words.txt, in eight languages), above the first or below the last
line of prose.

Without separators only the words can tell a menu from a title in title case; a title names one
thing and holds few section names ("Local Business Owners Call For Traffic Changes" has three of
seven), and a name has lower-case links ("Center for Life Sciences Education"). A row inside the
article is left alone. On the dev pages it removes no line (their menus come one item a line); it was
written for scraped articles, where 13 such rows were left on the probe articles.
"""
    examples_drop = (
        "[drop] Home News Opinion Arts & Culture Sports Multimedia About Us Contact Search\n"
        "Dining hall to close early on weekends\n"
        "The university will close the main dining hall at 7 p.m. on Saturdays and Sundays from next "
        "month, the student union said on Tuesday.\n",
        "[drop] Главная Новости Общество Происшествия Экономика Спорт Культура Афиша\n"
        "На улице Строителей начался ремонт дороги, который продлится до конца августа, сообщили в "
        "администрации города.\n"
        "[drop] Residents   Business   Government   Services   Departments   News & Events   How Do I...",
    )
    examples_keep = (
        # a title in title case with few section names
        "Local Business Owners Call For Traffic Changes\n"
        "Shop owners on the high street asked the council on Monday to reopen the road to cars in the "
        "evenings, saying trade had fallen since the ban.\n",
        # the name of a school, with a lower-case link word
        "Center for Life Sciences Education\n"
        "The center runs workshops for teachers of biology and chemistry in the region every summer.\n",
        # a row of section names inside the article: the subject of the story
        "The redesign was announced on Monday by the editor of the paper.\n"
        "News Sport Business Culture Opinion\n"
        "Those five sections will now share one front page, the editor said in a note to readers.\n",
    )

    sees_removed = True  # every line, as MENU101 gets them: the prose flags are computed once for both
    sees_protected = True  # a protected line is content

    def find(self, lines, removed=frozenset(), *, protected=frozenset()):
        alive = non_blank(lines)
        first, last = prose_bounds(lines, alive, removed)
        if first is None:
            return []
        edges = [i for i in alive if (i < first or i > last) and i not in removed and i not in protected]
        return [Finding(i, "a menu bar of section names on one line, at the document's edge")
                for i in edges if is_flat_menu_row(lines[i])]


# What may stand before an entry of a table of contents and not before its heading: a bullet, a
# number ("2", "2.1", "3)"), a roman numeral.
TOC_NUMBERING = re.compile(r"(?:[-–—•·*>▸›]+\s*|\(?\d{1,2}(?:\.\d{1,2})*[.)]?\s+|[IVXivx]{1,4}[.)]\s+)?")
SPACES = re.compile(r"\s+")


def toc_key(line: str) -> str:
    """A line as a table of contents and its heading both print it: numbering, case, trailing
    colon and spacing left out."""
    text = TOC_NUMBERING.sub("", line.strip(), count=1).rstrip(" :")
    return SPACES.sub(" ", text).casefold()


def _last_words(lines):
    """Each non-blank line's last word, case-folded, without a trailing colon (mapped in C: MENU104
    asks it of every line of a page)."""
    return map(str.casefold, map(str.rstrip, map(itemgetter(-1), map(str.split, lines)), repeat(":")))


def is_toc_entry(line: str) -> bool:
    """Shaped like a heading: one to ten words, capitalised (or numbered), no sentence or label
    ending ("try:", "- Keep receipts.")."""
    stripped = line.strip()
    if not stripped or stripped[-1] in ".,;:" or len(stripped) > 100:
        return False
    first = stripped.lstrip("-–—•·*>▸›( ")[:1]
    return (first.isupper() or first.isdigit()) and 1 <= len(words(stripped)) <= 10


# Three sections, each a subheading and its paragraph: what MENU104's examples put a list above.
_MIGRATION_SECTIONS = (
    "Backfill\n"
    "We copied the historical data from a replica with an exporter that wrote batches of rows.\n"
    "Dual writes\n"
    "For four months every write went to both databases, and a reconciler compared the rows.\n"
    "Cutover\n"
    "The switch itself took eleven minutes on a quiet Sunday morning, with no errors reported.\n"
)


class TableOfContents(Detector):
    id = "MENU104"
    name = "table-of-contents"
    category = "menu"
    doc = """
Removes a table of contents: three or more short lines in a row ("Why cats get hairballs", "6
ways to reduce hairballs", "When to call the vet", or numbered "2 Abilities", "3 Side quest") each of
which the document prints again further down, in the same order, as a subheading with its own
paragraph below it.

The entries are links to the article's own sections; a reader of the text meets each of them again
where its section starts, so the first copy says nothing the headings do not. The evidence is the
headings themselves: every entry must find its subheading, each one later than the last. A list the
article introduces with a sentence ending in a colon ("We split the work into three phases:") is the
article's own and stays, and so does a list with a sentence among its lines. Nothing the article says
is lost: each entry's words stay in the document as its heading. On the dev pages it removes 146
lines of the page dumps on 21 sites and 3 of trafilatura's outputs (a bulleted list of a product's
features, each a section below); their gold keeps some tables of contents (run on the gold texts, it
removes 71 lines on 7 sites), the probe articles' curators drop them (25 lines on 7 articles).
"""
    examples_drop = (
        "How to stop hairballs\n"
        "[drop] Why cats get hairballs\n[drop] Six ways to reduce hairballs\n[drop] When to call the vet\n"
        "Most cats bring up a hairball now and then, and an occasional one is nothing to worry about.\n"
        "Why cats get hairballs\n"
        "A cat's tongue is covered in tiny hooks that catch loose fur, and most of it is swallowed.\n"
        "Six ways to reduce hairballs\n"
        "Brush your cat every day during the spring moult and feed a food with more fibre in it.\n"
        "When to call the vet\n"
        "Call the vet if your cat retches for a long time without bringing anything up at all.\n",
        # numbered entries, their headings printed without the numbers
        "[drop] 1 Early life\n[drop] 2 Career\n[drop] 3 Legacy\n"
        "Early life\n"
        "She was born in a small fishing town on the north coast and went to school in the city.\n"
        "Career\n"
        "Her first book, a history of the harbour, was published when she was twenty-six years old.\n"
        "Legacy\n"
        "The town library now carries her name, and her papers are kept in its reading room.\n",
    )
    examples_keep = (
        # the article's own list, introduced by a sentence ending in a colon
        "We split the migration into three phases:\n"
        "Backfill\nDual writes\nCutover\n"
        "Each phase had an exit criterion that was written down before the work on it started.\n"
        + _MIGRATION_SECTIONS,
        # the entries out of the order of the headings
        "Cutover\nBackfill\nDual writes\n" + _MIGRATION_SECTIONS,
        # two entries are not yet a table of contents
        "Backfill\nCutover\n"
        "Backfill\n"
        "We copied the historical data from a replica with an exporter that wrote batches of rows.\n"
        "Cutover\n"
        "The switch itself took eleven minutes on a quiet Sunday morning, with no errors reported.\n",
    )

    MIN_ENTRIES = 3
    INTRO_WORDS = 6  # a colon after this many words introduces the article's own list
    sees_removed = True  # a removed "Contents" heading inside the table does not break it
    sees_protected = True  # a protected line is content: never an entry, never the evidence

    def find(self, lines, removed=frozenset(), *, protected=frozenset()):
        alive = [i for i in non_blank(lines) if i not in removed]
        prose = remembered(prose_flags, lines)
        # The subheadings: heading-shaped lines with a paragraph right below.
        headings: dict[str, list[int]] = {}
        for i in compress(alive, map(prose.__getitem__, alive[1:])):
            if i not in protected and is_toc_entry(lines[i]):
                headings.setdefault(toc_key(lines[i]), []).append(i)
        if len(headings) < self.MIN_ENTRIES:
            return []
        # An entry ends with its heading's last word: asked of every line first (in C), it leaves the
        # whole test to a few lines. Lines that fail it end a run.
        last_words = set(_last_words(lines[h] for hs in headings.values() for h in hs))
        lasts = _last_words(map(lines.__getitem__, alive))
        found, run, previous = [], [], -2  # run: (entry, its heading) pairs
        for k in compress(range(len(alive)), map(last_words.__contains__, lasts)):
            if k != previous + 1:
                found += self._table(run)
                run = []
            previous = k
            i = alive[k]
            own = headings.get(toc_key(lines[i]), ()) if i not in protected and is_toc_entry(lines[i]) else ()
            heading = next((h for h in own if h > (run[-1][1] if run else i)), None)
            if heading is not None and (run or not self._introduced(lines, alive, k)):
                run.append((i, heading))
                continue
            found += self._table(run)
            run = []
            if heading is None:
                continue
            # this line may open a new table (its heading is then looked for after it)
            heading = next((h for h in own if h > i), None)
            if heading is not None and not self._introduced(lines, alive, k):
                run = [(i, heading)]
        return found + self._table(run)

    def _introduced(self, lines, alive, k) -> bool:
        """Whether the line before alive[k] is a sentence that ends in a colon."""
        if k == 0:
            return False
        before = lines[alive[k - 1]].rstrip()
        return before.endswith(":") and len(words(before)) >= self.INTRO_WORDS

    def _table(self, run) -> list[Finding]:
        # every heading must come after the table's last entry
        if len(run) < self.MIN_ENTRIES or run[0][1] <= run[-1][0]:
            return []
        return [Finding(i, f"an entry of a table of contents: {len(run)} lines in a row, each printed again "
                           "further down as a subheading above its paragraph, in the same order")
                for i, _ in run]

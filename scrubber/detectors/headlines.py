"""RELATED101, RELATED102 and RELATED103: headlines that belong to other pages."""
from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from functools import lru_cache
from itertools import compress, filterfalse, islice
from operator import itemgetter

from ..prefilter import prefixes
from ..textstats import remembered, remembered_each
from .base import Detector, Finding
from .lines import LIST_BULLETS, content_stems, is_headline_shaped, is_prose, non_blank, prose_flags, words

# "Some headline – Publisher": a link or <title> that names its site after a dash or a bar.
SOURCE_SUFFIX = re.compile(r"\s[–—|-]\s(?P<site>[A-Z0-9][\w.&'’]*(?:\s[A-Z0-9][\w.&'’]*){0,3})$")
SEPARATOR = re.compile(r"\s[–—|-]\s")
# A full stop closing the text before the site's name, or a sentence ending inside it: a quoted
# paragraph with its attribution ("... over the past year. – Local Times"), not a headline.
SENTENCES = re.compile(r"\.\s*$|[.!?][\"”’)]?\s+[A-Z]")
TOP_LINES = 4  # how many non-blank lines count as the top of the document
# Commas, colons, bars and slashes mark bylines, attributions, "Topic: subtitle" section headings and
# lists; on the dev pages those were most of the real content this detector removed.
NOT_A_TEASER = re.compile(r"[,:|/;()★]")
# Three figures or more make a row of data ("Prep Time 20 minutes Cook Time 50 minutes Total Time 1
# hour"), not a headline: a teaser's title holds a number or two ("10 Things to Do in Lisbon in 2026").
FIGURE = re.compile(r"\d[\d.,:/]*")  # "$64.00" and "03.03.2025" are one figure each
MAX_TEASER_FIGURES = 2


def _non_blank(lines) -> list[int]:
    return non_blank(lines)


class _Vocabulary:
    """The content stems of some lines (the article's), gathered only as far as a question needs:
    most headline-shaped lines share enough words with the first few to be ruled out. Each line's
    stems are kept for a later pass, which asks again for most of them."""

    def __init__(self, lines: list[str]):
        self._lines, self._read, self._stems = lines, 0, set()

    def new_stems(self, own: set[str], enough) -> set[str] | None:
        """`own` minus the vocabulary, or None once that is sure to be too few for `enough(count)`
        (it only shrinks as more lines are read)."""
        new = own - self._stems
        while self._read < len(self._lines):
            if not enough(len(new)):
                return None
            chunk = self._lines[self._read:self._read + 16]
            self._read += len(chunk)
            self._stems.update(*remembered_each(_line_stems, chunk))
            new -= self._stems
        return new


def _line_stems(line: str) -> frozenset[str]:
    return frozenset(content_stems(line))


def _teaser_shaped(line: str) -> bool:
    """A headline's shape (see RELATED102) and none of the marks of a byline, list or section title."""
    return (is_headline_shaped(line, UnrelatedHeadline.MIN_WORDS) and not NOT_A_TEASER.search(line)
            and len(FIGURE.findall(line)) <= MAX_TEASER_FIGURES)


class SourceHeadline(Detector):
    id = "RELATED101"
    name = "source-link-headline"
    category = "related"
    doc = """
Removes a headline that names its site after a dash or bar ("Some story title – NPR") near the top of
the document, when the article's own headline is also there. Such a line is the link or page title
of a source story that the scraper caught above the article; keeping it repeats a headline and adds a
publisher's name to the text. The article's own headline, a lone "Title – Site" line with no other
headline near it, and a paragraph of sentences signed with its source ("... last year. – Valley
Times") stay.
"""
    examples_drop = (
        "Mexico’s Leader Rejects the Troop Plan\n"
        "\n"
        "[drop] Mexico’s president says she rejected the plan to send troops – NPR\n"
        "[drop] \n"
        "Mexico’s President Rejects Military Deployment Proposal\n"
        "\n"
        "In a notable diplomatic development, the president has dismissed the suggestion to station troops.",
    )
    examples_keep = (
        "Bus Timetable for the Winter Season\n"
        "\n"
        "Route 14  Harbour - Old Town - University - Hospital - Airport Terminal\n"
        "\n"
        "Buses run every twenty minutes on weekdays and every half hour on Sundays and holidays.",
        "Pride and Prejudice – Chapter One\n"
        "\n"
        "It is a truth universally acknowledged, that a single man in possession of a good fortune, "
        "must be in want of a wife.",
        "Results – Season 2024\n\nThe club finished third after a strong run in the spring, the coach said on Monday.",
        # a quoted paragraph with its attribution, above a headline
        "Volunteers Tutor Pupils in the County\n"
        "\n"
        "This year 115 pupils in the county worked with a reading tutor. They met twice a week. – Valley Times\n"
        "\n"
        "The tutoring programme will run again next year, the school board said on Monday.",
    )

    # A protected line still counts as one of the top lines, but it is neither a source headline nor
    # the article's own headline that makes another one redundant.
    sees_protected = True

    def find(self, lines, *, protected=frozenset()):
        top = list(islice((i for i, line in enumerate(lines) if line.strip()), TOP_LINES))
        headlines = [i for i in top if i not in protected and (
                     is_headline_shaped(lines[i], min_words=4, max_words=30)
                     or (len(words(lines[i])) >= 4 and SOURCE_SUFFIX.search(lines[i].strip())))]
        found = []
        for i in headlines:
            stripped = lines[i].strip()
            m = SOURCE_SUFFIX.search(stripped)
            # One separator only: "A - B - C - D" is a list (a route, a breadcrumb), not a headline.
            if not m or len(words(stripped[:m.start()])) < 6 or len(SEPARATOR.findall(stripped)) > 1:
                continue
            if SENTENCES.search(stripped[:m.start()]):
                continue
            others = [j for j in headlines if j != i and not SOURCE_SUFFIX.search(lines[j].strip())]
            if others:
                found.append(Finding(i, f"headline ending with '{m.group(0).strip()}' "
                                        "beside the article's own headline"))
                if i + 1 < len(lines) and not lines[i + 1].strip():
                    pass  # the engine tidies the blank line left behind
        return found


class UnrelatedHeadline(Detector):
    id = "RELATED102"
    name = "unrelated-headline"
    category = "related"
    doc = """
Removes the headline of another story placed between the article's paragraphs (a "related stories"
teaser that lost its link). It is recognised by shape and by vocabulary: a Title-Case line of seven
or more words, with no sentence ending and none of the marks of a byline, a list or a
"Topic: subtitle" section heading (commas, colons, bars, slashes), and at most two figures (three
make a row of data: "Prep Time 20 minutes Cook Time 50 minutes Total Time 1 hour"), after a paragraph
of prose, whose content words mostly occur nowhere in the document's prose (at least three new ones,
and at least two in five), and which shares at
most one content word with the paragraph after it. A real subheading introduces its section, so its
words recur in the text; a teaser for another story brings names and topics of its own. A line the
document prints more than once (a product card's title, a slogan in a carousel, a heading repeated
by a table of contents) is part of the page itself and stays: an inserted teaser appears once.
"""
    examples_drop = (
        "Farmers Face a Dry Summer\n"
        "\n"
        "Farmers in the valley say the summer has been the driest in decades, and the reservoirs are low.\n"
        "\n"
        "The regional water board has asked farmers to cut irrigation by a fifth until the autumn rains come.\n"
        "\n"
        "Wells in the lower valley have dropped by two metres since the spring, the board's engineers said.\n"
        "\n"
        "[drop] Celebrity Chef Opens Floating Restaurant on Venice Lagoon\n"
        "\n"
        "Some farmers have already switched to drip systems, which use less water for the same harvest.\n"
        "\n"
        "Others say the cost of the new equipment is too high without help from the regional government.\n"
        "\n"
        "The water board will review the limits in September, when the reservoirs are measured again.",
    )
    examples_keep = (
        "Farmers Face a Dry Summer\n"
        "\n"
        "Farmers in the valley say the summer has been the driest in decades, and the reservoirs are low.\n"
        "\n"
        "The regional water board has asked farmers to cut irrigation by a fifth until the autumn rains come.\n"
        "\n"
        "How Farmers in the Valley Are Saving Water This Summer\n"
        "\n"
        "Some farmers have already switched to drip systems, which use less water for the same harvest.\n"
        "\n"
        "Others say the cost of the new equipment is too high without help from the regional government.",
        # a product's title, printed on its card and again in the basket summary, is the page's own line
        "Our Best Selling Garden Tools\n"
        "\n"
        "Every tool on this page is made in our workshop and comes with a ten-year guarantee.\n"
        "\n"
        "We test each batch by hand before it is packed and sent to the shops that sell it.\n"
        "\n"
        "Stainless Steel Hand Trowel With Ash Wood Handle Large\n"
        "\n"
        "Orders placed before noon leave the warehouse on the same day, and delivery is free.\n"
        "\n"
        "Stainless Steel Hand Trowel With Ash Wood Handle Large\n"
        "\n"
        "Each order is packed in paper and card, with no plastic, and the box can be composted.\n"
        "\n"
        "Returns are accepted within thirty days if the tool has not been used in the garden.",
        # a recipe card's times below the story, a row of data, not another story's headline
        "Browning the butter cooks the milk solids until they caramelise, which gives the cake a deep flavour. "
        "Let it cool for ten minutes before you add the eggs.\n"
        "Which apples to use\n"
        "Use a mix if you can: two tart apples and two sweeter, firmer ones. The tart ones soften into the batter "
        "while the firm ones stay in pieces.\n"
        "This cake keeps for three days under a dome, and it tastes better on the second day, once the apples have "
        "had time to soak into the crumb.\n"
        "Prep Time 20 minutes Cook Time 50 minutes Total Time 1 hour 10 minutes\n"
        "Heat the oven to 180°C (160°C fan) and line a 23 cm springform tin with baking paper.",
    )

    MIN_WORDS = 7
    MIN_NEW = 3
    MIN_NEW_SHARE = 0.4
    MAX_SHARED_WITH_NEXT = 1

    # A protected line is content: never a teaser, its words are part of the document's vocabulary,
    # and a heading followed by one (a code block, a table) introduces it.
    sees_protected = True
    # It looks at the surviving lines only, but is shown every line: the prose flags of every line
    # are then the same in the next pass (and in the engine's look for the article body), and are
    # computed once.
    sees_removed = True

    def find(self, lines, removed=frozenset(), *, protected=frozenset()):
        non_blank = list(filterfalse(removed.__contains__, _non_blank(lines))) if removed else _non_blank(lines)
        if len(non_blank) < 6:
            return []
        stems_by_line: dict[int, set[str]] = {}

        def stems(i: int) -> set[str]:
            if i not in stems_by_line:
                stems_by_line[i] = content_stems(lines[i])
            return stems_by_line[i]

        all_prose = remembered(prose_flags, lines)
        prose = list(map(all_prose.__getitem__, non_blank))  # (these lists in C: a page has many lines)
        vocabulary = None  # made when a first line passes the cheap tests: most pages have none
        recurring = None  # (so is the count of each line's copies)
        found = []
        # (The cheapest test first: on most pages few lines follow a prose line. Their shapes are
        # remembered for the next pass.)
        after_prose = list(compress(range(TOP_LINES, len(non_blank) - 1), islice(prose, TOP_LINES - 1, None)))
        shaped = remembered_each(_teaser_shaped, list(map(lines.__getitem__, map(non_blank.__getitem__, after_prose))))
        for pos in compress(after_prose, shaped):
            i = non_blank[pos]
            if i in protected or non_blank[pos + 1] in protected:
                continue
            if vocabulary is None:
                # Lines the document prints more than once (among those still there, as the next clean
                # sees only those): never teasers.
                recurring = Counter(lines[j].strip() for j in non_blank)
                # The article's vocabulary: words of its prose lines (other headlines do not count)
                # and of its protected lines.
                vocabulary = _Vocabulary([lines[j] for j, p in zip(non_blank, prose) if p or j in protected])
            if recurring[lines[i].strip()] > 1:
                continue
            own = stems(i)

            def enough(new_count: int) -> bool:  # new words enough for a teaser
                return new_count >= self.MIN_NEW and new_count >= self.MIN_NEW_SHARE * len(own)

            new = vocabulary.new_stems(own, enough)
            if new is None or not enough(len(new)):
                continue
            following = stems(non_blank[pos + 1])
            if len(own & following) > self.MAX_SHARED_WITH_NEXT:
                continue
            found.append(Finding(i, f"{len(new)} of {len(own)} content words appear nowhere else: "
                                    + ", ".join(sorted(new))))
        return found


@lru_cache(maxsize=1)
def _related_heading():
    """RELATED001's pattern: the headings of related-content blocks ("Most Read", "Más noticias de
    Vivienda", "Популярное"), kept in one place, the pack (as the built-in catalogue loaded it)."""
    from ..catalogue import builtin_catalogue

    return re.compile(builtin_catalogue().get("RELATED001").pattern)


@lru_cache(maxsize=1)
def _related_heading_starts() -> frozenset[str] | None:
    """The first two characters a related-content heading can begin with (every match of the pattern
    begins with one of them, `prefilter.prefixes`), or None when that cannot be told."""
    starts = prefixes(_related_heading().pattern, 2)
    return starts if starts and all(len(s) == 2 for s in starts) else None


_HEAD2 = itemgetter(slice(None, 2))
# No related-content heading is longer (the cheap test first: most lines are not headings).
HEADING_MAX_LENGTH = 80
# What a headline does not end with; a headline may end with "?" or "!".
NOT_HEADLINE_END = re.compile(r"[.,;:…]$")


def is_listed_headline(line: str) -> bool:
    """A headline in a list of links: 3 to 25 words, starting with a capital, a digit or a quote,
    without a sentence or label ending. A bullet before it is the list's ("- Title", as an article
    extractor writes a list's items)."""
    line = BULLET.sub("", line, count=1)
    n = len(line.split())
    return 3 <= n <= 25 and len(line) <= 200 and (line[0].isupper() or line[0].isdigit() or line[0] in "“\"‘'«„")\
        and not NOT_HEADLINE_END.search(line)


BULLET = re.compile("^" + LIST_BULLETS + r"[ \t]+")

# How a list item may open: a time ("14:20 · ..."), a rank or number ("1 ", "2. "), a bullet.
LIST_MARK = re.compile(r"^(?:(?P<time>\d{1,2}[:.h]\d{2}\b)|(?P<number>\d{1,2}[.)]?\s)"
                       r"|(?P<bullet>" + LIST_BULLETS + r"\s))")


def _list_mark(line: str) -> str | None:
    """The kind of mark a list item opens with, or None."""
    m = LIST_MARK.match(line)
    return m.lastgroup if m else None


class RelatedHeadlineList(Detector):
    id = "RELATED103"
    name = "related-headline-list"
    category = "related"
    doc = """
Removes the headlines listed under a related-content heading ("Most Read", "Related coverage",
"Más noticias de Vivienda", "Mehr aus Bad Aibling", "LEGGI ANCHE", "Популярное"; the headings of
RELATED001): the lines right below it that are shaped like headlines (3 to 25 words, no sentence
ending), up to the first line that is not, that repeats an item (the page printing the article's own
title below a sidebar list), that lacks the time or number the first item opens with ("14:20 ·
..."; the article's subheading and figures below such a list), or that follows a blank line when
the list was printed without them (a "Read also" box of one teaser, and the article going on). The
heading says what follows is a list of other pages; RELATED001 removes the heading itself.

When the list ends right above a paragraph, its last line stays: the article's next subheading
looks like a headline too, and keeping one teaser is better than losing a section title. A single
headline right above a paragraph is left alone for the same reason.

An item may open with a bullet, as an article extractor writes a list ("- Draught-Proofing Sash
Windows for Under £40"): the bullet is the list's, the headline after it. On the dev pages this took
the related lists of two extractor outputs (trafilatura input: +0.017 F1 summed over the pages; one
page's gold keeps its list, -0.010). Held-out probes ar01, ar02, ar03, ar05.
"""
    examples_drop = (
        # as an article extractor writes a list: each item after "- "
        "Loft insulation pays for itself within a few winters in most semi-detached houses, the survey found.\n"
        "Related posts\n"
        "[drop] - Draught-Proofing Sash Windows for Under £40\n"
        "[drop] - The Great Radiator Bleed: A Beginner's Guide\n"
        "[drop] - Do You Really Need a Vapour Barrier in Your Loft?",
        "The central bank kept its benchmark rate unchanged on Tuesday, as expected, and said inflation "
        "had eased enough to allow cuts next year.\n"
        "The decision was backed by all members of the committee, the bank said in a statement.\n"
        "Most Read\n"
        "[drop] Oil steadies as traders weigh supply talks\n"
        "[drop] Euro zone bond yields edge higher ahead of minutes\n"
        "[drop] Stocks to watch this week in the energy sector",
        "Short nights raise blood pressure in middle-aged adults, the study found, and most in shift "
        "workers whose sleep is pushed into the day.\n"
        "Related coverage\n"
        "[drop] What is a normal blood pressure reading by age?\n"
        "[drop] Sleep apnea symptoms, tests and treatment options\n"
        "Follow a regular schedule\n"
        "Going to bed and waking up at the same time every day, weekends included, is one of the simplest "
        "changes to make.",
        # the items open with a time; the article's subheading and its figures below them do not
        "Independiente sent a formal offer for the striker on Tuesday, the club's board confirmed after "
        "a long meeting.\n"
        "Últimas noticias\n"
        "[drop] 14:20 · Boca cerró la llegada de un lateral uruguayo\n"
        "[drop] 13:58 · River: el parte médico del capitán tras la práctica\n"
        "Las cifras de la operación\n"
        "Porcentaje del pase: 70%\n"
        "Monto ofrecido: US$ 3,5 millones\n"
        "En Junín, sin embargo, pretenden un poco más y no negociarán por debajo de los cuatro millones.",
        # a list printed without blank lines ends at the first one: the article's box of figures
        "Het waterschap heeft jarenlang gerekend aan alternatieven voor de dijk langs het dorp en de "
        "uiterwaarden.\n"
        "Lees ook:\n"
        "[drop] Hoogwater op de Waal: uiterwaarden bij Zaltbommel onder water\n"
        "\n"
        "Het project in cijfers\n"
        "Lengte: 4,8 kilometer\n"
        "Kosten: 112 miljoen euro\n"
        "Het grootste deel van het geld komt uit het landelijke Hoogwaterbeschermingsprogramma.",
        # a sidebar list ends where the page prints the article's own title again
        "Recent posts\n"
        "[drop] Pebblestore 2.3 released with faster compaction\n"
        "[drop] Our 2024 year in review for the project\n"
        "\n"
        "Our 2024 year in review for the project\n"
        "Mira Okonkwo, Core maintainer\n"
        "We are happy to look back on a year in which the project doubled its contributors and shipped "
        "four releases.",
    )
    examples_keep = (
        "The central bank kept its benchmark rate unchanged on Tuesday, as expected, and said inflation "
        "had eased enough to allow cuts next year.\n"
        "Related\n"
        "Why the bank waited\n"
        "The committee wanted to see two more months of figures before it moved, its chair told reporters "
        "after the meeting.",
    )

    sees_removed = True  # the heading is usually removed already (RELATED001)
    sees_protected = True  # a protected line is content: it ends the list

    def find(self, lines, removed=frozenset(), *, protected=frozenset()):
        heading = _related_heading()
        alive = non_blank(lines)
        # The places in `alive` of the headings, found in C over all the lines (a page has hundreds of
        # lines and few headings; a loop asking each line cost more than the regex).
        texts = list(map(lines.__getitem__, alive))
        fit = list(compress(range(len(alive)), map(HEADING_MAX_LENGTH.__ge__, map(len, texts))))
        starts = _related_heading_starts()
        stripped = list(map(str.strip, map(texts.__getitem__, fit)))
        if starts is not None:  # (a set lookup before the regex: a quarter of the lines begin as a heading can)
            can = list(map(starts.__contains__, map(_HEAD2, stripped)))
            fit, stripped = list(compress(fit, can)), list(compress(stripped, can))
        headings = list(compress(fit, map(heading.match, stripped)))
        if protected:
            headings = [p for p in headings if alive[p] not in protected]
        found = []
        k = 0
        while True:
            at = bisect_left(headings, k)  # the next heading from k on (the lines a list takes are skipped)
            if at == len(headings):
                break
            k = headings[at]
            i = alive[k]
            k += 1
            run, after, seen, mark = [], None, set(), None
            first, tight, last = True, False, i
            while k < len(alive):
                j = alive[k]
                text = lines[j].strip()
                if first:  # (the first item may be gone already: a second pass must find the same end)
                    mark, first = _list_mark(text), False
                    tight = j == i + 1  # no blank line between the heading and its first item
                # A list printed without blank lines ends at the first one: the article goes on, or
                # another box starts (its heading perhaps removed already, so tested first).
                if tight and not all(map(str.strip, lines[last + 1:j])):
                    after = j
                    break
                last = j
                if j in removed:
                    seen.add(text)
                    k += 1
                    continue
                # The list ends at a line that is no headline, at a headline it already listed (the
                # page printing the article's own title below its sidebar), and, when its items open
                # with a time or a number, at the first line that does not.
                if j in protected or not is_listed_headline(text) or text in seen \
                        or (mark is not None and _list_mark(text) != mark):
                    after = j
                    break
                seen.add(text)
                run.append(j)
                k += 1
            if run and after is not None and after not in removed and is_prose(lines[after]):
                run = run[:-1]  # the article's next subheading, perhaps
            title = lines[i].strip()
            found += [Finding(j, f"listed under the related-content heading '{title}'") for j in run]
        return found

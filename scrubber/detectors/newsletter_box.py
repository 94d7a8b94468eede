"""NEWS101: a newsletter or subscription box spread over several lines."""
from __future__ import annotations

import re
from bisect import bisect_left
from itertools import accumulate

from ..prefilter import first_matcher
from ..textstats import remembered
from .base import Detector, Finding
from .lines import LIST_BULLETS, TERMINAL, words

# A prompt to subscribe, at the start of a line, in the main languages of the web.
PROMPT = re.compile(
    r"(?i)^\W{0,3}(?:(?:sign[ -]?up|subscribe)(?=\s+(?:for|to|now|today|here|free)\b|\s*[:!.]|\s*$)|"
    r"join (?:our|the) (?:newsletter|mailing list|list)|"
    r"get (?:our|the) [\w ]{0,30}(?:newsletter|updates|inbox)|never miss|don[’']t miss|"
    r"stay (?:informed|updated|in the loop)|"
    r"enter your e-?mail|your e-?mail address|"
    r"suscr[ií]b[ae]te|reg[ií]strate|abonnieren|melden sie sich|abonnez-vous|inscrivez-vous|"
    r"inscreva-se|assine|iscriviti|abbonati|подпишитесь|подписаться)\b"
)
assert PROMPT.pattern.startswith(r"(?i)^\W{0,3}")
_PROMPT_WORDS = PROMPT.pattern.removeprefix(r"(?i)^\W{0,3}")


def _first_letters(words_pattern: str) -> str:
    """A lookahead for the letters the prompt's words can begin with, as one class (most lines fail
    it at once, where they would fail each word in turn), or "" if they are not all plain letters."""
    first = first_matcher("(?i)" + words_pattern)
    sources = first.pattern.split("|") if first is not None else []
    letters = [s[4:-1] for s in sources if re.fullmatch(r"\(\?i:\w\)", s)]  # (?i:s) -> s
    return f"(?=[{''.join(letters)}])" if letters and len(letters) == len(sources) else ""


# Every line PROMPT matches (once stripped) is found by this one search over all lines joined, which
# also finds a few others: only those are tried line by line. It finds the "\n" before such a line,
# not the line's start (^): `re` skips to a literal first character quickly, but tries a (?m)^ at
# every position.
_PROMPT_LINES = re.compile(r"(?im)\n(?=[^\S\n]*\W{0,3}" + _first_letters(_PROMPT_WORDS) + _PROMPT_WORDS + ")")


def _prompt_candidates(lines) -> list[int]:
    text = "\n" + "\n".join(lines)  # a "\n" before every line, the first one too
    starts = [m.start() for m in _PROMPT_LINES.finditer(text)]  # where the lines start in text[1:]
    if not starts:
        return []
    offsets = list(accumulate(map((1).__add__, map(len, lines)), initial=0))
    return [bisect_left(offsets, s) for s in starts]


# A prompt with an object ("Sign up for ...", "Subscribe to ...") is a box only if it offers what boxes
# offer; "Sign up for Twilio and get a phone number" is a tutorial's step, "Sign up for automatic
# transfers" an article's subheading.
OBJECT_PROMPT = re.compile(r"(?i)^\W{0,3}(?:sign[ -]?up|subscribe|register)\s+(?:for|to)\s")
BOX_OFFER = re.compile(r"(?i)\b(?:newsletters?|updates|news|e-?mails?|inbox|alerts|digest|briefings?|stories|headlines"
                       r"|offers|deals|tips|insights|daily|weekly|monthly|our|mailing list)\b")

# What a subscription box says besides the prompt: a welcome line or a title with no sentence in it.
TITLE_MAX_WORDS = 6
# A list item above a prompt is the article's (an ingredient list above an inline signup box), not
# the box's title.
LIST_ITEM = re.compile(r"(?:" + LIST_BULLETS + r"[ \t]|\d{1,2}[.)][ \t])")
# A prompt in quotation marks is speech the article reports, not a box.
QUOTE_MARKS = "«»\"“”„‘’'‹›"
PROMPT_MAX_WORDS = 25


def _next_line(lines, i: int) -> str:
    """The next non-blank line after i ("" at the end): where a wrapped prompt goes on."""
    return next((line for line in lines[i + 1:i + 4] if line.strip()), "")


def _removed_line_above(lines, i: int, removed) -> str:
    """The nearest non-blank line above i when another rule removed it (a box's pitch: "Get our
    columnists' sharpest arguments every Thursday morning."), else ""."""
    k = next((k for k in range(i - 1, max(-1, i - 4), -1) if lines[k].strip()), None)
    return lines[k] if k is not None and k in removed else ""


class NewsletterBox(Detector):
    id = "NEWS101"
    name = "newsletter-box"
    category = "newsletter"
    doc = """
Removes a subscription box that a scraper flattened into several lines: the prompt ("Sign up for daily
updates ...", "Subscribe to our newsletter"), the lines its text wrapped onto (a line that starts in
lower case right after a prompt with no sentence end), and a short title line just above it ("Welcome
to <Site>", "Newsletter"). The box asks for an e-mail address; it is not part of the article. A single
prompt line on its own is also removed; a sentence in the article that mentions subscribing is not
(the prompt must open the line and the line must be short), nor is a prompt that offers nothing a box
offers (no newsletter, updates, news, e-mails, alerts, deals ...), on its line, the next one or the
box's pitch right above it that another rule removed ("Subscribe to The Argument" under "Get our
columnists' sharpest arguments every Thursday morning."; held-out probe au10): "Sign up for Twilio
and get a phone number" is a step of a tutorial, "Sign up for automatic transfers" a subheading. A list item
("- Fresh basil, to serve") is never the box's title: a recipe's ingredient list may end right above
an inline signup box (held-out probe ar10).
"""
    examples_drop = (
        "The minister said the plan would take effect next year after a consultation.\n"
        "\n"
        "[drop] Welcome to The Daily Ledger\n"
        "[drop] \n"
        "[drop] Sign up for daily updates for the most important\n"
        "[drop] stories unfolding in the global economy.",
        "Prices rose by 3% in March, the statistics office said on Tuesday.\n"
        "[drop] Subscribe to our newsletter\n"
        "[drop] Get the best stories in your inbox every morning.\n"
        "Economists expect the rate to fall again in the summer.",
        # the ingredient list above an inline signup box is the recipe's (its prompt goes alone)
        "Roast everything on one tray until the peppers are blistered and the tomatoes collapse.\n"
        "- 3 cups vegetable broth\n"
        "- Fresh basil, to serve\n"
        "[drop] Sign up for my email list and get a new recipe every Friday.\n"
        "Blend until smooth and season to taste before serving with crusty bread.",
    )
    examples_keep = (
        "The fund should cover three to six months of expenses, most planners say.\n"
        "Sign up for automatic transfers\n"
        "The most reliable way to build the fund is to make it boring and automatic.",
        "Readers who subscribe to the print edition get the magazine a day early, the publisher said.",
        # a line of a play quoted in a review
        "The refrain comes back all evening, first cheerful, then mechanical, then almost begging.\n"
        "« Abonnez-vous, likez, partagez ! »\n"
        "Camille Ferrand wrote and directed the play after two years of watching live streams.",
        "Sign up sheets were posted on the door of the gym, and by noon every slot was taken by students\n"
        "who wanted to try the new climbing wall before the competition on Saturday.",
    )

    sees_removed = True  # the prompt may already be gone (NEWS002); its title and wrapped lines are not
    # A protected line (code, a table) is content: never a prompt, a wrapped line or a title, and the
    # box ends at it (a prompt-like line in a code block must not take the heading above with it).
    sees_protected = True

    def find(self, lines, removed=frozenset(), *, protected=frozenset()):
        found: dict[int, str] = {}
        n = len(lines)
        for i in remembered(_prompt_candidates, lines):  # (every line, each pass: the same until an edit)
            if i in protected:
                continue
            line = lines[i]
            if not PROMPT.match(line.strip()) or len(words(line)) > PROMPT_MAX_WORDS:
                continue
            if line.lstrip()[:1] in QUOTE_MARKS:  # someone's words quoted (a line of a play, a slogan)
                continue
            # (what the box offers may be said below the prompt, or in the pitch above it that another
            # rule took: "Subscribe to The Argument" under "Get our columnists' ... every Thursday")
            if OBJECT_PROMPT.match(line.strip()) and not BOX_OFFER.search(
                    " ".join((_removed_line_above(lines, i, removed), line, _next_line(lines, i)))):
                continue
            # A long line that ends a sentence and goes on is prose about subscribing, not a prompt.
            if len(words(line)) > 12 and line.rstrip()[-1:] in TERMINAL and "." in line.rstrip()[:-1]:
                continue
            if i not in removed:
                found[i] = "subscription prompt"
            # Wrapped continuation lines: no sentence end yet, next line starts in lower case.
            j = i
            while (j + 1 < n and j + 1 not in removed and j + 1 not in protected
                   and lines[j].rstrip()[-1:] not in TERMINAL and lines[j + 1][:1].islower()):
                j += 1
                found[j] = "continuation of the subscription prompt"
            # A short title above the prompt, possibly across one blank line.
            k = i - 1
            while k >= 0 and k not in protected and (k in removed or not lines[k].strip()) and i - k <= 2:
                k -= 1
            if k >= 0 and k not in found and k not in removed and k not in protected:
                title = lines[k].strip()
                if (title and len(words(title)) <= TITLE_MAX_WORDS and title[-1:] not in TERMINAL + ","
                        and not LIST_ITEM.match(title)):
                    found[k] = "title of the subscription box"
                    for b in range(k + 1, i):  # the blank line inside the box goes with it
                        if b not in removed:
                            found[b] = "inside the subscription box"
        return [Finding(i, why) for i, why in sorted(found.items())]

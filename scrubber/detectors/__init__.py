"""Rules that need more than a pattern: each module holds one family's detectors."""
from .headlines import RelatedHeadlineList, SourceHeadline, UnrelatedHeadline
from .learned import LearnedBoilerplate
from .menus import EdgeMenuRun, FlatMenuRow, SiteNameLine, TableOfContents
from .newsletter_box import NewsletterBox
from .page_chrome import PageChromeLine
from .residue import CommentEntry, DatedPostList, TrailingSection

# The order the engine runs them in. PAGE001 weighs the page as scraped (it sees removed lines too).
BUILTIN_DETECTORS = [NewsletterBox, SourceHeadline, UnrelatedHeadline, PageChromeLine]
# What extractors leave below an article (they look at the document's last lines only).
BUILTIN_DETECTORS += [TrailingSection, DatedPostList]
# A reader's comment between its header and its reply button, wherever the thread stands.
BUILTIN_DETECTORS.append(CommentEntry)
# Menus flattened into columns or rows at the document's ends, the site's name above the article, and the
# headlines listed under a related heading.
BUILTIN_DETECTORS += [EdgeMenuRun, FlatMenuRow, SiteNameLine, RelatedHeadlineList]
# A table of contents whose entries the document prints again as its subheadings.
BUILTIN_DETECTORS.append(TableOfContents)
# LEARN001 runs last: it needs corpus counts (scrubber/learn.py) and does nothing without them.
BUILTIN_DETECTORS.append(LearnedBoilerplate)

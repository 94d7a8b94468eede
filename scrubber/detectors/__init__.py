"""Rules that need more than a pattern: each module holds one family's detectors."""
from .headlines import SourceHeadline, UnrelatedHeadline
from .learned import LearnedBoilerplate
from .newsletter_box import NewsletterBox

# The order the engine runs them in.
BUILTIN_DETECTORS = [NewsletterBox, SourceHeadline, UnrelatedHeadline]
# LEARN001 runs last: it needs corpus counts (scrubber/learn.py) and does nothing without them.
BUILTIN_DETECTORS.append(LearnedBoilerplate)

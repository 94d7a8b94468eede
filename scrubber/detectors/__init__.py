"""Rules that need more than a pattern: each module holds one family's detectors."""
from .headlines import SourceHeadline, UnrelatedHeadline
from .newsletter_box import NewsletterBox

# The order the engine runs them in.
BUILTIN_DETECTORS = [NewsletterBox, SourceHeadline, UnrelatedHeadline]

"""An entry point for benchmark scripts that call a cleaner as a function of text, e.g.

    python ../shared/bench/score.py ../shared/bench/dev --input page --func scrubber.bench:clean_text
"""
from .engine import clean


def clean_text(text: str) -> str:
    """The clean text of one document, every built-in rule on."""
    return clean(text).text

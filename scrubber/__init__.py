"""scrubber: remove boilerplate and scrape artifacts from web-scraped text, and record every change.

    >>> import scrubber
    >>> result = scrubber.clean("Menu\\nThe council approved the budget on Tuesday.\\n")
    >>> result.text
    'The council approved the budget on Tuesday.\\n'
    >>> [(c.rule, c.before) for c in result.changes]
    [('MENU001', 'Menu\\n')]
    >>> scrubber.restore(result.text, result.changes) == "Menu\\nThe council approved the budget on Tuesday.\\n"
    True
"""
from .catalogue import Catalogue, PackError, builtin_catalogue, load_pack
from .changes import Change, LogMismatch, replay, restore
from .engine import Cleaner, Options, Result, clean

__all__ = [
    "Catalogue", "Change", "Cleaner", "LogMismatch", "Options", "PackError", "Result",
    "builtin_catalogue", "clean", "load_pack", "replay", "restore",
]
__version__ = "0.1.0"

r"""scrubber: remove boilerplate and scrape artifacts from web-scraped text, and record every change.

    >>> import scrubber
    >>> page = "Menu\nThe council approved the new budget on Tuesday after a long debate about roads.\n"
    >>> result = scrubber.clean(page)
    >>> result.text
    'The council approved the new budget on Tuesday after a long debate about roads.\n'
    >>> [(c.rule, c.before) for c in result.changes]
    [('MENU002', 'Menu\n')]
    >>> scrubber.restore(result.text, result.changes, original_hash=result.original_hash) == page
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

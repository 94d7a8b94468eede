"""Cleaning many documents: the one place that decides how units are scheduled."""
from __future__ import annotations

from typing import Iterable, Iterator

from .engine import Cleaner, Result
from .formats import Unit


def clean_units(cleaner: Cleaner, units: Iterable[Unit]) -> Iterator[tuple[Unit, Result]]:
    """Clean units in order, one at a time."""
    for unit in units:
        yield unit, cleaner.clean(unit.text, unit.protected)

"""Cleaning many documents: the one place that decides how units are scheduled.

`clean_units` cleans in this process, one unit at a time. `clean_stream` takes (cleaner, unit)
pairs, possibly from many files and cleaners, and with `jobs` > 1 cleans them in worker processes:
units are sent in chunks, each worker builds each cleaner once (from its pickled rules and options),
at most a few chunks per worker are in flight (so a huge input streams through in bounded memory),
and results come back in input order. Cleaning is deterministic, so the results are those of
`jobs=1`, byte for byte. A caller that needs only part of each result (the CLI: the clean text,
counts, log lines) says so with `finish`, which runs in the worker too: the parent then takes in a
compact value instead of a Result and its change records, and its share of the work stays small.
"""
from __future__ import annotations

import hashlib
import itertools
import os
import pickle
import sys
import time
from collections import deque
from dataclasses import replace
from typing import Any, Callable, Iterable, Iterator

from .engine import Cleaner, Result
from .formats import Unit

CHUNK_CHARS = 128_000  # text per task sent to a worker (at most)
# Documents per task (at most): small ones share a task, which costs the parent much the same whatever
# its size (a JSONL of 9,241 550-character documents: 2.38 s of the parent's CPU at 4 a task, 1.98 s at 64).
CHUNK_UNITS = 64
IN_FLIGHT_PER_JOB = 3  # chunks queued per worker: enough to keep it busy, few enough to bound memory


def clean_units(cleaner: Cleaner, units: Iterable[Unit], jobs: int = 1) -> Iterator[tuple[Unit, Result]]:
    """Clean units in order."""
    for _, unit, result in clean_stream(((cleaner, unit, None) for unit in units), jobs):
        yield unit, result


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def clean_stream(items: Iterable[tuple[Any, Unit | None, Any]], jobs: int = 1,
                 finish: Callable[[Unit, Result], Any] | None = None) -> Iterator[tuple[Any, Unit | None, Any]]:
    """For each (cleaner, unit, tag) yield (tag, unit, result) in the same order. An item whose unit
    is None passes through with result None (a marker, e.g. for a file with nothing to clean).

    With `finish`, `finish(unit, result)` is yielded instead of the result, computed where the unit
    was cleaned (in a worker process when jobs > 1). It is pickled with each chunk of work: a
    module-level function, or a small object of a module-level class. It must not read the unit's
    `meta` (the format's data for joining), which is not sent to workers."""
    if jobs <= 1:
        for cleaner, unit, tag in items:
            yield tag, unit, (None if unit is None else _cleaned(cleaner, unit, finish))
        return
    yield from _Parallel(jobs, finish).run(items)


def _cleaned(cleaner, unit: Unit, finish):
    return _finished(unit, cleaner.clean(unit.text, unit.protected), finish)


def _finished(unit: Unit, result: Result, finish):
    """What is handed back for a cleaned unit: its result, or `finish(unit, result)`."""
    return result if finish is None else finish(unit, result)


# -- worker side -------------------------------------------------------------------------------------

_CLEANERS: dict[str, Cleaner] = {}


def _work(task) -> list:
    token, blob, finish, units = task
    cleaner = _CLEANERS.get(token)
    if cleaner is None:
        cleaner = _CLEANERS[token] = pickle.loads(blob)
    return [_cleaned(cleaner, unit, finish) for unit in units]


def _sendable(unit: Unit) -> Unit:
    """The unit without its `meta`: a JSONL record's raw line would double what is sent."""
    return unit if unit.meta is None else replace(unit, meta=None)


# -- parent side -------------------------------------------------------------------------------------

class _Done:
    """A result known without a worker, in the queue like a finished task."""

    def __init__(self, value):
        self.value = value

    def ready(self) -> bool:
        return True

    def get(self) -> list:
        return [self.value]


def _pool(jobs: int, ctx):
    """A process Pool whose worker handler (it replaces workers that exit) does not spin. CPython's
    (3.10-3.13) also wakes whenever a result waits in the pipe, and loops until the result handler
    has read all of it: 0.45 s of the parent's 2.7-3.5 s of CPU on the 710 dev pages (clean --jobs 2
    --log). Workers that exit and terminate() still wake it. This overrides a private method, so
    only on the versions whose Pool it was read from; others get the plain Pool."""
    from multiprocessing.pool import Pool  # here: a run without --jobs does not import it

    if not ((3, 10) <= sys.version_info[:2] <= (3, 13) and hasattr(Pool, "_get_sentinels")):
        return Pool(jobs, context=ctx)

    class QuietPool(Pool):
        def _get_sentinels(self):
            return [self._change_notifier._reader]

    return QuietPool(jobs, context=ctx)


class _Parallel:
    def __init__(self, jobs: int, finish=None):
        import multiprocessing as mp

        self.jobs, self.finish = jobs, finish
        # fork starts workers fastest where it exists; they build their cleaners from the pickled
        # rules either way, so spawn (macOS, Windows) gives the same results.
        method = "fork" if "fork" in mp.get_all_start_methods() else "spawn"
        self.ctx = mp.get_context(method)
        self.blobs: dict[int, tuple[str, bytes, Any]] = {}  # id(cleaner) -> (token, pickled, cleaner)
        self.inherited = ""  # the token of the cleaner forked workers start with

    def _blob(self, cleaner) -> tuple[str, bytes]:
        entry = self.blobs.get(id(cleaner))
        if entry is None:
            blob = pickle.dumps(cleaner)
            # Named by content: equal cleaners (one per file, say) are built once per worker.
            token = f"{os.getpid()}-{hashlib.sha1(blob).hexdigest()}"
            entry = self.blobs[id(cleaner)] = (token, blob, cleaner)  # holding it keeps its id unique
        return entry[0], entry[1]

    def _chunks(self, items) -> Iterator[tuple[list, Any]]:
        """([(tag, unit)], task or None) per chunk: units of one cleaner, in order."""
        batch: list = []
        units: list = []
        size = 0
        current = None
        for cleaner, unit, tag in items:
            if batch and (unit is None or cleaner is not current or size >= CHUNK_CHARS or len(batch) >= CHUNK_UNITS):
                yield batch, self._task(current, units)
                batch, units, size = [], [], 0
            if unit is None:
                yield [(tag, None)], None
                continue
            known = getattr(cleaner, "cached_result", None)
            result = known(unit.text, unit.protected) if known is not None else None
            if result is not None:  # the cleaner has it already (a pre-pass): no worker needed
                if batch:
                    yield batch, self._task(current, units)
                    batch, units, size = [], [], 0
                yield [(tag, unit)], _Done(_finished(_sendable(unit), result, self.finish))
                continue
            current = cleaner
            batch.append((tag, unit))
            units.append(_sendable(unit))
            size += len(unit.text)
        if batch:
            yield batch, self._task(current, units)

    def _task(self, cleaner, units: list) -> tuple:
        token, blob = self._blob(cleaner)
        # A cleaner the workers have from the start is not sent (with small documents, the pickled
        # cleaner was most of what went through the pipe).
        return token, (None if token == self.inherited else blob), self.finish, units

    def run(self, items) -> Iterator[tuple[Any, Unit | None, Any]]:
        items = iter(items)
        first = next(items, None)
        if first is None:
            return
        if first[0] is not None and self.ctx.get_start_method() == "fork":
            # Forked workers inherit the first cleaner: most runs need no other, and none is unpickled.
            self.inherited, _ = self._blob(first[0])
            _CLEANERS[self.inherited] = first[0]
        pool = _pool(self.jobs, self.ctx)
        try:
            pending: deque = deque()
            limit = self.jobs * IN_FLIGHT_PER_JOB
            for batch, task in self._chunks(itertools.chain([first], items)):
                if isinstance(task, _Done):
                    pending.append((batch, task))
                else:
                    pending.append((batch, pool.apply_async(_work, (task,)) if task is not None else None))
                while len(pending) > limit or (pending and (pending[0][1] is None or pending[0][1].ready())):
                    yield from self._collect(pending.popleft())
            while pending:
                yield from self._collect(pending.popleft())
        finally:
            pool.terminate()
            pool.join()
            for token, _, _ in self.blobs.values():
                _CLEANERS.pop(token, None)

    @staticmethod
    def _collect(entry):
        batch, future = entry
        results = future.get() if future is not None else [None] * len(batch)
        for (tag, unit), result in zip(batch, results):
            yield tag, unit, result


class Progress:
    """A one-line progress report on stderr, for long runs only, and only on a terminal."""

    def __init__(self, stream=None, after: float = 1.5, every: float = 0.25):
        self.stream = stream or sys.stderr
        self.enabled = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.start = time.monotonic()
        self.after, self.every = after, every
        self.last = 0.0
        self.units = self.chars = self.files = 0
        self.shown = False

    def update(self, units: int = 0, chars: int = 0, files: int = 0) -> None:
        self.units += units
        self.chars += chars
        self.files += files
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self.start < self.after or now - self.last < self.every:
            return
        self.last = now
        mb = self.chars / 1e6
        rate = mb / (now - self.start)
        self.stream.write(f"\rscrubber: {self.files} files, {self.units} documents, {mb:.1f} MB, {rate:.1f} MB/s ")
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown:
            self.stream.write("\n")
            self.stream.flush()

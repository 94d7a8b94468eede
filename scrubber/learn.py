"""Boilerplate learned from the corpus: lines that recur at the edges of many documents.

Many sites repeat the same junk on every page (a footer line, a slogan, a promo) that no rule names.
CCNet observed that, across a web crawl, such lines are exactly the ones that recur in many documents.
When scrubber cleans many documents in one run (a folder, many paths, a JSONL corpus) it counts, for
every normalized line, the number of distinct documents that contain it; LEARN001 then removes the
lines that recur in `min_docs` or more documents, with safeguards for lines that are common for good
reasons:

- a line needs `min_words` to `max_words` words: short headings ("Introduction", "References"),
  list markers and rules ("-", "* * *") are never candidates, nor are long paragraphs;
- only lines at the edges are removed: peeling from the top and from the bottom, through blank and
  wordless lines, removal stops at the first line that is not a candidate. A repeated line between
  two lines of the article stays;
- the document must keep a prose line (a sentence of twelve or more words) that is not repeated
  elsewhere: a copy of another document, a poem or a code listing has no such line, and is left alone.

Counts come from a pre-pass over the run (`prepare`): each document's lines are counted as they are
and as the other rules' edits leave them (a line "Share this , story" is also counted as "Share
this, story", which is how the next run will see it). Without an index the pre-pass applies only the
rules that edit lines (ENC001, the strip and replace rules): they are cheap, the main pass then
cleans each document once, and nothing is kept in between, so memory does not grow with the corpus.
With an index (a pre-commit run on a few files) each document is cleaned in full, so that its index
entry can say which lines scrubber removed: the results are kept for the main pass (up to
CACHE_CHARS), and each document's line infos wait for the run's counts (in a temporary file past
INFOS_IN_MEMORY lines). A run without LEARN001 (`--ignore LEARN001`, a `--select` or a configuration
that leaves it out) has no pre-pass: its files are read once, and it does not update the index. So
that pre-commit runs, which see a few files at a time, benefit too, counts can also come from an
index in the repository (`.scrubber/lines.sqlite`, built by `scrubber learn PATH...`): per document,
the normalized lines it has, and the ones scrubber removed from it, so that a cleaned file still
counts for the lines that were taken out of it. Documents in the run replace their own entries in
the index, and `scrubber clean` updates the entries of the documents it cleans.

Cleaning twice changes nothing: a second run sees the first run's output, in which every line this rule
would remove is gone, the counts of the remaining lines are no higher than before (with the index,
they are the same), and the lines that stopped the peeling are still there.
"""
from __future__ import annotations

import functools
import itertools
import os
import pickle
import sqlite3
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Iterable, Iterator, Mapping, Sequence

from .catalogue import Catalogue
from .detectors.learned import (  # noqa: F401  (re-exported: the rule and its settings live there)
    LEARN_ID, NORMALIZATION, LearnedBoilerplate, LearnSettings, LineInfo, count_documents, doc_keys,
    line_info, line_key, line_keys, normalize, peel,
)
from .document import Document

# How much text a pre-pass with an index keeps cleaned for the main pass. A cached character costs
# about five bytes (the original as the key, the clean text, the change records; non-ASCII text takes
# 2-4 bytes a character): 32M characters took 142 MB on dev pages, 16M is about 70 MB.
# Documents past the budget are cleaned again in the main pass.
CACHE_CHARS = 16_000_000
# Distinct line keys the pre-pass counts in memory (a dict entry is about 100 bytes) before it adds
# them into a temporary SQLite table on disk: the keys of a big corpus are mostly lines seen once.
COUNTS_IN_MEMORY = 1_000_000
# Lines (of all documents) whose infos the pre-pass with an index keeps in memory until the run's
# counts are known (with the document's keys and index entry, about 230 bytes a line on dev pages);
# past that they wait in a temporary file.
INFOS_IN_MEMORY = 100_000


# -- the index ------------------------------------------------------------------------------------

class IndexError_(Exception):
    """An index that cannot be used; the message is ready for stderr."""


class Index:
    """Per document (a path relative to the project root, `#id` for JSONL records): the keys of its
    lines, each marked present or removed (taken out by scrubber, and still counted)."""

    def __init__(self, path: Path | str, create: bool = False):
        self.path = Path(path)
        if not create and not self.path.is_file():
            raise IndexError_(f"{self.path}: no such index (build it with `scrubber learn PATH...`)")
        if create and not self.path.parent.is_dir():
            fresh = self.path.parent.name == ".scrubber"
            self.path.parent.mkdir(parents=True)
            if fresh:  # the index is a local cache: keep it out of git unless the user decides otherwise
                (self.path.parent / ".gitignore").write_text("# created by scrubber learn\n*\n", encoding="utf-8")
        try:
            self.db = sqlite3.connect(str(self.path), timeout=60)
            self.db.executescript("""
                CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
                CREATE TABLE IF NOT EXISTS docs (id INTEGER PRIMARY KEY, name TEXT UNIQUE NOT NULL);
                CREATE TABLE IF NOT EXISTS lines (doc INTEGER NOT NULL, key INTEGER NOT NULL,
                    removed INTEGER NOT NULL, PRIMARY KEY (doc, key)) WITHOUT ROWID;
                CREATE TABLE IF NOT EXISTS counts (key INTEGER PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;
            """)
            row = self.db.execute("SELECT value FROM meta WHERE name = 'normalization'").fetchone()
        except sqlite3.DatabaseError as exc:
            raise IndexError_(f"{self.path}: not a scrubber index: {exc}") from None
        if row is None:
            with self.db:
                self.db.execute("INSERT INTO meta VALUES ('normalization', ?)", (NORMALIZATION,))
        elif row[0] != NORMALIZATION:
            raise IndexError_(f"{self.path}: built by another scrubber version; rebuild it with "
                              f"`scrubber learn --rebuild PATH...`")

    def close(self) -> None:
        self.db.close()

    def entry(self, name: str) -> dict[int, bool]:
        """key -> removed, for one document ({} when the index does not know it)."""
        rows = self.db.execute("SELECT l.key, l.removed FROM lines l JOIN docs d ON d.id = l.doc "
                               "WHERE d.name = ?", (name,))
        return {k: bool(r) for k, r in rows}

    def counts(self, keys: Iterable[int]) -> dict[int, int]:
        keys = list(keys)
        out: dict[int, int] = {}
        for i in range(0, len(keys), 500):
            chunk = keys[i:i + 500]
            marks = ",".join("?" * len(chunk))
            out.update(self.db.execute(f"SELECT key, n FROM counts WHERE key IN ({marks})", chunk))
        return out

    def put(self, name: str, present: set[int], removed: set[int]) -> bool:
        """Set a document's entry; False when it was already so (nothing is written then)."""
        new = {k: False for k in present}
        new.update({k: True for k in removed if k not in present})
        old = self.entry(name)
        if old == new:
            return False
        with self.db:
            self.db.execute("INSERT OR IGNORE INTO docs (name) VALUES (?)", (name,))
            (doc,) = self.db.execute("SELECT id FROM docs WHERE name = ?", (name,)).fetchone()
            gone = [k for k in old if k not in new]
            added = [k for k in new if k not in old]
            flipped = [(int(new[k]), doc, k) for k in new if k in old and old[k] != new[k]]
            self.db.executemany("DELETE FROM lines WHERE doc = ? AND key = ?", [(doc, k) for k in gone])
            self.db.executemany("UPDATE counts SET n = n - 1 WHERE key = ?", [(k,) for k in gone])
            self.db.executemany("INSERT INTO lines VALUES (?, ?, ?)", [(doc, k, int(new[k])) for k in added])
            self.db.executemany("INSERT INTO counts VALUES (?, 1) ON CONFLICT(key) DO UPDATE SET n = n + 1",
                                [(k,) for k in added])
            self.db.executemany("UPDATE lines SET removed = ? WHERE doc = ? AND key = ?", flipped)
            self.db.execute("DELETE FROM counts WHERE n <= 0")
        return True

    def stats(self, min_docs: int) -> tuple[int, int]:
        docs = self.db.execute("SELECT COUNT(*) FROM docs").fetchone()[0]
        frequent = self.db.execute("SELECT COUNT(*) FROM counts WHERE n >= ?", (min_docs,)).fetchone()[0]
        return docs, frequent


def index_name(run, source: str, unit_id: str) -> str | None:
    """How the index names a document: its path relative to the project root (+ '#id' or ':line')."""
    if source == "-":
        return None
    rel = run.config.relative(source)
    if rel is None:
        return None
    return rel + unit_id[len(source):] if unit_id.startswith(source) else rel


# -- a run: the pre-pass and the cleaners that use its counts -------------------------------------

class _Cache:
    """Results of the pre-pass, handed to the main pass so that most documents are cleaned once."""

    def __init__(self, budget: int | None = None):
        self.items: dict[tuple[str, frozenset], list] = {}
        self.budget = CACHE_CHARS if budget is None else budget

    def put(self, text: str, protected: frozenset, cleaner, result) -> None:
        key = (text, protected)
        if key in self.items:
            self.items[key][2] += 1
            return
        size = len(text) + len(result.text)
        if size <= self.budget:
            self.budget -= size
            self.items[key] = [cleaner, result, 1]

    def take(self, text: str, protected: frozenset, cleaner):
        item = self.items.get((text, protected))
        if item is None or item[0] is not cleaner:
            return None
        item[2] -= 1
        if item[2] <= 0:
            del self.items[(text, protected)]
        return item[1]


class CorpusCleaner:
    """A Cleaner that also removes learned boilerplate. Most documents keep the result of the
    pre-pass; only those the learned rule changes are cleaned again, with LEARN001 in the chain, so
    their change log is one composed record set against the original as always."""

    def __init__(self, base, counts: Mapping[int, int], settings: LearnSettings, cache: _Cache):
        self.base = base
        self.detector = LearnedBoilerplate(counts, settings)
        self.cache = cache

    @functools.cached_property
    def learned(self):
        """The cleaner with LEARN001 in its chain, built when a document first needs it: with --jobs,
        by each worker process (while the parent reads on) rather than by the parent before them."""
        from .engine import Cleaner  # the engine imports the detectors, which import this module

        catalogue = Catalogue([self.detector if r.id == LEARN_ID else r for r in self.base.catalogue])
        return Cleaner(catalogue, replace(self.base.options, select=(), ignore=(), packs=()))

    def __getattr__(self, name):
        if name == "base":  # not set yet (unpickling): no recursion
            raise AttributeError(name)
        return getattr(self.base, name)

    def __getstate__(self):
        state = dict(self.__dict__)
        state["cache"] = _Cache(0)  # a worker process cleans afresh; the cache stays with the run
        return state

    def cached_result(self, text: str, protected: frozenset[int] = frozenset()):
        """The result, when the pre-pass already has it and the learned rule leaves it as it is (then
        the runner need not send the document to a worker process); else None."""
        result = self.cache.take(text, protected, self.base)
        if result is not None and (result.refused or not self.detector.find(Document.parse(result.text).contents)):
            return result
        return None

    def clean(self, text: str, protected: frozenset[int] = frozenset()):
        result = self.cache.take(text, protected, self.base) or self.base.clean(text, protected)
        if result.refused or not self.detector.find(Document.parse(result.text).contents):
            return result
        return self.learned.clean(text, protected)


class Corpus:
    """The counts of one run; wraps each base cleaner that has LEARN001 in its chain."""

    def __init__(self, counts: dict[int, int], settings: LearnSettings, cache: _Cache):
        self.counts, self.settings, self.cache = counts, settings, cache
        self._wrapped: dict[int, object] = {}

    def wrap(self, base):
        if not any(r.id == LEARN_ID for r in base.catalogue) or not self.counts:
            return base
        if id(base) not in self._wrapped:
            self._wrapped[id(base)] = CorpusCleaner(base, self.counts, self.settings, self.cache)
        return self._wrapped[id(base)]


def _documents(run, paths: Sequence[str], errors: str, quiet: bool = True) -> Iterator[tuple[str, object]]:
    """(source path, Unit) for every document below the paths (unreadable files are skipped here;
    the main pass reports them). Files are read line by line, as the main pass reads them."""
    from .io import InputError, iter_files, open_text

    seen: set[str] = set()
    for item in iter_files(p for p in paths if p != "-"):
        if isinstance(item, InputError) or not run.accept(item):
            continue
        real = os.path.realpath(item)
        if real in seen:  # a file named twice (or also found in a folder) is one document
            continue
        seen.add(real)
        try:
            source = open_text(item, errors)
        except InputError:
            continue
        name = str(item)
        form = run.format_for(name)
        if quiet and hasattr(form, "with_options"):
            form = form.with_options(quiet=True)
        try:
            for unit in form.split(source.lines(), name):
                yield name, unit
        except InputError:  # the file changed since it was checked: the main pass reports it
            continue
        finally:
            source.close()


class _Counted:
    """The pre-pass's work on one document, done where the cleaning is (a worker, with --jobs): the
    keys of the document's lines (before and after the edits), and, when `full`, the base cleaner's
    result; else None, and only the editing rules run."""

    def __init__(self, base, full: bool):
        self.full = full
        self.cleaner = base if full else _editor(base)

    def clean(self, text: str, protected: frozenset[int] = frozenset()):
        result = self.cleaner.clean(text, protected)
        lines = set(text.split("\n"))
        keys = line_keys(lines)
        if result.text != text:  # the lines as the rules left them: only the new ones need keys
            keys |= line_keys(set(result.text.split("\n")) - lines)
        return (result if self.full else None), keys


def _editor(base):
    """The rules of `base` that edit lines rather than drop them (fixers, strip and replace rules),
    with nothing refused: what they make of each line is what the counts need."""
    from .catalogue import rule_kind
    from .engine import Cleaner

    edits = [r for r in base.catalogue
             if rule_kind(r) == "fixer" or (rule_kind(r) == "pattern" and r.action != "drop-line")]
    return Cleaner(Catalogue(edits), replace(base.options, select=(), ignore=(), packs=(), allow_gutting=True))


class _KeyCounts:
    """How many documents of the run have each line key, in bounded memory: up to `limit` keys in a
    dict, which is then added into a temporary SQLite table and emptied."""

    def __init__(self, limit: int | None = None):
        self.limit = COUNTS_IN_MEMORY if limit is None else limit
        self.mem: dict[int, int] = {}
        self.db: sqlite3.Connection | None = None
        self._dir: tempfile.TemporaryDirectory | None = None

    def add(self, keys: Iterable[int]) -> None:
        mem = self.mem
        for k in keys:
            mem[k] = mem.get(k, 0) + 1
        if len(mem) > self.limit:
            self._spill()

    def _spill(self) -> None:
        if self.db is None:
            self._dir = tempfile.TemporaryDirectory(prefix="scrubber-counts-")
            self.db = sqlite3.connect(os.path.join(self._dir.name, "counts.sqlite"))
            self.db.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;"
                                  "CREATE TABLE counts (key INTEGER PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;")
        with self.db:
            self.db.executemany("INSERT INTO counts VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET n = n + excluded.n",
                                self.mem.items())
        self.mem = {}

    def spilled(self) -> bool:
        return self.db is not None

    def items(self) -> Iterator[tuple[int, int]]:
        """Every (key, count), each key once."""
        if self.db is None:
            yield from self.mem.items()
            return
        self._spill()
        yield from self.db.execute("SELECT key, n FROM counts")

    def close(self) -> None:
        if self.db is not None:
            self.db.close()
            self._dir.cleanup()
            self.db = self._dir = None


class _Spool:
    """Items read back once, in order, after all were added: in memory up to `limit` lines' worth,
    then in a temporary file, so that a big run with an index does not hold every document's line
    infos until its counts are known."""

    def __init__(self, limit: int | None = None):
        self.limit = INFOS_IN_MEMORY if limit is None else limit
        self.items: list = []
        self.lines = 0
        self.file = None

    def append(self, item, lines: int) -> None:
        self.lines += lines
        if self.file is None and self.lines <= self.limit:
            self.items.append(item)
            return
        if self.file is None:
            self.file = tempfile.TemporaryFile(prefix="scrubber-infos-")
            for kept in self.items:
                pickle.dump(kept, self.file, pickle.HIGHEST_PROTOCOL)
            self.items = []
        pickle.dump(item, self.file, pickle.HIGHEST_PROTOCOL)

    def __iter__(self):
        yield from self.items
        if self.file is not None:
            self.file.seek(0)
            while True:
                try:
                    yield pickle.load(self.file)
                except EOFError:
                    return

    def close(self) -> None:
        if self.file is not None:
            self.file.close()
            self.file = None


def _phase_one(run, paths, errors, index: "Index | None", cache: _Cache, jobs: int = 1):
    """Count each document's lines once, as they are and as the other rules leave them (in `jobs`
    processes): with an index, after cleaning in full (`_Counted`), else after the editing rules only."""
    from .runner import clean_stream

    run_counts = _KeyCounts()
    replaced: dict[int, int] = {}  # per key: documents of the run whose index entry had it
    index_docs = _Spool()  # (name, keys, line infos, old index entry) per document
    counters: dict[int, _Counted] = {}

    def counted(base):
        if id(base) not in counters:
            counters[id(base)] = _Counted(base, full=index is not None)
        return counters[id(base)]

    # A file's settings are looked up once, not for each of its JSONL records.
    base_for = functools.lru_cache(maxsize=4)(run.base_cleaner_for)
    items = ((counted(base_for(source)), unit, source) for source, unit in _documents(run, paths, errors))
    for source, unit, (result, keys) in clean_stream(items, jobs):
        if result is None:
            run_counts.add(keys)
            continue
        base = base_for(source)
        cache.put(unit.text, unit.protected, base, result)
        name = index_name(run, source, unit.id) if index is not None else None
        old: dict[int, bool] = index.entry(name) if name is not None else {}
        for k in old:
            replaced[k] = replaced.get(k, 0) + 1
        keys |= {k for k, removed in old.items() if removed}
        run_counts.add(keys)
        if name is not None:
            infos = [line_info(line) for line in Document.parse(result.text).contents]
            index_docs.append((name, keys, infos, old), len(infos))
    return run_counts, replaced, index_docs


def prepare(run, paths: Sequence[str], errors: str = "strict", *, update_index: bool, jobs: int = 1) -> str:
    """Count the run's documents (and the index's, when there is one) and install the counts on the
    run, so that `run.cleaner_for(path)` removes learned boilerplate. Returns a message for stderr
    ("" when there is nothing to say)."""
    settings = run.learn
    files = [p for p in paths if p != "-"]
    if not files or not _runs_the_rule(run, files):
        return ""
    index_path = run.index_path()
    index = Index(index_path) if index_path.is_file() else None
    if index is None and not _may_reach(run, files, settings.min_docs):
        return ""
    cache = _Cache() if index is not None else _Cache(0)  # without an index, nothing is kept
    run_counts = index_docs = None
    try:
        run_counts, replaced, index_docs = _phase_one(run, files, errors, index, cache, jobs)
        counts: dict[int, int] = {}
        pairs = run_counts.items()
        while True:  # in slices, so that a run whose counts went to disk does not come back whole
            chunk = dict(itertools.islice(pairs, 100_000))
            if not chunk:
                break
            if index is not None:
                for k, n in index.counts(chunk).items():
                    chunk[k] += n - replaced.get(k, 0)
            counts.update((k, n) for k, n in chunk.items() if n >= settings.min_docs)
        message = ""
        if index is not None and update_index:
            changed = 0
            for name, keys, infos, old in index_docs:
                peeled = {infos[i].key for i, _ in peel(infos, counts, settings)}
                final = {info.key for info in infos if info.key is not None} - peeled
                if index.put(name, final, keys - final):
                    changed += 1
            if changed:
                message = f"updated {changed} documents in {index_path}"
    finally:
        if index is not None:
            index.close()
        if run_counts is not None:
            run_counts.close()
        if index_docs is not None:
            index_docs.close()
    run.corpus = Corpus(counts, settings, cache)
    return message


def _runs_the_rule(run, files: Sequence[str]) -> bool:
    """Whether LEARN001 is in the catalogue of any file of the run (--select, --ignore and the
    configuration decide): if not, there is nothing to count, and the files are read once."""
    from .io import iter_files

    def has(cleaner) -> bool:
        return any(r.id == LEARN_ID for r in cleaner.catalogue)

    if not run.config.overrides:  # one catalogue for every file
        return has(run.base_cleaner_for(None))
    return any(isinstance(item, Path) and run.accept(item) and has(run.base_cleaner_for(str(item)))
               for item in iter_files(files))


def _may_reach(run, files: Sequence[str], min_docs: int) -> bool:
    """Without an index, counts can reach min_docs only with that many documents in the run."""
    from .io import iter_files

    seen = 0
    for item in iter_files(files):
        if isinstance(item, Path) and run.accept(item):
            if getattr(run.format_for(str(item)), "name", "") == "jsonl":
                return True
            seen += 1
            if seen >= min_docs:
                return True
    return False


def learn_paths(run, paths: Sequence[str], errors: str = "strict",
                rebuild: bool = False) -> tuple[Path, int, int, int, int]:
    """`scrubber learn`: record the lines of every document below the paths in the index.
    Returns (index path, documents seen, entries changed, documents in the index, frequent lines)."""
    path = run.index_path()
    if rebuild and path.is_file():
        os.unlink(path)
    index = Index(path, create=True)
    seen = changed = 0
    try:
        for source, unit in _documents(run, [p for p in paths if p != "-"], errors, quiet=False):
            name = index_name(run, source, unit.id)
            if name is None:
                continue
            seen += 1
            old = index.entry(name)
            keys = doc_keys(unit.text)
            if index.put(name, keys, {k for k, removed in old.items() if removed} - keys):
                changed += 1
        docs, frequent = index.stats(run.learn.min_docs)
    finally:
        index.close()
    return path, seen, changed, docs, frequent

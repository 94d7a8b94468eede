"""The command line: `scrubber clean | check | explain | restore | rules`.

stdout carries only clean text (or a diff, a listing, a restored original); every message goes to
stderr. Exit codes: 0 done, 1 `check` found something to clean (or `rules --check` a failing
example), 2 a usage or input error (the other files are still processed).
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Iterator, NamedTuple

import click

from . import __version__
from .catalogue import PackError, builtin_catalogue, load_pack
from .config import ConfigError, Run, discover
from .changes import LogMismatch, change_records, document_header, read_log, restore, summarize, text_hash
from .engine import Options, Result
from .examples import check_rule
from .formats import FORMATS
from .runner import Progress, clean_stream, default_jobs
from .io import (InputError, TextSource, atomic_write_chunks, encode, iter_files, open_stdin,
                 open_text, split_lines, stale_temps)
from .ruledoc import render, render_catalogue_markdown, summary

STDIN = "-"


def _say(message: str) -> None:
    click.echo(message, err=True)


def rule_options(f):
    """--select / --ignore / --rules, shared by every command that cleans."""
    f = click.option("--rules", "packs", multiple=True, type=click.Path(dir_okay=False),
                     help="An extra rule pack (TOML); repeat for several.")(f)
    f = click.option("--ignore", multiple=True, metavar="ID",
                     help="Skip a rule or a family (e.g. MENU003 or PROMO); repeatable.")(f)
    f = click.option("--select", multiple=True, metavar="ID",
                     help="Run only these rules or families; repeatable. Default: all.")(f)
    f = click.option("--max-removed-share", type=click.FloatRange(0, 1), default=Options.max_removed_share,
                     show_default=True,
                     help="Leave a document unchanged, and report it, when cleaning would remove more than "
                          "this share of its words.")(f)
    f = click.option("--allow-gutting", is_flag=True,
                     help="Accept any removal, even one that empties a document.")(f)
    f = click.option("--errors", type=click.Choice(["strict", "surrogateescape"]), default="strict",
                     show_default=True,
                     help="Invalid UTF-8: stop with an error, or carry the bytes through unchanged.")(f)
    return f


def format_option(f):
    return click.option("--format", "fmt", type=click.Choice(sorted(FORMATS)), default=None,
                        help="How to read the files. Default: from the file name, else plain text.")(f)


def config_options(f):
    """--config / --isolated / --field / --id-field: the project configuration and JSONL fields."""
    f = click.option("--id-field", metavar="NAME", help="JSONL: the field that names each record. [default: id]")(f)
    f = click.option("--field", metavar="NAME", help="JSONL: the field to clean. [default: text]")(f)
    f = click.option("--isolated", is_flag=True, help="Ignore configuration files.")(f)
    f = click.option("--config", "config_path", type=click.Path(dir_okay=False),
                     help="Read settings from this file instead of the nearest .scrubber.toml or "
                          "pyproject.toml [tool.scrubber].")(f)
    return f


def _run(paths, config_path=None, isolated=False, validate=True, explain=True, **params) -> Run:
    """The run's settings: the configuration file with the flags the user gave on top (docs/configuration.md)."""
    ctx = click.get_current_context()
    given = {k: v for k, v in params.items()
             if ctx.get_parameter_source(k) not in (None, click.core.ParameterSource.DEFAULT)}
    try:
        run = Run(discover(paths, config_path, isolated), given)
        run.explain = explain(run) if callable(explain) else explain
        if validate:  # a bad pack or selection is reported before any file is read
            run.base_cleaner_for(None)
        return run
    except (ConfigError, PackError) as exc:
        _say(f"scrubber: {exc}")
        sys.exit(2)


def _say_if(message: str) -> None:
    if message:
        _say(message)


def _learn(run: Run, paths, errors: str, update_index: bool, jobs: int = 1) -> str:
    """Learned boilerplate (LEARN001): count the run's documents, and the index's, before cleaning."""
    from .learn import IndexError_, prepare

    try:
        return prepare(run, paths, errors, update_index=update_index, jobs=jobs)
    except IndexError_ as exc:
        _say(f"scrubber: {exc}")
        sys.exit(2)


def _inputs(paths: tuple[str, ...], errors: str, accept=None) -> Iterator[tuple[str, str | None, str]]:
    """(name, text or None, error message) for stdin or each file below the paths, read whole."""
    for name, source, error in _sources(paths, errors, accept):
        if source is None:
            yield name, None, error
            continue
        try:
            text = source.text()
        finally:
            source.close()
        yield name, text, ""


def _sources(paths: tuple[str, ...], errors: str, accept=None) -> Iterator[tuple[str, TextSource | None, str]]:
    """(name, source or None, error message) for stdin or each file below the paths: like `_inputs`,
    but a source is read line by line when cleaned (after a check that it is text, valid UTF-8), so
    inputs of any size stream through."""
    if not paths or paths == (STDIN,):
        try:
            yield STDIN, open_stdin(sys.stdin.buffer, errors), ""
        except InputError as exc:
            yield STDIN, None, str(exc)
        return
    for item in iter_files(p for p in paths if p != STDIN):
        if isinstance(item, InputError):
            yield str(item).split(":")[0], None, str(item)
            continue
        if accept is not None and not accept(item):  # the configuration's include / exclude
            continue
        try:
            yield str(item), open_text(item, errors), ""
        except InputError as exc:
            yield str(item), None, str(exc)


def jobs_option(f):
    return click.option("--jobs", "-j", type=click.IntRange(min=0), default=None, metavar="N",
                        help="Worker processes. Default: all cores when there are many inputs (folders, "
                             "several files, JSONL), else 1. Output and logs are the same for any N.")(f)


def _jobs(jobs: int | None, paths, run) -> int:
    if jobs:
        return jobs
    many = len(paths) > 1 or any(os.path.isdir(p) for p in paths) or any(
        getattr(run.format_for(p), "name", "") == "jsonl" for p in paths if p != STDIN)
    return default_jobs() if jobs == 0 or many else 1


class _File:
    """One input of a run, travelling with its units through the (possibly parallel) cleaning."""

    def __init__(self, name: str, source: TextSource | None, error: str, form=None):
        self.name, self.source, self.error, self.form = name, source, error, form


def _work_items(sources, run, skip=lambda name: False):
    """(cleaner, unit, file) for every unit of every input, in order; a file without units (an error,
    an empty JSONL file) passes as one item whose unit is None."""
    for name, source, error in sources:
        if source is not None and skip(name):
            source.close()
            continue
        if source is None:
            yield None, None, _File(name, None, error)
            continue
        form = run.format_for(name)
        file = _File(name, source, "", form)
        cleaner = run.cleaner_for(name)
        n = 0
        for unit in form.split(source.lines(), name):
            n += 1
            yield cleaner, unit, file
        if not n:
            yield None, None, file


def _by_file(items, jobs: int, finish):
    """(file, iterator of (unit, `_Cleaned`)) per input, in order, cleaned with `jobs` processes;
    `finish` (a `_Summary`) says what each `_Cleaned` holds."""
    from itertools import groupby

    for file, group in groupby(clean_stream(items, jobs, finish), key=lambda x: x[0]):
        yield file, ((u, r) for _, u, r in group if u is not None)


class _Cleaned(NamedTuple):
    """What the CLI keeps of a cleaned unit, made by `_Summary` where the unit was cleaned (a worker
    process with --jobs): the parent takes in a few fields and one string of log lines, rather than
    a Result whose thousands of change records it would unpickle and then serialize one by one."""

    text: str
    n_changes: int
    n_proposed: int  # changes refused (see `refused`)
    refused: str
    unsettled: tuple[str, ...]
    bom: str
    original_hash: str
    clean_hash: str  # of `text`, for the log of a whole document; else ""
    log: str  # the unit's change records as log lines ("" without a log)
    rules: dict[str, int]  # changes per rule (`check`), else {}


class _Summary:
    """Makes a unit's `_Cleaned` from its Result: with its log lines when `log`, with its changes per
    rule when `by_rule`. Picklable, to run in the worker processes (`runner.clean_stream`)."""

    def __init__(self, log: bool = False, by_rule: bool = False):
        self.log, self.by_rule = log, by_rule

    def __call__(self, unit, result: Result) -> _Cleaned:
        whole = self.log and unit.part < 0
        return _Cleaned(result.text, len(result.changes), len(result.proposed), result.refused,
                        tuple(result.unsettled), result.bom, result.original_hash,
                        text_hash(result.text) if whole else "", _change_lines(unit, result) if self.log else "",
                        summarize(result.changes) if self.by_rule else {})


def _change_lines(unit, result: Result) -> str:
    """The log lines of a unit's change records, in the document's offsets and line numbers when the
    unit is a window of it. A refused document's proposals are logged too, under their own type, so
    that they can be reviewed (a text of several pages can have both: a page refused, others cleaned)."""
    from .document import BOM

    records = [*change_records(unit.id, result.changes), *change_records(unit.id, result.proposed, "refused-change")]
    if unit.part >= 0:
        # The window's offsets leave out a BOM at its start; only the document's first one has one.
        base = unit.base_offset + (len(BOM) if unit.part > 0 and unit.text.startswith(BOM) else 0)
        for rec in records:
            rec["line"] += unit.base_line
            rec["start"] += base
            rec["end"] += base
    return _json_lines(records)


class _Window:
    """A document cleaned in windows, logged as one: hashes and counts add up, change records are
    spooled (their offsets made the document's own) until the document record can be written."""

    def __init__(self):
        import hashlib
        import tempfile

        self.original, self.clean = hashlib.sha256(), hashlib.sha256()
        self.spool = tempfile.TemporaryFile("w+", encoding="utf-8")
        self.changes = self.proposed = 0
        self.bom = ""
        self.refused: list[str] = []
        self.unsettled: set[str] = set()
        self.parts = 0


class _Log:
    """The change log file, when --log is given."""

    def __init__(self, path: str | None, append: bool = False):
        self.fh = open(path, "a" if append else "w", encoding="utf-8") if path else None
        self._window: _Window | None = None
        if self.fh is not None and append and self.fh.tell():
            # A later run: marked, so that `restore` can tell the runs apart (docs/safety.md). A line
            # cut short by a killed run is ended first, so that it does not swallow the marker.
            with open(path, "rb") as fh:
                fh.seek(-1, os.SEEK_END)
                cut = fh.read(1) != b"\n"
            self.fh.write(("\n" if cut else "") + _json_line({"type": "run", "scrubber": __version__}))

    def write_unit(self, unit, cleaned: _Cleaned) -> None:
        """Log one cleaned unit: a whole document, or a window of one (see `formats.Unit`)."""
        if self.fh is None:
            return
        if unit.part < 0:
            # The clean text's hash and the count of changes came from the worker, with the summary.
            record = document_header(unit.id, cleaned.original_hash, cleaned.clean_hash, cleaned.n_changes,
                                     bom=cleaned.bom, refused=cleaned.refused, proposed=cleaned.n_proposed,
                                     unsettled=cleaned.unsettled)
            record.update(_literal_note(unit, cleaned))
            self.fh.write(_json_line(record))
            self.fh.write(cleaned.log)
            return
        if unit.part == 0 or self._window is None:
            self._window = _Window()
        w = self._window
        w.parts += 1
        w.original.update(unit.text.encode("utf-8", "surrogatepass"))
        w.clean.update(cleaned.text.encode("utf-8", "surrogatepass"))
        if unit.part == 0:
            w.bom = cleaned.bom
        w.spool.write(cleaned.log)
        w.changes += cleaned.n_changes
        w.proposed += cleaned.n_proposed
        if cleaned.refused:
            w.refused.append(f"part {unit.part + 1}: {cleaned.refused}")
        w.unsettled.update(cleaned.unsettled)
        if unit.last:
            record = document_header(unit.id, "sha256:" + w.original.hexdigest(), "sha256:" + w.clean.hexdigest(),
                                     w.changes, bom=w.bom, refused="; ".join(w.refused), proposed=w.proposed,
                                     unsettled=sorted(w.unsettled))
            record["windows"] = w.parts
            self.fh.write(_json_line(record))
            w.spool.seek(0)
            for line in w.spool:
                self.fh.write(line)
            w.spool.close()
            self._window = None

    def is_file(self, name: str) -> bool:
        try:
            return self.fh is not None and name != STDIN and os.path.samefile(name, self.fh.name)
        except OSError:
            return False

    def sync(self) -> None:
        """Make the records written so far durable: called before a file is replaced in place, so
        that a run killed at any moment never leaves a rewritten file whose original is not logged."""
        if self.fh is not None:
            self.fh.flush()
            os.fsync(self.fh.fileno())

    def close(self) -> None:
        if self.fh is not None:
            self.fh.close()


def _literal_note(unit, cleaned: _Cleaned) -> dict:
    """For a JSONL record that changed: how its field was spelled, if not as `clean` writes it."""
    from .formats.jsonl import Record, literal_note

    rec = unit.meta
    if not isinstance(rec, Record) or rec.start < 0 or cleaned.text == unit.text:
        return {}
    return literal_note(rec.raw[rec.start:rec.end], unit.text)


# json.dumps(record, ensure_ascii=False), without making an encoder for every record.
_TO_JSON = json.JSONEncoder(ensure_ascii=False).encode


def _json_line(record: dict) -> str:
    """One log line. Text read with --errors surrogateescape (or a file name with undecodable bytes)
    holds lone surrogates, which UTF-8 cannot encode: such a record is written with \\u escapes,
    which json reads back to the same string."""
    line = _TO_JSON(record)
    try:
        line.encode("utf-8")
    except UnicodeEncodeError:
        line = json.dumps(record, ensure_ascii=True)
    return line + "\n"


def _json_lines(records: list[dict]) -> str:
    """`_json_line` of each record, checked for lone surrogates once for all of them."""
    text = "".join([_TO_JSON(record) + "\n" for record in records])
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = "".join(map(_json_line, records))
    return text


def _say_windowed(unit) -> None:
    """Once per windowed document (at its first window): pages in it parted by blank lines are
    cleaned one by one (`engine.pages_in`); pages joined otherwise are one page to scrubber, cleaned
    worse that way, and not idempotently, than one per file or one per JSONL line (README, "Page
    dumps joined with blank lines")."""
    if unit.part == 0:
        _say(f"{unit.id}: long document, cleaned in windows: pages in it with a blank line between them "
             "are cleaned one by one; give others one per file or one per JSONL line")


def _unit_name(unit) -> str:
    """A document's name in messages, with the window's place for a window of one (a refusal names
    lines of the window)."""
    return unit.id if unit.part < 0 else f"{unit.id} (window {unit.part + 1}, from line {unit.base_line + 1})"


def _report(name: str, refused: str, proposed: int, unsettled) -> None:
    if refused:
        _say(f"{name}: left unchanged: {refused} ({proposed} changes proposed)")
    if unsettled:
        _say(f"{name}: rules still changing text after the last pass: {', '.join(unsettled)}")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="scrubber")
def cli():
    """Remove boilerplate and scrape artifacts from web-scraped text, recording every change.

    \b
    Examples:
      curl -s URL | html2text | scrubber clean > article.txt
      scrubber clean page.txt --log page.changes.jsonl
      scrubber clean --in-place corpus/
      scrubber check corpus/          (exit 1 when anything would change)
      scrubber explain page.txt       (every line, its verdict and the rule)
      scrubber rules                  (the catalogue)
    """


@cli.command()
@click.argument("paths", nargs=-1)
@click.option("--in-place", "-i", is_flag=True, help="Rewrite the files (atomically) instead of printing.")
@click.option("--diff", is_flag=True, help="Print a unified diff instead of the clean text.")
@click.option("--log", "log_path", type=click.Path(dir_okay=False),
              help="Write the change records as JSON lines to this file (a new or empty one).")
@click.option("--append-log", is_flag=True,
              help="Add this run's records to an existing log instead of refusing to write over it.")
@format_option
@rule_options
@config_options
@jobs_option
def clean(paths, in_place, diff, log_path, append_log, fmt, errors, allow_gutting, max_removed_share, select, ignore,
          packs, config_path, isolated, field, id_field, jobs):
    """Clean PATHS (files or folders; stdin when none or -) and write the clean text to stdout."""
    if in_place and diff:
        raise click.UsageError("--in-place and --diff exclude each other")
    if in_place and (not paths or STDIN in paths):
        raise click.UsageError("--in-place needs file or folder paths, not stdin")
    # Detectors' full evidence is read only from the log: without one they give it in short (faster).
    run = _run(paths, config_path, isolated, explain=lambda run: bool(run.log_path), log_path=log_path, fmt=fmt,
               allow_gutting=allow_gutting, field=field, id_field=id_field, max_removed_share=max_removed_share,
               select=select, ignore=ignore, packs=packs)
    if append_log and not run.log_path:
        raise click.UsageError("--append-log needs --log (or a log in the configuration)")
    append = run.log_append or append_log
    if run.log_path and not append and os.path.isfile(run.log_path) and os.path.getsize(run.log_path):
        # Its records may be all that can restore an earlier run's output: never written over.
        _say(f"scrubber: {run.log_path} already holds change records; refusing to write over it. "
             f"Add --append-log to add this run's records to it, or give a new --log path.")
        sys.exit(2)
    jobs = _jobs(jobs, paths, run)
    _say_if(_learn(run, paths, errors, update_index=True, jobs=jobs))
    log, status, out = _Log(run.log_path, append), 0, sys.stdout.buffer
    if in_place:
        for temp in stale_temps(paths):
            try:
                temp.unlink()
                _say(f"{temp}: removed the temporary file of an interrupted run")
            except OSError:
                pass
    progress = Progress()
    # The log itself, written below the folder being cleaned, is not an input.
    items = _work_items(_sources(paths, errors, run.accept), run, skip=log.is_file)
    try:
        for file, pairs in _by_file(items, jobs, _Summary(log=log.fh is not None)):
            name = file.name
            if file.source is None:
                _say(file.error)
                status = 2 if "skipped" not in file.error else status
                continue
            changes = 0

            def tap(pairs):
                nonlocal changes
                for unit, cleaned in pairs:
                    log.write_unit(unit, cleaned)
                    _say_windowed(unit)
                    _report(_unit_name(unit), cleaned.refused, cleaned.n_proposed, cleaned.unsettled)
                    changes += cleaned.n_changes
                    progress.update(units=1, chars=len(unit.text))
                    yield unit, cleaned

            def keep() -> bool:
                if changes:
                    log.sync()  # the records of a file are durable before the file is replaced
                return bool(changes)

            pieces = file.form.join(tap(pairs))  # lazy: --diff reads the pairs itself
            try:
                if in_place:
                    if atomic_write_chunks(Path(name), (encode(p, errors) for p in pieces), keep=keep):
                        _say(f"cleaned {name} ({changes} changes)")
                elif diff:
                    _write_diff(name, file.form, tap(pairs), lambda text: out.write(encode(text, errors)))
                else:
                    for piece in pieces:
                        out.write(encode(piece, errors))
            finally:
                file.source.close()
            progress.update(files=1)
    finally:
        progress.close()
        log.close()
    sys.exit(status)


DIFF_CHUNK_CHARS = 8_000_000  # JSONL records diffed together (difflib's time grows faster than its input)


def _write_diff(name: str, form, pairs, write) -> None:
    """The unified diff of a file and its clean text, written as its units are cleaned: a window of
    a text is a chunk of its own, smaller units are gathered into chunks of about DIFF_CHUNK_CHARS."""
    from .unidiff import StreamDiff

    diff = StreamDiff(name, write)
    before: list[str] = []
    after: list[str] = []
    size = 0
    for unit, result in pairs:
        before.append(_original(unit))
        after.extend(form.join([(unit, result)]))  # a format joins unit by unit
        size += len(before[-1])
        if unit.part >= 0 or size >= DIFF_CHUNK_CHARS:
            diff.feed("".join(before), "".join(after))
            before, after, size = [], [], 0
    diff.feed("".join(before), "".join(after), final=True)


def _original(unit) -> str:
    """The part of the file that a unit comes from: a JSONL record's line and the lines before it
    that are not records, else the unit's own text."""
    from .formats.jsonl import Record

    rec = unit.meta
    return "".join(rec.carry) + rec.raw if isinstance(rec, Record) else unit.text


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@format_option
@rule_options
@config_options
@jobs_option
def check(paths, fmt, errors, allow_gutting, max_removed_share, select, ignore, packs, config_path, isolated, field,
          id_field, jobs):
    """Exit 1 and name the files that cleaning would change; change nothing."""
    run = _run(paths, config_path, isolated, explain=False, fmt=fmt, allow_gutting=allow_gutting, field=field,
               id_field=id_field, max_removed_share=max_removed_share, select=select, ignore=ignore, packs=packs)
    jobs = _jobs(jobs, paths, run)
    _say_if(_learn(run, paths, errors, update_index=False, jobs=jobs))
    status = 0
    progress = Progress()
    for file, pairs in _by_file(_work_items(_sources(paths, errors, run.accept), run), jobs, _Summary(by_rule=True)):
        name = file.name
        if file.source is None:
            _say(file.error)
            status = 2 if "skipped" not in file.error else status
            continue
        counts: dict[str, int] = {}
        for unit, cleaned in pairs:
            _say_windowed(unit)
            _report(_unit_name(unit), cleaned.refused, cleaned.n_proposed, cleaned.unsettled)
            progress.update(units=1, chars=len(unit.text))
            for rule, n in cleaned.rules.items():
                counts[rule] = counts.get(rule, 0) + n
        file.source.close()
        progress.update(files=1)
        if counts:
            rules = ", ".join(f"{r} x{n}" if n > 1 else r for r, n in sorted(counts.items()))
            _say(f"would clean {name}: {sum(counts.values())} changes ({rules})")
            status = max(status, 1)
    progress.close()
    sys.exit(status)


@cli.command()
@click.argument("path", default=STDIN)
@click.option("--changes-only", is_flag=True, help="Show only the lines that change.")
@rule_options
@format_option
@config_options
def explain(path, changes_only, errors, allow_gutting, max_removed_share, select, ignore, packs, fmt, config_path,
            isolated, field, id_field):
    """Show every line of PATH with its verdict and the rule that decided it.

    The rules and the format are those `clean` would use on PATH (configuration, flags, file name):
    a Markdown file's code and tables are protected, and a JSONL file is explained record by record."""
    run = _run((path,), config_path, isolated, fmt=fmt, allow_gutting=allow_gutting, field=field, id_field=id_field,
               max_removed_share=max_removed_share, select=select, ignore=ignore, packs=packs)
    name, text, error = next(_inputs((path,), errors))
    if text is None:
        _say(error)
        sys.exit(2)
    cleaner = run.base_cleaner_for(None if path == STDIN else name)
    form = run.format_for(name)
    kind = getattr(form, "name", "")
    if kind == "jsonl":
        units = [u for u in form.split(split_lines(text), name) if u.text]
    else:  # the whole document, not the windows `clean` streams it in
        units = [form.whole(text, name)]
    for unit in units:
        if kind == "jsonl":
            click.echo(f"== {unit.id}")
        _explain_one(cleaner, unit.id, unit.text, unit.protected, changes_only)


def _explain_one(cleaner, name: str, text: str, protected: frozenset[int], changes_only: bool) -> None:
    result = cleaner.clean(text, protected)
    _report(name, result.refused, len(result.proposed), result.unsettled)
    changes = result.changes or result.proposed
    by_line: dict[int, list] = {}
    for c in changes:
        by_line.setdefault(c.line, []).append(c)
    from .document import Document

    doc = Document.parse(text)
    tty = sys.stdout.isatty()
    for n, line in enumerate(doc.contents, 1):
        found = by_line.get(n, [])
        if not found:
            if not changes_only:
                mark = "keep*" if n - 1 in protected else "keep"
                click.echo(f"{n:>5} {mark:<5} {'':<11} {line}")
            continue
        c = found[0]
        verdict = "drop" if c.action == "drop" else "edit"
        color = "red" if verdict == "drop" else "yellow"
        head = f"{n:>5} {verdict:<5} {c.rule:<11} {line}"
        click.echo(click.style(head, fg=color) if tty else head)
        for c in found:
            detail = c.evidence or ""
            if c.action == "edit":
                detail = f"{c.before!r} -> {c.after!r}" + (f"  ({c.evidence})" if c.evidence else "")
            via = f" after {', '.join(c.also)}" if c.also else ""
            click.echo(f"{'':>5} {'':<5} {'':<11} ^ {c.category}{via}: {detail}")
    if result.refused:
        click.echo(f"(left unchanged: {result.refused})")


@cli.command("restore")
@click.option("--log", "log_path", required=True, type=click.Path(exists=True, dir_okay=False),
              help="The change log written by `scrubber clean --log`.")
@click.argument("path", default=STDIN)
@click.option("--errors", type=click.Choice(["strict", "surrogateescape"]), default="strict", show_default=True)
@click.option("--doc", "doc_name", metavar="NAME",
              help="The document's name in the log (its path, or PATH#ID), when several share this clean text; "
                   "for a JSONL file, the path it was cleaned under.")
@format_option
@config_options
def restore_cmd(log_path, path, errors, doc_name, fmt, config_path, isolated, field, id_field):
    """Write the original of a cleaned document (PATH, or stdin) to stdout, using its change log.

    The document is found in the log by the hash of its clean text, so a log that does not belong to
    it is refused rather than misapplied. A JSONL file (chosen as `clean` chooses it: --format, the
    file name, the configuration) has each record's field restored from its own logged document.
    With a log of several runs (--append-log), the latest run that wrote this text is undone."""
    run = _run((path,), config_path, isolated, validate=False, fmt=fmt, field=field, id_field=id_field)
    form = run.format_for(path)
    try:
        with open(log_path, encoding="utf-8") as fh:
            docs = read_log(fh, on_cut=lambda message: _say(f"{log_path}: {message}"))
    except (LogMismatch, KeyError, ValueError) as exc:  # ValueError: a log that is not UTF-8
        _say(f"{log_path}: not a scrubber change log: {exc}")
        sys.exit(2)
    name, source, error = next(_sources((path,), errors))
    if source is None:
        _say(error)
        sys.exit(2)
    jsonl = getattr(form, "name", "") == "jsonl"
    try:
        if jsonl:  # the records, and the lines between them that are not records
            units = list(form.with_options(quiet=True).split(source.lines(), name))
            wanted = [(u.id, u.id[len(name):], text_hash(u.text)) for u in units if u.meta.raw]
        else:
            text = source.text()
            wanted = [(name, "", text_hash(text))]
    finally:
        source.close()
    try:
        matches = iter(_restore_matches(wanted, docs, log_path, doc_name))
        if not jsonl:
            pieces = [_restore_one(name, text, next(matches))[0]]
        else:
            pieces = []
            for unit in units:
                pieces.extend(unit.meta.carry)
                if unit.meta.raw:
                    pieces.append(_restore_record(unit, next(matches)))
    except LogMismatch as exc:
        _say(str(exc))
        sys.exit(2)
    out = sys.stdout.buffer
    for piece in pieces:
        out.write(encode(piece, errors))


def _restore_matches(wanted, docs, log_path: str, doc_name: str | None) -> list[list]:
    """For each (name, suffix, clean hash) of a text to restore (one for a document, one per record of
    a JSONL file, `suffix` being `#ID` or `:LINE`), the logged documents that can restore it, all
    with the same original. They come from one run of the log: the latest that logged every one of
    them and changed something, else the latest that logged them all. Raises LogMismatch (the
    message names the text) when no run did, or when documents of different originals fit."""

    def fitting(pool, name, suffix, digest):
        found = [d for d in pool if d.clean_hash == digest and (doc_name is None or d.doc == doc_name + suffix)]
        # The one logged under this very name, else (a JSONL file restored under another name) the
        # ones with this record's id, else any.
        return ([d for d in found if d.doc == name] or [d for d in found if suffix and d.doc.endswith(suffix)]
                or found)

    if not wanted:
        return []
    runs = []
    for r in sorted({d.run for d in docs}, reverse=True):
        pool = [d for d in docs if d.run == r]
        picks = [fitting(pool, *w) for w in wanted]
        if all(picks):
            runs.append(picks)
    if not runs:
        named = f" under the name {doc_name}" if doc_name else ""
        lost = next((w for w in wanted if not fitting(docs, *w)), None)
        if lost is None:
            raise LogMismatch(f"{wanted[0][0]}: no one run in {log_path} logged all the records of this text; "
                              "refusing to mix runs")
        what = "record's clean text" if lost[1] else "clean text"
        raise LogMismatch(f"{lost[0]}: no document in {log_path} has this {what}{named}; refusing to guess")
    chosen = next((p for p in runs if any(d.original_hash != d.clean_hash for c in p for d in c)), runs[0])
    for (name, suffix, _), candidates in zip(wanted, chosen):
        # Several documents can share a clean text (two pages that differed only in their chrome):
        # only if all of them had the same original is it clear which to restore.
        if len({d.original_hash for d in candidates}) > 1:
            raise LogMismatch(f"{name}: {len(candidates)} documents in {log_path} have this clean text but "
                              f"different originals ({', '.join(sorted({d.doc for d in candidates})[:5])}); "
                              + ("choose the path the file was cleaned under with --doc" if suffix
                                 else "choose one with --doc"))
    return chosen


def _restore_one(name: str, text: str, candidates) -> tuple[str, object]:
    """The original of `text`, and the first of its fitting logged documents that restores it."""
    problem = ""
    for match in candidates:
        try:
            return restore(text, match.changes, bom="\ufeff" if match.bom else "",
                           original_hash=match.original_hash), match
        except LogMismatch as exc:
            problem = problem or str(exc)
    raise LogMismatch(f"{name}: {problem}")


def _restore_record(unit, candidates) -> str:
    """A JSONL record's original line: its raw line when the field did not change, else the line
    with the field's original spelled as it was (`formats.jsonl.literal_note`)."""
    from .formats.jsonl import original_literal, splice

    original, match = _restore_one(unit.id, unit.text, candidates)
    if original == unit.text:
        return unit.meta.raw
    try:
        return splice(unit.meta, original_literal(original, match.json_escapes, match.json_literal))
    except ValueError as exc:
        raise LogMismatch(f"{unit.id}: {exc}") from None


@cli.command()
@click.argument("rule_id", required=False)
@click.option("--check", "check_packs", multiple=True, type=click.Path(dir_okay=False),
              help="Validate a user pack and run its examples; repeatable.")
@click.option("--markdown", is_flag=True, help="Print the whole catalogue as Markdown (docs/rules.md).")
@click.option("--rules", "packs", multiple=True, type=click.Path(dir_okay=False),
              help="Include a user pack in the listing.")
def rules(rule_id, check_packs, markdown, packs):
    """List the rules, or print one rule's doc (RULE_ID)."""
    if check_packs:
        status = 0
        for pack in check_packs:
            try:
                loaded = load_pack(pack)
            except PackError as exc:
                _say(str(exc))
                status = 2
                continue
            failures = [f for rule in loaded for f in check_rule(rule)]
            for f in failures:
                _say(f"{pack}: {f}")
            _say(f"{pack}: {len(loaded)} rules, {len(failures)} failing examples")
            status = max(status, 1 if failures else 0)
        sys.exit(status)
    try:
        catalogue = builtin_catalogue().with_packs(packs) if packs else builtin_catalogue()
    except PackError as exc:
        _say(f"scrubber: {exc}")
        sys.exit(2)
    if markdown:
        click.echo(render_catalogue_markdown(catalogue), nl=False)
    elif rule_id:
        rule = catalogue.get(rule_id.upper())
        if rule is None:
            _say(f"scrubber: no rule {rule_id} (see `scrubber rules`)")
            sys.exit(2)
        click.echo(render(rule), nl=False)
    else:
        for rule in catalogue:
            click.echo(summary(rule))


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--rebuild", is_flag=True, help="Start the index afresh instead of updating it.")
@click.option("--errors", type=click.Choice(["strict", "surrogateescape"]), default="strict", show_default=True)
@format_option
@config_options
def learn(paths, rebuild, errors, fmt, config_path, isolated, field, id_field):
    """Record the lines of every document below PATHS in the project's index (.scrubber/lines.sqlite),
    so that later runs on a few files (pre-commit) know which lines recur across the corpus."""
    from .learn import IndexError_, learn_paths

    run = _run(paths, config_path, isolated, fmt=fmt, field=field, id_field=id_field)
    try:
        index, seen, changed, docs, frequent = learn_paths(run, paths, errors, rebuild=rebuild)
    except IndexError_ as exc:
        _say(f"scrubber: {exc}")
        sys.exit(2)
    _say(f"{index}: {seen} documents read, {changed} entries changed; {docs} documents in the index, "
         f"{frequent} lines in {run.learn.min_docs} or more of them")


def main() -> None:
    cli(prog_name="scrubber")

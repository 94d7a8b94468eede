"""Project configuration: `[tool.scrubber]` in pyproject.toml, or `.scrubber.toml`.

The configuration is looked for from the folder that holds all the paths of a run (the current folder
for stdin) upwards, stopping at the repository root (the folder with `.git`): the nearest folder that
has a `.scrubber.toml`, or a `pyproject.toml` with a `[tool.scrubber]` table, wins (`.scrubber.toml`
first when a folder has both). Relative paths in it (packs, the log, the index, globs) are relative to
the folder the file is in. Command-line flags win over the file: `--select`, `--ignore`, `--format`,
`--field`, `--log`, `--max-removed-share` replace what the file says, at every level; `--rules` packs
are added to the file's. See docs/configuration.md.
"""
from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

from .catalogue import PackError
from .engine import Cleaner, Options
from .learn import LearnSettings

CONFIG_NAMES = (".scrubber.toml", "pyproject.toml")
# Project files that are never corpus text, whatever include says.
ALWAYS_EXCLUDE = (".scrubber.toml", "pyproject.toml", ".pre-commit-config.yaml", ".pre-commit-hooks.yaml",
                  ".gitignore", ".gitattributes", ".scrubber/")
TOP_KEYS = {"select", "ignore", "packs", "include", "exclude", "log", "format", "field", "id_field",
            "max_removed_share", "allow_gutting", "learn", "overrides"}
OVERRIDE_KEYS = {"paths", "select", "ignore", "packs", "format", "field", "id_field", "max_removed_share"}
LEARN_KEYS = {"min_docs", "min_words", "max_words", "index"}


class ConfigError(ValueError):
    """A configuration file that cannot be used; the message names the file, the key and the reason."""


def glob_regex(pattern: str) -> re.Pattern:
    """A gitignore-like glob as a regex over '/'-separated relative paths. `*` stays within a folder,
    `**` crosses folders, a pattern without '/' matches at any depth, a trailing '/' means a folder,
    and a folder that matches takes everything below it along."""
    p = pattern.strip()
    anchored = "/" in p.rstrip("/")
    p = p.lstrip("/")
    if p.endswith("/"):
        p += "**"
    out, i = [], 0
    while i < len(p):
        if p.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif p.startswith("**", i):
            out.append(".*")
            i += 2
        elif p[i] == "*":
            out.append("[^/]*")
            i += 1
        elif p[i] == "?":
            out.append("[^/]")
            i += 1
        elif p[i] == "[" and "]" in p[i + 2:]:
            j = p.index("]", i + 2)
            body = p[i + 1:j]
            out.append("[" + ("^" + body[1:] if body.startswith("!") else body).replace("\\", "\\\\") + "]")
            i = j + 1
        else:
            out.append(re.escape(p[i]))
            i += 1
    return re.compile(("" if anchored else "(?:.*/)?") + "".join(out) + "(?:/.*)?")


class Globs:
    def __init__(self, patterns: Iterable[str]):
        self.patterns = tuple(patterns)
        self._res = [glob_regex(p) for p in self.patterns]

    def match(self, rel: str) -> bool:
        return any(r.fullmatch(rel) for r in self._res)

    def __bool__(self) -> bool:
        return bool(self.patterns)


@dataclass
class Override:
    paths: Globs
    values: dict[str, Any]


@dataclass
class Config:
    root: Path  # the folder relative paths are resolved against
    path: Path | None = None  # the file the settings came from (None: defaults)
    values: dict[str, Any] = field(default_factory=dict)  # top-level keys, normalized
    include: Globs = field(default_factory=lambda: Globs(()))
    exclude: Globs = field(default_factory=lambda: Globs(()))
    overrides: list[Override] = field(default_factory=list)
    learn: LearnSettings = field(default_factory=LearnSettings)

    def relative(self, path: str | Path) -> str | None:
        """`path` relative to the root, '/'-separated, or None when it lies outside the root."""
        try:
            rel = Path(os.path.abspath(path)).relative_to(self.root)
        except ValueError:
            return None
        return rel.as_posix()


def _norm_keys(table: dict, where: str, allowed: set[str], path: Path) -> dict:
    out = {}
    for key, value in table.items():
        k = key.replace("-", "_")
        if k not in allowed:
            raise ConfigError(f"{path}: {where}: unknown key '{key}' (known: "
                              f"{', '.join(sorted(a.replace('_', '-') for a in allowed))})")
        out[k] = value
    return out


def _check_types(values: dict, where: str, path: Path) -> None:
    lists = ("select", "ignore", "packs", "include", "exclude", "paths")
    for key, value in values.items():
        if key in lists and not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
            raise ConfigError(f"{path}: {where}: '{key}' must be a list of strings")
        if key in ("log", "format", "field", "id_field", "index") and not isinstance(value, str):
            raise ConfigError(f"{path}: {where}: '{key}' must be a string")
        if key == "allow_gutting" and not isinstance(value, bool):
            raise ConfigError(f"{path}: {where}: 'allow-gutting' must be true or false")
        if key == "max_removed_share" and not (isinstance(value, (int, float)) and 0 <= value <= 1):
            raise ConfigError(f"{path}: {where}: 'max-removed-share' must be a number from 0 to 1")
        if key == "format":
            from .formats import FORMATS

            if value not in FORMATS:
                raise ConfigError(f"{path}: {where}: format must be one of {', '.join(sorted(FORMATS))}")


def _table(path: Path) -> dict | None:
    """The scrubber table of a config file, or None when a pyproject.toml has none."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    if path.name == "pyproject.toml":
        table = data.get("tool", {}).get("scrubber")
        if table is not None and not isinstance(table, dict):
            raise ConfigError(f"{path}: [tool.scrubber] must be a table")
        return table
    return data


def load_config(path: Path) -> Config:
    path = Path(os.path.abspath(path))
    table = _table(path)
    if table is None:
        raise ConfigError(f"{path}: no [tool.scrubber] table")
    where = "[tool.scrubber]" if path.name == "pyproject.toml" else "top level"
    values = _norm_keys(table, where, TOP_KEYS, path)
    learn_table = values.pop("learn", {})
    overrides_list = values.pop("overrides", [])
    _check_types(values, where, path)
    root = path.parent
    if not isinstance(learn_table, dict):
        raise ConfigError(f"{path}: 'learn' must be a table")
    learn_values = _norm_keys(learn_table, "learn", LEARN_KEYS, path)
    _check_types(learn_values, "learn", path)
    for key in ("min_docs", "min_words", "max_words"):
        if key in learn_values and not (isinstance(learn_values[key], int) and learn_values[key] >= 1):
            raise ConfigError(f"{path}: learn: '{key.replace('_', '-')}' must be a whole number >= 1")
    if "min_docs" in learn_values and learn_values["min_docs"] < 2:
        raise ConfigError(f"{path}: learn: 'min-docs' must be at least 2 (a line in one document is not repeated)")
    if "index" in learn_values:
        learn_values["index"] = str(root / learn_values["index"])
    learn = LearnSettings(**learn_values)
    if learn.max_words > LearnSettings.MAX_WORDS_LIMIT or learn.min_words > learn.max_words:
        raise ConfigError(f"{path}: learn: need min-words <= max-words <= {LearnSettings.MAX_WORDS_LIMIT}")
    if not isinstance(overrides_list, list):
        raise ConfigError(f"{path}: 'overrides' must be an array of tables ([[tool.scrubber.overrides]])")
    overrides = []
    for n, entry in enumerate(overrides_list, 1):
        if not isinstance(entry, dict):
            raise ConfigError(f"{path}: overrides #{n}: must be a table")
        ov = _norm_keys(entry, f"overrides #{n}", OVERRIDE_KEYS, path)
        _check_types(ov, f"overrides #{n}", path)
        if not ov.get("paths"):
            raise ConfigError(f"{path}: overrides #{n}: 'paths' (a list of globs) is required")
        if "packs" in ov:
            ov["packs"] = [str(root / p) for p in ov["packs"]]
        overrides.append(Override(Globs(ov.pop("paths")), ov))
    if "packs" in values:
        values["packs"] = [str(root / p) for p in values["packs"]]
    if "log" in values:
        values["log"] = str(root / values["log"])
    return Config(root=root, path=path, values=values, include=Globs(values.pop("include", [])),
                  exclude=Globs(values.pop("exclude", [])), overrides=overrides, learn=learn)


def repo_root(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return None


def find_config(start: Path) -> Path | None:
    """The nearest config file from `start` (a folder) up to the repository root."""
    start = Path(os.path.abspath(start))
    top = repo_root(start)
    for folder in (start, *start.parents):
        for name in CONFIG_NAMES:
            candidate = folder / name
            if candidate.is_file() and (name != "pyproject.toml" or _table(candidate) is not None):
                return candidate
        if folder == top:
            break
    return None


def start_folder(paths: Iterable[str]) -> Path:
    """The folder that holds every path given (the current folder for stdin)."""
    folders = [Path(os.path.abspath(p)) for p in paths if p != "-"]
    folders = [p if p.is_dir() else p.parent for p in folders]
    if not folders:
        return Path.cwd()
    return Path(os.path.commonpath([str(f) for f in folders]))


def discover(paths: Iterable[str], explicit: str | None = None, isolated: bool = False) -> Config:
    """The Config for a run: an explicit file, else the nearest one, else defaults."""
    if explicit:
        if not Path(explicit).is_file():
            raise ConfigError(f"{explicit}: no such configuration file")
        return load_config(Path(explicit))
    start = start_folder(paths)
    found = None if isolated else find_config(start)
    if found is not None:
        return load_config(found)
    return Config(root=repo_root(start) or Path.cwd().resolve())


class Run:
    """The settings of one run: a Config with the command line's flags on top.

    `flags` holds only the flags the user gave: select, ignore, packs, fmt, field, id_field, log_path,
    max_removed_share, allow_gutting."""

    def __init__(self, config: Config, flags: dict[str, Any]):
        self.config = config
        self.flags = flags
        self._cleaners: dict[Options, Cleaner] = {}
        self.corpus = None  # set by learn.prepare: wraps each cleaner with corpus counts
        self.explain = True  # full evidence from the detectors; a command that writes no log turns it off

    # -- where things go ---------------------------------------------------------------------------

    @property
    def log_path(self) -> str | None:
        return self.flags.get("log_path") or self.config.values.get("log")

    @property
    def log_append(self) -> bool:
        """A log named in the configuration collects every run (pre-commit runs one per commit)."""
        return not self.flags.get("log_path") and bool(self.config.values.get("log"))

    @property
    def learn(self) -> LearnSettings:
        return self.config.learn

    def index_path(self) -> Path:
        return (Path(self.config.learn.index) if self.config.learn.index
                else self.config.root / ".scrubber" / "lines.sqlite")

    # -- which files ---------------------------------------------------------------------------------

    def accept(self, path: str | Path) -> bool:
        """Whether a file (named or found by walking) is part of the run."""
        rel = self.config.relative(path)
        if rel is None:
            return True
        if any(glob_regex(p).fullmatch(rel) for p in ALWAYS_EXCLUDE):
            return False
        if self.config.include and not self.config.include.match(rel):
            return False
        return not self.config.exclude.match(rel)

    # -- how to clean a file ---------------------------------------------------------------------

    def _values_for(self, path: str | None) -> dict[str, Any]:
        values = dict(self.config.values)
        rel = self.config.relative(path) if path and path != "-" else None
        if rel is not None:
            for ov in self.config.overrides:
                if ov.paths.match(rel):
                    for key, value in ov.values.items():
                        if key == "ignore":
                            values["ignore"] = [*values.get("ignore", []), *value]
                        elif key == "packs":
                            values["packs"] = [*values.get("packs", []), *value]
                        else:
                            values[key] = value
        flags = self.flags
        for key in ("select", "ignore", "max_removed_share", "allow_gutting", "field", "id_field"):
            if flags.get(key) not in (None, (), False):
                values[key] = flags[key]
        if flags.get("fmt"):
            values["format"] = flags["fmt"]
        values["packs"] = [*values.get("packs", []), *flags.get("packs", ())]
        return values

    def options_for(self, path: str | None = None) -> Options:
        v = self._values_for(path)
        return Options(select=tuple(v.get("select", ())), ignore=tuple(v.get("ignore", ())),
                       packs=tuple(v.get("packs", ())),
                       max_removed_share=float(v.get("max_removed_share", Options.max_removed_share)),
                       allow_gutting=bool(v.get("allow_gutting", False)), explain=self.explain)

    def base_cleaner_for(self, path: str | None = None) -> Cleaner:
        options = self.options_for(path)
        if options not in self._cleaners:
            try:
                self._cleaners[options] = Cleaner(options=options)
            except PackError as exc:
                source = f" (settings from {self.config.path})" if self.config.path else ""
                raise PackError(f"{exc}{source}") from None
        return self._cleaners[options]

    def cleaner_for(self, path: str | None = None):
        base = self.base_cleaner_for(path)
        return self.corpus.wrap(base) if self.corpus is not None else base

    def format_for(self, path: str):
        from .formats import format_for

        v = self._values_for(path)
        return format_for(path, v.get("format"), field=v.get("field"), id_field=v.get("id_field"))


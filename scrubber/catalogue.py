"""The catalogue: every rule scrubber knows, from one source per rule.

Pattern rules come from TOML packs (the built-in ones in the project's `rules/` folder, shipped in the
wheel as `scrubber/packs`, plus any user pack); rules that need more than a pattern are Python classes
in `scrubber/detectors` and `scrubber/fixers.py`. Everything else — `scrubber rules`, the docs, the
tests of each rule's examples — is derived from these entries.
"""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence, Union

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

ID_RE = re.compile(r"^[A-Z]{2,10}[0-9]{3}$")
NAME_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ACTIONS = ("drop-line", "strip", "replace")
SCOPES = ("anywhere", "edges")
CATEGORIES = (
    "menu", "ad", "html_fragment", "spacing", "promo", "related", "share", "newsletter", "cookie",
    "credit", "metadata", "footer", "encoding", "boilerplate", "learned",
)
LEADING_FLAGS = re.compile(r"^\(\?([aiLmsux]+)\)")


class PackError(ValueError):
    """A rule pack that cannot be used; the message names the file, the rule and the reason."""


@dataclass(frozen=True)
class PatternRule:
    id: str
    name: str
    category: str
    action: str
    pattern: str
    doc: str
    replace: str = ""
    examples_drop: tuple[str, ...] = ()
    examples_keep: tuple[str, ...] = ()
    examples_fix: tuple[tuple[str, str], ...] = ()
    scope: str = "anywhere"  # "edges": only outside the article body (see docs/rule-packs.md)
    unless: str = ""  # a pattern that, found anywhere in the line, stops the rule there
    most: int = 0  # drop-line only: the rule acts only on a document where it matches at most this many lines
    source: str = ""  # the pack file it came from
    trusted: bool = True  # built-in packs use Python `re`; user packs are held to linear-time RE2
    kind: str = field(default="pattern", init=False)

    @property
    def family(self) -> str:
        return self.id.rstrip("0123456789")

    @property
    def anchored(self) -> bool:
        """True when the pattern can only match at the start of the (trimmed) line."""
        return LEADING_FLAGS.sub("", self.pattern).startswith("^")

    def scoped_pattern(self) -> str:
        """The pattern with leading global flags turned into a scoped group, so that it can be one
        alternative of a combined regex (Python refuses global flags in the middle of a pattern)."""
        m = LEADING_FLAGS.match(self.pattern)
        if not m:
            return f"(?:{self.pattern})"
        flags = m.group(1).replace("m", "")  # the combined regex sets MULTILINE itself where it needs it
        rest = self.pattern[m.end():]
        return f"(?{flags}:{rest})" if flags else f"(?:{rest})"


def _rule_kind(rule) -> str:
    return getattr(rule, "kind", "detector")


Rule = Union[PatternRule, "object"]  # PatternRule, or a Detector / Fixer class instance


def _as_tuple(value, path: Path, rule_id: str, key: str) -> tuple:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise PackError(f"{path}: rule {rule_id}: {key} must be a list")
    return tuple(value)


def load_pack(path: Path | str, *, trusted: bool = False) -> list[PatternRule]:
    """Read and validate one pack. Errors name the file, the rule id and the reason."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PackError(f"{path}: no such rule pack") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise PackError(f"{path}: not valid TOML: {exc}") from None
    entries = data.get("rule", [])
    if not isinstance(entries, list) or not entries:
        raise PackError(f"{path}: a pack needs at least one [[rule]] table")
    rules = []
    for n, entry in enumerate(entries, 1):
        rule_id = entry.get("id", f"#{n}") if isinstance(entry, dict) else f"#{n}"
        rules.append(_rule_from_entry(entry, path, str(rule_id), trusted))
    seen: set[str] = set()
    for rule in rules:
        if rule.id in seen:
            raise PackError(f"{path}: rule {rule.id}: the id is used twice")
        seen.add(rule.id)
    return rules


def _rule_from_entry(entry, path: Path, rule_id: str, trusted: bool) -> PatternRule:
    def fail(reason: str) -> PackError:
        return PackError(f"{path}: rule {rule_id}: {reason}")

    if not isinstance(entry, dict):
        raise fail("each [[rule]] must be a table")
    for key in ("id", "category", "doc", "pattern", "action"):
        if not isinstance(entry.get(key), str) or not entry[key].strip():
            raise fail(f"'{key}' is required and must be a non-empty string")
    if not ID_RE.match(entry["id"]):
        raise fail("ids are an upper-case family prefix and three digits, e.g. SITE001")
    name = entry.get("name", entry["id"].lower())
    if not isinstance(name, str) or not NAME_RE.match(name):
        raise fail("'name' must be kebab-case, e.g. 'newsletter-signup-line'")
    if entry["action"] not in ACTIONS:
        raise fail(f"action must be one of {', '.join(ACTIONS)}")
    if entry["category"] not in CATEGORIES:
        raise fail(f"unknown category '{entry['category']}' (known: {', '.join(CATEGORIES)})")
    scope = entry.get("scope", "anywhere")
    if scope not in SCOPES or (scope == "edges" and entry["action"] != "drop-line"):
        raise fail(f"scope must be one of {', '.join(SCOPES)}; 'edges' only for drop-line rules")
    unless = entry.get("unless", "")
    if not isinstance(unless, str):
        raise fail("'unless' must be a string (a pattern)")
    most = entry.get("most", 0)
    if not isinstance(most, int) or isinstance(most, bool) or most < 0 or (most and entry["action"] != "drop-line"):
        raise fail("'most' must be a positive whole number, and only for drop-line rules")
    replace = entry.get("replace", "")
    if entry["action"] == "replace" and not isinstance(replace, str):
        raise fail("'replace' must be a string")
    examples = entry.get("examples", {})
    if not isinstance(examples, dict):
        raise fail("'examples' must be a table with drop / keep / fix lists")
    fixes = _as_tuple(examples.get("fix"), path, rule_id, "examples.fix")
    for pair in fixes:
        if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(s, str) for s in pair)):
            raise fail("each examples.fix entry must be a [before, after] pair of strings")
    rule = PatternRule(
        id=entry["id"], name=name, category=entry["category"], action=entry["action"],
        pattern=entry["pattern"], doc=entry["doc"].strip(), replace=replace,
        examples_drop=_as_tuple(examples.get("drop"), path, rule_id, "examples.drop"),
        examples_keep=_as_tuple(examples.get("keep"), path, rule_id, "examples.keep"),
        examples_fix=tuple(tuple(p) for p in fixes), scope=scope, unless=unless, most=most, source=str(path),
        trusted=trusted,
    )
    from .patterns import PatternError, compile_rule, compile_unless  # here to keep catalogue import-light

    try:
        compiled = compile_rule(rule)
        compile_unless(rule)
    except PatternError as exc:
        raise fail(str(exc)) from None
    if rule.action == "replace":
        _check_template(rule.replace, compiled.groups, fail)
    return rule


def _check_template(template: str, groups: int, fail) -> None:
    """Refuse, at load time, a replacement that would fail at run time (a group the pattern does not
    have, a bad escape) or that would put a line break inside a line."""
    try:  # expand against a match with as many (empty) groups as the pattern has
        expanded = re.compile("()" * groups).match("").expand(template)
    except (re.error, IndexError) as exc:
        raise fail(f"'replace' is not a valid template for this pattern: {exc}") from None
    if "\n" in expanded or "\r" in expanded:
        raise fail("'replace' must not contain a line break (a rule changes text within a line)")


def builtin_pack_dir() -> Path:
    """`scrubber/packs` in an installed wheel; the project's `rules/` folder in a source checkout."""
    here = Path(__file__).resolve().parent
    installed = here / "packs"
    return installed if installed.is_dir() else here.parent / "rules"


class Catalogue:
    """An ordered set of rules with selection by id or family."""

    def __init__(self, rules: Iterable):
        self.rules = list(rules)
        ids = [r.id for r in self.rules]
        dupes = {i for i in ids if ids.count(i) > 1}
        if dupes:
            raise PackError(f"rule ids defined twice: {', '.join(sorted(dupes))}")
        self._by_id = {r.id: r for r in self.rules}

    def __iter__(self):
        return iter(self.rules)

    def __len__(self) -> int:
        return len(self.rules)

    def get(self, rule_id: str):
        return self._by_id.get(rule_id)

    def select(self, select: Sequence[str] = (), ignore: Sequence[str] = ()) -> "Catalogue":
        """Keep the rules named by `select` (ids or family prefixes; all when empty) minus `ignore`."""
        def named(rule, names) -> bool:
            return any(rule.id == n or (rule.id.startswith(n) and rule.id[len(n):].isdigit()) for n in names)

        for name in [*select, *ignore]:
            if not any(named(r, [name]) for r in self.rules):
                raise PackError(f"no rule or family is called '{name}' (see `scrubber rules`)")
        kept = [r for r in self.rules if (not select or named(r, select)) and not named(r, ignore)]
        return Catalogue(kept)

    def with_packs(self, paths: Sequence[Path | str]) -> "Catalogue":
        extra = [rule for p in paths for rule in load_pack(p, trusted=False)]
        return Catalogue([*self.rules, *extra])


_BUILTIN: Catalogue | None = None


def builtin_catalogue() -> Catalogue:
    """Every built-in rule: fixers, pattern packs, then detectors (the order the engine runs them)."""
    global _BUILTIN
    if _BUILTIN is None:
        from .detectors import BUILTIN_DETECTORS
        from .fixers import BUILTIN_FIXERS

        packs = sorted(builtin_pack_dir().glob("*.toml"))
        pattern_rules = [rule for p in packs for rule in load_pack(p, trusted=True)]
        _BUILTIN = Catalogue([*(f() for f in BUILTIN_FIXERS), *pattern_rules, *(d() for d in BUILTIN_DETECTORS)])
    return _BUILTIN


def rule_kind(rule) -> str:
    return _rule_kind(rule)

"""Compiling rule patterns, and matching many of them at once.

Built-in patterns are trusted and written for Python `re`; the engine joins them into one regex per
action (one named group per rule), so a line is tested against every drop-line rule in one call and
the whole text is scanned for every strip/replace rule in one pass. User patterns are compiled with
RE2, which runs in linear time: a pattern from a pack cannot make scrubber hang. Without RE2 they fall
back to `re`, after refusing nested quantifiers (the usual cause of catastrophic backtracking).
"""
from __future__ import annotations

import re
from typing import Iterator, Sequence

try:  # google-re2: linear-time matching for patterns we did not write
    import re2 as _re2

    _RE2_OPTIONS = _re2.Options()
    _RE2_OPTIONS.log_errors = False
except ImportError:  # pragma: no cover - it is a declared dependency
    _re2 = None

NAMED_GROUP = re.compile(r"\(\?P<")
# A quantified group that itself ends in a quantifier, e.g. (a+)+ or (\w*)*: exponential in `re`.
NESTED_QUANTIFIER = re.compile(r"[+*}]\)*\)[+*{]")


class PatternError(ValueError):
    pass


def _compile_trusted(pattern: str, flags: int = 0):
    try:
        return re.compile(pattern, flags)
    except re.error as exc:
        raise PatternError(f"pattern does not compile: {exc}") from None


def _compile_untrusted(pattern: str, multiline: bool):
    if _re2 is not None:
        try:
            return _re2.compile(("(?m)" if multiline else "") + pattern, _RE2_OPTIONS)
        except Exception as exc:  # re2 raises its own error type
            reason = exc.args[0].decode() if exc.args and isinstance(exc.args[0], bytes) else str(exc)
            raise PatternError(f"pattern is not valid RE2 (linear-time) syntax: {reason}") from None
    if NESTED_QUANTIFIER.search(pattern):
        raise PatternError("nested quantifiers can take exponential time; install google-re2 or rewrite")
    return _compile_trusted(pattern, re.M if multiline else 0)


def compile_rule(rule):
    """Compile one rule's pattern on its own (for validation, and for untrusted rules at run time)."""
    if NAMED_GROUP.search(rule.pattern):
        raise PatternError("named groups are not allowed in patterns (use (?:...) or (...))")
    multiline = rule.action != "drop-line"
    if rule.trusted:
        return _compile_trusted(rule.pattern, re.M if multiline else 0)
    return _compile_untrusted(rule.pattern, multiline)


def compile_unless(rule):
    """The rule's line guard, or None. It is searched in the whole line, so it can look behind."""
    if not getattr(rule, "unless", ""):
        return None
    return _compile_trusted(rule.unless) if rule.trusted else _compile_untrusted(rule.unless, False)


def _line_at(text: str, start: int) -> str:
    begin = text.rfind("\n", 0, start) + 1
    end = text.find("\n", start)
    return text[begin:] if end < 0 else text[begin:end]


_SURROGATE = re.compile("[\ud800-\udfff]")


def _re2_safe(text: str) -> str:
    """RE2 takes only valid Unicode. Lone surrogates (bytes that were not UTF-8, carried through by
    --errors surrogateescape) become U+FFFD for matching: one code point for one, so offsets hold."""
    return _SURROGATE.sub("\ufffd", text) if _SURROGATE.search(text) else text


class LineMatcher:
    """Drop-line rules: which rule, if any, matches a trimmed line."""

    def __init__(self, rules: Sequence):
        self.rules = list(rules)
        anchored = [r for r in self.rules if r.trusted and r.anchored]
        self._anchored_rules = anchored
        # `match` on the trimmed line: an anchored alternative is only tried at position 0.
        self._anchored = (
            re.compile("|".join(f"(?P<_r{i}>{r.scoped_pattern()})" for i, r in enumerate(anchored)))
            if anchored else None
        )
        self._others = [(r, compile_rule(r)) for r in self.rules if r not in anchored]
        self._unless = {r.id: g for r in self.rules if (g := compile_unless(r)) is not None}
        self._anchored_each = [(r, compile_rule(r)) for r in anchored] if self._unless else []

    def match(self, trimmed: str):
        """Return (rule, matched text) for the first rule that matches, or None."""
        safe = _re2_safe(trimmed) if self._others or self._unless else trimmed
        if self._anchored is not None:
            m = self._anchored.match(trimmed)
            if m is not None:
                rule = self._anchored_rules[int(m.lastgroup[2:])]
                guard = self._unless.get(rule.id)
                if guard is None or not guard.search(safe):
                    return rule, m.group()
                # The combined regex stops at the first alternative that matches; try the rest alone.
                for other, regex in self._anchored_each:
                    if other is not rule:
                        hit = regex.match(trimmed)
                        g = self._unless.get(other.id)
                        if hit and (g is None or not g.search(safe)):
                            return other, hit.group()
        for rule, regex in self._others:
            m = regex.search(safe)
            if m is not None and not (rule.id in self._unless and self._unless[rule.id].search(safe)):
                return rule, m.group()
        return None


class SpanMatcher:
    """Strip and replace rules: every match in a text, non-overlapping, leftmost first."""

    def __init__(self, rules: Sequence):
        self.rules = list(rules)
        trusted = [r for r in self.rules if r.trusted]
        self._trusted_rules = trusted
        self._trusted = [(r, compile_rule(r)) for r in trusted]
        self._combined = (
            re.compile("|".join(f"(?P<_r{i}>{r.scoped_pattern()})" for i, r in enumerate(trusted)), re.M)
            if trusted else None
        )
        self._others = [(r, compile_rule(r)) for r in self.rules if not r.trusted]
        self._unless = {r.id: g for r in self.rules if (g := compile_unless(r)) is not None}

    def __bool__(self) -> bool:
        return bool(self.rules)

    def finditer(self, text: str) -> Iterator[tuple[object, int, int, str]]:
        """Yield (rule, start, end, replacement) in order, without overlaps."""
        found = []
        if self._combined is not None:
            for m in self._combined.finditer(text):
                i = int(m.lastgroup[2:])
                rule, own = self._trusted[i]
                replacement = ""
                if rule.action == "replace":
                    # Re-match with the rule's own regex so that its group numbers are its own.
                    replacement = own.match(text, m.start()).expand(rule.replace)
                if m.end() > m.start():
                    found.append((rule, m.start(), m.end(), replacement))
        safe = _re2_safe(text) if self._others or self._unless else text
        for rule, regex in self._others:
            for m in regex.finditer(safe):
                if m.end() > m.start():
                    if rule.action == "replace" and safe is not text and text[m.start():m.end()] != m.group():
                        continue  # its groups would turn undecodable bytes into U+FFFD: leave them be
                    replacement = m.expand(rule.replace) if rule.action == "replace" else ""
                    found.append((rule, m.start(), m.end(), replacement))
        if self._others:
            found.sort(key=lambda f: (f[1], -f[2]))
        last_end = -1
        for item in found:
            guard = self._unless.get(item[0].id)
            if guard is not None and guard.search(_line_at(safe, item[1])):
                continue
            if item[1] >= last_end:
                yield item
                last_end = item[2]

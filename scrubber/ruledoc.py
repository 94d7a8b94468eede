"""Rule documentation, rendered from the catalogue: `scrubber rules` and docs/rules.md share it."""
from __future__ import annotations

import re

from .catalogue import Catalogue, rule_kind
from .examples import cases


def _action(rule) -> str:
    kind = rule_kind(rule)
    if kind == "pattern":
        return rule.action
    return "repair" if kind == "fixer" else "drop-line (detector)"


SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")
SUMMARY_WIDTH = 100


def summary(rule) -> str:
    """One line for the listing: id, name, category and the doc's first sentence (shortened)."""
    first = " ".join(rule.doc.strip().split("\n\n")[0].split())
    sentence = SENTENCE_END.split(first, 1)[0]
    if len(sentence) > SUMMARY_WIDTH:
        sentence = sentence[:SUMMARY_WIDTH].rsplit(" ", 1)[0] + " …"
    return f"{rule.id:<11} {rule.name:<36} {rule.category:<14} {sentence}"


def render(rule, markdown: bool = False) -> str:
    """One rule's doc: what it removes and why, how it matches, and its examples."""
    h = "### " if markdown else ""
    lines = [f"{h}{rule.id} {rule.name}", ""]
    lines.append(f"Category: {rule.category}. Action: {_action(rule)}.")
    if rule_kind(rule) == "pattern":
        source = rule.source.replace("\\", "/").rsplit("/", 1)[-1]
        lines.append(f"Pack: {source}.")
        if getattr(rule, "most", 0):
            lines.append(f"Acts only on a document where it matches {rule.most} lines or fewer.")
        lines += ["", "Pattern:", "", f"    {rule.pattern}"]
    lines += ["", rule.doc.strip(), ""]
    labels = {"drop": "Removed", "fix": "Repaired", "keep": "Kept as it is"}
    for kind in ("drop", "fix", "keep"):
        items = [(i, o) for k, i, o in cases(rule) if k == kind]
        if not items:
            continue
        lines.append(f"{labels[kind]}:")
        lines.append("")
        for given, expected in items:
            if kind == "fix":
                lines.append(f"    {given!r}\n      -> {expected!r}")
            elif "\n" in given:
                lines.append("    " + given.replace("\n", "\n    "))
                lines.append("")
            else:
                lines.append(f"    {given!r}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def render_catalogue_markdown(catalogue: Catalogue) -> str:
    out = [
        "# Rules",
        "",
        "Generated from the catalogue by `scrubber rules --markdown`; do not edit by hand.",
        "Every example below is also a test.",
        "",
        "| id | name | category | action |",
        "|---|---|---|---|",
    ]
    out += [f"| {r.id} | {r.name} | {r.category} | {_action(r)} |" for r in catalogue]
    out.append("")
    for rule in catalogue:
        out.append(render(rule, markdown=True))
    return "\n".join(out)

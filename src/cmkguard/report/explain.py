"""``cmkguard explain``: a catalogue entry, or the list of codes, as plain text."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable

from cmkguard.catalogue.entries import CATALOGUE, CatalogueEntry
from cmkguard.catalogue.mappings import (
    CONTROL_ID,
    CONTROL_TITLE,
    FRAMEWORK_LABEL,
    FRAMEWORK_REFERENCES,
    STRICTER_THAN_INCUMBENTS,
    TOOL_MAPPINGS,
)

_WIDTH = 88
_PAD = "  "


def code_list() -> str:
    """Every code with its kind and title, one a line."""
    width = max(len(code.value) for code in CATALOGUE)
    return "".join(
        f"{code.value:<{width}}  {entry.kind:<7}  {entry.title}\n"
        for code, entry in CATALOGUE.items()
    )


def valid_codes() -> str:
    """The codes, comma separated, for an error message."""
    return ", ".join(code.value for code in CATALOGUE)


def explain(entry: CatalogueEntry) -> str:
    """The whole entry, then the control's identity, its mappings and how cmkguard differs."""
    parts = [
        f"{entry.code.value} ({entry.kind}): {entry.title}\n",
        _section("What it checks", _wrap(entry.what)),
        _section("Why it matters", _wrap(entry.why)),
        _section("How to fix", _wrap(entry.fix)),
        *([_section("In a live scan", _wrap(entry.live_fix))] if entry.live_fix else []),
        _section("Before", _indent(entry.before)),
        _section("After", _indent(entry.after)),
        _section("References", _bullets(entry.references) if entry.references else _PAD + "-\n"),
        _section("Since", f"{_PAD}cmkguard {entry.since}\n"),
        control_identity(),
    ]
    return "\n".join(parts)


def control_identity() -> str:
    """The control, its identifiers in other tools, the framework references (labelled as
    published for the presence rule) and how cmkguard differs: ``explain`` and the evidence
    bundle's README both print it."""
    parts = [
        _section("Control", f"{_PAD}{CONTROL_ID}\n" + _wrap(CONTROL_TITLE)),
        _section(
            "Same resource in other tools",
            "".join(
                _hanging(f"{m.system}: {m.identifier}" + (f" ({m.note})" if m.note else ""))
                for m in TOOL_MAPPINGS
            ),
        ),
        _section(f"Framework references ({FRAMEWORK_LABEL})", _frameworks()),
        _section("Stricter than the incumbents", _wrap(STRICTER_THAN_INCUMBENTS)),
    ]
    return "\n".join(parts)


def _frameworks() -> str:
    """One entry per framework: its requirements in order, those with a note grouped after."""
    by_framework: dict[str, dict[str | None, list[str]]] = {}
    for ref in FRAMEWORK_REFERENCES:
        by_framework.setdefault(ref.framework, {}).setdefault(ref.note, []).append(ref.identifier)
    lines = []
    for name, by_note in by_framework.items():
        groups = [(f"{note}: " if note else "") + ", ".join(ids) for note, ids in by_note.items()]
        lines.append(_hanging(f"{name}: " + "; ".join(groups)))
    return "".join(lines)


def _hanging(line: str) -> str:
    return (
        textwrap.fill(
            line, _WIDTH, initial_indent=_PAD, subsequent_indent=_PAD * 3, break_on_hyphens=False
        )
        + "\n"
    )


def _section(title: str, body: str) -> str:
    return f"{title}\n{body}"


def _wrap(text: str) -> str:
    return (
        textwrap.fill(
            text, _WIDTH, initial_indent=_PAD, subsequent_indent=_PAD, break_on_hyphens=False
        )
        + "\n"
    )


def _indent(block: str) -> str:
    return textwrap.indent(block, _PAD + "  ") + "\n"


def _bullets(items: Iterable[str]) -> str:
    return "".join(f"{_PAD}- {item}\n" for item in items)

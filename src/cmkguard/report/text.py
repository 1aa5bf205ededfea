"""``--format text``: the report for people.

Findings are grouped by file (live findings by account and region). Each shows where, what and
the verdict, the reasons in plain words, the evidence chains (context, key path, policy path),
warnings, notes and one ``fix:`` line from the catalogue. Input errors follow, one line each,
then a summary line.

Every piece of scanned text passes through ``sanitize`` and is appended to ``rich.text.Text`` as
plain text: rich markup is never parsed from it, so ``[red]PASS[/]`` in a resource name stays
literal.

``rich`` is imported when a text report is rendered, not when this module is: ``error_line``
and ``summary_line`` serve every run, and rich costs a fifth of a scan's start-up (issue 13).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, TextIO

from cmkguard.catalogue.entries import CATALOGUE
from cmkguard.errors import InputError
from cmkguard.findings import Finding, ScanResult, Status, Summary
from cmkguard.inventory import LiveLocation, SourceLocation
from cmkguard.report.fields import acceptance
from cmkguard.report.sanitize import clean, clean_line

if TYPE_CHECKING:
    from rich.text import Text

_STATUS_STYLE = {Status.PASS: "bold green", Status.FAIL: "bold red", Status.UNKNOWN: "bold yellow"}
_INDENT = "    "
ARROW = " → "
"""Joins the steps of an evidence chain."""


def render(result: ScanResult, out: TextIO, *, color: bool) -> None:
    """Write the text report of ``result`` to ``out``, with ANSI colour only when ``color``."""
    from rich.console import Console
    from rich.text import Text

    console = Console(
        file=out,
        force_terminal=color,
        color_system="auto" if color else None,
        no_color=not color,
        highlight=False,
        markup=False,
        emoji=False,
        soft_wrap=True,
        force_jupyter=False,
        force_interactive=False,
        legacy_windows=False,
    )
    for heading, findings in _groups(result.findings):
        console.print(Text(heading, style="bold"))
        for finding in findings:
            console.print(_finding(finding))
    for suppression in result.unused_suppressions:
        console.print(Text(clean_line(f"unused suppression {suppression.label}")))
    for entry in result.fixed:
        reasons = ", ".join(entry.reasons)
        console.print(Text(clean_line(f"fixed since the baseline: {entry.address} ({reasons})")))
    for error in result.errors:
        console.print(Text(error_line(error)))
    console.print(Text(summary_line(result.summary), style="bold"))


def error_line(error: InputError) -> str:
    """``cmkguard: error: FILE:LINE: message``, cleaned for a terminal."""
    return clean_line(f"cmkguard: error: {error}")


def summary_line(summary: Summary) -> str:
    """``3 notebooks: 1 PASS, 1 FAIL, 1 UNKNOWN; 1 input error``."""
    line = (
        f"{_count(summary.total, 'notebook')}: {summary.passed} PASS, {summary.failed} FAIL, "
        f"{summary.unknown} UNKNOWN"
    )
    if summary.suppressed or summary.baselined:
        line += f" ({summary.suppressed} suppressed, {summary.baselined} baselined)"
    if summary.errors:
        line += f"; {_count(summary.errors, 'input error')}"
    return line


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _group_key(finding: Finding) -> str:
    match finding.location:
        case SourceLocation(file=file):
            return clean_line(file)
        case LiveLocation(account=account, region=region):
            return clean_line(f"account {account}, region {region}")


def _groups(findings: Iterable[Finding]) -> list[tuple[str, list[Finding]]]:
    """Findings grouped by file (or account and region), groups in order of first appearance."""
    groups: dict[str, list[Finding]] = {}
    for finding in findings:
        groups.setdefault(_group_key(finding), []).append(finding)
    return list(groups.items())


def _root_differs(finding: Finding) -> bool:
    """Show the root module when the notebook is written in a module called from elsewhere."""
    if finding.root_module is None or finding.file is None:
        return False
    directory = finding.file.rpartition("/")[0] or "."
    return directory != finding.root_module


def _finding(finding: Finding) -> Text:
    from rich.text import Text

    text = Text("  ")
    if isinstance(finding.location, SourceLocation):
        text.append(clean_line(f"{finding.location.file}:{finding.location.line}"))
        text.append("  ")
    text.append(clean_line(finding.address))
    text.append("  ")
    text.append(finding.status.value, style=_STATUS_STYLE[finding.status])
    if finding.suppressed is not None:
        text.append("  (suppressed)", style="dim")
    elif finding.baselined:
        text.append("  (baselined)", style="dim")
    text.append("\n")
    if finding.suppressed is not None:
        _line(text, clean_line(acceptance(finding)))
    if _root_differs(finding):
        _line(text, f"root module: {clean_line(str(finding.root_module))}")
    for reason in finding.reasons:
        _line(text, f"reason {reason.value}: {CATALOGUE[reason].title}")
    for line in clean(finding.message).splitlines():
        _line(text, line)
    for chain in finding.evidence:
        _line(text, f"{chain.kind.heading}: " + ARROW.join(clean_line(str(s)) for s in chain.steps))
    for warning in finding.warnings:
        _line(text, f"warning {warning.value}: {CATALOGUE[warning].title}", style="yellow")
    for note in finding.notes:
        _line(text, "note: " + clean(note).replace("\n", "\n" + _INDENT + "      "))
    if finding.fix is not None:
        _line(text, f"fix: {finding.fix}", style="cyan")
    return text


def _line(text: Text, line: str, style: str = "") -> None:
    text.append(_INDENT)
    text.append(line, style=style)
    text.append("\n")

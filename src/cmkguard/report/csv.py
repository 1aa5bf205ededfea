"""``csv``: one row per finding for spreadsheets, with stable columns (``COLUMNS``).

RFC 4180 quoting (stdlib ``csv``), LF line ends; lists are joined with ``;`` and the evidence
chain with `` → ``. Input errors are not rows: a spreadsheet of notebooks has no place for
them, and the exit status and standard error report them.

Formula injection (CWE-1236): a spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or
``@`` (and, in some, a tab or carriage return) as a formula. Every cell is scanned text or
derived from it, so any cell starting with one of those characters gets a leading ``'``, as
OWASP advises; the value is then shown, never evaluated.
"""

from __future__ import annotations

import csv
from typing import TextIO

from cmkguard.findings import Finding, ScanResult
from cmkguard.inventory import LiveLocation, SourceLocation
from cmkguard.report.fields import acceptance, evidence_line, key_label
from cmkguard.report.options import RenderOptions

COLUMNS: tuple[tuple[str, str], ...] = (
    ("status", "PASS, FAIL or UNKNOWN"),
    ("address", "Terraform address, or the notebook ARN for live findings"),
    ("reasons", "reason codes, `;`-separated (empty for PASS)"),
    ("warnings", "warning codes, `;`-separated"),
    ("message", "the finding's message"),
    ("input", "terraform, plan, state or live"),
    ("file", "file relative to the scanned root (source and plans)"),
    ("line", "1-based line of the notebook block (source and plans)"),
    ("root_module", "Terraform root module the notebook was evaluated in"),
    ("account", "owning AWS account, when known"),
    ("region", "the notebook's region, when known"),
    ("key", "the last step of the evidence chain: the key as far as it was followed"),
    ("evidence", "the evidence chain, steps joined with ` → `"),
    ("notes", "further details, `;`-separated"),
    ("control", "the control identifier"),
    ("accepted", "why a FAIL/UNKNOWN does not count: its suppression, or `baselined`"),
)
"""The columns in order, with what each holds. New columns are only ever appended."""

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def render(result: ScanResult, out: TextIO, options: RenderOptions) -> None:
    """Write a header row and one row per finding of ``result`` to ``out``."""
    del options  # nothing in this format depends on the run
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([name for name, _ in COLUMNS])
    writer.writerows([defuse(cell) for cell in _row(f)] for f in result.findings)


def defuse(cell: str) -> str:
    """``cell`` with a leading ``'`` when a spreadsheet would read it as a formula."""
    return f"'{cell}" if cell.startswith(_FORMULA_STARTS) else cell


def _row(finding: Finding) -> list[str]:
    file = line = ""
    match finding.location:
        case SourceLocation():
            file, line = finding.location.file, str(finding.location.line)
        case LiveLocation():
            pass
    return [
        finding.status.value,
        finding.address,
        ";".join(r.value for r in finding.reasons),
        ";".join(w.value for w in finding.warnings),
        finding.message,
        finding.input.value,
        file,
        line,
        finding.root_module or "",
        finding.account or "",
        finding.region or "",
        key_label(finding),
        evidence_line(finding),
        ";".join(finding.notes),
        finding.control,
        acceptance(finding),
    ]

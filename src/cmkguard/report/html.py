"""``html``: a self-contained audit report an auditor can file (``--output html=report.html``).

One file, no external assets, works offline and prints: when and what was scanned, the counts
and a chart of the verdicts (by account and region for live scans, by root module for source,
by file for plans), a sortable and filterable table of every notebook with its key, reasons,
warnings and evidence chain, input errors, and the control with its mappings and framework
references. For live scans with ``--evidence`` it shows the bundle digest (SHA-256 of its
``SHA256SUMS``).

Every scanned string is escaped with ``html.escape`` after control and bidi characters are
removed, so a resource named ``<script>`` is shown, never run. The Content-Security-Policy
allows only the page's own inline script and style sheet, by hash (``html_assets``).
"""

from __future__ import annotations

import base64
import hashlib
from collections import Counter
from collections.abc import Iterable, Sequence
from html import escape
from typing import TextIO

from cmkguard import __version__
from cmkguard.catalogue.entries import CATALOGUE
from cmkguard.catalogue.mappings import (
    CONTROL_ID,
    FRAMEWORK_LABEL,
    FRAMEWORK_REFERENCES,
    STRICTER_THAN_INCUMBENTS,
    TOOL_MAPPINGS,
)
from cmkguard.errors import InputError
from cmkguard.findings import Finding, InputKind, ScanResult, Status
from cmkguard.report.fields import acceptance, group, key_label, where
from cmkguard.report.html_assets import PAGE, SCRIPT, STYLE
from cmkguard.report.options import RenderOptions
from cmkguard.report.sanitize import clean, clean_line

_STATUS_ORDER = {Status.FAIL: "0", Status.UNKNOWN: "1", Status.PASS: "2"}
_BAR_HEIGHT = 18
_LABEL_WIDTH = 260
_BAR_WIDTH = 420


def render(result: ScanResult, out: TextIO, options: RenderOptions) -> None:
    """Write the HTML audit report of ``result`` to ``out``."""
    out.write(page(result, options))


def content_security_policy() -> str:
    """The page's CSP: nothing but its own inline script and style sheet, by SHA-256."""
    return (
        "default-src 'none'; "
        f"script-src '{_sha256(SCRIPT)}'; style-src '{_sha256(STYLE)}'; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )


def page(result: ScanResult, options: RenderOptions) -> str:
    """The whole HTML document."""
    summary = result.summary
    digest = (
        ""
        if options.evidence_digest is None
        else "<dt>Evidence bundle digest (SHA-256 of its SHA256SUMS)</dt>"
        f'<dd id="evidence-digest"><code>{_e(options.evidence_digest)}</code></dd>\n'
    )
    return PAGE.substitute(
        csp=content_security_policy(),
        version=_e(__version__),
        style=STYLE,
        script=SCRIPT,
        generated=_e(options.timestamp().isoformat(timespec="seconds")),
        scanned=_scanned(result.inputs),
        digest=digest,
        total=summary.total,
        passed=summary.passed,
        failed=summary.failed,
        unknown=summary.unknown,
        errors=summary.errors,
        suppressed=summary.suppressed,
        baselined=summary.baselined,
        chart=chart(result.findings),
        grouping=_grouping(result.findings),
        rows="".join(_row(f) for f in result.findings),
        errors_section=_errors(result.errors),
        control_id=_e(CONTROL_ID),
        stricter=_e(STRICTER_THAN_INCUMBENTS),
        tools="".join(
            f"<tr><td>{_e(m.system)}</td><td><code>{_e(m.identifier)}</code></td>"
            f"<td>{_e(m.note or '')}</td></tr>\n"
            for m in TOOL_MAPPINGS
        ),
        framework_label=_e(FRAMEWORK_LABEL),
        frameworks="".join(
            f"<tr><td>{_e(r.framework)}</td><td>{_e(r.identifier)}</td>"
            f"<td>{_e(r.note or '')}</td></tr>\n"
            for r in FRAMEWORK_REFERENCES
        ),
    )


def chart(findings: Sequence[Finding]) -> str:
    """An inline SVG of stacked bars, one per group, PASS/FAIL/UNKNOWN."""
    groups: dict[str, Counter[Status]] = {}
    for finding in findings:
        groups.setdefault(group(finding), Counter())[finding.status] += 1
    if not groups:
        return '<p id="chart">No notebooks were found.</p>'
    widest = max(sum(c.values()) for c in groups.values())
    height = _BAR_HEIGHT * len(groups) + 8
    width = _LABEL_WIDTH + _BAR_WIDTH + 220
    parts = [
        f'<svg id="chart" xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}">'
        "<title>PASS, FAIL and UNKNOWN notebooks per group</title>"
    ]
    for index, (name, counts) in enumerate(groups.items()):
        y = index * _BAR_HEIGHT + 4
        parts.append(f'<text x="0" y="{y + 13}">{_e(_shorten(clean_line(name), 40))}</text>')
        x = float(_LABEL_WIDTH)
        for status in (Status.PASS, Status.FAIL, Status.UNKNOWN):
            n = counts[status]
            if not n:
                continue
            w = _BAR_WIDTH * n / widest
            parts.append(
                f'<rect class="bar-{status.value}" x="{x:.1f}" y="{y}" width="{w:.1f}" '
                f'height="{_BAR_HEIGHT - 4}"><title>{_e(clean_line(name))}: {n} '
                f"{status.value}</title></rect>"
            )
            x += w
        label = ", ".join(
            f"{counts[s]} {s.value}" for s in (Status.PASS, Status.FAIL, Status.UNKNOWN)
        )
        parts.append(f'<text x="{x + 6:.1f}" y="{y + 13}">{_e(label)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _grouping(findings: Iterable[Finding]) -> str:
    kinds = {f.input for f in findings}
    names = []
    if InputKind.LIVE in kinds:
        names.append("account and region (live)")
    if InputKind.TERRAFORM in kinds:
        names.append("root module (Terraform source)")
    if InputKind.CLOUDFORMATION in kinds:
        names.append("template (CloudFormation)")
    if kinds & {InputKind.PLAN, InputKind.STATE}:
        names.append("file (plans and state)")
    return ", ".join(names) or "group"


def _scanned(inputs: Sequence[str]) -> str:
    if not inputs:
        return "(nothing)"
    return ", ".join(f"<code>{_e(clean_line(i))}</code>" for i in inputs)


def _row(finding: Finding) -> str:
    status = finding.status.value
    reasons = "".join(
        f"<li><code>{r.value}</code> {_e(CATALOGUE[r].title)}</li>" for r in finding.reasons
    )
    warnings = "".join(
        f"<li><code>{w.value}</code> {_e(CATALOGUE[w].title)}</li>" for w in finding.warnings
    )
    evidence = "".join(
        f'<li class="chain-{chain.kind.value}">{_e(chain.kind.heading)}<ol>'
        + "".join(f"<li>{_e(clean_line(str(step)))}</li>" for step in chain.steps)
        + "</ol></li>"
        for chain in finding.evidence
    )
    notes = "".join(f'<p class="note">{_e(clean(note))}</p>' for note in finding.notes)
    details = f"<p>{_e(clean(finding.message))}</p>"
    accepted = acceptance(finding)
    if accepted:
        details = f'<p class="accepted">{_e(clean_line(accepted))}</p>' + details
        status_text = f"{status} ({'suppressed' if finding.suppressed else 'baselined'})"
    else:
        status_text = status
    if evidence:
        details += f'<ul class="evidence">{evidence}</ul>'
    details += notes
    return (
        f'<tr data-status="{status}">'
        f'<td class="status status-{status}" data-key="{_STATUS_ORDER[finding.status]}">'
        f"{status_text}</td>"
        f"<td><code>{_e(clean_line(finding.address))}</code></td>"
        f"<td>{_e(clean_line(where(finding)))}</td>"
        f"<td>{_e(clean_line(key_label(finding)))}</td>"
        f"<td><ul>{reasons}</ul></td>"
        f"<td><ul>{warnings}</ul></td>"
        f"<td>{details}</td></tr>\n"
    )


def _errors(errors: Sequence[InputError]) -> str:
    if not errors:
        return ""
    items = "".join(f"<li>{_e(clean_line(str(e)))}</li>" for e in errors)
    return f'<h3>Inputs that could not be read</h3>\n<ul id="input-errors">{items}</ul>\n'


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else "…" + text[-(limit - 1) :]


def _e(text: str) -> str:
    return escape(text, quote=True)


def _sha256(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()

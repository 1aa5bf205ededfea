"""``--format json``: the versioned output contract of ``shared/control.md``.

The shape is described field by field in ``report/schema.py`` (rendered to
``docs/findings.schema.json`` and ``docs/output-formats.md``). Keys keep a fixed order so that
diffs of two reports are readable; nothing is cleaned or dropped, because JSON is data and the
encoder escapes control characters itself.
"""

from __future__ import annotations

import json
from typing import TextIO

from cmkguard import __version__
from cmkguard.catalogue.mappings import FRAMEWORK_LABEL, FRAMEWORK_REFERENCES, TOOL_MAPPINGS
from cmkguard.errors import InputError
from cmkguard.findings import BaselineEntry, ChainKind, Finding, ScanResult, Suppression
from cmkguard.inventory import LiveLocation, SourceLocation
from cmkguard.records import Json
from cmkguard.values import Step

FORMAT_VERSION = "1.1"
"""The major part is bumped on any change that could break a consumer (a key removed, renamed or
retyped), the minor part when keys are added (1.1: ``chain`` on every evidence step)."""

TOOL_NAME = "cmkguard"


def render(result: ScanResult, out: TextIO, *, color: bool = False) -> None:
    """Write ``result`` as one JSON object to ``out``. ``color`` is ignored."""
    del color  # the JSON contract never carries terminal styling
    # One write: json.dump with indent makes a write per token (~500,000 for 1,000 findings).
    out.write(json.dumps(document(result), ensure_ascii=False, indent=2))
    out.write("\n")


def document(result: ScanResult) -> dict[str, Json]:
    """The JSON object for ``result``, with the contract's key order."""
    summary = result.summary
    return {
        "format_version": FORMAT_VERSION,
        "tool": {"name": TOOL_NAME, "version": __version__},
        "findings": [_finding(f) for f in result.findings],
        "errors": [_error(e) for e in result.errors],
        "unused_suppressions": [suppression(s) for s in result.unused_suppressions],
        "baseline_fixed": [_baseline_entry(e) for e in result.fixed],
        "summary": {
            "total": summary.total,
            "passed": summary.passed,
            "failed": summary.failed,
            "unknown": summary.unknown,
            "errors": summary.errors,
            "suppressed": summary.suppressed,
            "baselined": summary.baselined,
        },
    }


def suppression(s: Suppression) -> dict[str, Json]:
    """One suppression as the contract shows it."""
    return {
        "kind": s.kind.value,
        "codes": list(s.codes),
        "reason": s.reason,
        "until": s.until.isoformat() if s.until is not None else None,
        "file": s.file,
        "line": s.line,
        "address": s.address,
    }


def _baseline_entry(e: BaselineEntry) -> dict[str, Json]:
    return {
        "address": e.address,
        "root_module": e.root_module,
        "reasons": list(e.reasons),
        "fingerprint": e.fingerprint,
    }


def mappings() -> dict[str, Json]:
    """The identifiers of this control in other tools and frameworks, as every finding carries."""
    return {
        "tools": [
            {"system": m.system, "identifier": m.identifier, "note": m.note} for m in TOOL_MAPPINGS
        ],
        "frameworks": {
            "label": FRAMEWORK_LABEL,
            "references": [
                {"framework": r.framework, "identifier": r.identifier, "note": r.note}
                for r in FRAMEWORK_REFERENCES
            ],
        },
    }


def _finding(finding: Finding) -> dict[str, Json]:
    location: dict[str, Json]
    match finding.location:
        case SourceLocation(file=file, line=line):
            location = {"file": file, "line": line}
        case LiveLocation(account=account, region=region, arn=arn):
            location = {"account": account, "region": region, "arn": arn}
    return {
        "control": finding.control,
        "address": finding.address,
        "status": finding.status.value,
        "reasons": [r.value for r in finding.reasons],
        "warnings": [w.value for w in finding.warnings],
        "message": finding.message,
        "location": location,
        "region": finding.region,
        "account": finding.account,
        "input": finding.input.value,
        "root_module": finding.root_module,
        "evidence": [_step(chain.kind, s) for chain in finding.evidence for s in chain.steps],
        "notes": list(finding.notes),
        "mappings": mappings(),
        "suppression": suppression(finding.suppressed) if finding.suppressed else None,
        "baselined": finding.baselined,
    }


def _step(kind: ChainKind, step: Step) -> dict[str, Json]:
    return {"label": step.label, "file": step.file, "line": step.line, "chain": kind.value}


def _error(error: InputError) -> dict[str, Json]:
    return {"file": error.path, "line": error.line, "message": error.message}

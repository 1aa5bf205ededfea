"""The part of a finding that an ``expected.json`` pins, shared by the case and plan runners."""

from __future__ import annotations

from typing import Any

from cmkguard.findings import Finding


def finding_key(f: Finding) -> dict[str, Any]:
    """What an expected file pins of a finding."""
    return {
        "address": f.address,
        "status": f.status.value,
        "reasons": sorted(r.value for r in f.reasons),
        "warnings": sorted(w.value for w in f.warnings),
        "file": f.file,
        "line": f.line,
    }


def expected_key(e: dict[str, Any]) -> dict[str, Any]:
    """An expected finding with defaults filled in like ``finding_key``."""
    return {
        "address": e["address"],
        "status": e["status"],
        "reasons": sorted(e.get("reasons", [])),
        "warnings": sorted(e.get("warnings", [])),
        "file": e.get("file"),
        "line": e.get("line"),
    }

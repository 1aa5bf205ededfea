"""Runs a c7n-left style case directory and compares findings with ``expected.json`` exactly.

``expected.json``::

    {"args": ["--var", "x=y", "--strict"], "env": {"TF_VAR_a": "b"}, "inputs": ["main.tf"],
     "findings": [{"address": ..., "status": ..., "reasons": [...], "warnings": [...],
                   "file": "main.tf", "line": 3}],
     "errors": [{"file": "bad.tf", "line": 2}]}

``inputs`` (optional) lists paths inside the case to scan instead of the case directory itself.
Both directions are checked: a missing expected finding and an unexpected one both fail, and so
does any error the case does not list (Checkov's "no parse errors").
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from expectations import expected_key, finding_key

from cmkguard.cli import build_parser
from cmkguard.cli.scan import scanned
from cmkguard.findings import ScanResult


def _case_relative(case: Path, args: list[str]) -> list[str]:
    """``args`` with each ``--var-file`` (and ``--parameters-file``) path made relative to the
    case, as if run inside it."""
    out: list[str] = []
    for arg in args:
        if out and out[-1] in ("--var-file", "--parameters-file"):
            arg = str(case / arg)
        elif arg.startswith("--var-file="):
            arg = "--var-file=" + str(case / arg.removeprefix("--var-file="))
        out.append(arg)
    return out


def run_case(case: Path) -> tuple[ScanResult, dict[str, Any]]:
    """Scan a case directory as its ``expected.json`` says, as ``cmkguard scan INPUTS ARGS`` run
    in the case directory does: through the CLI's own parser and scan function, with the case's
    environment standing for the process's. Return the result and the spec."""
    spec: dict[str, Any] = json.loads((case / "expected.json").read_text())
    inputs = [str(case / p) for p in spec.get("inputs", [])] or [str(case)]
    args = build_parser().parse_args(["scan", *inputs, *_case_relative(case, spec.get("args", []))])
    return scanned(args, spec.get("env", {})), spec


def compare(case: Path) -> list[str]:
    """Every difference between the scan and ``expected.json``, as readable lines."""
    result, spec = run_case(case)
    problems: list[str] = []
    got = [finding_key(f) for f in result.findings]
    want = [expected_key(e) for e in spec.get("findings", [])]
    for w in want:
        if w not in got:
            near = [g for g in got if g["address"] == w["address"]]
            problems.append(f"missing expected finding {w}; got for that address: {near}")
    for g in got:
        if g not in want:
            msg = next(f.message for f in result.findings if f.address == g["address"])
            problems.append(f"unexpected finding {g} ({msg})")
    got_errors = [{"file": e.path, "line": e.line} for e in result.errors]
    want_errors = [{"file": e["file"], "line": e.get("line")} for e in spec.get("errors", [])]
    seen = [str(x) for x in result.errors]
    problems.extend(
        f"missing expected error {e}; got {seen}" for e in want_errors if e not in got_errors
    )
    for err, g_err in zip(result.errors, got_errors, strict=True):
        if g_err not in want_errors:
            problems.append(f"unexpected error {err}")
    return problems

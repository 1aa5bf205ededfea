"""Baselines: start a gate from today's debt and fail only on what is new.

``cmkguard baseline write FILE`` records every live FAIL/UNKNOWN finding (address, root module,
reason codes and a fingerprint of them, never line numbers, so that edits above a notebook do
not make it new). ``--baseline FILE`` marks the findings it lists as baselined (reported, not in
the exit status) and lists entries no finding matches any more as fixed, so the file can be
tightened. A finding whose reasons changed is new: its fingerprint differs.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import replace

from cmkguard.catalogue.mappings import CONTROL_ID
from cmkguard.errors import InputError
from cmkguard.findings import BaselineEntry, Finding, Status
from cmkguard.records import Json

FORMAT_VERSION = "1"
"""The baseline file's format; another value is rejected."""


def fingerprint(address: str, root_module: str | None, reasons: Iterable[str]) -> str:
    """``sha256:HEX`` of the control, root module, address and sorted reason codes."""
    text = "\0".join((CONTROL_ID, root_module or "", address, *sorted(reasons)))
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()


def entry(finding: Finding) -> BaselineEntry:
    """The baseline entry of one FAIL/UNKNOWN finding."""
    reasons = tuple(sorted(r.value for r in finding.reasons))
    return BaselineEntry(
        finding.address,
        finding.root_module,
        reasons,
        fingerprint(finding.address, finding.root_module, reasons),
    )


def entries(findings: Iterable[Finding]) -> tuple[BaselineEntry, ...]:
    """The entries for the FAIL/UNKNOWN findings no suppression accepts, sorted, no repeats."""
    found = {entry(f) for f in findings if f.status is not Status.PASS and f.suppressed is None}
    return tuple(sorted(found, key=lambda e: (e.address, e.root_module or "", e.fingerprint)))


def document(baseline: Sequence[BaselineEntry]) -> dict[str, Json]:
    """The baseline file's JSON object (stable key order, for readable diffs)."""
    return {
        "format_version": FORMAT_VERSION,
        "control": CONTROL_ID,
        "findings": [
            {
                "address": e.address,
                "root_module": e.root_module,
                "reasons": list(e.reasons),
                "fingerprint": e.fingerprint,
            }
            for e in baseline
        ],
    }


def dumps(baseline: Sequence[BaselineEntry]) -> str:
    """The baseline file's text."""
    return json.dumps(document(baseline), indent=2, ensure_ascii=False) + "\n"


def parse(data: bytes, file: str) -> tuple[BaselineEntry, ...] | InputError:
    """The entries of a baseline file, or an error naming the file and what is wrong."""
    try:
        document = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        line = error.lineno if isinstance(error, json.JSONDecodeError) else None
        return InputError(file, line, f"not a cmkguard baseline: {error}")
    if not isinstance(document, dict) or document.get("format_version") != FORMAT_VERSION:
        return InputError(
            file, None, f'not a cmkguard baseline: expected "format_version": "{FORMAT_VERSION}"'
        )
    items = document.get("findings")
    if not isinstance(items, list):
        return InputError(file, None, 'not a cmkguard baseline: "findings" is not a list')
    found: list[BaselineEntry] = []
    for index, item in enumerate(items):
        parsed = _entry(item)
        if parsed is None:
            return InputError(
                file,
                None,
                f"findings[{index}]: expected address, root_module, reasons and fingerprint",
            )
        found.append(parsed)
    return tuple(found)


def _entry(item: object) -> BaselineEntry | None:
    if not isinstance(item, dict):
        return None
    address, root, reasons, print_ = (
        item.get("address"),
        item.get("root_module"),
        item.get("reasons"),
        item.get("fingerprint"),
    )
    if not (
        isinstance(address, str)
        and (root is None or isinstance(root, str))
        and isinstance(reasons, list)
        and all(isinstance(r, str) for r in reasons)
        and isinstance(print_, str)
    ):
        return None
    return BaselineEntry(address, root, tuple(sorted(reasons)), print_)


def apply(
    findings: Sequence[Finding], baseline: Sequence[BaselineEntry]
) -> tuple[tuple[Finding, ...], tuple[BaselineEntry, ...]]:
    """Mark the findings the baseline lists; also return the entries no finding matches.

    Matching is by fingerprint, recomputed from the finding: an edited fingerprint in the file
    matches nothing, so it cannot hide a finding it does not describe.
    """
    wanted = {e.fingerprint for e in baseline}
    seen: set[str] = set()
    marked: list[Finding] = []
    for finding in findings:
        if finding.status is not Status.PASS and finding.suppressed is None:
            print_ = entry(finding).fingerprint
            if print_ in wanted:
                seen.add(print_)
                finding = replace(finding, baselined=True)
        marked.append(finding)
    return tuple(marked), tuple(e for e in baseline if e.fingerprint not in seen)

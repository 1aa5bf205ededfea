"""``sarif``: SARIF 2.1.0 (OASIS), in the shape GitHub code scanning accepts.

Rules are the reason codes of the catalogue (``ruleId`` = reason code), plus one rule for the
control itself that only PASS results use. A FAIL finding gives one result per reason, an
UNKNOWN one ``unresolved`` result; PASS findings appear only with ``--sarif-include-pass``
(``kind: pass``). Warnings never make results of their own: they are listed in each result's
``properties.warnings``, because they do not change the verdict and an alert per warning would
bury the failures.

Locations: ``uri`` is the finding's path relative to the scanned directory, under the
``uriBaseId`` ``SRCROOT``. GitHub resolves a relative ``uri`` against the repository root, so
for code scanning run ``cmkguard scan .`` from the repository root. Live findings have no file:
their location is logical, the notebook ARN. The evidence chain becomes ``relatedLocations``.

``partialFingerprints`` hash the input kind, root module, address and reason, never the line,
so that an alert survives a block moving in its file (GitHub computes its own line-based
``primaryLocationLineHash`` only when none is given).

The schema is vendored as ``tests/schemas/sarif-schema-2.1.0.json`` and every SARIF the tests
produce is validated against it.
"""

from __future__ import annotations

import json
from typing import TextIO
from urllib.parse import quote

from cmkguard import __version__
from cmkguard.catalogue.codes import Reason
from cmkguard.catalogue.entries import CATALOGUE, CatalogueEntry
from cmkguard.catalogue.mappings import CONTROL_ID, FRAMEWORK_LABEL, FRAMEWORK_REFERENCES
from cmkguard.errors import InputError
from cmkguard.findings import (
    Finding,
    InputKind,
    ScanResult,
    Status,
    Suppression,
    SuppressionKind,
)
from cmkguard.inventory import LiveLocation, SourceLocation
from cmkguard.records import Json
from cmkguard.report.fields import DOCS_URL, PROJECT_URL, digest, identity
from cmkguard.report.options import RenderOptions

SCHEMA_URI = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
SRCROOT = "SRCROOT"
"""The ``uriBaseId`` of every finding path: the scanned directory."""
FINGERPRINT = "cmkguard/v1"
"""The ``partialFingerprints`` key; bump the suffix if what is hashed ever changes."""

_LEVEL = {Status.FAIL: "error", Status.UNKNOWN: "warning", Status.PASS: "note"}
# GitHub shows `security-severity` as critical (9.0+), high (7.0+), medium (4.0+) or low.
# Security Hub rates SageMaker.21 medium; an unverifiable notebook is flagged a notch lower,
# since it may turn out to be fine once the missing input is supplied.
_SEVERITY_FAIL = "5.5"
_SEVERITY_UNKNOWN = "4.0"
_TAGS = ("security", "encryption", "kms", "sagemaker", "terraform", "CWE-311")


def render(result: ScanResult, out: TextIO, options: RenderOptions) -> None:
    """Write ``result`` as one SARIF log to ``out``."""
    out.write(json.dumps(document(result, options), ensure_ascii=False, indent=2))
    out.write("\n")


def document(result: ScanResult, options: RenderOptions) -> dict[str, Json]:
    """The SARIF log of ``result``."""
    findings = [f for f in result.findings if options.include_pass or f.status is not Status.PASS]
    results: list[Json] = [r for f in findings for r in _results(f)]
    run: dict[str, Json] = {
        "tool": {"driver": _driver(options, _is_live(result))},
        "automationDetails": {"id": f"cmkguard/{CONTROL_ID}/"},
        "invocations": [_invocation(result.errors)],
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    if options.source_root is not None:
        run["originalUriBaseIds"] = {
            SRCROOT: {
                "uri": options.source_root,
                "description": {"text": "The directory cmkguard scanned."},
            }
        }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def _is_live(result: ScanResult) -> bool:
    """Whether the run judged live accounts (``cmkguard live`` never mixes in code)."""
    return bool(result.findings) and all(f.input is InputKind.LIVE for f in result.findings)


def _driver(options: RenderOptions, live: bool) -> dict[str, Json]:
    rules: list[Json] = [_rule(CATALOGUE[reason], live) for reason in Reason]
    if options.include_pass:
        rules.append(_control_rule())
    return {
        "name": "cmkguard",
        "version": __version__,
        "semanticVersion": __version__,
        "informationUri": PROJECT_URL,
        "rules": rules,
    }


def _rule(entry: CatalogueEntry, live: bool) -> dict[str, Json]:
    # The rules of a live run say how to fix an account (no --var, no HCL to edit).
    fix = entry.advice(live)
    code = entry.code.value
    severity = _SEVERITY_UNKNOWN if entry.code is Reason.UNRESOLVED else _SEVERITY_FAIL
    help_markdown = (
        f"**{entry.title}.**\n\n{entry.what}\n\n{entry.why}\n\n**Fix:** {fix}\n\n"
        f"Before:\n\n```hcl\n{entry.before}\n```\n\nAfter:\n\n```hcl\n{entry.after}\n```\n"
    )
    return {
        "id": code,
        "name": _pascal(code),
        "shortDescription": {"text": entry.title},
        "fullDescription": {"text": f"{entry.what} {entry.why}"},
        "help": {"text": f"{entry.why} Fix: {fix}", "markdown": help_markdown},
        "helpUri": f"{DOCS_URL}/reasons.md#{entry.anchor}",
        "defaultConfiguration": {
            "level": "warning" if entry.code is Reason.UNRESOLVED else "error"
        },
        "properties": {
            "tags": list(_TAGS),
            "security-severity": severity,
            "precision": "very-high",
            "problem.severity": "warning" if entry.code is Reason.UNRESOLVED else "error",
        },
    }


def _control_rule() -> dict[str, Json]:
    references = [f"{r.framework} {r.identifier}" for r in FRAMEWORK_REFERENCES]
    return {
        "id": CONTROL_ID,
        "name": "NotebookEncryptedWithCustomerManagedKey",
        "shortDescription": {
            "text": "SageMaker notebook instance encrypted with a customer managed KMS key"
        },
        "fullDescription": {
            "text": "Every SageMaker notebook instance must be encrypted with a customer "
            "managed, enabled, symmetric KMS key in its region whose key policy lets the "
            "notebook use it. PASS results of this rule are reported with --sarif-include-pass."
        },
        "helpUri": f"{DOCS_URL}/reasons.md",
        "defaultConfiguration": {"level": "note"},
        "properties": {
            "tags": list(_TAGS),
            "frameworks": f"{FRAMEWORK_LABEL}: " + "; ".join(references),
        },
    }


def _pascal(code: str) -> str:
    return "".join(part.capitalize() for part in code.split("-"))


def _results(finding: Finding) -> list[dict[str, Json]]:
    if finding.status is Status.PASS:
        return [_result(finding, CONTROL_ID, "Encrypted with a customer managed key it can use")]
    return [_result(finding, r.value, CATALOGUE[r].title) for r in finding.reasons]


def _result(finding: Finding, rule_id: str, title: str) -> dict[str, Json]:
    result: dict[str, Json] = {
        "ruleId": rule_id,
        "ruleIndex": _rule_index(rule_id),
        "level": _LEVEL[finding.status],
        "message": {"text": f"{finding.address}: {title}. {finding.message}"},
        "locations": [_location(finding)],
        "partialFingerprints": {FINGERPRINT: digest(identity(finding), rule_id)},
        "properties": {
            "status": finding.status.value,
            "address": finding.address,
            "input": finding.input.value,
            "reasons": [r.value for r in finding.reasons],
            "warnings": [w.value for w in finding.warnings],
            "notes": list(finding.notes),
        },
    }
    if finding.status is Status.PASS:
        result["kind"] = "pass"
    if finding.suppressed is not None:
        result["suppressions"] = [_suppression(finding.suppressed)]
    if finding.baselined:
        result["baselineState"] = "unchanged"
    related = _related(finding)
    if related:
        result["relatedLocations"] = related
    return result


def _suppression(s: Suppression) -> dict[str, Json]:
    # SARIF's kinds: a comment next to the code is "inSource", a configuration entry "external".
    kind = "external" if s.kind is SuppressionKind.CONFIG else "inSource"
    suppression: dict[str, Json] = {"kind": kind, "status": "accepted"}
    if s.reason is not None:
        suppression["justification"] = s.reason
    physical: dict[str, Json] = {"artifactLocation": _artifact(s.file)}
    if s.line is not None:
        physical["region"] = {"startLine": s.line}
    suppression["location"] = {"physicalLocation": physical}
    properties: dict[str, Json] = {"codes": list(s.codes), "source": s.kind.value}
    if s.until is not None:
        properties["until"] = s.until.isoformat()
    suppression["properties"] = properties
    return suppression


def _rule_index(rule_id: str) -> int:
    ids = [reason.value for reason in Reason]
    return ids.index(rule_id) if rule_id in ids else len(ids)


def _location(finding: Finding) -> dict[str, Json]:
    match finding.location:
        case SourceLocation(file=file, line=line):
            return {
                "physicalLocation": {
                    "artifactLocation": _artifact(file),
                    "region": {"startLine": line},
                },
                "logicalLocations": [_logical(finding.address)],
            }
        case LiveLocation(arn=arn):
            return {"logicalLocations": [_logical(arn)]}


def _artifact(path: str) -> dict[str, Json]:
    """A path as an artifact location: relative ones under ``SRCROOT``, absolute ones (a plan
    file given by its absolute path) as ``file://`` URIs; spaces and the like percent-encoded."""
    if path.startswith("/"):
        return {"uri": "file://" + quote(path, safe="/")}
    return {"uri": quote(path, safe="/"), "uriBaseId": SRCROOT}


def _logical(name: str) -> dict[str, Json]:
    return {"fullyQualifiedName": name, "kind": "resource"}


def _related(finding: Finding) -> list[Json]:
    related: list[Json] = []
    steps = [(chain.kind, step) for chain in finding.evidence for step in chain.steps]
    for index, (kind, step) in enumerate(steps, start=1):
        location: dict[str, Json] = {
            "id": index,
            "message": {"text": f"{kind.heading}: {step.label}"},
            "properties": {"chain": kind.value},
        }
        if step.file is not None:
            physical: dict[str, Json] = {"artifactLocation": _artifact(step.file)}
            if step.line is not None:
                physical["region"] = {"startLine": step.line}
            location["physicalLocation"] = physical
        related.append(location)
    return related


def _invocation(errors: tuple[InputError, ...]) -> dict[str, Json]:
    return {
        "executionSuccessful": not errors,
        "toolExecutionNotifications": [_notification(e) for e in errors],
    }


def _notification(error: InputError) -> dict[str, Json]:
    physical: dict[str, Json] = {"artifactLocation": {"uri": error.path}}
    if error.line is not None:
        physical["region"] = {"startLine": error.line}
    return {
        "level": "error",
        "message": {"text": str(error)},
        "locations": [{"physicalLocation": physical}],
    }

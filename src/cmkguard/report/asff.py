"""``asff``: AWS Security Finding Format, for ``aws securityhub batch-import-findings``.

The output is a JSON array of findings, as ``--findings file://FILE`` takes it (at most 100
per call: split larger files). Each finding is filed under the Security Hub control
``SageMaker.21`` (``Compliance.SecurityControlId``) with ``Compliance.Status`` PASSED, FAILED or
NOT_AVAILABLE (UNKNOWN: the check could not be done), one resource of type
``AwsSageMakerNotebookInstance``, and the product ARN of the account's default custom
integration (``product/ACCOUNT/default``), which every account may import into.

Live findings carry their account and region. Findings from Terraform source and plans have
none until deployed: ``--asff-account`` and ``--asff-region`` (or ``AWS_REGION``) say which
Security Hub they are filed in, and the resource ``Id`` is the Terraform address. A finding
whose account or region is still unknown is a usage error naming the option: a finding filed
under a made-up account would be worse than none.

``Id`` hashes the input kind, root module and address, so importing the next scan's report
updates the same finding instead of adding one. UNKNOWN is rated MEDIUM like FAIL (fail
closed: it may be a FAIL); PASS is INFORMATIONAL, as Security Hub rates passed controls. A
suppressed finding has ``Workflow.Status`` SUPPRESSED.
"""

from __future__ import annotations

import json
import re
from typing import TextIO

from cmkguard.catalogue.entries import CATALOGUE
from cmkguard.catalogue.mappings import CONTROL_ID, FRAMEWORK_REFERENCES
from cmkguard.errors import UsageError
from cmkguard.findings import Finding, ScanResult, Status
from cmkguard.inventory import LiveLocation, SourceLocation
from cmkguard.records import Json
from cmkguard.report.fields import DOCS_URL, acceptance, digest, evidence_line, identity
from cmkguard.report.options import RenderOptions

SCHEMA_VERSION = "2018-10-08"
SECURITY_CONTROL_ID = "SageMaker.21"
RESOURCE_TYPE = "AwsSageMakerNotebookInstance"
TITLE = "SageMaker notebook instance should be encrypted with a customer managed KMS key"
FINDING_TYPE = "Software and Configuration Checks/AWS Security Best Practices"

_COMPLIANCE = {Status.PASS: "PASSED", Status.FAIL: "FAILED", Status.UNKNOWN: "NOT_AVAILABLE"}
_SEVERITY = {Status.PASS: "INFORMATIONAL", Status.FAIL: "MEDIUM", Status.UNKNOWN: "MEDIUM"}
_ACCOUNT = re.compile(r"^\d{12}$")
# Security Hub's limits: Description 1024 characters, Text 512, RelatedRequirements 32 items.
_DESCRIPTION_MAX = 1024
_TEXT_MAX = 512


def render(result: ScanResult, out: TextIO, options: RenderOptions) -> None:
    """Write the findings of ``result`` as a JSON array of ASFF findings to ``out``."""
    out.write(json.dumps(findings(result, options), ensure_ascii=False, indent=2))
    out.write("\n")


def findings(result: ScanResult, options: RenderOptions) -> list[Json]:
    """One ASFF finding per finding of ``result``."""
    at = options.timestamp().strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
    return [_finding(f, options, at) for f in result.findings]


def _account(finding: Finding, options: RenderOptions) -> str:
    for candidate in (finding.account, options.aws_account):
        if candidate is not None and _ACCOUNT.match(candidate):
            return candidate
    raise UsageError(
        f"ASFF: {finding.address} has no AWS account to file it under; "
        "pass --asff-account ACCOUNT_ID"
    )


def _region(finding: Finding, options: RenderOptions) -> str:
    region = finding.region or options.aws_region
    if not region:
        raise UsageError(
            f"ASFF: {finding.address} has no region to file it in; pass --asff-region REGION"
        )
    return region


def _finding(finding: Finding, options: RenderOptions, at: str) -> dict[str, Json]:
    account = _account(finding, options)
    region = _region(finding, options)
    partition = options.aws_partition
    asff: dict[str, Json] = {
        "SchemaVersion": SCHEMA_VERSION,
        "Id": f"cmkguard/{CONTROL_ID}/{digest(identity(finding))}",
        "ProductArn": f"arn:{partition}:securityhub:{region}:{account}:product/{account}/default",
        "ProductName": "cmkguard",
        "CompanyName": "cmkguard",
        "GeneratorId": f"cmkguard/{CONTROL_ID}",
        "AwsAccountId": account,
        "Region": region,
        "Types": [FINDING_TYPE],
        "CreatedAt": at,
        "UpdatedAt": at,
        "Severity": {"Label": _SEVERITY[finding.status]},
        "Title": TITLE,
        "Description": _cut(f"{finding.status.value}: {finding.message}", _DESCRIPTION_MAX),
        "Resources": [_resource(finding, partition, region)],
        "Compliance": {
            "Status": _COMPLIANCE[finding.status],
            "SecurityControlId": SECURITY_CONTROL_ID,
            "RelatedRequirements": _requirements(),
        },
        "ProductFields": _product_fields(finding),
        "RecordState": "ACTIVE",
        "Workflow": {"Status": _workflow(finding)},
    }
    if finding.reasons:
        entry = CATALOGUE[finding.reasons[0]]
        asff["Remediation"] = {
            "Recommendation": {
                "Text": _cut(finding.fix or entry.fix, _TEXT_MAX),
                "Url": f"{DOCS_URL}/reasons.md#{entry.anchor}",
            }
        }
    return asff


def _workflow(finding: Finding) -> str:
    if finding.status is Status.PASS:
        return "RESOLVED"
    return "SUPPRESSED" if finding.suppressed is not None else "NEW"


def _requirements() -> list[Json]:
    # Security Hub takes at most 32 related requirements.
    requirements: list[Json] = [f"{r.framework} {r.identifier}" for r in FRAMEWORK_REFERENCES]
    return requirements[:32]


def _resource(finding: Finding, partition: str, region: str) -> dict[str, Json]:
    other: dict[str, Json] = {"cmkguard/address": _cut(finding.address, _TEXT_MAX)}
    if isinstance(finding.location, SourceLocation):
        other["cmkguard/file"] = _cut(finding.location.file, _TEXT_MAX)
        other["cmkguard/line"] = str(finding.location.line)
    resource_id = (
        finding.location.arn if isinstance(finding.location, LiveLocation) else finding.address
    )
    return {
        "Type": RESOURCE_TYPE,
        "Id": _cut(resource_id, _TEXT_MAX),
        "Partition": partition,
        "Region": region,
        "Details": {"Other": other},
    }


def _product_fields(finding: Finding) -> dict[str, Json]:
    fields: dict[str, Json] = {
        "cmkguard/status": finding.status.value,
        "cmkguard/reasons": ",".join(r.value for r in finding.reasons),
        "cmkguard/warnings": ",".join(w.value for w in finding.warnings),
        "cmkguard/input": finding.input.value,
    }
    accepted = acceptance(finding)
    if accepted:
        fields["cmkguard/accepted"] = _cut(accepted, _TEXT_MAX)
    if finding.evidence:
        fields["cmkguard/evidence"] = _cut(evidence_line(finding), _TEXT_MAX)
    return fields


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"

"""Findings built by hand for the renderer tests: no scanner involved."""

from __future__ import annotations

from cmkguard.catalogue.codes import Reason, WarningCode
from cmkguard.catalogue.mappings import CONTROL_ID
from cmkguard.findings import ChainKind, EvidenceChain, Finding, InputKind, Status
from cmkguard.inventory import LiveLocation, Location, SourceLocation
from cmkguard.values import Step

NOTEBOOK = "aws_sagemaker_notebook_instance.nb"
LIVE_ARN = "arn:aws:sagemaker:eu-west-1:111122223333:notebook-instance/prod"


def source_finding(
    status: Status = Status.FAIL,
    *,
    address: str = NOTEBOOK,
    reasons: tuple[Reason, ...] = (Reason.AWS_MANAGED_KEY,),
    warnings: tuple[WarningCode, ...] = (),
    message: str = 'kms_key_id is "alias/aws/sagemaker".',
    file: str = "main.tf",
    line: int = 12,
    evidence: tuple[EvidenceChain, ...] = (),
    notes: tuple[str, ...] = (),
) -> Finding:
    """A Terraform finding. ``reasons`` applies to FAIL: PASS gets none, UNKNOWN ``unresolved``."""
    location: Location = SourceLocation(file, line)
    return Finding(
        CONTROL_ID,
        address,
        status,
        _REASONS.get(status, reasons),
        warnings,
        message,
        location,
        InputKind.TERRAFORM,
        evidence,
        notes,
    )


_REASONS: dict[Status, tuple[Reason, ...]] = {
    Status.PASS: (),
    Status.UNKNOWN: (Reason.UNRESOLVED,),
}


def one_of_each() -> tuple[Finding, Finding, Finding]:
    """A PASS, a FAIL and an UNKNOWN source finding."""
    return source_finding(Status.PASS), source_finding(), source_finding(Status.UNKNOWN)


def live_finding(status: Status = Status.PASS) -> Finding:
    """A live finding in account 111122223333, eu-west-1."""
    return Finding(
        CONTROL_ID,
        LIVE_ARN,
        status,
        () if status is Status.PASS else (Reason.KEY_DISABLED,),
        (),
        "Key state checked with DescribeKey.",
        LiveLocation("111122223333", "eu-west-1", LIVE_ARN),
        InputKind.LIVE,
        (
            EvidenceChain(
                ChainKind.KEY, (Step("DescribeNotebookInstance prod"), Step("DescribeKey 1234abcd"))
            ),
        ),
        region="eu-west-1",
        account="111122223333",
    )

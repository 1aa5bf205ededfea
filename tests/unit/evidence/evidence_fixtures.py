"""A live scan built by hand (findings, API records, identities) for the evidence tests."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from cmkguard.catalogue.codes import Reason
from cmkguard.catalogue.mappings import CONTROL_ID
from cmkguard.errors import InputError
from cmkguard.findings import ChainKind, EvidenceChain, Finding, InputKind, ScanResult, Status
from cmkguard.inventory import LiveLocation
from cmkguard.records import ApiRecord, Json
from cmkguard.values import Step

ACCOUNT = "111122223333"
REGION = "eu-west-1"
KEY_ID = "1234abcd-12ab-34cd-56ef-1234567890ab"
KEY_ARN = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/{KEY_ID}"
NB_ARN = f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:notebook-instance/prod"
AT = "2026-01-02T03:04:05Z"
IDENTITY: dict[str, Json] = {
    "UserId": "AIDAEXAMPLE",
    "Account": ACCOUNT,
    "Arn": f"arn:aws:iam::{ACCOUNT}:user/auditor",
}


@dataclass(frozen=True)
class FakeScan:
    """Satisfies ``evidence.compose.LiveScanLike`` without a live scan."""

    result: ScanResult
    records: Sequence[ApiRecord]
    identities: Sequence[Mapping[str, object]] = field(default_factory=lambda: [dict(IDENTITY)])
    started_at: str = "2026-01-02T03:04:00Z"
    finished_at: str = "2026-01-02T03:05:00Z"


def call(
    service: str,
    operation: str,
    request: dict[str, Json],
    response: Json = None,
    error: str | None = None,
    *,
    region: str = REGION,
    account: str = ACCOUNT,
) -> ApiRecord:
    """One recorded call."""
    return ApiRecord(account, region, service, operation, request, response, error, AT)


def pass_finding() -> Finding:
    """The PASS of notebook ``prod``."""
    return Finding(
        CONTROL_ID,
        NB_ARN,
        Status.PASS,
        (),
        (),
        "Encrypted with a customer managed key.",
        LiveLocation(ACCOUNT, REGION, NB_ARN),
        InputKind.LIVE,
        (
            EvidenceChain(
                ChainKind.KEY,
                (Step("DescribeNotebookInstance prod"), Step(f"DescribeKey {KEY_ID}")),
            ),
        ),
        region=REGION,
        account=ACCOUNT,
    )


def notebook_arn(name: str) -> str:
    """The ARN of notebook ``name`` in the fixture's account and region."""
    return f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:notebook-instance/{name}"


def customer_key() -> dict[str, Json]:
    """``KeyMetadata`` of the enabled symmetric customer managed key the PASS rests on."""
    return {
        "KeyId": KEY_ID,
        "Arn": KEY_ARN,
        "KeyManager": "CUSTOMER",
        "KeyState": "Enabled",
        "KeySpec": "SYMMETRIC_DEFAULT",
        "KeyUsage": "ENCRYPT_DECRYPT",
    }


def unknown_finding(name: str) -> Finding:
    """An UNKNOWN notebook whose DescribeNotebookInstance was refused."""
    arn = notebook_arn(name)
    return Finding(
        CONTROL_ID,
        arn,
        Status.UNKNOWN,
        (Reason.UNRESOLVED,),
        (),
        "DescribeNotebookInstance failed: AccessDeniedException",
        LiveLocation(ACCOUNT, REGION, arn),
        InputKind.LIVE,
        region=REGION,
        account=ACCOUNT,
    )


def cloudtrail_event(name: str) -> str:
    """A CloudTrail event as LookupEvents returns it: a JSON *string*."""
    return json.dumps(
        {
            "eventName": name,
            "eventSource": "sagemaker.amazonaws.com",
            "requestParameters": {"notebookInstanceName": "prod", "kmsKeyId": KEY_ID},
            "userIdentity": {
                "type": "AssumedRole",
                "accessKeyId": "ASIAEXAMPLE",
                "sessionContext": {"sessionIssuer": {"userName": "deployer"}},
            },
        }
    )


def typical_records() -> list[ApiRecord]:
    """Every kind of call the live scan makes in one region, one of them refused."""
    return [
        call("sts", "GetCallerIdentity", {}, dict(IDENTITY), region="us-east-1"),
        call(
            "sagemaker",
            "ListNotebookInstances",
            {},
            {
                "NotebookInstances": [
                    {"NotebookInstanceName": "prod", "NotebookInstanceArn": NB_ARN}
                ],
                "NextToken": "t1",
            },
        ),
        call(
            "sagemaker",
            "ListNotebookInstances",
            {"NextToken": "t1"},
            {
                "NotebookInstances": [
                    {
                        "NotebookInstanceName": "denied",
                        "NotebookInstanceArn": notebook_arn("denied"),
                    }
                ]
            },
        ),
        call(
            "sagemaker",
            "DescribeNotebookInstance",
            {"NotebookInstanceName": "prod"},
            {"NotebookInstanceArn": NB_ARN, "KmsKeyId": KEY_ID},
        ),
        call(
            "sagemaker",
            "DescribeNotebookInstance",
            {"NotebookInstanceName": "denied"},
            None,
            "AccessDeniedException: not authorised",
        ),
        call(
            "kms",
            "DescribeKey",
            {"KeyId": KEY_ID},
            {"KeyMetadata": customer_key()},
        ),
        call("kms", "GetKeyPolicy", {"KeyId": KEY_ARN, "PolicyName": "default"}, {"Policy": "{}"}),
        call(
            "config",
            "DescribeConfigRules",
            {},
            {
                "ConfigRules": [
                    {
                        "ConfigRuleName": "sm-kms",
                        "Source": {
                            "Owner": "AWS",
                            "SourceIdentifier": "SAGEMAKER_NOTEBOOK_INSTANCE_KMS_KEY_CONFIGURED",
                        },
                    }
                ]
            },
        ),
        call(
            "config",
            "GetComplianceDetailsByConfigRule",
            {"ConfigRuleName": "sm-kms"},
            {"EvaluationResults": [{"ComplianceType": "COMPLIANT"}]},
        ),
        *(
            call(
                "cloudtrail",
                "LookupEvents",
                {"LookupAttributes": [{"AttributeKey": "EventName", "AttributeValue": name}]},
                {"Events": [{"EventName": name, "CloudTrailEvent": cloudtrail_event(name)}]},
            )
            for name in ("CreateNotebookInstance", "UpdateNotebookInstance")
        ),
    ]


def typical_scan() -> FakeScan:
    """A scan of one region: a PASS, an UNKNOWN, one scan error."""
    result = ScanResult(
        (pass_finding(), unknown_finding("denied")),
        (InputError(f"aws:{ACCOUNT}:us-west-2", None, "ListNotebookInstances: AccessDenied"),),
        (f"aws:{ACCOUNT}:{REGION}",),
    )
    return FakeScan(result, typical_records())

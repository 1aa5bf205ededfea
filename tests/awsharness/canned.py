"""AWS responses moto cannot give, shaped as botocore's service models say (botocore/data:
``config`` DescribeConfigRules / GetComplianceDetailsByConfigRule, ``cloudtrail`` LookupEvents,
``account`` ListRegions). Timestamps are epoch seconds, as the JSON protocols carry them.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from awsharness.proxy import Request

DEFAULT_ACCOUNT = "123456789012"
EPOCH = 1_767_225_600.0  # 2026-01-01T00:00:00Z

RULE_KMS_KEY_CONFIGURED = "SAGEMAKER_NOTEBOOK_INSTANCE_KMS_KEY_CONFIGURED"
RULE_STORAGE_VOL = "SAGEMAKER_NOTEBOOK_INSTANCE_STORAGE_VOL_KMS_ENCRYPTED"


def paged(
    items_key: str, items: Sequence[Mapping[str, Any]], page_size: int
) -> Callable[[Request], Mapping[str, Any]]:
    """Serve ``items`` in pages of ``page_size``, following the request's ``NextToken``."""

    def answer(request: Request) -> Mapping[str, Any]:
        start = int(request.json().get("NextToken") or 0)
        page: dict[str, Any] = {items_key: list(items[start : start + page_size])}
        if start + page_size < len(items):
            page["NextToken"] = str(start + page_size)
        return page

    return answer


def config_rule(
    name: str, identifier: str, region: str = "us-east-1", account: str = DEFAULT_ACCOUNT
) -> dict[str, Any]:
    """One AWS managed Config rule, as ``DescribeConfigRules`` lists it."""
    rule_id = f"config-rule-{uuid.uuid4().hex[:6]}"
    return {
        "ConfigRuleName": name,
        "ConfigRuleArn": f"arn:aws:config:{region}:{account}:config-rule/{rule_id}",
        "ConfigRuleId": rule_id,
        "Scope": {"ComplianceResourceTypes": ["AWS::SageMaker::NotebookInstance"]},
        "Source": {"Owner": "AWS", "SourceIdentifier": identifier},
        "InputParameters": "{}",
        "ConfigRuleState": "ACTIVE",
        "EvaluationModes": [{"Mode": "DETECTIVE"}],
    }


def evaluation(rule_name: str, notebook_name: str, compliant: bool) -> dict[str, Any]:
    """One ``GetComplianceDetailsByConfigRule`` evaluation result of a notebook."""
    return {
        "EvaluationResultIdentifier": {
            "EvaluationResultQualifier": {
                "ConfigRuleName": rule_name,
                "ResourceType": "AWS::SageMaker::NotebookInstance",
                "ResourceId": notebook_name,
                "EvaluationMode": "DETECTIVE",
            },
            "OrderingTimestamp": EPOCH,
        },
        "ComplianceType": "COMPLIANT" if compliant else "NON_COMPLIANT",
        "ResultRecordedTime": EPOCH + 60,
        "ConfigRuleInvokedTime": EPOCH + 30,
    }


def trail_event(
    event_name: str,
    notebook_name: str,
    kms_key_id: str | None,
    region: str = "us-east-1",
    account: str = DEFAULT_ACCOUNT,
) -> dict[str, Any]:
    """One CloudTrail ``LookupEvents`` event; ``CloudTrailEvent`` is the JSON record as a string,
    with ``kmsKeyId`` in ``requestParameters`` as SageMaker logs it."""
    event_id = str(uuid.uuid4())
    parameters: dict[str, Any] = {"notebookInstanceName": notebook_name}
    if kms_key_id is not None:
        parameters["kmsKeyId"] = kms_key_id
    record = {
        "eventVersion": "1.09",
        "userIdentity": {
            "type": "AssumedRole",
            "arn": f"arn:aws:sts::{account}:assumed-role/deployer/ci",
            "accountId": account,
        },
        "eventTime": "2026-01-01T00:00:00Z",
        "eventSource": "sagemaker.amazonaws.com",
        "eventName": event_name,
        "awsRegion": region,
        "sourceIPAddress": "203.0.113.10",
        "userAgent": "terraform",
        "requestParameters": parameters,
        "responseElements": None,
        "requestID": str(uuid.uuid4()),
        "eventID": event_id,
        "readOnly": False,
        "eventType": "AwsApiCall",
        "managementEvent": True,
        "recipientAccountId": account,
        "eventCategory": "Management",
    }
    return {
        "EventId": event_id,
        "EventName": event_name,
        "ReadOnly": "false",
        "AccessKeyId": "ASIAEXAMPLEEXAMPLE00",
        "EventTime": EPOCH,
        "EventSource": "sagemaker.amazonaws.com",
        "Username": "ci",
        "Resources": [
            {"ResourceType": "AWS::SageMaker::NotebookInstance", "ResourceName": notebook_name}
        ],
        "CloudTrailEvent": json.dumps(record),
    }


def events_by_name(
    events: Sequence[Mapping[str, Any]], page_size: int = 50
) -> Callable[[Request], Mapping[str, Any]]:
    """``LookupEvents`` that honours the ``EventName`` lookup attribute and pagination."""

    def answer(request: Request) -> Mapping[str, Any]:
        wanted = {
            a.get("AttributeValue")
            for a in request.json().get("LookupAttributes", [])
            if a.get("AttributeKey") == "EventName"
        }
        chosen = [e for e in events if not wanted or e["EventName"] in wanted]
        return paged("Events", chosen, page_size)(request)

    return answer


def regions(enabled: Sequence[str]) -> Mapping[str, Any]:
    """``account:ListRegions`` listing ``enabled`` as ENABLED_BY_DEFAULT."""
    return {
        "Regions": [{"RegionName": r, "RegionOptStatus": "ENABLED_BY_DEFAULT"} for r in enabled]
    }

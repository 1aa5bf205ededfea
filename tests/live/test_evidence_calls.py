"""``collect_evidence``: AWS Config rules and results, CloudTrail events, caller identity — each
call recorded as AWS answered it (canned by the proxy where moto cannot)."""

from __future__ import annotations

import json

from awsharness import DEFAULT_ACCOUNT, MotoStack
from awsharness.canned import (
    RULE_KMS_KEY_CONFIGURED,
    config_rule,
    evaluation,
    events_by_name,
    paged,
    trail_event,
)

from live.conftest import calls, scan


def test_config_rules_found_by_identifier_and_results_paginated(aws: MotoStack) -> None:
    key = aws.create_key()
    aws.create_notebook("nb", key["Arn"])
    rules = [
        config_rule("securityhub-sagemaker-kms-abc123", RULE_KMS_KEY_CONFIGURED),
        config_rule("s3-versioning", "S3_BUCKET_VERSIONING_ENABLED"),
    ]
    aws.answer("DescribeConfigRules", {"ConfigRules": rules}, service="config")
    results = [
        evaluation("securityhub-sagemaker-kms-abc123", f"nb-{i}", i % 2 == 0) for i in range(150)
    ]
    aws.answer(
        "GetComplianceDetailsByConfigRule",
        paged("EvaluationResults", results, 100),
        service="config",
    )
    result = scan(collect_evidence=True)
    [described] = calls(result, "DescribeConfigRules")
    assert described.region == "us-east-1"
    assert described.account == DEFAULT_ACCOUNT
    pages = calls(result, "GetComplianceDetailsByConfigRule")
    assert [p.request.get("ConfigRuleName") for p in pages] == [
        "securityhub-sagemaker-kms-abc123"
    ] * 2
    first = pages[0].response
    assert isinstance(first, dict)
    assert isinstance(first["EvaluationResults"], list)
    assert len(first["EvaluationResults"]) == 100
    # Timestamps arrive as epoch numbers and are recorded as ISO 8601 strings.
    recorded = first["EvaluationResults"][0]
    assert isinstance(recorded, dict)
    assert str(recorded["ResultRecordedTime"]).startswith("2026-01-01T00:01:00")


def test_absent_rules_are_shown_by_the_listing_itself(aws: MotoStack) -> None:
    aws.create_notebook("nb")
    result = scan(collect_evidence=True)
    [described] = calls(result, "DescribeConfigRules")
    assert described.response == {"ConfigRules": []}
    assert not calls(result, "GetComplianceDetailsByConfigRule")


def test_cloudtrail_events_for_both_event_names_paginated(aws: MotoStack) -> None:
    key = aws.create_key()
    aws.create_notebook("nb", key["Arn"])
    events = [trail_event("CreateNotebookInstance", f"nb-{i}", key["Arn"]) for i in range(60)]
    events.append(trail_event("UpdateNotebookInstance", "nb", key["Arn"]))
    aws.answer("LookupEvents", events_by_name(events), service="cloudtrail")
    result = scan(collect_evidence=True)
    lookups = calls(result, "LookupEvents")
    names = [r.request["LookupAttributes"][0]["AttributeValue"] for r in lookups]  # type: ignore[index, call-overload]
    assert names == ["CreateNotebookInstance", "CreateNotebookInstance", "UpdateNotebookInstance"]
    page = lookups[-1].response
    assert isinstance(page, dict)
    assert isinstance(page["Events"], list)
    event = page["Events"][0]
    assert isinstance(event, dict)
    cloudtrail_event = json.loads(str(event["CloudTrailEvent"]))
    assert cloudtrail_event["requestParameters"]["kmsKeyId"] == key["Arn"]


def test_evidence_failures_are_recorded_and_change_no_verdict(aws: MotoStack) -> None:
    aws.create_notebook("nb")
    aws.deny("DescribeConfigRules", "config")
    aws.deny("LookupEvents", "cloudtrail")
    result = scan(collect_evidence=True)
    assert [r.error is not None for r in calls(result, "DescribeConfigRules")] == [True]
    assert len(calls(result, "LookupEvents")) == 2
    assert not result.result.errors
    assert result.result.exit_code() == 1


def test_without_evidence_only_the_control_calls_are_made(aws: MotoStack) -> None:
    key = aws.create_key()
    aws.create_notebook("a", key["KeyId"])
    aws.create_notebook("b")
    result = scan()
    assert sorted(r.operation for r in result.records) == sorted(
        [
            "GetCallerIdentity",
            "ListNotebookInstances",
            "DescribeNotebookInstance",
            "DescribeNotebookInstance",
            "DescribeKey",
            "GetKeyPolicy",
        ]
    )
    assert len(aws.operations()) == len(result.records)
    assert result.started_at <= result.finished_at
    [identity] = result.identities
    assert identity["Account"] == DEFAULT_ACCOUNT
    assert identity["Source"] == "default credentials"

"""Refused and failing calls: never PASS, never a silent gap."""

from __future__ import annotations

import pytest
from awsharness import DEFAULT_ACCOUNT, MotoStack

from cmkguard.findings import Status
from live.conftest import calls, finding, scan, verdicts


def test_throttling_is_absorbed_by_retries(aws: MotoStack) -> None:
    key = aws.create_key()
    aws.create_notebook("nb", key["KeyId"])
    aws.throttle("ListNotebookInstances", 2)
    aws.throttle("DescribeNotebookInstance", 1)
    aws.throttle("DescribeKey", 2)
    aws.throttle("GetKeyPolicy", 1)
    result = scan()
    assert verdicts(result) == {"nb": ("PASS", ())}
    assert not result.result.errors
    # One recorded call each; the proxy saw the retries.
    assert len(calls(result, "DescribeKey")) == 1
    assert aws.count("DescribeKey") == 3
    assert aws.count("ListNotebookInstances") == 3


def test_denied_listing_makes_the_region_an_error(aws: MotoStack) -> None:
    aws.create_notebook("east")
    aws.create_notebook("west", region="us-west-2")
    aws.deny("ListNotebookInstances", "sagemaker", region="us-west-2")
    result = scan(regions=("us-east-1", "us-west-2"))
    assert verdicts(result) == {"east": ("FAIL", ("missing",))}
    [error] = result.result.errors
    assert error.path == f"aws:{DEFAULT_ACCOUNT}:us-west-2"
    assert "live scan incomplete" in error.message
    assert "ListNotebookInstances denied: AccessDeniedException" in error.message
    assert result.result.exit_code() == 2


@pytest.mark.slow
def test_listing_that_fails_on_a_later_page_keeps_the_first_pages(aws: MotoStack) -> None:
    for index in range(105):
        aws.create_notebook(f"nb-{index:03d}")
    aws.deny("ListNotebookInstances", "sagemaker", body_contains="NextToken")
    result = scan()
    assert len(result.result.findings) == 100
    assert [e.path for e in result.result.errors] == [f"aws:{DEFAULT_ACCOUNT}:us-east-1"]
    assert result.result.exit_code() == 2


def test_denied_describe_notebook_makes_that_notebook_unknown(aws: MotoStack) -> None:
    key = aws.create_key()
    aws.create_notebook("secret", key["KeyId"])
    aws.create_notebook("open", key["KeyId"])
    aws.deny("DescribeNotebookInstance", "sagemaker", body_contains='"secret"')
    result = scan()
    assert verdicts(result) == {"secret": ("UNKNOWN", ("unresolved",)), "open": ("PASS", ())}
    message = finding(result, "secret").message
    assert "DescribeNotebookInstance denied: AccessDeniedException" in message
    assert not result.result.errors
    assert result.result.exit_code() == 1


def test_denied_describe_key_makes_the_notebook_unknown(aws: MotoStack) -> None:
    key = aws.create_key()
    aws.create_notebook("nb", key["KeyId"])
    aws.deny("DescribeKey", "kms")
    result = scan()
    assert verdicts(result) == {"nb": ("UNKNOWN", ("unresolved",))}
    assert "DescribeKey denied: AccessDeniedException" in finding(result, "nb").message
    assert not calls(result, "GetKeyPolicy")


def test_denied_describe_key_of_an_aws_alias_still_fails(aws: MotoStack) -> None:
    # alias/aws/* names an AWS managed key by its text alone.
    aws.create_notebook("nb", "alias/aws/sagemaker")
    aws.deny("DescribeKey", "kms")
    assert verdicts(scan()) == {"nb": ("FAIL", ("aws-managed-key",))}


def test_denied_key_policy_makes_the_notebook_unknown(aws: MotoStack) -> None:
    key = aws.create_key()
    aws.create_notebook("nb", key["KeyId"])
    aws.deny("GetKeyPolicy", "kms")
    result = scan()
    assert verdicts(result) == {"nb": ("UNKNOWN", ("unresolved",))}
    assert "GetKeyPolicy denied" in finding(result, "nb").message


def test_a_definite_failure_is_kept_when_another_fact_is_unknown(aws: MotoStack) -> None:
    key = aws.create_key(region="us-west-2")
    aws.create_notebook("nb", key["Arn"])
    aws.deny("GetKeyPolicy", "kms")
    found = finding(scan(), "nb")
    assert found.status is Status.FAIL
    assert [r.value for r in found.reasons] == ["cross-region"]


def test_unreachable_account_is_an_error(aws: MotoStack) -> None:
    aws.create_notebook("nb", region="us-east-1", account="111111111111")
    aws.deny("AssumeRole", "sts", body_contains="222222222222")
    result = scan(
        role_arns=(
            "arn:aws:iam::111111111111:role/audit",
            "arn:aws:iam::222222222222:role/audit",
        )
    )
    assert verdicts(result) == {"nb": ("FAIL", ("missing",))}
    [error] = result.result.errors
    assert error.path == "aws:222222222222"
    assert "cannot assume arn:aws:iam::222222222222:role/audit" in error.message
    assert "AssumeRole denied: AccessDenied" in error.message
    assert result.result.exit_code() == 2


def test_no_region_anywhere_is_an_error(aws: MotoStack, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AWS_REGION")
    monkeypatch.delenv("AWS_DEFAULT_REGION")
    result = scan(regions=None)
    [error] = result.result.errors
    assert "no region configured" in error.message
    assert result.result.exit_code() == 2

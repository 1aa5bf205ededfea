"""Every reason code, live: notebooks and keys made in moto, judged through the API."""

from __future__ import annotations

import uuid

from awsharness import DEFAULT_ACCOUNT, MotoStack

from cmkguard.findings import Status
from cmkguard.settings import Settings
from live.conftest import calls, finding, scan, verdicts

ROOT = f"arn:aws:iam::{DEFAULT_ACCOUNT}:root"


def test_customer_managed_key_passes(aws: MotoStack) -> None:
    key = aws.create_key()
    aws.create_notebook("good", key["Arn"])
    result = scan()
    found = finding(result, "good")
    assert found.status is Status.PASS
    assert found.account == DEFAULT_ACCOUNT
    assert found.region == "us-east-1"
    assert key["Arn"] in found.message
    assert result.result.exit_code() == 0


def test_missing_key(aws: MotoStack) -> None:
    aws.create_notebook("plain")
    result = scan()
    assert verdicts(result) == {"plain": ("FAIL", ("missing",))}
    assert not calls(result, "DescribeKey")


def test_aws_managed_key_by_alias_and_by_its_key_arn(aws: MotoStack) -> None:
    aws.create_notebook("by-alias", "alias/aws/sagemaker")
    aws.create_notebook("by-arn", aws.aws_managed_key_arn())
    result = scan()
    assert verdicts(result) == {
        "by-alias": ("FAIL", ("aws-managed-key",)),
        "by-arn": ("FAIL", ("aws-managed-key",)),
    }
    described = [r.response for r in calls(result, "DescribeKey")]
    assert all(
        isinstance(d, dict) and d["KeyMetadata"]["KeyManager"] == "AWS"  # type: ignore[index, call-overload]
        for d in described
    )
    # The policy of an AWS managed key cannot change the verdict: it is not read.
    assert not calls(result, "GetKeyPolicy")


def test_malformed_identifier_is_accepted_by_moto_and_fails(aws: MotoStack) -> None:
    # Real SageMaker validates the key; moto stores any string. The text alone fails.
    aws.create_notebook("junk", "foo")
    result = scan()
    assert verdicts(result) == {"junk": ("FAIL", ("malformed",))}
    assert not calls(result, "DescribeKey")


def test_cross_region_key_is_described_in_its_region(aws: MotoStack) -> None:
    key = aws.create_key(region="us-west-2")
    aws.create_notebook("far", key["Arn"])
    result = scan()
    assert verdicts(result) == {"far": ("FAIL", ("cross-region",))}
    assert [r.region for r in calls(result, "DescribeKey")] == ["us-west-2"]
    assert aws.count("DescribeKey", "us-west-2") == 1


def test_asymmetric_and_hmac_keys(aws: MotoStack) -> None:
    rsa = aws.create_key(spec="RSA_2048", usage="SIGN_VERIFY")
    hmac = aws.create_key(spec="HMAC_256", usage="GENERATE_VERIFY_MAC")
    rsa_encrypt = aws.create_key(spec="RSA_2048", usage="ENCRYPT_DECRYPT")
    aws.create_notebook("rsa", rsa["KeyId"])
    aws.create_notebook("hmac", hmac["KeyId"])
    aws.create_notebook("rsa-encrypt", rsa_encrypt["KeyId"])
    assert verdicts(scan()) == {
        "rsa": ("FAIL", ("key-not-symmetric",)),
        "hmac": ("FAIL", ("key-not-symmetric",)),
        "rsa-encrypt": ("FAIL", ("key-not-symmetric",)),
    }


def test_disabled_pending_deletion_and_nonexistent_keys(aws: MotoStack) -> None:
    disabled = aws.create_key()
    pending = aws.create_key()
    kms = aws.client("kms")
    # moto quirk: disable_key and schedule_key_deletion need the bare key ID, not the ARN.
    kms.disable_key(KeyId=disabled["KeyId"])
    kms.schedule_key_deletion(KeyId=pending["KeyId"], PendingWindowInDays=7)
    ghost = str(uuid.uuid4())
    aws.create_notebook("disabled", disabled["Arn"])
    aws.create_notebook("pending", pending["Arn"])
    aws.create_notebook("ghost", ghost)
    result = scan()
    assert verdicts(result) == {
        "disabled": ("FAIL", ("key-disabled",)),
        "pending": ("FAIL", ("key-disabled",)),
        "ghost": ("FAIL", ("key-disabled",)),
    }
    assert "NotFound" in finding(result, "ghost").message
    assert "PendingDeletion" in finding(result, "pending").message


def test_explicit_deny_of_create_grant(aws: MotoStack) -> None:
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": ROOT}, "Action": "kms:*", "Resource": "*"},
            {"Effect": "Deny", "Principal": "*", "Action": "kms:CreateGrant", "Resource": "*"},
        ],
    }
    key = aws.create_key(policy=policy)
    aws.create_notebook("denied", key["KeyId"])
    result = scan()
    assert verdicts(result) == {"denied": ("FAIL", ("key-policy-missing-grants",))}
    assert len(calls(result, "GetKeyPolicy")) == 1


def test_key_not_on_the_allow_list(aws: MotoStack) -> None:
    allowed = aws.create_key()
    other = aws.create_key()
    aws.create_notebook("allowed", allowed["KeyId"])
    aws.create_notebook("other", other["KeyId"])
    result = scan(settings=Settings(allowed_key_arns=frozenset({allowed["Arn"]})))
    assert verdicts(result) == {
        "allowed": ("PASS", ()),
        "other": ("FAIL", ("key-not-allowed",)),
    }

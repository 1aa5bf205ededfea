"""The test AWS itself: the AWS-managed-key patch and the fault proxy behave as AWS would."""

from __future__ import annotations

import boto3
import pytest
from awsharness import DEFAULT_ACCOUNT, MotoStack
from botocore.config import Config
from botocore.exceptions import ClientError

NO_RETRY = Config(retries={"mode": "standard", "total_max_attempts": 1})


def test_aws_aliases_name_aws_managed_keys(aws: MotoStack) -> None:
    kms = boto3.client("kms", config=NO_RETRY)
    for alias in ("alias/aws/sagemaker", "alias/aws/ebs"):
        metadata = kms.describe_key(KeyId=alias)["KeyMetadata"]
        assert metadata["KeyManager"] == "AWS"
        assert kms.describe_key(KeyId=metadata["Arn"])["KeyMetadata"]["KeyId"] == metadata["KeyId"]
    assert (
        aws.aws_managed_key_arn()
        == kms.describe_key(KeyId="alias/aws/sagemaker")["KeyMetadata"]["Arn"]
    )
    assert kms.create_key()["KeyMetadata"]["KeyManager"] == "CUSTOMER"


def test_aws_managed_keys_are_per_account_and_region(aws: MotoStack) -> None:
    east = aws.aws_managed_key_arn("us-east-1")
    west = aws.aws_managed_key_arn("us-west-2")
    other = aws.aws_managed_key_arn("us-east-1", account="111111111111")
    assert len({east, west, other}) == 3
    assert f":{DEFAULT_ACCOUNT}:" in east


def test_injected_errors_parse_as_aws_errors(aws: MotoStack) -> None:
    aws.deny("ListNotebookInstances", "sagemaker")
    aws.deny("GetCallerIdentity", "sts")
    with pytest.raises(ClientError) as json_error:
        boto3.client("sagemaker", config=NO_RETRY).list_notebook_instances()
    assert json_error.value.response["Error"]["Code"] == "AccessDeniedException"
    with pytest.raises(ClientError) as query_error:
        boto3.client("sts", config=NO_RETRY).get_caller_identity()
    assert query_error.value.response["Error"]["Code"] == "AccessDenied"


def test_rules_apply_per_region_and_a_number_of_times(aws: MotoStack) -> None:
    rule = aws.throttle("ListNotebookInstances", 1, region="us-west-2")
    east = boto3.client("sagemaker", region_name="us-east-1", config=NO_RETRY)
    west = boto3.client("sagemaker", region_name="us-west-2", config=NO_RETRY)
    east.list_notebook_instances()
    with pytest.raises(ClientError) as throttled:
        west.list_notebook_instances()
    assert throttled.value.response["Error"]["Code"] == "ThrottlingException"
    west.list_notebook_instances()
    assert rule.hits == 1
    assert aws.count("ListNotebookInstances") == 3
    assert aws.count("ListNotebookInstances", "us-west-2") == 2


def test_rest_json_operations_are_named_from_the_path(aws: MotoStack) -> None:
    regions = boto3.client("account", config=NO_RETRY).list_regions()["Regions"]
    assert {r["RegionName"] for r in regions} == {"us-east-1", "us-west-2", "eu-west-1"}
    aws.deny("ListRegions", "account")
    with pytest.raises(ClientError) as denied:
        boto3.client("account", config=NO_RETRY).list_regions()
    assert denied.value.response["Error"]["Code"] == "AccessDeniedException"


def test_reset_empties_moto_and_forgets_rules(moto_stack: MotoStack) -> None:
    moto_stack.create_notebook("left-over")
    moto_stack.deny("DescribeKey", "kms")
    moto_stack.reset()
    sagemaker = moto_stack.client("sagemaker")
    assert sagemaker.list_notebook_instances()["NotebookInstances"] == []
    assert moto_stack.proxy is not None
    assert moto_stack.proxy.rules == []
    assert moto_stack.proxy.seen == []

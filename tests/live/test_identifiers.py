"""Key IDs, key ARNs, alias names and alias ARNs all resolve through DescribeKey in the
notebook's region; each distinct identifier is described once, each key's policy read once."""

from __future__ import annotations

import pytest
from awsharness import DEFAULT_ACCOUNT, MotoStack

from cmkguard.findings import Status
from live.conftest import calls, finding, scan

ALIAS = "alias/team-notebooks"


@pytest.mark.parametrize("form", ["key id", "key arn", "alias name", "alias arn"])
def test_every_identifier_form_passes(aws: MotoStack, form: str) -> None:
    key = aws.create_key(alias=ALIAS)
    text = {
        "key id": key["KeyId"],
        "key arn": key["Arn"],
        "alias name": ALIAS,
        "alias arn": f"arn:aws:kms:us-east-1:{DEFAULT_ACCOUNT}:{ALIAS}",
    }[form]
    aws.create_notebook("nb", text)
    result = scan()
    found = finding(result, "nb")
    assert found.status is Status.PASS, found.message
    assert [r.request for r in calls(result, "DescribeKey")] == [{"KeyId": text}]
    # GetKeyPolicy is asked with the key ARN DescribeKey returned, whatever the notebook said.
    assert [r.request for r in calls(result, "GetKeyPolicy")] == [
        {"KeyId": key["Arn"], "PolicyName": "default"}
    ]


def test_one_describe_per_identifier_and_one_policy_per_key(aws: MotoStack) -> None:
    key = aws.create_key(alias=ALIAS)
    for index in range(5):
        aws.create_notebook(f"by-id-{index}", key["KeyId"])
    aws.create_notebook("by-alias", ALIAS)
    result = scan()
    assert {f.status for f in result.result.findings} == {Status.PASS}
    assert sorted(str(r.request["KeyId"]) for r in calls(result, "DescribeKey")) == sorted(
        [key["KeyId"], ALIAS]
    )
    assert len(calls(result, "GetKeyPolicy")) == 1
    assert aws.count("DescribeKey") == 2
    assert aws.count("GetKeyPolicy") == 1


def test_alias_arn_of_another_region_is_cross_region(aws: MotoStack) -> None:
    aws.create_key(region="eu-west-1", alias=ALIAS)
    aws.create_notebook("nb", f"arn:aws:kms:eu-west-1:{DEFAULT_ACCOUNT}:{ALIAS}")
    result = scan()
    found = finding(result, "nb")
    assert found.status is Status.FAIL
    assert [r.value for r in found.reasons] == ["cross-region"]
    assert [r.region for r in calls(result, "DescribeKey")] == ["eu-west-1"]


def test_alias_name_is_resolved_in_the_notebooks_region(aws: MotoStack) -> None:
    # The same alias name in two regions names two different keys.
    aws.create_key(region="us-east-1", alias=ALIAS)
    west = aws.create_key(region="us-west-2", alias=ALIAS, spec="RSA_2048", usage="SIGN_VERIFY")
    aws.create_notebook("east", ALIAS, region="us-east-1")
    aws.create_notebook("west", ALIAS, region="us-west-2")
    result = scan(regions=("us-east-1", "us-west-2"))
    assert finding(result, "east").status is Status.PASS
    west_finding = finding(result, "west", region="us-west-2")
    assert [r.value for r in west_finding.reasons] == ["key-not-symmetric"]
    assert west["Arn"] in west_finding.message


def test_one_worker_and_progress_reports(aws: MotoStack) -> None:
    key = aws.create_key(alias=ALIAS)
    aws.create_notebook("by-id", key["KeyId"])
    aws.create_notebook("by-alias", ALIAS)
    seen: list[tuple[int, int]] = []
    result = scan(concurrency=1, progress=lambda done, total: seen.append((done, total)))
    assert {f.status for f in result.result.findings} == {Status.PASS}
    assert len(calls(result, "GetKeyPolicy")) == 1
    done, total = seen[-1]
    # One region listing, two descriptions, two key lookups.
    assert done == total == 5

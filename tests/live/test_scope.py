"""Pagination, several regions, several accounts (role ARNs, profiles, an organization), and
``--regions all``."""

from __future__ import annotations

from pathlib import Path

import pytest
from awsharness import DEFAULT_ACCOUNT, MotoStack
from awsharness.canned import paged

from cmkguard.findings import Status
from live.conftest import calls, finding, scan, verdicts

PROD = "111111111111"
DEV = "222222222222"


@pytest.mark.slow
def test_pagination_follows_every_page(aws: MotoStack) -> None:
    key = aws.create_key()
    for index in range(120):
        aws.create_notebook(f"nb-{index:03d}", key["KeyId"] if index % 2 else None)
    result = scan()
    assert len(result.result.findings) == 120
    assert len({f.address for f in result.result.findings}) == 120
    pages = calls(result, "ListNotebookInstances")
    assert len(pages) == 2
    assert "NextToken" in pages[1].request
    assert len(calls(result, "DescribeNotebookInstance")) == 120
    assert len(calls(result, "DescribeKey")) == 1
    counts = {s: sum(f.status is s for f in result.result.findings) for s in Status}
    assert counts == {Status.PASS: 60, Status.FAIL: 60, Status.UNKNOWN: 0}


def test_several_regions(aws: MotoStack) -> None:
    for region in ("us-east-1", "us-west-2", "eu-west-1"):
        key = aws.create_key(region=region)
        aws.create_notebook(f"nb-{region}", key["KeyId"], region=region)
    result = scan(regions=("us-east-1", "us-west-2", "eu-west-1"))
    for region in ("us-east-1", "us-west-2", "eu-west-1"):
        found = finding(result, f"nb-{region}", region=region)
        assert found.status is Status.PASS
        assert found.region == region
    assert result.result.inputs == tuple(
        f"aws:{DEFAULT_ACCOUNT}:{r}" for r in ("us-east-1", "us-west-2", "eu-west-1")
    )


def test_several_accounts_through_assumed_roles(aws: MotoStack) -> None:
    prod_key = aws.create_key(account=PROD)
    aws.create_notebook("prod-nb", prod_key["Arn"], account=PROD)
    aws.create_notebook("dev-nb", account=DEV)
    result = scan(role_arns=(f"arn:aws:iam::{PROD}:role/audit", f"arn:aws:iam::{DEV}:role/audit"))
    assert finding(result, "prod-nb", account=PROD).status is Status.PASS
    assert finding(result, "dev-nb", account=DEV).account == DEV
    assert [i["Account"] for i in result.identities] == [PROD, DEV]
    # Calls are filed under the account they were made in.
    assert {r.account for r in calls(result, "DescribeKey")} == {PROD}
    # The assumed credentials never reach a record.
    text = repr(result.records)
    assert "SecretAccessKey" not in text
    assert "SessionToken" not in text


def test_named_profiles(aws: MotoStack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "config"
    config.write_text(
        "[profile base]\n"
        "aws_access_key_id = testing\n"
        "aws_secret_access_key = testing\n"
        "region = us-east-1\n"
        "[profile prod]\n"
        f"role_arn = arn:aws:iam::{PROD}:role/audit\n"
        "source_profile = base\n"
        "region = us-west-2\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    # The environment's region would override each profile's own.
    monkeypatch.delenv("AWS_REGION")
    monkeypatch.delenv("AWS_DEFAULT_REGION")
    aws.create_notebook("home", region="us-east-1")
    aws.create_notebook("away", region="us-west-2", account=PROD)
    result = scan(profiles=("base", "prod"), regions=None)
    assert verdicts(result) == {"home": ("FAIL", ("missing",)), "away": ("FAIL", ("missing",))}
    assert finding(result, "away", region="us-west-2", account=PROD).account == PROD
    assert [i["Source"] for i in result.identities] == ["profile base", "profile prod"]


def test_unknown_profile_is_an_error(aws: MotoStack) -> None:
    result = scan(profiles=("nope",))
    [error] = result.result.errors
    assert error.path == "aws:profile:nope"
    assert result.result.exit_code() == 2


def test_organization_active_accounts(aws: MotoStack) -> None:
    accounts = [
        {"Id": DEFAULT_ACCOUNT, "Status": "ACTIVE", "State": "ACTIVE", "Name": "management"},
        {"Id": PROD, "Status": "ACTIVE", "State": "ACTIVE", "Name": "prod"},
        {"Id": DEV, "Status": "SUSPENDED", "State": "SUSPENDED", "Name": "old"},
    ]
    aws.answer("ListAccounts", paged("Accounts", accounts, 2), service="organizations")
    aws.create_notebook("mgmt-nb")
    aws.create_notebook("prod-nb", account=PROD)
    aws.create_notebook("dev-nb", account=DEV)
    result = scan(org_role="OrganizationAccountAccessRole")
    assert set(verdicts(result)) == {"mgmt-nb", "prod-nb"}
    assert len(calls(result, "ListAccounts")) == 2
    assumed = [r.request["RoleArn"] for r in calls(result, "AssumeRole")]
    assert assumed == [f"arn:aws:iam::{PROD}:role/OrganizationAccountAccessRole"]
    assert not result.result.errors


def test_organization_with_moto_organizations(aws: MotoStack) -> None:
    org = aws.client("organizations")
    org.create_organization(FeatureSet="ALL")
    created = org.create_account(Email="prod@example.com", AccountName="prod")
    member = created["CreateAccountStatus"]["AccountId"]
    aws.create_notebook("member-nb", account=member)
    result = scan(org_role="OrganizationAccountAccessRole")
    assert finding(result, "member-nb", account=member).status is Status.FAIL
    assert {i["Account"] for i in result.identities} == {DEFAULT_ACCOUNT, member}


def test_all_regions_are_available_and_enabled_ones(aws: MotoStack) -> None:
    aws.create_notebook("west", region="us-west-2")
    aws.create_notebook("ireland", region="eu-west-1")
    result = scan(regions="all")
    # The stand-in account:ListRegions enables us-east-1, us-west-2 and eu-west-1.
    assert result.result.inputs == tuple(
        f"aws:{DEFAULT_ACCOUNT}:{r}" for r in ("eu-west-1", "us-east-1", "us-west-2")
    )
    assert set(verdicts(result)) == {"west", "ireland"}
    assert [r.request for r in calls(result, "ListRegions")] == [
        {"RegionOptStatusContains": ["ENABLED", "ENABLED_BY_DEFAULT"], "MaxResults": 50}
    ]


def test_all_regions_falls_back_to_ec2_when_account_api_is_denied(aws: MotoStack) -> None:
    aws.deny("ListRegions", "account")
    aws.create_notebook("tokyo", region="ap-northeast-1")
    result = scan(regions="all")
    assert len(calls(result, "DescribeRegions")) == 1
    assert f"aws:{DEFAULT_ACCOUNT}:ap-northeast-1" in result.result.inputs
    assert set(verdicts(result)) == {"tokyo"}
    assert not result.result.errors


def test_all_regions_unlistable_scans_every_available_region_and_says_so(aws: MotoStack) -> None:
    aws.deny("ListRegions", "account")
    aws.deny("DescribeRegions", "ec2")
    result = scan(regions="all")
    [error] = result.result.errors
    assert "cannot list the enabled regions" in error.message
    assert len(result.result.inputs) > 10
    assert result.result.exit_code() == 2

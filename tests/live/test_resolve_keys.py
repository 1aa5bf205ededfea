"""``scan --resolve-keys``: literal identifiers and KMS data sources settled against moto over
HTTP, through the live source's calls; fail-closed on every refused or missing key."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from awsharness import DEFAULT_ACCOUNT, MotoStack
from awsharness.proxy import Reply, Request, canned

from cmkguard.cli import build_parser
from cmkguard.cli.scan import scanned
from cmkguard.findings import Finding, ScanResult, Status
from cmkguard.scan import ScanOptions, scan_paths

ROLE = f"arn:aws:iam::{DEFAULT_ACCOUNT}:role/notebook"
UNVERIFIED = {"key-manager-unverified", "key-properties-unverified"}


def _policy(principal: dict[str, str]) -> dict[str, object]:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "Admin",
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{DEFAULT_ACCOUNT}:root"},
                "Action": "kms:*",
                "Resource": "*",
            },
            {
                "Sid": "NotebookUse",
                "Effect": "Allow",
                "Principal": principal,
                "Action": ["kms:CreateGrant", "kms:Decrypt", "kms:GenerateDataKey*"],
                "Resource": "*",
            },
        ],
    }


GOOD_POLICY = _policy({"AWS": ROLE})


def _tree(tmp_path: Path, kms_key_id: str, extra: str = "") -> Path:
    (tmp_path / "main.tf").write_text(
        'provider "aws" {\n  region = "us-east-1"\n}\n\n'
        f"{extra}\n"
        'resource "aws_sagemaker_notebook_instance" "nb" {\n'
        '  name          = "nb"\n'
        f'  role_arn      = "{ROLE}"\n'
        '  instance_type = "ml.t3.medium"\n'
        f"  kms_key_id    = {kms_key_id}\n"
        "}\n"
    )
    return tmp_path


def _scan(tree: Path, *, resolve: bool = True) -> ScanResult:
    return scan_paths((tree,), ScanOptions(resolve_keys=resolve))


def _only(result: ScanResult) -> Finding:
    (finding,) = result.findings
    return finding


def _verdict(finding: Finding) -> tuple[Status, list[str]]:
    return finding.status, [r.value for r in finding.reasons]


def test_literal_key_arn_of_a_good_customer_key_passes_verified(
    aws: MotoStack, tmp_path: Path
) -> None:
    key = aws.create_key(policy=GOOD_POLICY)
    tree = _tree(tmp_path, f'"{key["Arn"]}"')
    unresolved = _only(_scan(tree, resolve=False))
    assert (unresolved.status, set(unresolved.warnings)) == (Status.PASS, UNVERIFIED)

    finding = _only(_scan(tree))
    assert finding.status is Status.PASS, finding.message
    assert not UNVERIFIED & {w.value for w in finding.warnings}
    steps = [str(s) for chain in finding.evidence for s in chain.steps]
    assert any(f"DescribeKey {key['Arn']}" in s for s in steps), steps
    assert aws.count("GetKeyPolicy") == 1


def test_key_id_and_alias_name_resolve_in_the_notebooks_region(
    aws: MotoStack, tmp_path: Path
) -> None:
    key = aws.create_key(policy=GOOD_POLICY, alias="alias/notebooks")
    for text in (key["KeyId"], "alias/notebooks"):
        finding = _only(_scan(_tree(tmp_path, f'"{text}"')))
        assert (finding.status, finding.warnings) == (Status.PASS, ()), finding.message


def test_data_sources_are_resolved(aws: MotoStack, tmp_path: Path) -> None:
    aws.create_key(policy=GOOD_POLICY, alias="alias/team")
    lookup = 'data "aws_kms_alias" "team" {\n  name = "alias/team"\n}\n'
    finding = _only(_scan(_tree(tmp_path, "data.aws_kms_alias.team.target_key_arn", lookup)))
    assert (finding.status, finding.warnings) == (Status.PASS, ()), finding.message


def test_aws_managed_key_by_its_key_arn_fails(aws: MotoStack, tmp_path: Path) -> None:
    arn = aws.aws_managed_key_arn()
    finding = _only(_scan(_tree(tmp_path, f'"{arn}"')))
    assert _verdict(finding) == (Status.FAIL, ["aws-managed-key"])


def test_disabled_key_fails(aws: MotoStack, tmp_path: Path) -> None:
    key = aws.create_key(policy=GOOD_POLICY)
    aws.client("kms").disable_key(KeyId=key["KeyId"])
    finding = _only(_scan(_tree(tmp_path, f'"{key["Arn"]}"')))
    assert _verdict(finding) == (Status.FAIL, ["key-disabled"])


def test_policy_without_the_notebooks_grants_fails(aws: MotoStack, tmp_path: Path) -> None:
    other = f"arn:aws:iam::{DEFAULT_ACCOUNT}:role/someone-else"
    key = aws.create_key(policy=_policy({"AWS": other}) | {"Statement": []})
    finding = _only(_scan(_tree(tmp_path, f'"{key["Arn"]}"')))
    assert _verdict(finding) == (Status.FAIL, ["key-policy-missing-grants"])


def test_access_denied_is_unknown_naming_the_call(aws: MotoStack, tmp_path: Path) -> None:
    key = aws.create_key(policy=GOOD_POLICY)
    aws.deny("DescribeKey", "kms")
    finding = _only(_scan(_tree(tmp_path, f'"{key["Arn"]}"')))
    assert finding.status is Status.UNKNOWN
    assert "DescribeKey denied" in finding.message


def test_policy_read_refused_is_unknown(aws: MotoStack, tmp_path: Path) -> None:
    key = aws.create_key(policy=GOOD_POLICY)
    aws.deny("GetKeyPolicy", "kms")
    finding = _only(_scan(_tree(tmp_path, f'"{key["Arn"]}"')))
    assert finding.status is Status.UNKNOWN
    assert "GetKeyPolicy denied" in finding.message


def test_missing_key_is_unknown_not_a_pass(aws: MotoStack, tmp_path: Path) -> None:
    arn = f"arn:aws:kms:us-east-1:{DEFAULT_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    finding = _only(_scan(_tree(tmp_path, f'"{arn}"')))
    assert finding.status is Status.UNKNOWN
    assert "KMS has no key" in finding.message


def test_key_of_another_account_is_not_read(aws: MotoStack, tmp_path: Path) -> None:
    arn = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    finding = _only(_scan(_tree(tmp_path, f'"{arn}"')))
    assert finding.status is Status.UNKNOWN
    assert "in account 111122223333" in finding.message
    assert aws.count("DescribeKey") == 0


def test_another_region_still_fails_when_the_lookup_fails(aws: MotoStack, tmp_path: Path) -> None:
    aws.deny("DescribeKey", "kms")
    arn = f"arn:aws:kms:eu-west-1:{DEFAULT_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    finding = _only(_scan(_tree(tmp_path, f'"{arn}"')))
    assert _verdict(finding) == (Status.FAIL, ["cross-region"])


def test_no_call_when_nothing_needs_resolving(aws: MotoStack, tmp_path: Path) -> None:
    tree = _tree(tmp_path, '"alias/aws/sagemaker"')
    finding = _only(_scan(tree))
    assert finding.status is Status.FAIL
    assert aws.operations() == []


def test_no_credentials_is_an_error_and_unknown(
    aws: MotoStack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = aws.create_key(policy=GOOD_POLICY)
    aws.deny("GetCallerIdentity", "sts")
    result = _scan(_tree(tmp_path, f'"{key["Arn"]}"'))
    assert _only(result).status is Status.UNKNOWN
    assert [e.path for e in result.errors] == ["aws"]
    assert "--resolve-keys" in result.errors[0].message


def test_flag_and_configuration_file(aws: MotoStack, tmp_path: Path) -> None:
    key = aws.create_key(policy=GOOD_POLICY)
    tree = _tree(tmp_path, f'"{key["Arn"]}"')
    by_flag = scanned(build_parser().parse_args(["scan", str(tree), "--resolve-keys"]), {})
    assert _only(by_flag).warnings == ()
    (tree / "cmkguard.toml").write_text("resolve_keys = true\n")
    by_file = scanned(build_parser().parse_args(["scan", str(tree)]), {})
    assert _only(by_file).warnings == ()
    overridden = scanned(build_parser().parse_args(["scan", str(tree), "--no-resolve-keys"]), {})
    assert set(_only(overridden).warnings) == UNVERIFIED


def test_plan_literal_is_resolved(aws: MotoStack, tmp_path: Path) -> None:
    key = aws.create_key(policy=GOOD_POLICY)
    plan = {
        "format_version": "1.2",
        "terraform_version": "1.11.0",
        "planned_values": {"root_module": {}},
        "resource_changes": [
            {
                "address": "aws_sagemaker_notebook_instance.nb",
                "mode": "managed",
                "type": "aws_sagemaker_notebook_instance",
                "name": "nb",
                "provider_name": "registry.terraform.io/hashicorp/aws",
                "change": {
                    "actions": ["create"],
                    "before": None,
                    "after": {"kms_key_id": key["Arn"], "role_arn": ROLE, "name": "nb"},
                    "after_unknown": {"arn": True},
                },
            }
        ],
        "configuration": {
            "provider_config": {
                "aws": {"name": "aws", "expressions": {"region": {"constant_value": "us-east-1"}}}
            },
            "root_module": {
                "resources": [
                    {
                        "address": "aws_sagemaker_notebook_instance.nb",
                        "mode": "managed",
                        "type": "aws_sagemaker_notebook_instance",
                        "name": "nb",
                        "provider_config_key": "aws",
                        "expressions": {"kms_key_id": {"constant_value": key["Arn"]}},
                    }
                ]
            },
        },
    }
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan))
    finding = _only(scan_paths((path,), ScanOptions(resolve_keys=True)))
    assert (finding.status, finding.warnings) == (Status.PASS, ()), finding.message


def test_scan_timeout_bounds_the_lookups(aws: MotoStack, tmp_path: Path) -> None:
    """``--timeout`` covers the online lookups too: a call not made before it is UNKNOWN naming
    the limit, and the scan is incomplete (exit status 2)."""
    key = aws.create_key(policy=GOOD_POLICY)
    timeout = 4.0  # ample for loading the tree and opening the credentials on a busy machine
    started = time.monotonic()

    def slow_describe(request: Request) -> Reply:
        # Answer only once the deadline has passed: GetKeyPolicy is then never asked.
        time.sleep(max(0.0, started + timeout + 0.3 - time.monotonic()))
        return canned({"KeyMetadata": _metadata(key)})(request)

    aws.add_rule("DescribeKey", slow_describe, service="kms")
    tree = _tree(tmp_path, f'"{key["Arn"]}"')
    result = scan_paths((tree,), ScanOptions(resolve_keys=True, timeout=timeout))
    finding = _only(result)
    assert finding.status is Status.UNKNOWN
    assert "--timeout of 4 s reached" in finding.message
    assert aws.count("GetKeyPolicy") == 0
    assert [e.message for e in result.errors] == [
        "--resolve-keys incomplete: --timeout of 4 s reached; 1 calls not made"
    ]
    assert result.exit_code() == 2


def _metadata(key: dict[str, Any]) -> dict[str, Any]:
    """DescribeKey's answer for a customer managed key, as JSON (no datetimes)."""
    return {
        "KeyId": key["KeyId"],
        "Arn": key["Arn"],
        "AWSAccountId": DEFAULT_ACCOUNT,
        "Enabled": True,
        "KeyState": "Enabled",
        "KeyManager": "CUSTOMER",
        "KeySpec": "SYMMETRIC_DEFAULT",
        "KeyUsage": "ENCRYPT_DECRYPT",
        "Origin": "AWS_KMS",
        "MultiRegion": False,
    }


def test_bare_name_is_not_looked_up_for_a_notebook_of_unknown_account(
    aws: MotoStack, tmp_path: Path
) -> None:
    """A notebook made through a provider that assumes a role may be in another account than
    the credentials': its alias name would be looked up in the wrong account."""
    aws.create_key(policy=GOOD_POLICY, alias="alias/notebooks")
    (tmp_path / "main.tf").write_text(
        'provider "aws" {\n  region = "us-east-1"\n}\n\n'
        'provider "aws" {\n  alias  = "other"\n  region = "us-east-1"\n'
        '  assume_role {\n    role_arn = "arn:aws:iam::444455556666:role/deploy"\n  }\n}\n\n'
        'resource "aws_iam_role" "nb" {\n  provider           = aws.other\n'
        '  name               = "nb"\n  assume_role_policy = "{}"\n}\n\n'
        'resource "aws_sagemaker_notebook_instance" "nb" {\n  provider      = aws.other\n'
        '  name          = "nb"\n  role_arn      = aws_iam_role.nb.arn\n'
        '  instance_type = "ml.t3.medium"\n  kms_key_id    = "alias/notebooks"\n}\n'
    )
    finding = _only(_scan(tmp_path))
    assert finding.status is Status.UNKNOWN
    assert "the notebook's account is not known" in finding.message
    assert aws.count("DescribeKey") == 0

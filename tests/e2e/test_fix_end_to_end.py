"""``cmkguard fix --write`` end to end: copies of the bundled failing examples and of three test
cases are fixed, then real Terraform validates and plans them against a moto server, and
``cmkguard scan`` finds every notebook PASS.

Needs Terraform and the AWS provider filesystem mirror (the same tools as
``scripts/regen_plan_fixtures.py``); skips, saying which is missing, where they are absent.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from types import ModuleType

import pytest
from awsharness import MotoStack

from cmkguard import cli
from cmkguard.findings import Status
from cmkguard.scan import ScanOptions, VarArg, scan_paths

pytestmark = pytest.mark.slow

ROOT = Path(__file__).parent.parent.parent
EXAMPLES = ROOT / "examples" / "notebooks"
CASES = ROOT / "tests" / "cases"
REGION = "eu-west-1"

FIXED_CASES = (
    "tf-kms-key-policy-resource",  # an aws_kms_key_policy with a jsonencode policy
    "key-policy-via-sagemaker",  # an aws_iam_policy_document
    "key-policy-role-account-delegates",  # a literal role ARN, the key in the root
)
"""Cases whose failing notebooks the policy fixer mends (each also has notebooks that pass)."""


def _statuses(path: Path, variables: tuple[VarArg, ...] = ()) -> dict[str, Status]:
    result = scan_paths([path], ScanOptions(command_line=variables))
    assert not result.errors, [str(e) for e in result.errors]
    return {f.address: f.status for f in result.findings}


def test_fixed_examples_and_cases_validate_plan_and_pass(
    stack: MotoStack, regen: ModuleType, tmp_path: Path
) -> None:
    tools = regen.find_tools()
    if isinstance(tools, str):
        pytest.skip(f"the fix end-to-end test needs Terraform and its provider mirror: {tools}")
    shared = stack.client("kms", region=REGION).create_key(Description="platform key")
    shared_arn = shared["KeyMetadata"]["Arn"]
    variables = (VarArg("shared_key_arn", shared_arn),)

    trees: dict[str, tuple[Path, tuple[str, ...]]] = {
        "examples": (EXAMPLES, ("--create-key", "--var", f"shared_key_arn={shared_arn}"))
    }
    trees.update({name: (CASES / name, ()) for name in FIXED_CASES})
    config_file = tmp_path / "terraform.rc"
    config_file.write_text(regen.cli_config(tools.mirror))
    for name, (source, args) in trees.items():
        work = tmp_path / name
        shutil.copytree(source, work, ignore=shutil.ignore_patterns("expected.json"))
        given = variables if name == "examples" else ()
        assert Status.FAIL in _statuses(work, given).values(), name

        assert cli.main(["fix", str(work), "--write", *args]) == 0, name
        assert set(_statuses(work, given).values()) == {Status.PASS}, name
        assert cli.main(["fix", str(work), "--write", *args]) == 0, name  # nothing left

        (work / regen.OVERRIDE_NAME).write_text(regen.provider_override(stack.moto_endpoint, []))
        tf = regen.Terraform(tools, work, config_file)
        tf.run("init", "-input=false", "-no-color")
        tf.run("validate", "-no-color")
        plan = ["plan", "-input=false", "-no-color", "-out=fixed.tfplan"]
        tf.run(*plan, *(f"-var={v.name}={v.raw}" for v in given))
        # The scan of the tree Terraform just planned (provider override included) agrees.
        assert set(_statuses(work, given).values()) == {Status.PASS}, name

"""Code to cloud: the bundled examples applied with real Terraform to a moto server, then judged
from source, from the plan, from the state and live — notebook by notebook, all four agree.

Needs Terraform and the AWS provider filesystem mirror (the same tools as
``scripts/regen_plan_fixtures.py``); skips, saying which is missing, where they are absent.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from awsharness import MotoStack

from cmkguard.findings import Finding, InputKind
from cmkguard.live import LiveOptions, scan_live
from cmkguard.scan import ScanOptions, VarArg, scan_paths
from cmkguard.settings import Settings

pytestmark = pytest.mark.slow

ROOT = Path(__file__).parent.parent.parent
EXAMPLES = ROOT / "examples" / "notebooks"
REGION = "eu-west-1"

EXPECTED = {
    "research-encrypted": ("PASS", ()),
    "research-default-key": ("FAIL", ("missing",)),
    "research-aws-managed": ("FAIL", ("aws-managed-key",)),
    "research-shared-key": ("PASS", ()),
    "research-retired-key": ("FAIL", ("key-disabled",)),
}
"""What every input must say about each example notebook (by its SageMaker name)."""

Verdicts = dict[str, tuple[str, tuple[str, ...]]]


def _by_name(findings: tuple[Finding, ...], names: dict[str, str]) -> Verdicts:
    return {
        names.get(f.address, f.address.rsplit("/", 1)[-1]): (
            f.status.value,
            tuple(sorted(r.value for r in f.reasons)),
        )
        for f in findings
    }


def _notebook_names(document: dict[str, Any]) -> dict[str, str]:
    """Terraform address -> notebook name, from a plan's planned values."""
    resources = document["planned_values"]["root_module"].get("resources", [])
    return {
        r["address"]: r["values"]["name"]
        for r in resources
        if r["type"] == "aws_sagemaker_notebook_instance"
    }


def test_examples_agree_from_source_plan_state_and_live(
    stack: MotoStack, regen: ModuleType, tmp_path: Path
) -> None:
    tools = regen.find_tools()
    if isinstance(tools, str):
        pytest.skip(f"code-to-cloud needs Terraform and its provider mirror: {tools}")

    shared_key = stack.client("kms", region=REGION).create_key(Description="platform key")
    shared_arn = shared_key["KeyMetadata"]["Arn"]
    variables = (VarArg("shared_key_arn", shared_arn),)

    work = tmp_path / "examples"
    shutil.copytree(EXAMPLES, work)
    (work / regen.OVERRIDE_NAME).write_text(regen.provider_override(stack.moto_endpoint, []))
    config_file = tmp_path / "terraform.rc"
    config_file.write_text(regen.cli_config(tools.mirror))
    tf = regen.Terraform(tools, work, config_file)
    var_arg = f"-var=shared_key_arn={shared_arn}"
    tf.run("init", "-input=false", "-no-color")
    tf.run("plan", "-input=false", "-no-color", var_arg, "-out=create.tfplan")
    create_plan = tmp_path / "create-plan.json"
    create_plan.write_text(json.dumps(tf.show_json("create.tfplan")))
    tf.run("apply", "-input=false", "-no-color", "-auto-approve", "create.tfplan")
    state_file = tmp_path / "state.json"
    state_file.write_text(json.dumps(tf.show_json()))
    tf.run("plan", "-input=false", "-no-color", var_arg, "-out=steady.tfplan")
    plan_file = tmp_path / "plan.json"
    plan_file.write_text(json.dumps(tf.show_json("steady.tfplan")))
    names = _notebook_names(json.loads(plan_file.read_text()))

    source = scan_paths([EXAMPLES], ScanOptions(command_line=variables))
    creating = scan_paths([create_plan], ScanOptions())
    plan = scan_paths([plan_file], ScanOptions())
    state = scan_paths([state_file], ScanOptions())
    live = scan_live(LiveOptions(regions=(REGION,), settings=Settings())).result

    # Before the first apply, the key policy names a role whose ARN is known only after apply:
    # the plan alone cannot decide that one notebook, and says so instead of passing it.
    before = _by_name(creating.findings, names)
    assert before == {**EXPECTED, "research-encrypted": ("UNKNOWN", ("unresolved",))}
    undecided = next(f for f in creating.findings if names[f.address] == "research-encrypted")
    assert "after apply" in undecided.message
    # Scanned with its source tree, the plan takes that policy from the source's evaluation.
    together = scan_paths([EXAMPLES, create_plan], ScanOptions(command_line=variables))
    planned = tuple(f for f in together.findings if f.input is InputKind.PLAN)
    assert _by_name(planned, names) == EXPECTED
    assert {f.file for f in planned} == {"main.tf"}

    for result in (creating, source, plan, state, live):
        assert not result.errors, [str(e) for e in result.errors]
    assert {f.input for f in plan.findings} == {InputKind.PLAN}
    assert {f.input for f in state.findings} == {InputKind.STATE}
    verdicts = {
        "source": _by_name(source.findings, names),
        "plan": _by_name(plan.findings, names),
        "state": _by_name(state.findings, names),
        "live": _by_name(live.findings, names),
    }
    for kind, got in verdicts.items():
        assert got == EXPECTED, f"{kind}: {got}"

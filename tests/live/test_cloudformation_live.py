"""A template judged statically, then deployed into moto with boto3 and judged live: the same
verdicts, notebook by notebook.

moto's own CloudFormation does not carry ``KmsKeyId`` to the notebook it creates (and fails
``DescribeKey`` on keys it made), so the test deploys the template's resources itself, in
dependency order, with the API calls CloudFormation would make.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from awsharness import DEFAULT_ACCOUNT, MotoStack
from cfnlint.decode import decode_str

from cmkguard.control.notebook_cmk import judge
from cmkguard.findings import Finding, InputKind
from cmkguard.settings import Settings
from cmkguard.sources.cloudformation.loader import load_cloudformation
from live.conftest import scan

TEMPLATE = Path(__file__).parent / "cfn" / "notebooks.yaml"
REGION = "eu-west-1"
STACK = "notebooks"

Verdicts = dict[str, tuple[str, tuple[str, ...]]]


class Deployer:
    """Creates a template's roles, keys, aliases and notebooks; resolves the few intrinsics the
    test template uses against what it created."""

    def __init__(self, aws: MotoStack) -> None:
        self.aws = aws
        self.physical: dict[str, str] = {}
        self.arns: dict[str, str] = {}

    def resolve(self, node: Any) -> Any:
        if isinstance(node, dict) and len(node) == 1:
            ((name, arg),) = node.items()
            if name == "Ref":
                return self.physical[arg]
            if name == "Fn::GetAtt":
                return self.arns[arg[0]]
            if name == "Fn::Sub":
                pseudo = {
                    "AWS::Partition": "aws",
                    "AWS::AccountId": DEFAULT_ACCOUNT,
                    "AWS::Region": REGION,
                }
                return re.sub(r"\$\{([^}]+)\}", lambda m: pseudo[m.group(1)], arg)
        if isinstance(node, dict):
            return {k: self.resolve(v) for k, v in node.items()}
        if isinstance(node, list):
            return [self.resolve(v) for v in node]
        return node

    def deploy(self, resources: dict[str, Any]) -> None:
        for logical, resource in resources.items():
            props = self.resolve(resource.get("Properties", {}))
            getattr(self, "_" + resource["Type"].split("::")[-1])(logical, props)

    def _Role(self, logical: str, props: dict[str, Any]) -> None:
        name = f"{STACK}-{logical}"
        role = self.aws.client("iam", REGION).create_role(
            RoleName=name, AssumeRolePolicyDocument=json.dumps(props["AssumeRolePolicyDocument"])
        )
        self.physical[logical], self.arns[logical] = name, role["Role"]["Arn"]

    def _Key(self, logical: str, props: dict[str, Any]) -> None:
        kms = self.aws.client("kms", REGION)
        meta = kms.create_key(Policy=json.dumps(props["KeyPolicy"]))["KeyMetadata"]
        if props.get("EnableKeyRotation"):
            kms.enable_key_rotation(KeyId=meta["KeyId"])
        if props.get("Enabled") is False:
            kms.disable_key(KeyId=meta["KeyId"])
        self.physical[logical], self.arns[logical] = meta["KeyId"], meta["Arn"]

    def _Alias(self, logical: str, props: dict[str, Any]) -> None:
        self.aws.client("kms", REGION).create_alias(
            AliasName=props["AliasName"], TargetKeyId=props["TargetKeyId"]
        )
        self.physical[logical] = props["AliasName"]

    def _NotebookInstance(self, logical: str, props: dict[str, Any]) -> None:
        params = {k: v for k, v in props.items() if k != "VolumeSizeInGB"}
        self.aws.client("sagemaker", REGION).create_notebook_instance(**params)


def _static() -> Verdicts:
    inventory, errors = load_cloudformation([TEMPLATE], env={"AWS_REGION": REGION})
    assert not errors
    findings = judge(inventory, Settings(), InputKind.TERRAFORM)
    names = _names()
    return {names[f.address.split("#")[1]]: _verdict(f) for f in findings}


def _names() -> dict[str, str]:
    body, _ = decode_str(TEMPLATE.read_text())
    return {
        logical: r["Properties"]["NotebookInstanceName"]
        for logical, r in body["Resources"].items()
        if r["Type"] == "AWS::SageMaker::NotebookInstance"
    }


def _verdict(f: Finding) -> tuple[str, tuple[str, ...]]:
    return f.status.value, tuple(sorted(r.value for r in f.reasons))


def test_template_and_deployed_stack_agree(aws: MotoStack) -> None:
    static = _static()
    body, _ = decode_str(TEMPLATE.read_text())
    Deployer(aws).deploy(body["Resources"])
    live = scan(regions=(REGION,))
    deployed = {f.address.rsplit("/", 1)[-1]: _verdict(f) for f in live.result.findings}
    assert static == deployed
    assert static == {
        "encrypted": ("PASS", ()),
        "by-alias": ("PASS", ()),
        "plain": ("FAIL", ("missing",)),
        "aws-managed": ("FAIL", ("aws-managed-key",)),
        "retired": ("FAIL", ("key-disabled",)),
        "decrypt-only": ("FAIL", ("key-policy-missing-grants",)),
    }

"""``fix/origin.py``: where a value is set, read from the trails real scans produce, and the
constants a variables file or default may take."""

from __future__ import annotations

from pathlib import Path

import pytest
from fix_trees import PROVIDER, ROLE, notebook, write_tree

from cmkguard.findings import ChainKind, Finding, ScanResult
from cmkguard.fix.context import Advice, SourceFiles
from cmkguard.fix.edits import TextEdit, apply_edits
from cmkguard.fix.origin import Origin, OriginKind, edit_at, is_constant, value_origin
from cmkguard.scan import ScanOptions, scan_terraform

KMS_VAR = 'variable "kms" {\n  type    = string\n  default = "alias/aws/sagemaker"\n}\n'
TEAM = """variable "key" {
  type = string
}

resource "aws_sagemaker_notebook_instance" "nb" {
  name          = "nb"
  role_arn      = "arn:aws:iam::111122223333:role/nb"
  instance_type = "ml.t3.medium"
  kms_key_id    = var.key
}
"""


def _scan(root: Path) -> ScanResult:
    result = scan_terraform(root, ScanOptions())
    assert not result.errors
    return result


def _origin(finding: Finding, result: ScanResult) -> Origin | str:
    (chain,) = [c for c in finding.evidence if c.kind is ChainKind.KEY]
    return value_origin(chain.steps, finding, result)


def _root(tmp_path: Path, main: str, **more: str) -> Path:
    return write_tree(tmp_path, {"main.tf": PROVIDER + "\n" + ROLE + "\n" + main, **more})


def test_written_on_the_notebook(tmp_path: Path) -> None:
    root = _root(tmp_path, notebook("nb", '  kms_key_id    = "alias/aws/sagemaker"\n'))
    result = _scan(root)
    assert _origin(result.findings[0], result) == Origin(
        OriginKind.ATTRIBUTE, "main.tf", 14, "kms_key_id", "kms_key_id"
    )


@pytest.mark.parametrize(
    ("more", "expected"),
    [
        ({}, Origin(OriginKind.DEFAULT, "variables.tf", 3, "default", "var.kms")),
        (
            {"terraform.tfvars": 'kms = "alias/aws/sagemaker"\n'},
            Origin(OriginKind.VARS_FILE, "terraform.tfvars", 1, "kms", "var.kms"),
        ),
        (
            {"b.auto.tfvars": '\nkms = "alias/aws/sagemaker"\n'},
            Origin(OriginKind.VARS_FILE, "b.auto.tfvars", 2, "kms", "var.kms"),
        ),
    ],
    ids=["default", "tfvars", "auto-tfvars"],
)
def test_root_variable(tmp_path: Path, more: dict[str, str], expected: Origin) -> None:
    main = notebook("nb", "  kms_key_id    = var.kms\n")
    root = _root(tmp_path, main, **{"variables.tf": KMS_VAR, **more})
    result = _scan(root)
    assert _origin(result.findings[0], result) == expected


def test_module_argument_stops_before_a_local(tmp_path: Path) -> None:
    """A local is shared by whatever uses it: the call's argument is where to write."""
    main = (
        'locals {\n  key = "alias/aws/sagemaker"\n}\n\n'
        'module "team" {\n  source = "./team"\n  key    = local.key\n}\n'
    )
    root = _root(tmp_path, main, **{"team/main.tf": TEAM})
    result = _scan(root)
    assert _origin(result.findings[0], result) == Origin(
        OriginKind.MODULE_ARGUMENT, "main.tf", 16, "key", "module.team input key"
    )


def test_through_two_levels_to_the_tfvars(tmp_path: Path) -> None:
    main = 'module "team" {\n  source = "./team"\n  key    = var.kms\n}\n'
    root = _root(
        tmp_path,
        main,
        **{
            "variables.tf": KMS_VAR,
            "terraform.tfvars": 'kms = "alias/aws/sagemaker"\n',
            "team/main.tf": TEAM,
        },
    )
    result = _scan(root)
    assert _origin(result.findings[0], result) == Origin(
        OriginKind.VARS_FILE, "terraform.tfvars", 1, "kms", "var.kms"
    )


def test_shared_module_is_never_the_place(tmp_path: Path) -> None:
    team = TEAM.replace("type = string\n", 'type    = string\n  default = "alias/aws/sagemaker"\n')
    main = 'module "a" {\n  source = "./team"\n}\n\nmodule "b" {\n  source = "./team"\n}\n'
    root = _root(tmp_path, main, **{"team/main.tf": team})
    result = _scan(root)
    for finding in result.findings:
        why = _origin(finding, result)
        assert isinstance(why, str)
        assert "in a module that several module calls use" in why


def test_edit_at_replaces_only_the_value(tmp_path: Path) -> None:
    tfvars = '# platform key\nkms = "alias/aws/sagemaker" # set by hand\n'
    root = write_tree(tmp_path, {"terraform.tfvars": tfvars})
    origin = Origin(OriginKind.VARS_FILE, "terraform.tfvars", 2, "kms", "var.kms")
    files = SourceFiles(root)
    edit = edit_at(files, origin, '"arn:aws:kms:eu-west-1:111122223333:key/k"')
    assert isinstance(edit, TextEdit)
    assert apply_edits(tfvars, [edit]) == (
        '# platform key\nkms = "arn:aws:kms:eu-west-1:111122223333:key/k" # set by hand\n'
    )


def test_edit_at_refuses_an_expression_where_only_constants_go(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {"terraform.tfvars": 'kms = "x"\n'})
    origin = Origin(OriginKind.VARS_FILE, "terraform.tfvars", 1, "kms", "var.kms")
    advice = edit_at(SourceFiles(root), origin, "aws_kms_key.k.arn")
    assert isinstance(advice, Advice)
    assert "takes only constants, not aws_kms_key.k.arn" in advice.text


@pytest.mark.parametrize(
    ("expression", "constant"),
    [
        ('"arn:aws:kms:eu-west-1:111122223333:key/k"', True),
        ("true", True),
        ("12", True),
        ("null", True),
        ('"${var.x}"', False),
        ("aws_kms_key.k.arn", False),
        ('"a" "b"', False),
        ("var.kms", False),
    ],
)
def test_is_constant(expression: str, constant: bool) -> None:
    assert is_constant(expression) is constant

"""``cmkguard fix`` for ``key-disabled`` (the flag set to true where its value is set: on the
key, a variables file, a module call's argument, a variable's default; never a shared module)
and the explanations for ``key-not-symmetric`` and ``cross-region`` (never an edit)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from fix_trees import PROVIDER, ROLE, Run, notebook, write_tree
from syrupy.assertion import SnapshotAssertion

from cmkguard.findings import Status
from cmkguard.scan import ScanOptions, scan_terraform
from cmkguard.tfinputs import VarFile

Fix = Callable[..., Run]
USES_KEY = "  kms_key_id    = aws_kms_key.k.arn\n"
ENABLED_VAR = """variable "enabled" {
  type    = bool
  default = false
}
"""


def _key(enabled: str, extra: str = "") -> str:
    return (
        'resource "aws_kms_key" "k" {\n'
        "  enable_key_rotation = true\n"
        f"  is_enabled          = {enabled}\n"
        f"{extra}"
        "}\n"
    )


def _statuses(root: Path, options: ScanOptions | None = None) -> dict[str, Status]:
    result = scan_terraform(root, options or ScanOptions())
    assert not result.errors
    return {f.address: f.status for f in result.findings}


def _tree(tmp_path: Path, key: str, **more: str) -> Path:
    main = PROVIDER + "\n" + ROLE + "\n" + key + "\n" + notebook("nb", USES_KEY)
    return write_tree(tmp_path, {"main.tf": main, **more})


NB = "aws_sagemaker_notebook_instance.nb"


def test_literal_false_becomes_true(tmp_path: Path, fix: Fix, golden: SnapshotAssertion) -> None:
    root = _tree(tmp_path, _key("false"))
    assert _statuses(root) == {NB: Status.FAIL}
    run = fix(str(root))
    assert run.status == 1, run.err
    assert run.out == golden
    assert "main.tf:12 is_enabled: set to true (aws_kms_key.k was disabled)" in run.err
    assert fix(str(root), "--write").status == 0
    after = (root / "main.tf").read_text()
    assert _statuses(root) == {NB: Status.PASS}
    assert fix(str(root), "--write").status == 0
    assert (root / "main.tf").read_text() == after


def test_variable_default_is_edited(tmp_path: Path, fix: Fix) -> None:
    root = _tree(tmp_path, _key("var.enabled"), **{"variables.tf": ENABLED_VAR})
    run = fix(str(root), "--write")
    assert run.status == 0, run.err
    assert "variables.tf:3 var.enabled: set to true" in run.err
    assert "default = true" in (root / "variables.tf").read_text()
    assert "is_enabled          = var.enabled" in (root / "main.tf").read_text()
    assert _statuses(root) == {NB: Status.PASS}


def test_tfvars_entry_is_edited(tmp_path: Path, fix: Fix, golden: SnapshotAssertion) -> None:
    root = _tree(
        tmp_path,
        _key("var.enabled"),
        **{"variables.tf": ENABLED_VAR, "terraform.tfvars": "# off for now\nenabled = false\n"},
    )
    run = fix(str(root))
    assert run.out == golden
    assert "terraform.tfvars:2 var.enabled: set to true" in run.err
    assert fix(str(root), "--write").status == 0
    assert (root / "terraform.tfvars").read_text() == "# off for now\nenabled = true\n"
    assert "default = false" in (root / "variables.tf").read_text()


def test_var_file_entry_is_edited(tmp_path: Path, fix: Fix) -> None:
    root = _tree(
        tmp_path,
        _key("var.enabled"),
        **{"variables.tf": ENABLED_VAR, "env/prod.tfvars": "enabled = false\n"},
    )
    var_file = root / "env" / "prod.tfvars"
    run = fix(str(root), "--write", "--var-file", str(var_file))
    assert run.status == 0, run.err
    assert var_file.read_text() == "enabled = true\n"
    assert _statuses(root, ScanOptions(command_line=(VarFile(var_file),))) == {NB: Status.PASS}


def test_command_line_var_gets_advice(tmp_path: Path, fix: Fix) -> None:
    root = _tree(tmp_path, _key("var.enabled"), **{"variables.tf": ENABLED_VAR})
    before = (root / "variables.tf").read_text()
    run = fix(str(root), "--write", "--var", "enabled=false")
    assert run.status == 1
    assert "var.enabled is set by --var enabled: change it there" in run.err
    assert (root / "variables.tf").read_text() == before


KEY_MODULE = """variable "enabled" {
  type    = bool
  default = true
}

resource "aws_kms_key" "k" {
  enable_key_rotation = true
  is_enabled          = var.enabled
}

output "arn" {
  value = aws_kms_key.k.arn
}
"""


def _module_tree(tmp_path: Path, calls: str) -> Path:
    notebooks = "".join(
        notebook(name, f"  kms_key_id    = module.{name}.arn\n")
        for name in ("a", "b")
        if f'module "{name}"' in calls
    )
    main = PROVIDER + "\n" + ROLE + "\n" + calls + "\n" + notebooks
    return write_tree(tmp_path, {"main.tf": main, "key/main.tf": KEY_MODULE})


def test_module_argument_is_edited_not_the_module(tmp_path: Path, fix: Fix) -> None:
    calls = 'module "a" {\n  source  = "./key"\n  enabled = false\n}\n'
    root = _module_tree(tmp_path, calls)
    run = fix(str(root), "--write")
    assert run.status == 0, run.err
    assert "main.tf:12 module.a input enabled: set to true" in run.err
    assert "  enabled = true\n" in (root / "main.tf").read_text()
    assert (root / "key" / "main.tf").read_text() == KEY_MODULE


def test_shared_module_default_is_not_edited(tmp_path: Path, fix: Fix) -> None:
    shared = KEY_MODULE.replace("default = true", "default = false")
    calls = 'module "a" {\n  source = "./key"\n}\n\nmodule "b" {\n  source = "./key"\n}\n'
    root = _module_tree(tmp_path, calls)
    (root / "key" / "main.tf").write_text(shared)
    run = fix(str(root), "--write")
    assert run.status == 1
    assert "in a module that several module calls use" in run.err
    assert (root / "key" / "main.tf").read_text() == shared


def test_replica_key_enabled_argument(tmp_path: Path, fix: Fix) -> None:
    replica = (
        'resource "aws_kms_key" "primary" {\n'
        "  multi_region        = true\n"
        "  enable_key_rotation = true\n"
        "}\n\n"
        'resource "aws_kms_replica_key" "k" {\n'
        "  primary_key_arn = aws_kms_key.primary.arn\n"
        "  enabled         = false\n"
        "}\n"
    )
    uses = "  kms_key_id    = aws_kms_replica_key.k.arn\n"
    main = PROVIDER + "\n" + ROLE + "\n" + replica + "\n" + notebook("nb", uses)
    root = write_tree(tmp_path, {"main.tf": main})
    assert _statuses(root) == {NB: Status.FAIL}
    run = fix(str(root), "--write")
    assert run.status == 0, run.err
    assert "  enabled         = true\n" in (root / "main.tf").read_text()
    assert _statuses(root) == {NB: Status.PASS}


@pytest.mark.parametrize(
    ("extra", "reason", "words"),
    [
        ('  customer_master_key_spec = "RSA_2048"\n', "key-not-symmetric", "not a symmetric"),
        ('  key_usage = "GENERATE_VERIFY_MAC"\n', "key-not-symmetric", "not a symmetric"),
        ('  region = "us-east-1"\n', "cross-region", "in another region than the notebook"),
    ],
    ids=["spec", "usage", "region"],
)
def test_explained_never_edited(
    tmp_path: Path, fix: Fix, extra: str, reason: str, words: str
) -> None:
    root = _tree(tmp_path, _key("true", extra))
    (finding,) = scan_terraform(root, ScanOptions()).findings
    assert [r.value for r in finding.reasons] == [reason]
    before = (root / "main.tf").read_text()
    run = fix(str(root), "--write")
    assert run.status == 1
    assert run.out == ""
    assert f"not changed automatically: aws_kms_key.k (main.tf:10) is {words}" in run.err
    assert "--key EXPR" in run.err
    assert (root / "main.tf").read_text() == before

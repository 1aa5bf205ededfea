"""``cmkguard fix`` for the kms_key_id reasons (``--key``, ``--create-key``): golden diffs, the
re-scan PASS, comment preservation, idempotence, refusals, and proposals that must never be
offered."""

from __future__ import annotations

import difflib
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from fix_trees import PROVIDER, ROLE, Run, notebook, write_tree
from syrupy.assertion import SnapshotAssertion

from cmkguard.findings import Status
from cmkguard.fix.context import Advice, KeyChoice, Proposal, SourceFiles
from cmkguard.fix.diff import stale
from cmkguard.fix.edits import TextEdit
from cmkguard.fix.run import confined, plan_fixes
from cmkguard.scan import ScanOptions, scan_terraform

Fix = Callable[..., Run]
KEY = """resource "aws_kms_key" "k" {
  enable_key_rotation = true
}
"""
AWS_MANAGED = '  kms_key_id    = "alias/aws/sagemaker"\n'


def _statuses(root: Path) -> dict[str, Status]:
    result = scan_terraform(root, ScanOptions())
    assert not result.errors
    return {f.address: f.status for f in result.findings}


def _tree(tmp_path: Path, main: str, **more: str) -> Path:
    return write_tree(tmp_path, {"main.tf": PROVIDER + "\n" + ROLE + "\n" + main, **more})


def test_missing_key_diff_changes_nothing(
    tmp_path: Path, fix: Fix, golden: SnapshotAssertion
) -> None:
    root = _tree(tmp_path, KEY + "\n" + notebook("nb"))
    before = (root / "main.tf").read_text()
    run = fix(str(root), "--key", "aws_kms_key.k.arn")
    assert run.status == 1, run.err
    assert run.out == golden
    assert "fix proposed: main.tf:" in run.err
    assert (root / "main.tf").read_text() == before


@pytest.mark.parametrize(
    "line",
    ['  kms_key_id    = ""\n', AWS_MANAGED, '  kms_key_id    = "foo"\n'],
    ids=["empty", "aws-managed-key", "malformed"],
)
def test_bad_value_is_replaced(
    tmp_path: Path, fix: Fix, golden: SnapshotAssertion, line: str
) -> None:
    root = _tree(tmp_path, KEY + "\n" + notebook("nb", line))
    assert _statuses(root) == {"aws_sagemaker_notebook_instance.nb": Status.FAIL}
    run = fix(str(root), "--key", "aws_kms_key.k.arn")
    assert run.status == 1, run.err
    assert run.out == golden
    assert fix(str(root), "--write", "--key", "aws_kms_key.k.arn").status == 0
    assert _statuses(root) == {"aws_sagemaker_notebook_instance.nb": Status.PASS}


def test_write_makes_it_pass_and_twice_changes_nothing(tmp_path: Path, fix: Fix) -> None:
    root = _tree(tmp_path, KEY + "\n" + notebook("a") + "\n" + notebook("b", AWS_MANAGED))
    first = fix(str(root), "--write", "--key", "aws_kms_key.k.arn")
    assert first.status == 0, first.err
    assert first.out == ""
    assert set(_statuses(root).values()) == {Status.PASS}
    after = (root / "main.tf").read_text()
    second = fix(str(root), "--write", "--key", "aws_kms_key.k.arn")
    assert second.status == 0
    assert "nothing to fix" in second.err
    assert (root / "main.tf").read_text() == after


def test_comments_and_blank_lines_are_kept(tmp_path: Path, fix: Fix) -> None:
    odd = (
        "# the research team's notebook  (odd spacing kept)\n"
        'resource "aws_sagemaker_notebook_instance" "nb" {\n'
        "  # who owns it\n"
        '  name = "nb" # trailing comment\n'
        "\n"
        "  /* block comment */\n"
        "  role_arn      = aws_iam_role.nb.arn\n"
        '  instance_type = "ml.t3.medium"\n'
        "\n\n"
        '  tags = { team = "ml" }\n'
        "}\n"
        "// the end\n"
    )
    root = _tree(tmp_path, KEY + "\n" + odd)
    before = (root / "main.tf").read_text()
    assert fix(str(root), "--write", "--key", "aws_kms_key.k.arn").status == 0
    after = (root / "main.tf").read_text()
    changed = [
        line
        for line in difflib.ndiff(before.splitlines(), after.splitlines())
        if line.startswith(("+ ", "- "))
    ]
    assert changed == ["+   kms_key_id    = aws_kms_key.k.arn"]


def test_longer_name_realigns_its_run(tmp_path: Path, fix: Fix) -> None:
    block = (
        'resource "aws_sagemaker_notebook_instance" "nb" {\n'
        '  name     = "nb"\n'
        "  role_arn = aws_iam_role.nb.arn\n"
        "\n"
        '  instance_type = "ml.t3.medium"\n'
        "}\n"
    )
    root = _tree(tmp_path, KEY + "\n" + block)
    assert fix(str(root), "--write", "--key", "aws_kms_key.k.arn").status == 0
    assert (
        '  instance_type = "ml.t3.medium"\n  kms_key_id    = aws_kms_key.k.arn\n}'
        in (root / "main.tf").read_text()
    )


def test_short_run_is_repadded(tmp_path: Path, fix: Fix) -> None:
    block = (
        'resource "aws_sagemaker_notebook_instance" "nb" {\n'
        '  instance_type = "ml.t3.medium"\n'
        "\n"
        '  name     = "nb"\n'
        "  role_arn = aws_iam_role.nb.arn\n"
        "}\n"
    )
    root = _tree(tmp_path, KEY + "\n" + block)
    # The run holding instance_type is chosen; a run of shorter names would be re-padded.
    assert fix(str(root), "--write", "--key", "aws_kms_key.k.arn").status == 0
    text = (root / "main.tf").read_text()
    assert '  instance_type = "ml.t3.medium"\n  kms_key_id    = aws_kms_key.k.arn\n' in text


@pytest.mark.skipif(shutil.which("terraform") is None, reason="terraform is not installed")
def test_fixed_files_pass_terraform_fmt(tmp_path: Path, fix: Fix) -> None:
    from cmkguard.fix.verify import fmt_accepts

    block = (
        'resource "aws_sagemaker_notebook_instance" "nb" {\n'
        '  name     = "nb"\n'
        "  role_arn = aws_iam_role.nb.arn\n"
        "}\n"
    )
    root = _tree(tmp_path, KEY + "\n" + block)
    run = fix(str(root), "--write", "--create-key")
    assert run.status == 0, run.err
    for path in root.glob("*.tf"):
        assert fmt_accepts(path.read_text()), path.name


def test_literal_arn_is_quoted(tmp_path: Path, fix: Fix) -> None:
    root = _tree(tmp_path, notebook("nb"))
    arn = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    run = fix(str(root), "--write", "--key", arn)
    assert run.status == 0, run.err
    assert f'kms_key_id    = "{arn}"' in (root / "main.tf").read_text()


def test_fool_a_key_that_would_not_pass_is_never_offered(tmp_path: Path, fix: Fix) -> None:
    root = _tree(tmp_path, notebook("nb"))
    before = (root / "main.tf").read_text()
    for key in ("alias/aws/sagemaker", "var.undeclared", "aws_kms_key.nowhere.arn"):
        run = fix(str(root), "--write", "--key", key)
        assert run.status == 1, (key, run.err)
        assert run.out == ""
        assert "not fixed" in run.err
        assert (root / "main.tf").read_text() == before


def test_fool_a_disabled_key_is_not_offered(tmp_path: Path, fix: Fix) -> None:
    disabled = 'resource "aws_kms_key" "k" {\n  is_enabled = false\n}\n'
    root = _tree(tmp_path, disabled + "\n" + notebook("nb"))
    run = fix(str(root), "--key", "aws_kms_key.k.arn")
    assert run.status == 1
    assert run.out == ""
    assert "would leave it FAIL (key-disabled)" in run.err


def test_without_a_key_choice_it_advises(tmp_path: Path, fix: Fix) -> None:
    root = _tree(tmp_path, notebook("nb"))
    run = fix(str(root))
    assert run.status == 1
    assert "--key EXPR" in run.err
    assert "--create-key" in run.err


def test_create_key_golden_and_pass(tmp_path: Path, fix: Fix, golden: SnapshotAssertion) -> None:
    root = _tree(tmp_path, notebook("a") + "\n" + notebook("b", AWS_MANAGED))
    run = fix(str(root), "--create-key")
    assert run.status == 1, run.err
    assert run.out == golden
    assert fix(str(root), "--write", "--create-key").status == 0
    assert (root / "notebook_kms.tf").is_file()
    assert set(_statuses(root).values()) == {Status.PASS}
    assert fix(str(root), "--write", "--create-key").status == 0
    assert not (root / "notebook_kms_2.tf").exists()


def test_create_key_per_provider_in_a_module(tmp_path: Path, fix: Fix) -> None:
    module = (
        'variable "role_arn" {}\n\n'
        + notebook("east", "  provider      = aws.east\n").replace(
            "aws_iam_role.nb.arn", "var.role_arn"
        )
        + "\n"
        + notebook("west").replace("aws_iam_role.nb.arn", "var.role_arn")
        + "\nterraform {\n  required_providers {\n    aws = {\n      source                = "
        '"hashicorp/aws"\n      configuration_aliases = [aws.east]\n    }\n  }\n}\n'
    )
    main = (
        'provider "aws" {\n  alias  = "east"\n  region = "us-east-1"\n}\n\n'
        'module "team" {\n  source   = "./team"\n  role_arn = aws_iam_role.nb.arn\n'
        "  providers = {\n    aws      = aws\n    aws.east = aws.east\n  }\n}\n"
    )
    root = _tree(tmp_path, main, **{"team/main.tf": module})
    run = fix(str(root), "--write", "--create-key")
    assert run.status == 0, run.err
    text = (root / "team" / "notebook_kms.tf").read_text()
    assert 'resource "aws_kms_key" "notebooks"' in text
    assert 'resource "aws_kms_key" "notebooks_east"' in text
    assert "provider            = aws.east" in text
    assert set(_statuses(root).values()) == {Status.PASS}


def test_shared_module_is_not_edited(tmp_path: Path, fix: Fix) -> None:
    module = 'variable "role_arn" {}\n\n' + notebook("nb").replace(
        "aws_iam_role.nb.arn", "var.role_arn"
    )
    main = KEY + "".join(
        f'\nmodule "{n}" {{\n  source   = "./shared"\n  role_arn = aws_iam_role.nb.arn\n}}\n'
        for n in ("a", "b")
    )
    root = _tree(tmp_path, main, **{"shared/main.tf": module})
    run = fix(str(root), "--write", "--key", "aws_kms_key.k.arn")
    assert run.status == 1
    assert "several module calls" in run.err
    assert "kms_key_id" not in (root / "shared" / "main.tf").read_text()


def test_refuses_tf_json_with_the_exact_change(tmp_path: Path, fix: Fix) -> None:
    document = (
        '{"resource": {"aws_sagemaker_notebook_instance": {"nb": {"name": "nb", '
        '"role_arn": "arn:aws:iam::111122223333:role/nb", "instance_type": "ml.t3.medium"}}}}'
    )
    root = write_tree(tmp_path, {"main.tf.json": document})
    run = fix(str(root), "--write", "--key", "var.kms")
    assert run.status == 2
    assert '"kms_key_id": "${var.kms}"' in run.err
    assert (root / "main.tf.json").read_text() == document


def test_refuses_a_file_that_does_not_parse(tmp_path: Path, fix: Fix) -> None:
    root = _tree(tmp_path, notebook("nb") + "resource {\n")
    run = fix(str(root), "--write", "--key", "aws_kms_key.k.arn")
    assert run.status == 2
    assert "main.tf" in run.err
    assert "Traceback" not in run.err


def test_refuses_a_plan_file(tmp_path: Path, fix: Fix) -> None:
    plan = tmp_path / "plan.json"
    plan.write_text("{}")
    run = fix(str(plan))
    assert run.status == 2
    assert "fix edits Terraform source" in run.err


def test_a_file_changed_since_the_scan_is_stale(tmp_path: Path) -> None:
    root = _tree(tmp_path, KEY + "\n" + notebook("nb"))
    plan = plan_fixes(root, ScanOptions(), KeyChoice("aws_kms_key.k.arn"))
    assert [c.rel for c in plan.changes] == ["main.tf"]
    assert stale(plan.changes) == []
    (root / "main.tf").write_text((root / "main.tf").read_text() + "\n# edited meanwhile\n")
    assert stale(plan.changes) == ["main.tf"]


def test_state_says_which_notebooks_exist(tmp_path: Path, fix: Fix) -> None:
    root = _tree(tmp_path, KEY + "\n" + notebook("old") + "\n" + notebook("new"))
    state = tmp_path / "state.json"
    state.write_text(
        '{"format_version": "1.0", "terraform_version": "1.9.0", "values": {"root_module": '
        '{"resources": [{"address": "aws_sagemaker_notebook_instance.old", "mode": "managed", '
        '"type": "aws_sagemaker_notebook_instance", "name": "old", "values": {}}]}}}'
    )
    run = fix(str(root), "--key", "aws_kms_key.k.arn", "--state", str(state))
    assert run.status == 1, run.err
    assert f"aws_sagemaker_notebook_instance.old exists (state {state})" in run.err
    assert "aws_sagemaker_notebook_instance.new exists" not in run.err
    assert "lifecycle configuration" in run.err
    without = fix(str(root), "--key", "aws_kms_key.k.arn")
    assert "if this notebook already exists" in without.err


def test_key_that_is_not_an_expression_is_a_usage_error(tmp_path: Path, fix: Fix) -> None:
    root = _tree(tmp_path, notebook("nb"))
    run = fix(str(root), "--key", "aws_kms_key.k.arn +")
    assert run.status == 2
    assert "--key" in run.err
    assert "is not an HCL expression" in run.err


def test_refuses_edits_outside_the_scanned_tree(tmp_path: Path) -> None:
    root = _tree(tmp_path / "tree", notebook("nb"))
    files = SourceFiles(root)
    inside = Proposal((TextEdit(root / "main.tf", 0, 0, "#"),), "inside")
    assert confined(files, inside) == inside
    for path in (tmp_path / "elsewhere.tfvars", root / ".terraform" / "modules" / "m" / "x.tf"):
        outcome = confined(files, Proposal((TextEdit(path, 0, 0, "#"),), "outside"))
        assert isinstance(outcome, Advice)
        assert outcome.refusal


def test_docs_show_the_key_create_key_writes(tmp_path: Path, fix: Fix) -> None:
    docs = (Path(__file__).parents[3] / "docs" / "fix.md").read_text()
    shown = docs.split("and the new `notebook_kms.tf`:\n\n```hcl\n", 1)[1].split("```", 1)[0]
    root = _tree(tmp_path, notebook("a"))
    assert fix(str(root), "--write", "--create-key").status == 0
    assert (root / "notebook_kms.tf").read_text() == shown


def test_windows_line_breaks_are_kept(tmp_path: Path, fix: Fix) -> None:
    root = tmp_path
    text = (PROVIDER + "\n" + ROLE + "\n" + KEY + "\n" + notebook("nb")).replace("\n", "\r\n")
    (root / "main.tf").write_bytes(text.encode())
    assert fix(str(root), "--write", "--key", "aws_kms_key.k.arn").status == 0
    after = (root / "main.tf").read_bytes().decode()
    assert '  instance_type = "ml.t3.medium"\r\n  kms_key_id    = aws_kms_key.k.arn\r\n}' in after
    assert "\n" not in after.replace("\r\n", "")


def test_a_dangling_link_is_never_written_through(tmp_path: Path, fix: Fix) -> None:
    root = _tree(tmp_path / "tree", notebook("nb"))
    target = tmp_path / "outside.tf"
    (root / "notebook_kms.tf").symlink_to(target)
    run = fix(str(root), "--write", "--create-key")
    assert not target.exists()
    # The scan names the link as an input error (exit 2); the key goes to a free name.
    assert run.status == 2, run.err
    assert "symbolic link leading outside" in run.err
    assert (root / "notebook_kms_2.tf").is_file()


def test_plan_says_which_notebooks_exist(tmp_path: Path, fix: Fix) -> None:
    root = _tree(tmp_path, KEY + "\n" + notebook("old") + "\n" + notebook("new"))
    plan = tmp_path / "plan.json"
    changes = [
        {
            "address": f"aws_sagemaker_notebook_instance.{name}",
            "mode": "managed",
            "type": "aws_sagemaker_notebook_instance",
            "name": name,
            "change": {"actions": actions, "before": None, "after": {}, "after_unknown": {}},
        }
        for name, actions in (("old", ["no-op"]), ("new", ["create"]))
    ]
    plan.write_text(
        json.dumps(
            {
                "format_version": "1.2",
                "terraform_version": "1.9.0",
                "planned_values": {"root_module": {}},
                "resource_changes": changes,
            }
        )
    )
    run = fix(str(root), "--key", "aws_kms_key.k.arn", "--plan", str(plan))
    assert run.status == 1, run.err
    assert f"aws_sagemaker_notebook_instance.old exists (plan {plan})" in run.err
    warnings = [line for line in run.err.splitlines() if "warning:" in line]
    assert len(warnings) == 1, warnings
    wrong = fix(str(root), "--key", "aws_kms_key.k.arn", "--state", str(plan))
    assert wrong.status == 2
    assert "--state expects a state" in wrong.err


def test_create_key_per_region_and_once_per_block(tmp_path: Path, fix: Fix) -> None:
    regional = notebook("nb").replace("  name  ", '  region        = "us-west-2"\n  name  ', 1)
    many = notebook("many").replace("  name  ", '  for_each      = toset(["a", "b"])\n  name  ', 1)
    root = _tree(tmp_path, regional + "\n" + many.replace('"many"\n', '"many-${each.key}"\n'))
    run = fix(str(root), "--write", "--create-key")
    assert run.status == 0, run.err
    text = (root / "notebook_kms.tf").read_text()
    assert 'resource "aws_kms_key" "notebooks_us_west_2"' in text
    assert '  region              = "us-west-2"\n' in text
    assert text.count('data "aws_caller_identity"') == 1
    assert run.err.count("many: kms_key_id added") == 1
    assert set(_statuses(root).values()) == {Status.PASS}
    assert len(_statuses(root)) == 3


def _module_tree(tmp_path: Path, argument: str) -> Path:
    module = 'variable "key" {}\n\n' + notebook("nb", "  kms_key_id    = var.key\n")
    main = KEY + f'\nmodule "nb" {{\n  source = "./m"\n  key    = {argument}\n}}\n'
    return _tree(tmp_path, main, **{"m/main.tf": ROLE + "\n" + module})


def test_module_input_is_set_in_the_module_call(tmp_path: Path, fix: Fix) -> None:
    root = _module_tree(tmp_path, '"alias/aws/sagemaker"')
    module_before = (root / "m" / "main.tf").read_text()
    run = fix(str(root), "--write", "--key", "aws_kms_key.k.arn")
    assert run.status == 0, run.err
    assert "module.nb input key: set to aws_kms_key.k.arn" in run.err
    assert "  key    = aws_kms_key.k.arn\n" in (root / "main.tf").read_text()
    assert (root / "m" / "main.tf").read_text() == module_before
    assert set(_statuses(root).values()) == {Status.PASS}


def test_variables_file_takes_a_literal_key(tmp_path: Path, fix: Fix) -> None:
    arn = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    root = _tree(
        tmp_path,
        'variable "kms" {}\n\n' + notebook("nb", "  kms_key_id    = var.kms\n"),
        **{"terraform.tfvars": 'kms = "alias/aws/sagemaker" # set by the platform team\n'},
    )
    run = fix(str(root), "--write", "--key", arn)
    assert run.status == 0, run.err
    assert (root / "terraform.tfvars").read_text() == f'kms = "{arn}" # set by the platform team\n'
    assert "kms_key_id    = var.kms" in (root / "main.tf").read_text()
    # An expression cannot go in a variables file: the attribute itself takes it.
    (root / "terraform.tfvars").write_text('kms = "alias/aws/sagemaker"\n')
    (root / "key.tf").write_text(KEY)
    run = fix(str(root), "--write", "--key", "aws_kms_key.k.arn")
    assert run.status == 0, run.err
    assert "kms_key_id    = aws_kms_key.k.arn" in (root / "main.tf").read_text()


def test_fool_a_key_already_in_place_is_not_reported_fixed(tmp_path: Path, fix: Fix) -> None:
    """An edit-less proposal (the key asked for is the one already there) is re-scanned too."""
    root = _tree(tmp_path, notebook("nb", AWS_MANAGED))
    run = fix(str(root), "--write", "--key", "alias/aws/sagemaker")
    assert run.status == 1, run.err
    assert run.out == ""
    assert "not fixed" in run.err


def test_fool_a_wildcard_role_never_becomes_the_key_policy_principal(
    tmp_path: Path, fix: Fix
) -> None:
    wildcard = notebook("nb").replace("aws_iam_role.nb.arn", '"*"')
    root = _tree(tmp_path, wildcard)
    fix(str(root), "--write", "--create-key")
    principals = [
        line for line in (root / "notebook_kms.tf").read_text().splitlines() if "Principal" in line
    ]
    assert principals
    assert not [line for line in principals if '"*"' in line], principals


def test_diff_of_a_windows_file_keeps_its_line_breaks(tmp_path: Path, fix: Fix) -> None:
    text = (PROVIDER + "\n" + ROLE + "\n" + KEY + "\n" + notebook("nb")).replace("\n", "\r\n")
    (tmp_path / "main.tf").write_bytes(text.encode())
    run = fix(str(tmp_path), "--key", "aws_kms_key.k.arn")
    assert run.status == 1, run.err
    assert "+  kms_key_id    = aws_kms_key.k.arn\r\n" in run.out

"""Routing inputs by content (``sources.registry``): which source takes a path, and the one-line
error for a path none takes. A file that only looks like an input by its name must never be
judged as one, and so never PASS."""

from __future__ import annotations

import codecs
import shutil
from pathlib import Path

import pytest

from cmkguard.errors import InputError
from cmkguard.findings import InputKind, Status
from cmkguard.scan import ScanOptions, scan_paths
from cmkguard.sources.registry import FILE_SOURCES, UNRECOGNISED, route

PLANS = Path(__file__).parent.parent / "plans"
PLAN = PLANS / "create.plan.json"
STATE = PLANS / "create.state.json"

NOTEBOOK = """
resource "aws_kms_key" "k" {}

resource "aws_sagemaker_notebook_instance" "nb" {
  name          = "nb"
  role_arn      = "arn:aws:iam::111122223333:role/nb"
  instance_type = "ml.t3.medium"
  kms_key_id    = aws_kms_key.k.arn
}
"""


def test_registry_names_are_unique_and_terraform_loads_first() -> None:
    names = [source.name for source in FILE_SOURCES]
    assert len(set(names)) == len(names)
    # Plans read locations and policies from the trees loaded before them.
    assert names.index("terraform") < names.index("plan")


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("main.tf", NOTEBOOK, "terraform"),
        ("main.tf.json", '{"resource": {}}', "terraform"),
        ("plan.json", PLAN.read_text(encoding="utf-8"), "plan"),
        ("saved-plan.txt", PLAN.read_text(encoding="utf-8"), "plan"),
        ("terraform.tfstate", STATE.read_text(encoding="utf-8"), "plan"),
        ("template.yaml", "Resources:\n  B: {Type: AWS::S3::Bucket}\n", "cloudformation"),
        (
            "stack.template.json",
            '{"Resources": {"B": {"Type": "AWS::S3::Bucket"}}}',
            "cloudformation",
        ),
    ],
)
def test_files_are_routed_by_name_and_content(
    tmp_path: Path, name: str, data: str, expected: str
) -> None:
    path = tmp_path / name
    path.write_text(data, encoding="utf-8")
    found = route(path)
    assert not isinstance(found, InputError), found
    assert [source.name for source in found] == [expected]


def test_a_directory_is_terraform_source_and_a_template_tree(tmp_path: Path) -> None:
    found = route(tmp_path)
    assert not isinstance(found, InputError), found
    assert [source.name for source in found] == ["terraform", "cloudformation"]


def test_a_utf16_plan_without_a_json_name_is_a_plan(tmp_path: Path) -> None:
    path = tmp_path / "plan-from-powershell"
    path.write_bytes(codecs.BOM_UTF16_LE + PLAN.read_text(encoding="utf-8").encode("utf-16-le"))
    result = scan_paths([path], ScanOptions())
    assert result.errors == ()
    assert result.findings
    assert {f.input for f in result.findings} == {InputKind.PLAN}


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("package.json", '{"name": "package", "version": "1.0.0"}'),
        # HCL with a compliant-looking notebook, but not named as Terraform source: not read.
        ("notebook.hcl", NOTEBOOK),
        ("empty.json", ""),
        ("vars.tfvars", 'key = "alias/aws/sagemaker"\n'),
        ("binary.bin", "\x00\x01\x02"),
    ],
)
def test_a_file_nothing_recognises_is_one_error_and_never_judged(
    tmp_path: Path, name: str, data: str
) -> None:
    path = tmp_path / name
    path.write_text(data, encoding="utf-8")
    result = scan_paths([path], ScanOptions())
    assert result.findings == ()
    assert [(e.path, e.line, e.message) for e in result.errors] == [(str(path), None, UNRECOGNISED)]
    assert result.exit_code() == 2


def test_a_missing_path_says_so_and_the_rest_still_runs(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "main.tf").write_text(NOTEBOOK, encoding="utf-8")
    missing = tmp_path / "missing.tf"
    result = scan_paths([missing, tree], ScanOptions())
    assert [(e.path, e.message) for e in result.errors] == [
        (str(missing), "no such file or directory")
    ]
    assert [f.status for f in result.findings] == [Status.PASS]
    assert result.inputs == (str(tree),)


def test_a_plan_named_after_a_tree_is_still_loaded_after_the_tree(tmp_path: Path) -> None:
    # Given plan first and tree second, the plan still sees the tree (registry order).
    scenario = PLANS.parent / "plan_scenarios" / "module"
    plan = tmp_path / "module.plan.json"
    shutil.copy(PLANS / "module.plan.json", plan)
    result = scan_paths([plan, scenario], ScanOptions())
    from_plan = [f for f in result.findings if f.input is InputKind.PLAN]
    assert from_plan
    assert {f.file for f in from_plan} <= {"main.tf", "modules/notebook/main.tf"}


def test_every_source_has_the_one_face(tmp_path: Path) -> None:
    # The annotations are the test: mypy --strict checks each class against the protocol.
    from cmkguard.sources.aws.pipeline import AwsSource
    from cmkguard.sources.interface import Source
    from cmkguard.sources.plan.source import PlanSource
    from cmkguard.sources.terraform.source import TerraformSource

    sources: list[Source] = [TerraformSource(tmp_path), PlanSource(PLAN), AwsSource()]
    assert [type(s).__name__ for s in sources] == ["TerraformSource", "PlanSource", "AwsSource"]
    loaded = sources[1].load()
    assert loaded.kind is InputKind.PLAN
    assert loaded.inputs == (str(PLAN),)

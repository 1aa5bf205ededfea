"""Bad input: one clear line naming file and line, exit 2, and every other notebook still judged.

Each bad root module sits beside a good one; no traceback may reach the user.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

NOTEBOOK = """
resource "aws_sagemaker_notebook_instance" "{name}" {{
  name          = "{name}"
  role_arn      = "arn:aws:iam::111122223333:role/nb"
  instance_type = "ml.t3.medium"
}}
"""


def _write(root: Path, rel: str, data: bytes | str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data)
    else:
        path.write_bytes(data)


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cmkguard", "scan", *args],
        capture_output=True,
        text=True,
        check=False,
    )


CFN_NOTEBOOK = """AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Notebook:
    Type: AWS::SageMaker::NotebookInstance
    Properties:
      InstanceType: ml.t3.medium
      RoleArn: arn:aws:iam::111122223333:role/nb
      KmsKeyId: {key}
"""
CFN_ALIASES = """  A:
    Type: AWS::KMS::Alias
    Properties: {AliasName: alias/a, TargetKeyId: !Ref B}
  B:
    Type: AWS::KMS::Alias
    Properties: {AliasName: alias/b, TargetKeyId: !Ref A}
"""

BAD_FILES: list[tuple[str, bytes | str, str, int | None, str]] = [
    (
        "syntax/main.tf",
        NOTEBOOK.format(name="a") + 'resource "x" "y" {\n  a = \n}\n',
        "syntax/main.tf",
        8,
        "syntax error",
    ),
    (
        "latin1/main.tf",
        (NOTEBOOK.format(name="b") + "# caf\xe9\n").encode("latin-1"),
        "latin1/main.tf",
        7,
        "UTF-8",
    ),
    (
        "binary/main.tf",
        NOTEBOOK.format(name="c").encode() + b"\x00\x01\x02",
        "binary/main.tf",
        7,
        "binary",
    ),
    (
        "huge/main.tf",
        NOTEBOOK.format(name="d") + "# padding\n" * 600_000,
        "huge/main.tf",
        None,
        "limit",
    ),
    (
        "escape/main.tf",
        NOTEBOOK.format(name="e") + 'module "outside" {\n  source = "../../../etc"\n}\n',
        "escape/main.tf",
        7,
        "module",
    ),
    (
        "absent/main.tf",
        NOTEBOOK.format(name="f") + 'module "gone" {\n  source = "./modules/gone"\n}\n',
        "absent/main.tf",
        7,
        "does not exist",
    ),
    (
        "cfn-yaml/template.yaml",
        CFN_NOTEBOOK.format(key="[alias/x") + "Outputs: {}\n",
        "cfn-yaml/template.yaml",
        9,
        "not a valid YAML/JSON template",
    ),
    (
        "cfn-intrinsic/template.yaml",
        CFN_NOTEBOOK.format(key="!Lookup [keys, notebook]"),
        "cfn-intrinsic/template.yaml",
        8,
        "unknown intrinsic function Fn::Lookup",
    ),
    (
        "cfn-cycle/template.yaml",
        CFN_NOTEBOOK.format(key="!Ref A") + CFN_ALIASES,
        "cfn-cycle/template.yaml",
        9,
        "circular dependency",
    ),
]


@pytest.mark.parametrize(
    ("rel", "data", "file", "line", "words"), BAD_FILES, ids=[b[0].split("/")[0] for b in BAD_FILES]
)
def test_bad_file_is_one_error_line_and_the_rest_is_judged(
    tmp_path: Path, rel: str, data: bytes | str, file: str, line: int | None, words: str
) -> None:
    _write(tmp_path, "good/main.tf", NOTEBOOK.format(name="good"))
    _write(tmp_path, rel, data)
    proc = _run(str(tmp_path), "--format", "json")
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    report = json.loads(proc.stdout)
    errors = [e for e in report["errors"] if e["file"] == file]
    assert len(errors) == 1, report["errors"]
    assert errors[0]["line"] == line
    assert words.lower() in errors[0]["message"].lower()
    assert "\n" not in errors[0]["message"]
    # Whatever the broken file declares is never PASS.
    assert all(
        f["status"] != "PASS" for f in report["findings"] if f["location"].get("file") == file
    )
    good = [f for f in report["findings"] if f["address"] == "aws_sagemaker_notebook_instance.good"]
    assert [(f["status"], f["reasons"]) for f in good] == [("FAIL", ["missing"])]
    stderr_lines = [ln for ln in proc.stderr.splitlines() if file in ln]
    assert len(stderr_lines) == 1, proc.stderr


def test_missing_path_and_bad_plan_still_scan_the_rest(tmp_path: Path) -> None:
    _write(tmp_path, "good/main.tf", NOTEBOOK.format(name="good"))
    _write(tmp_path, "plan.json", '{"format_version": "2.0", "planned_values": {}}')
    proc = _run(str(tmp_path / "good"), str(tmp_path / "nope"), str(tmp_path / "plan.json"))
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr + proc.stdout
    assert "nope" in proc.stdout + proc.stderr
    assert "format_version" in proc.stdout + proc.stderr
    assert "aws_sagemaker_notebook_instance.good" in proc.stdout

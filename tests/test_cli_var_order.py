"""``--var`` and ``--var-file`` keep their command-line order through the CLI, as in Terraform."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

MAIN = """
variable "key" {
  type = string
}

resource "aws_sagemaker_notebook_instance" "nb" {
  name          = "nb"
  role_arn      = "arn:aws:iam::111122223333:role/nb"
  instance_type = "ml.t3.medium"
  kms_key_id    = var.key
}
"""


def _reasons(tmp_path: Path, *args: str) -> list[str]:
    proc = subprocess.run(
        [sys.executable, "-m", "cmkguard", "scan", str(tmp_path), "--format", "json", *args],
        capture_output=True,
        text=True,
        check=False,
    )
    reasons: list[str] = json.loads(proc.stdout)["findings"][0]["reasons"]
    return reasons


def test_later_var_file_beats_earlier_var(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(MAIN)
    (tmp_path / "aws.tfvars").write_text('key = "alias/aws/sagemaker"\n')
    var_file = str(tmp_path / "aws.tfvars")
    assert _reasons(tmp_path, "--var", "key=foo", "--var-file", var_file) == ["aws-managed-key"]
    assert _reasons(tmp_path, "--var-file", var_file, "--var", "key=foo") == ["malformed"]

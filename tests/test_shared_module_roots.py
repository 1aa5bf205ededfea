"""Two root modules calling one shared module: same address and file, told apart by root."""

from __future__ import annotations

from pathlib import Path

from cmkguard.scan import ScanOptions, scan_paths

SHARED = """
variable "key" {
  type = string
}

resource "aws_sagemaker_notebook_instance" "this" {
  name          = "shared"
  role_arn      = "arn:aws:iam::111122223333:role/nb"
  instance_type = "ml.t3.medium"
  kms_key_id    = var.key
}
"""

ROOT = """
provider "aws" {{
  region = "eu-west-1"
}}

module "nb" {{
  source = "../../modules/notebook"
  key    = "{key}"
}}
"""


def test_roots_sharing_a_module_are_reported_per_root(tmp_path: Path) -> None:
    (tmp_path / "modules" / "notebook").mkdir(parents=True)
    (tmp_path / "modules" / "notebook" / "main.tf").write_text(SHARED)
    for name, key in (("dev", "alias/aws/sagemaker"), ("prod", "alias/team")):
        (tmp_path / "live" / name).mkdir(parents=True)
        (tmp_path / "live" / name / "main.tf").write_text(ROOT.format(key=key))
    result = scan_paths([tmp_path], ScanOptions())
    assert not result.errors
    got = sorted(
        (f.root_module, f.address, f.file, f.status.value, tuple(r.value for r in f.reasons))
        for f in result.findings
    )
    address = "module.nb.aws_sagemaker_notebook_instance.this"
    assert got == [
        ("live/dev", address, "modules/notebook/main.tf", "FAIL", ("aws-managed-key",)),
        ("live/prod", address, "modules/notebook/main.tf", "PASS", ()),
    ]

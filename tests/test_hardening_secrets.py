"""Issue 8, item 4: a pull request cannot make cmkguard print the checkout's secrets
(``.git/config`` holds the CI token, ``.env`` the rest) into findings, errors or evidence."""

from __future__ import annotations

from pathlib import Path

import pytest

from cmkguard import cli

SECRET = "ghp_SECRETTOKEN0123456789"

NOTEBOOK = """
resource "aws_sagemaker_notebook_instance" "n" {{
  name          = "n"
  kms_key_id    = {key}
  role_arn      = "arn:aws:iam::111122223333:role/nb"
  instance_type = "ml.t3.medium"
}}
"""


@pytest.mark.parametrize(
    "key",
    [
        'file(".git/config")',
        'base64encode(file(".env"))',
        'file("${path.module}/.git/config")',
        'templatefile("sub/../.env", {})',
        'filebase64(".git/config")',
    ],
)
@pytest.mark.parametrize("fmt", ["json", "text", "sarif"])
def test_hidden_files_are_never_read_into_reports(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], key: str, fmt: str
) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git/config").write_text(f"[remote]\n  url = https://x:{SECRET}@github.com/\n")
    (tmp_path / ".env").write_text(f"TOKEN={SECRET}\n")
    (tmp_path / "main.tf").write_text(NOTEBOOK.format(key=key))
    status = cli.main(["scan", str(tmp_path), "--format", fmt])
    out, err = capsys.readouterr()
    assert status == 1  # UNKNOWN, never PASS
    assert SECRET not in out + err
    assert "UNKNOWN" in out or '"unknown"' in out.lower()

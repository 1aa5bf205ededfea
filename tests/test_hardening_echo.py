"""Issue 8, items 2 and 4: a value read from a file is echoed into reports only as
``file("x")`` with its length and a SHA-256 prefix (unless it is a KMS key identifier), and
scanned text echoed into reports is bounded, so a 1 MB file cannot make a huge report."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from cmkguard import cli
from cmkguard.echo import LIMIT, bounded, echo
from cmkguard.values import Step

SECRET = "TOKEN=ghp_SECRET0123456789"

NOTEBOOK = """
resource "aws_sagemaker_notebook_instance" "n{i}" {{
  name          = "n{i}"
  kms_key_id    = {key}
  role_arn      = "arn:aws:iam::111122223333:role/nb"
  instance_type = "ml.t3.medium"
}}
"""


@pytest.mark.parametrize(
    "key",
    [
        'file("secret.txt")',
        'trimspace(file("secret.txt"))',
        'templatefile("secret.txt", {})',
        'base64decode(filebase64("secret.txt"))',
        'chomp(templatefile("${path.module}/secret.txt", {}))',
    ],
)
@pytest.mark.parametrize("fmt", ["json", "text", "sarif"])
def test_file_content_is_shown_as_a_digest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], key: str, fmt: str
) -> None:
    (tmp_path / "secret.txt").write_text(SECRET + "\n")
    (tmp_path / "main.tf").write_text(NOTEBOOK.format(i=0, key=key))
    status = cli.main(["scan", str(tmp_path), "--format", fmt])
    out, err = capsys.readouterr()
    assert status == 1  # malformed: FAIL, never PASS
    assert "ghp_SECRET" not in out + err
    assert "secret.txt" in out
    assert "sha256" in out


def test_a_key_identifier_read_from_a_file_is_shown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    alias = "alias/aws/sagemaker"
    (tmp_path / "key.txt").write_text(alias)
    (tmp_path / "main.tf").write_text(NOTEBOOK.format(i=0, key='file("key.txt")'))
    assert cli.main(["scan", str(tmp_path)]) == 1
    assert f'"{alias}"' in capsys.readouterr().out


def test_a_large_file_into_many_notebooks_gives_a_bounded_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "big.txt").write_text("x" * 1_000_000)
    blocks = [NOTEBOOK.format(i=i, key='file("big.txt")') for i in range(100)]
    (tmp_path / "main.tf").write_text("".join(blocks))
    for fmt in ("json", "text"):
        assert cli.main(["scan", str(tmp_path), "--format", fmt]) == 1
        out, _ = capsys.readouterr()
        assert "x" * 300 not in out
        assert len(out) < 1_000_000  # 210 MB before


def test_echo_digests_only_file_values_that_are_not_key_identifiers() -> None:
    from_file = (Step("file(a.txt)", "a.txt"),)
    digest = hashlib.sha256(SECRET.encode()).hexdigest()[:12]
    assert echo(SECRET, from_file) == f'file("a.txt") ({len(SECRET)} characters, sha256 {digest}…)'
    assert echo(SECRET) == f'"{SECRET}"'
    key_id = "1234abcd-12ab-34cd-56ef-1234567890ab"
    assert echo(key_id, from_file) == f'"{key_id}"'


def test_bounded_names_what_it_left_out() -> None:
    assert bounded("a" * LIMIT) == "a" * LIMIT
    assert bounded("a" * (LIMIT + 5)) == "a" * LIMIT + "…(5 more)"


def test_a_large_map_key_in_an_unknown_reason_is_bounded(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "big.txt").write_text("k" * 500_000)
    key = '{a = "x"}[file("big.txt")]'
    blocks = [NOTEBOOK.format(i=i, key=key) for i in range(20)]
    (tmp_path / "main.tf").write_text("".join(blocks))
    cli.main(["scan", str(tmp_path), "--format", "json"])
    out, err = capsys.readouterr()
    assert "k" * 1_100 not in out + err
    assert len(out + err) < 1_000_000

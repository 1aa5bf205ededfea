"""Issue 8, items 2 and 4: a value read from a file is echoed into reports only as
``file("x")`` with its length and a SHA-256 prefix (unless it is a KMS key identifier), and
scanned text echoed into reports is bounded, so a 1 MB file cannot make a huge report."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from cmkguard import cli
from cmkguard.echo import LIMIT, NAME_LIMIT, bounded, bounded_name, echo
from cmkguard.errors import MESSAGE_LIMIT
from cmkguard.scan import ScanOptions, scan_paths
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
    assert bounded("a" * LIMIT, LIMIT) == "a" * LIMIT
    assert bounded("a" * (LIMIT + 5), LIMIT) == "a" * LIMIT + "…(5 more)"


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


HUGE = "a" * 100_000
HUGE_NAMES = f"""
resource "aws_sagemaker_notebook_instance" "{HUGE}" {{
  name       = "by-name"
  kms_key_id = "alias/aws/sagemaker"
}}

resource "aws_sagemaker_notebook_instance" "{HUGE}b" {{
  name       = "by-name-too"
  kms_key_id = "alias/aws/sagemaker"
}}

module "m" {{
  source   = "./m"
  for_each = toset(["{HUGE}"])
}}

resource "aws_sagemaker_notebook_instance" "redefined" {{
  name    = "x"
  {HUGE} = 1
  {HUGE} = 2
}}
"""


@pytest.mark.parametrize(
    "fmt", ["text", "json", "sarif", "junit", "markdown", "html", "csv", "asff", "codequality"]
)
def test_a_100_kb_resource_name_or_module_key_is_not_echoed_whole(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    (tmp_path / "main.tf").write_text(HUGE_NAMES)
    (tmp_path / "m").mkdir()
    (tmp_path / "m" / "main.tf").write_text(NOTEBOOK.format(i=0, key='"alias/aws/sagemaker"'))
    assert cli.main(["scan", str(tmp_path), "--format", fmt]) == 2  # the redefined attribute
    out, err = capsys.readouterr()
    assert "a" * 1_100 not in out + err
    # Four findings and an error: 300 kB of names before.
    assert len(out) < 60_000
    assert len(err) < 2_000


def test_long_addresses_are_cut_but_stay_apart(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(HUGE_NAMES)
    (tmp_path / "m").mkdir()
    (tmp_path / "m" / "main.tf").write_text(NOTEBOOK.format(i=0, key='"alias/aws/sagemaker"'))
    result = scan_paths([tmp_path], ScanOptions())
    addresses = [f.address for f in result.findings]
    assert len(set(addresses)) == len(addresses) == 4
    for address in addresses:
        assert len(address) < NAME_LIMIT + 100
    cut = [a for a in addresses if a.startswith("aws_sagemaker_notebook_instance.aaa")]
    assert len(cut) == 2
    assert all("more, sha256 " in a for a in cut)
    [error] = result.errors
    assert len(error.message) < MESSAGE_LIMIT + 50
    assert error.message.endswith("more)")


def test_bounded_name_keeps_short_names_and_a_digest_of_long_ones() -> None:
    assert bounded_name("aws_x.y") == "aws_x.y"
    long = "n" * (NAME_LIMIT + 10)
    digest = hashlib.sha256(long.encode()).hexdigest()[:12]
    assert bounded_name(long) == "n" * NAME_LIMIT + f"…(10 more, sha256 {digest})"

"""What ``cmkguard scan`` takes from its surroundings: the workspace and the default region,
from the environment, ``--workspace``/``--region`` and ``cmkguard.toml`` (flags win)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cmkguard.cli import main
from cmkguard.cli.scan import scan_environment

KEY = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
NO_REGION = f"""
provider "aws" {{}}

resource "aws_sagemaker_notebook_instance" "nb" {{
  name          = "nb"
  role_arn      = "arn:aws:iam::111122223333:role/nb"
  instance_type = "ml.t3.medium"
  kms_key_id    = "{KEY}"
}}
"""
BY_WORKSPACE = f"""
provider "aws" {{
  region = "us-east-1"
}}

resource "aws_sagemaker_notebook_instance" "nb" {{
  name          = "nb"
  role_arn      = "arn:aws:iam::111122223333:role/nb"
  instance_type = "ml.t3.medium"
  kms_key_id    = terraform.workspace == "prod" ? "{KEY}" : null
}}
"""


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("AWS_REGION", "AWS_DEFAULT_REGION", "TF_WORKSPACE", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)


def _tree(tmp_path: Path, tf: str, toml: str | None = None) -> Path:
    (tmp_path / ".git").mkdir()
    (tmp_path / "main.tf").write_text(tf, encoding="utf-8")
    if toml is not None:
        (tmp_path / "cmkguard.toml").write_text(toml, encoding="utf-8")
    return tmp_path


def _statuses(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str]]:
    status = main(["scan", *args, "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    return status, [f["status"] + ":" + ",".join(f["reasons"]) for f in report["findings"]]


def test_region_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _tree(tmp_path, NO_REGION)
    assert _statuses(capsys, str(root)) == (1, ["UNKNOWN:unresolved"])
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    assert _statuses(capsys, str(root)) == (1, ["FAIL:cross-region"])
    monkeypatch.setenv("AWS_REGION", "us-east-1")
    assert _statuses(capsys, str(root)) == (0, ["PASS:"])


def test_region_flag_wins_over_the_configuration_and_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _tree(tmp_path, NO_REGION, 'region = "us-east-1"\n')
    monkeypatch.setenv("AWS_REGION", "eu-west-1")
    assert _statuses(capsys, str(root)) == (0, ["PASS:"])
    assert _statuses(capsys, str(root), "--region", "eu-central-1") == (1, ["FAIL:cross-region"])


def test_config_show_names_where_region_and_workspace_come_from(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _tree(tmp_path, NO_REGION, 'region = "us-east-1"\n')
    assert main(["config", "show", str(root), "--workspace", "prod"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert any("region" in line and "cmkguard.toml:1" in line for line in lines), lines
    assert any("workspace" in line and "--workspace" in line for line in lines), lines


def test_workspace_from_the_environment_beats_the_flag(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _tree(tmp_path, BY_WORKSPACE)
    assert _statuses(capsys, str(root)) == (1, ["FAIL:missing"])
    assert _statuses(capsys, str(root), "--workspace", "prod") == (0, ["PASS:"])
    monkeypatch.setenv("TF_WORKSPACE", "staging")
    assert _statuses(capsys, str(root), "--workspace", "prod") == (1, ["FAIL:missing"])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--region", "Mars-1"], "expected a region name like us-east-1"),
        (["--region", "us-east-1\n"], "expected a region name like us-east-1"),
    ],
)
def test_a_bad_region_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert main(["scan", str(_tree(tmp_path, NO_REGION)), *args]) == 2
    assert message in capsys.readouterr().err


def test_a_bad_region_in_the_configuration_names_the_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _tree(tmp_path, NO_REGION, 'region = "moon"\n')
    assert main(["scan", str(root)]) == 2
    err = capsys.readouterr().err
    assert "cmkguard.toml" in err
    assert "region must be a region name" in err


def test_the_scan_reads_only_the_variables_it_needs() -> None:
    environ = {
        "TF_VAR_key": "k",
        "TF_WORKSPACE": "prod",
        "AWS_REGION": "us-east-1",
        "AWS_DEFAULT_REGION": "eu-west-1",
        "AWS_SECRET_ACCESS_KEY": "secret",
        "GITHUB_TOKEN": "token",
    }
    assert scan_environment(environ) == {
        "TF_VAR_key": "k",
        "TF_WORKSPACE": "prod",
        "AWS_REGION": "us-east-1",
        "AWS_DEFAULT_REGION": "eu-west-1",
    }

"""Issue 8, item 1 and the read limits of item 2: nothing a pull request arranges is silently
skipped, and no input makes a read unbounded. Each test reproduces one attack."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from cmkguard import cli

NOTEBOOK = """
resource "aws_sagemaker_notebook_instance" "{name}" {{
  name          = "{name}"
  role_arn      = "arn:aws:iam::111122223333:role/nb"
  instance_type = "ml.t3.medium"
}}
"""


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def _scan(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, Any], str]:
    status = cli.main(["scan", "--format", "json", *args])
    out, err = capsys.readouterr()
    return status, json.loads(out), err


def _addresses(report: dict[str, Any]) -> list[tuple[str, str]]:
    findings = report["findings"]
    assert isinstance(findings, list)
    return sorted((f["address"], f["status"]) for f in findings)


def _errors(report: dict[str, Any]) -> list[tuple[str, int | None, str]]:
    errors = report["errors"]
    assert isinstance(errors, list)
    return [(e["file"], e["line"], e["message"]) for e in errors]


def test_self_calling_module_is_an_error_and_its_notebook_still_judged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _write(tmp_path / "main.tf", NOTEBOOK.format(name="a") + 'module "me" {\n  source = "./"\n}\n')
    status, report, _ = _scan(capsys, str(tmp_path))
    assert status == 2
    assert _addresses(report) == [("aws_sagemaker_notebook_instance.a", "FAIL")]
    [(file, line, message)] = _errors(report)
    assert (file, line) == ("main.tf", 7)
    assert "cycle" in message


def test_two_modules_calling_each_other_are_both_judged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _write(
        tmp_path / "a/main.tf", NOTEBOOK.format(name="a") + 'module "b" {\n source = "../b"\n}\n'
    )
    _write(
        tmp_path / "b/main.tf", NOTEBOOK.format(name="b") + 'module "a" {\n source = "../a"\n}\n'
    )
    status, report, _ = _scan(capsys, str(tmp_path))
    assert status == 2
    # Each is a root; the call that closes the cycle is not followed (no module.b.module.a...).
    assert _addresses(report) == [
        ("aws_sagemaker_notebook_instance.a", "FAIL"),
        ("aws_sagemaker_notebook_instance.b", "FAIL"),
        ("module.a.aws_sagemaker_notebook_instance.a", "FAIL"),
        ("module.b.aws_sagemaker_notebook_instance.b", "FAIL"),
    ]
    errors = _errors(report)
    assert [(f, line) for f, line, _ in errors] == [("a/main.tf", 7), ("b/main.tf", 7)]
    assert all("cycle" in message for _, _, message in errors)


def test_hidden_directory_with_terraform_is_scanned(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _write(tmp_path / ".infra/main.tf", NOTEBOOK.format(name="hidden"))
    # The insides of .git and .terraform are never configuration to judge.
    _write(tmp_path / ".git/x/main.tf", NOTEBOOK.format(name="vcs"))
    _write(tmp_path / ".terraform/providers/main.tf", NOTEBOOK.format(name="cache"))
    status, report, _ = _scan(capsys, str(tmp_path))
    assert status == 1
    assert _addresses(report) == [("aws_sagemaker_notebook_instance.hidden", "FAIL")]
    assert report["findings"][0]["location"]["file"] == ".infra/main.tf"


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links need privileges on Windows")
def test_symlinked_tf_inside_is_followed_and_outside_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = tmp_path / "repo"
    _write(repo / "shared/notebook.tf", NOTEBOOK.format(name="shared"))
    _write(repo / "env/main.tf", "")
    (repo / "env/notebook.tf").symlink_to("../shared/notebook.tf")
    _write(tmp_path / "elsewhere/secret.tf", NOTEBOOK.format(name="outside"))
    (repo / "env/outside.tf").symlink_to(tmp_path / "elsewhere/secret.tf")
    status, report, _ = _scan(capsys, str(repo))
    assert status == 2
    assert ("env/notebook.tf", "aws_sagemaker_notebook_instance.shared") in {
        (f["location"]["file"], f["address"]) for f in report["findings"]
    }
    assert "aws_sagemaker_notebook_instance.outside" not in str(report["findings"])
    [(file, _, message)] = _errors(report)
    assert file == "env/outside.tf"
    assert "outside the scanned directory" in message


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links need privileges on Windows")
def test_symlink_named_on_the_command_line_is_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _write(tmp_path / "real/main.tf", NOTEBOOK.format(name="linked"))
    (tmp_path / "link.tf").symlink_to(tmp_path / "real/main.tf")
    status, report, _ = _scan(capsys, str(tmp_path / "link.tf"))
    assert status == 1
    assert _addresses(report) == [("aws_sagemaker_notebook_instance.linked", "FAIL")]


def test_empty_scan_says_so_and_fail_on_empty_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _write(tmp_path / "main.tf", 'variable "x" {}\n')
    status, report, err = _scan(capsys, str(tmp_path))
    assert (status, report["findings"]) == (0, [])
    assert f"no notebook found in {tmp_path}" in err
    status, _, err = _scan(capsys, "--fail-on-empty", str(tmp_path))
    assert status == 2
    assert "no notebook found" in err


def test_deep_tree_is_walked_without_recursion(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    levels = [tmp_path]
    for _ in range(1100):  # one level at a time: pathlib's mkdir(parents=True) recurses
        levels.append(levels[-1] / "d")
        levels[-1].mkdir()
    (levels[-1] / "main.tf").write_text(NOTEBOOK.format(name="deep"))
    try:
        status, report, _ = _scan(capsys, str(tmp_path))
    finally:
        # Removed here, deepest first: pytest's recursive rmtree would exhaust the stack.
        (levels[-1] / "main.tf").unlink()
        for level in reversed(levels[1:]):
            level.rmdir()
    assert status == 1
    assert _addresses(report) == [("aws_sagemaker_notebook_instance.deep", "FAIL")]


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_special_files_are_read_with_a_limit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _write(tmp_path / "main.tf", NOTEBOOK.format(name="a"))
    status, report, _ = _scan(capsys, "/dev/zero", str(tmp_path), "--var-file", "/dev/zero")
    assert status == 2
    assert _addresses(report) == [("aws_sagemaker_notebook_instance.a", "FAIL")]
    assert {file for file, _, _ in _errors(report)} == {"/dev/zero"}
    assert any("limit" in message for _, _, message in _errors(report))


def test_utf16_tf_is_named_as_utf16(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "main.tf").write_bytes(b"\xff\xfe" + NOTEBOOK.format(name="a").encode("utf-16-le"))
    status, report, _ = _scan(capsys, str(tmp_path))
    assert status == 2
    [(file, line, message)] = _errors(report)
    assert (file, line) == ("main.tf", 1)
    assert "UTF-16" in message


def test_missing_and_unrecognised_paths_are_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "foo.txt").write_text("hello\n")
    missing = str(tmp_path / "nonexist.tf")
    status, report, _ = _scan(capsys, missing, str(tmp_path / "foo.txt"))
    assert status == 2
    messages = {file: message for file, _, message in _errors(report)}
    assert "no such file" in messages[missing]
    assert "neither Terraform" in messages[str(tmp_path / "foo.txt")]

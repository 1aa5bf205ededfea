"""``--format`` plus repeatable ``--output FORMAT=FILE``: several reports from one run.

The exit status never depends on the formats; a bare ``--output FILE`` still takes the
``--format`` report; mistakes are one-line usage errors (exit 2).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from report_schemas import validate_junit, validate_sarif

from cmkguard.cli import main

EXAMPLE = Path(__file__).parent.parent / "examples" / "notebooks"


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_SHA", "GITHUB_WORKSPACE"):
        monkeypatch.delenv(name, raising=False)
    for name in ("AWS_REGION", "AWS_DEFAULT_REGION"):
        monkeypatch.delenv(name, raising=False)


def test_every_format_in_one_run_and_the_same_exit_status(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    alone = main(["scan", str(EXAMPLE)])
    capsys.readouterr()
    outputs = ["sarif=a.sarif", "junit=a.xml", "markdown=a.md", "html=a.html", "csv=a.csv"]
    status = main(
        [
            "scan",
            str(EXAMPLE),
            "--format",
            "json",
            *(f"--output={o}" for o in outputs),
            "--output",
            "asff=a.json",
            "--asff-account",
            "111122223333",
        ]
    )
    assert status == alone == 1
    stdout = capsys.readouterr().out
    assert json.loads(stdout)["summary"]["total"] == 5
    sarif = validate_sarif((tmp_path / "a.sarif").read_text(encoding="utf-8"))
    assert (
        sarif["runs"][0]["originalUriBaseIds"]["SRCROOT"]["uri"] == EXAMPLE.resolve().as_uri() + "/"
    )
    validate_junit((tmp_path / "a.xml").read_text(encoding="utf-8"))
    assert "## cmkguard" in (tmp_path / "a.md").read_text(encoding="utf-8")
    assert "<!DOCTYPE html>" in (tmp_path / "a.html").read_text(encoding="utf-8")
    assert len(list(csv.reader((tmp_path / "a.csv").open(encoding="utf-8")))) == 6
    asff = json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))
    assert {f["AwsAccountId"] for f in asff} == {"111122223333"}


def test_bare_output_file_takes_the_format_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(["scan", str(EXAMPLE), "--format", "json", "--output", "report.json"])
    assert status == 1
    assert capsys.readouterr().out == ""
    assert json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))["findings"]


def test_unknown_prefix_is_a_file_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["scan", str(EXAMPLE), "--output", "nosuchformat=x.txt"])
    assert capsys.readouterr().out == ""
    assert "PASS" in (tmp_path / "nosuchformat=x.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--output", "a.txt", "--output", "b.txt"],
            "--output FILE without FORMAT= may be given once",
        ),
        (["--output", "sarif=a", "--output", "junit=a"], "--output names a twice"),
        (["--output", "asff=a.json"], "pass --asff-account ACCOUNT_ID"),
    ],
)
def test_usage_errors_are_one_line(
    args: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["scan", str(EXAMPLE), *args]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert not list(tmp_path.iterdir())  # nothing half-written


def test_markdown_links_in_github_actions(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("GITHUB_SERVER_URL", "https://github.com")
    monkeypatch.setenv("GITHUB_REPOSITORY", "o/r")
    monkeypatch.setenv("GITHUB_SHA", "abc123")
    monkeypatch.setenv("GITHUB_WORKSPACE", str(EXAMPLE.parent.parent))
    main(["scan", str(EXAMPLE), "--format", "markdown"])
    out = capsys.readouterr().out
    assert "(https://github.com/o/r/blob/abc123/examples/notebooks/main.tf#L" in out

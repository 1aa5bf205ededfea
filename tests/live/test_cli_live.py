"""``cmkguard live`` and ``verify-evidence`` end to end: a real process, AWS_ENDPOINT_URL at the
proxy, fake credentials."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from awsharness import DEFAULT_ACCOUNT, MotoStack

from cmkguard.cli import main
from cmkguard.evidence import bundle_digest
from cmkguard.sources.aws.session import CALL_TIMEOUT, MAX_ATTEMPTS


def run(aws: MotoStack, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(aws.env())
    return subprocess.run(
        [sys.executable, "-m", "cmkguard", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.mark.slow
def test_live_json_end_to_end(aws: MotoStack) -> None:
    key = aws.create_key()
    aws.create_notebook("good", key["Arn"])
    aws.create_notebook("bad")
    done = run(aws, "live", "--format", "json", "--regions", "us-east-1", "--quiet")
    assert done.returncode == 1, done.stderr
    assert done.stderr == ""
    report = json.loads(done.stdout)
    by_address = {f["address"]: f for f in report["findings"]}
    good = by_address[f"arn:aws:sagemaker:us-east-1:{DEFAULT_ACCOUNT}:notebook-instance/good"]
    bad = by_address[f"arn:aws:sagemaker:us-east-1:{DEFAULT_ACCOUNT}:notebook-instance/bad"]
    assert good["status"] == "PASS"
    assert (bad["status"], bad["reasons"]) == ("FAIL", ["missing"])
    assert (bad["region"], bad["account"]) == ("us-east-1", DEFAULT_ACCOUNT)
    assert report["errors"] == []


@pytest.mark.slow
def test_live_incomplete_scan_exits_2_and_says_which_region(aws: MotoStack) -> None:
    aws.create_notebook("nb")
    aws.deny("ListNotebookInstances", "sagemaker", region="us-west-2")
    done = run(aws, "live", "--format", "json", "--regions", "us-east-1,us-west-2")
    assert done.returncode == 2
    report = json.loads(done.stdout)
    assert len(report["findings"]) == 1
    assert f"aws:{DEFAULT_ACCOUNT}:us-west-2" in done.stderr
    assert "live scan incomplete" in done.stderr


@pytest.mark.slow
def test_evidence_written_verified_then_tampered(aws: MotoStack, tmp_path: Path) -> None:
    key = aws.create_key()
    aws.create_notebook("nb", key["Arn"])
    bundle = tmp_path / "evidence"
    done = run(aws, "live", "--format", "json", "--evidence", str(bundle))
    assert done.returncode == 0, done.stderr
    verified = run(aws, "verify-evidence", str(bundle))
    assert verified.returncode == 0, verified.stdout
    findings = bundle / "findings.json"
    findings.write_text(findings.read_text(encoding="utf-8").replace("PASS", "FAIL"), "utf-8")
    tampered = run(aws, "verify-evidence", str(bundle))
    assert tampered.returncode == 1
    assert "changed: findings.json" in tampered.stdout


def test_live_in_process_text_and_output_file(
    aws: MotoStack, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    aws.create_notebook("nb", "alias/aws/sagemaker")
    out = tmp_path / "report.json"
    status = main(["live", "--format", "json", "--output", str(out), "--concurrency", "2"])
    assert status == 1
    assert json.loads(out.read_text(encoding="utf-8"))["findings"][0]["reasons"] == [
        "aws-managed-key"
    ]
    assert capsys.readouterr().err == (
        f"cmkguard: aws:{DEFAULT_ACCOUNT}:us-east-1: 1 notebook listed\n"
        "cmkguard: 1 notebook judged in 1 region\n"
    ), "progress goes to stderr even when it is no terminal"
    assert main(["live", "--format", "json", "--output", str(out), "--quiet"]) == 1
    assert capsys.readouterr().err == ""
    assert main(["live", "--no-color"]) == 1
    assert "aws-managed-key" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["live", "--regions", "mars-1"], "expected 'all' or region names"),
        (["live", "--regions", ","], "expected 'all' or region names"),
        (["live", "--concurrency", "0"], "from 1 to 256"),
        (["live", "--role-arn", "admin"], "expected an IAM role ARN"),
        (["live", "--allowed-key-arn", "alias/x"], "is not a key ARN, key ID or alias ARN"),
        (["live", "--timeout", "0"], "greater than 0"),
        (["live", "--timeout", "inf"], "greater than 0"),
        (["live", "--call-timeout", "nan"], "greater than 0"),
        (["live", "--call-timeout", "-1"], "greater than 0"),
    ],
)
def test_usage_errors(args: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(args) == 2
    assert message in capsys.readouterr().err


def test_bad_evidence_dir_is_refused_before_any_call(
    aws: MotoStack, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A wrong --evidence DIR fails at once (it used to fail after the whole scan)."""
    aws.create_notebook("nb")
    occupied = tmp_path / "home"
    occupied.mkdir()
    (occupied / "notes.txt").write_text("mine", encoding="utf-8")
    assert aws.proxy is not None
    for target in (occupied, tmp_path / "home" / "notes.txt" / "sub"):
        assert main(["live", "--evidence", str(target)]) == 2
        err = capsys.readouterr().err
        assert "cmkguard: " in err
        assert "evidence" in err
        assert aws.proxy.seen == [], "no AWS call before the evidence folder is known good"
    assert sorted(p.name for p in occupied.iterdir()) == ["notes.txt"]


def test_evidence_digest_printed_and_expected(
    aws: MotoStack, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    key = aws.create_key()
    aws.create_notebook("nb", key["Arn"])
    bundle = tmp_path / "evidence"
    assert main(["live", "--format", "json", "--evidence", str(bundle)]) == 0
    err = capsys.readouterr().err
    digest = bundle_digest(bundle)
    assert f"sha256 of SHA256SUMS: {digest}" in err
    assert main(["verify-evidence", str(bundle), "--expect-sha256", digest]) == 0
    assert capsys.readouterr().out.startswith("ok: ")
    assert main(["verify-evidence", str(bundle), "--expect-sha256", "0" * 64]) == 1
    assert capsys.readouterr().out == (
        f"digest: sha256 of SHA256SUMS is {digest}, expected {'0' * 64}\n"
    )
    assert main(["verify-evidence", str(bundle), "--expect-sha256", "abc"]) == 2
    assert "64 hexadecimal digits" in capsys.readouterr().err


def test_call_timeout_help_states_the_real_defaults(capsys: pytest.CaptureFixture[str]) -> None:
    """The help spells the figures out (importing them would load boto3 for --help)."""
    assert main(["live", "--help"]) == 0
    help_text = " ".join(capsys.readouterr().out.split())
    assert f"most {MAX_ATTEMPTS} attempts (default: {CALL_TIMEOUT:g})" in help_text

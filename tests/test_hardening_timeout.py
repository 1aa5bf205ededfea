"""Issue 8, item 2: ``cmkguard scan --timeout`` bounds a whole static scan. When it passes, the
findings already made are kept, inputs and root modules not started are named in an error,
values still being evaluated are unknown, and the scan exits 2: it never passes."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from hardening_hcl import KEY_AND_ROLE, NOTEBOOK

from cmkguard import cli
from cmkguard.deadline import Deadline
from cmkguard.findings import Status
from cmkguard.scan import ScanOptions, scan_paths
from cmkguard.sources.interface import FileRequest
from cmkguard.sources.terraform.source import TerraformSource


def _notebook(key: str) -> str:
    return NOTEBOOK.format(name="nb", meta="", key=key)


# About 150,000 evaluation steps: under the step cap, seconds of work.
SLOW_LOCAL = """
locals {
  slow = [for i in range(200) : [for j in range(200) : i * j]]
}
"""
# Generous for a loaded, shared CI machine; without the timeout these take seconds more.
BUDGET_SECONDS = 5.0


# A few thousand steps: a tenth of a second or so per root module on an idle machine.
BUSY_ROOT = (
    KEY_AND_ROLE
    + "locals {\n  busy = [for i in range(40) : [for j in range(40) : i * j]]\n}\n"
    + _notebook('local.busy[39][39] > 0 ? aws_kms_key.k.arn : "alias/aws/sagemaker"')
)


def _many_roots(tmp_path: Path, count: int) -> Path:
    for i in range(count):
        root = tmp_path / f"root{i:04}"
        root.mkdir()
        (root / "main.tf").write_text(BUSY_ROOT)
    return tmp_path


def _scan_json(
    capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, dict[str, list[dict[str, object]]], str, float]:
    started = time.monotonic()
    status = cli.main(["scan", *args, "--format", "json"])
    elapsed = time.monotonic() - started
    out, err = capsys.readouterr()
    return status, json.loads(out), err, elapsed


def test_many_roots_keep_what_was_judged_and_name_the_rest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # 300 busy roots take half a minute or more; finding them takes a fraction of a second.
    tree = _many_roots(tmp_path, 300)
    status, report, err, elapsed = _scan_json(capsys, str(tree), "--timeout", "2")
    assert status == 2
    assert elapsed < BUDGET_SECONDS + 2
    [error] = [e for e in report["errors"] if "not judged" in str(e["message"])]
    assert "scan incomplete: --timeout of 2 s reached" in str(error["message"])
    assert "root modules not judged" in err
    judged = report["findings"]
    # What was judged before the deadline is reported (the first root at least, perhaps cut
    # short itself), and never a PASS for a notebook whose evaluation was stopped.
    assert 0 < len(judged) < 300
    for finding in judged:
        message = str(finding["message"])
        assert finding["status"] == ("UNKNOWN" if "--timeout" in message else "PASS")


def test_the_roots_not_judged_are_counted_and_a_few_named(tmp_path: Path) -> None:
    # A deadline already passed when the source starts: no root module is judged.
    passed = Deadline(seconds=0.5, at=0.0)
    tree = _many_roots(tmp_path, 40)
    loaded = TerraformSource(tree, FileRequest(deadline=passed)).load()
    assert loaded.inventory.notebooks == ()
    [error] = loaded.errors
    assert error.message.startswith(
        "scan incomplete: --timeout of 0.5 s reached; 40 root modules not judged: "
        "root0000, root0001,"
    )
    assert error.message.endswith("root0009 and 30 more")


def test_a_slow_root_is_cut_short_into_unknown(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(KEY_AND_ROLE + SLOW_LOCAL + _notebook("local.slow[1][1]"))
    started = time.monotonic()
    result = scan_paths([tmp_path], ScanOptions(timeout=0.2))
    assert time.monotonic() - started < BUDGET_SECONDS
    [finding] = result.findings
    assert finding.status is Status.UNKNOWN
    assert "evaluation stopped: --timeout of 0.2 s reached" in finding.message
    [error] = [e for e in result.errors if "while evaluating" in e.message]
    assert error.message.startswith("scan incomplete: --timeout of 0.2 s reached")
    assert result.exit_code() == 2


def test_fool_a_fallback_after_the_deadline_never_passes(tmp_path: Path) -> None:
    # Without a timeout ``local.slow[0]`` is a list, not a string: UNKNOWN. ``try`` catches the
    # timeout like any error; its fallback, the good key, must not then decide a PASS.
    text = KEY_AND_ROLE + SLOW_LOCAL + _notebook("try(local.slow[0], aws_kms_key.k.arn)")
    (tmp_path / "main.tf").write_text(text)
    [finding] = scan_paths([tmp_path], ScanOptions(timeout=0.2)).findings
    assert finding.status is Status.UNKNOWN
    assert "--timeout of 0.2 s reached" in finding.message


@pytest.mark.slow
def test_fool_without_the_timeout_the_same_tree_is_not_a_pass_either(tmp_path: Path) -> None:
    text = KEY_AND_ROLE + SLOW_LOCAL + _notebook("try(local.slow[0], aws_kms_key.k.arn)")
    (tmp_path / "main.tf").write_text(text)
    [finding] = scan_paths([tmp_path], ScanOptions()).findings
    assert finding.status is Status.UNKNOWN
    assert "kms_key_id is not a string" in finding.message


def test_inputs_after_the_deadline_are_named_not_scanned(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    slow = tmp_path / "slow"
    slow.mkdir()
    (slow / "main.tf").write_text(KEY_AND_ROLE + SLOW_LOCAL + _notebook("local.slow"))
    plan = Path(__file__).parent / "plans" / "create.plan.json"
    status, report, err, _ = _scan_json(capsys, str(slow), str(plan), "--timeout", "0.2")
    assert status == 2
    assert {
        "file": str(plan),
        "line": None,
        "message": "not scanned: --timeout of 0.2 s reached",
    } in [{k: e.get(k) for k in ("file", "line", "message")} for e in report["errors"]]
    assert f"{plan}: not scanned: --timeout of 0.2 s reached" in err


def test_a_scan_within_its_timeout_is_unchanged(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(KEY_AND_ROLE + _notebook("aws_kms_key.k.arn"))
    result = scan_paths([tmp_path], ScanOptions(timeout=600))
    assert [f.status for f in result.findings] == [Status.PASS]
    assert result.errors == ()


@pytest.mark.parametrize("value", ["0", "-1", "inf", "nan", "soon"])
def test_timeout_must_be_a_positive_number(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], value: str
) -> None:
    assert cli.main(["scan", str(tmp_path), "--timeout", value]) == 2
    assert "greater than 0" in capsys.readouterr().err

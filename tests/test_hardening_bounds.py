"""Issue 8, item 2: the work a scanned tree can cause is bounded, and hitting a bound is an
UNKNOWN naming it, never a PASS, a hang or an exhausted runner."""

from __future__ import annotations

import json
import time
from pathlib import Path

from cmkguard.findings import Status
from cmkguard.scan import ScanOptions, scan_paths

NOTEBOOK = """
resource "aws_sagemaker_notebook_instance" "n" {{
  {meta}
  name          = "n"
  kms_key_id    = {key}
  role_arn      = "arn:aws:iam::111122223333:role/nb"
  instance_type = "ml.t3.medium"
}}
"""
KEY = '"arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"'
# Generous for a loaded, shared CI machine; the attacks ran for minutes or exhausted memory.
BUDGET_SECONDS = 5.0


def _only_finding(tmp_path: Path, text: str) -> tuple[Status, str, float]:
    (tmp_path / "main.tf").write_text(text)
    started = time.monotonic()
    result = scan_paths([tmp_path], ScanOptions())
    elapsed = time.monotonic() - started
    [finding] = result.findings
    return finding.status, finding.message, elapsed


def test_count_over_the_cap_is_one_unknown_naming_it(tmp_path: Path) -> None:
    status, message, elapsed = _only_finding(
        tmp_path, NOTEBOOK.format(meta="count = 10000", key=KEY)
    )
    assert status is Status.UNKNOWN
    assert "10000 instances" in message
    assert "limit of 1,000 per block" in message
    assert elapsed < BUDGET_SECONDS


def test_for_each_over_the_cap_is_one_unknown_naming_it(tmp_path: Path) -> None:
    lists = ", ".join(f'[for i in range(1000) : "{block}-${{i}}"]' for block in "ab")
    locals_ = f"locals {{\n  keys = concat({lists})\n}}\n"
    status, message, _ = _only_finding(
        tmp_path, locals_ + NOTEBOOK.format(meta="for_each = toset(local.keys)", key=KEY)
    )
    assert status is Status.UNKNOWN
    assert "2000 instances" in message


def _doubling(first: str, double: str) -> str:
    lines = [f"  l0 = {first}"]
    lines += [f"  l{i} = {double.format(p=f'local.l{i - 1}')}" for i in range(1, 41)]
    return "locals {\n" + "\n".join(lines) + "\n}\n"


def test_billion_laughs_of_strings_ends_fast_in_unknown(tmp_path: Path) -> None:
    text = _doubling('"aaaaaaaaaa"', '"${{{p}}}${{{p}}}"')
    status, message, elapsed = _only_finding(
        tmp_path, text + NOTEBOOK.format(meta="", key="local.l40")
    )
    assert status is Status.UNKNOWN
    assert "limit of 1,048,576 characters" in message
    assert elapsed < BUDGET_SECONDS


def test_billion_laughs_of_lists_ends_fast_in_unknown(tmp_path: Path) -> None:
    text = _doubling('["a", "b"]', "concat({p}, {p})")
    status, message, elapsed = _only_finding(
        tmp_path, text + NOTEBOOK.format(meta="", key="element(local.l40, 0)")
    )
    assert status is Status.UNKNOWN
    assert "limit of 100,000 elements" in message
    assert elapsed < BUDGET_SECONDS


DEEP_JSON = "[" * 5000 + "]" * 5000


def test_key_policy_nested_5000_deep_in_tf_is_unknown_not_a_crash(tmp_path: Path) -> None:
    key = f"""
resource "aws_kms_key" "k" {{
  policy = <<EOT
{{"Version": "2012-10-17", "Statement": {DEEP_JSON}}}
EOT
}}
"""
    status, message, _ = _only_finding(
        tmp_path, key + NOTEBOOK.format(meta="", key="aws_kms_key.k.arn")
    )
    assert status is Status.UNKNOWN
    assert "nested too deeply" in message


def test_key_policy_nested_5000_deep_in_state_never_passes(tmp_path: Path) -> None:
    plans = Path(__file__).parent / "plans"
    state = json.loads((plans / "create.state.json").read_text())
    [good_key] = [
        r for r in state["values"]["root_module"]["resources"] if r["address"] == "aws_kms_key.good"
    ]
    good_key["values"]["policy"] = f'{{"Version": "2012-10-17", "Statement": {DEEP_JSON}}}'
    path = tmp_path / "deep.state.json"
    path.write_text(json.dumps(state))
    result = scan_paths([path], ScanOptions())
    [good] = [f for f in result.findings if f.address == "aws_sagemaker_notebook_instance.good"]
    assert good.status is not Status.PASS
    assert "nested too deeply" in good.message

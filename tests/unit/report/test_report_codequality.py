"""``codequality``: GitLab Code Quality issues, one per reason of each live FAIL/UNKNOWN."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from report_render import rendered

from cmkguard.acceptance import Acceptance
from cmkguard.report import OutputFormat
from cmkguard.scan import ScanOptions, scan_paths

NOTEBOOK = """\
{comment}
resource "aws_sagemaker_notebook_instance" "{name}" {{
  name          = "{name}"
  role_arn      = "arn:aws:iam::123456789012:role/nb"
  instance_type = "ml.t3.medium"
  kms_key_id    = "{key}"
}}
"""


def test_issues_per_reason_and_accepted_findings_left_out(tmp_path: Path) -> None:
    text = NOTEBOOK.format(comment="", name="a", key="") + NOTEBOOK.format(
        comment='# cmkguard:ignore[empty] reason="sandbox"', name="b", key=""
    )
    (tmp_path / "main.tf").write_text(text, encoding="utf-8")
    result = scan_paths([tmp_path], ScanOptions(acceptance=Acceptance(today=date(2026, 1, 1))))
    issues = json.loads(rendered(result, OutputFormat.CODEQUALITY))
    assert issues == [
        {
            "type": "issue",
            "check_name": "cmkguard/empty",
            "description": issues[0]["description"],
            "categories": ["Security"],
            "severity": "major",
            "fingerprint": issues[0]["fingerprint"],
            "location": {"path": "main.tf", "lines": {"begin": 2}},
        }
    ]
    assert issues[0]["description"].startswith("aws_sagemaker_notebook_instance.a: ")
    assert len(issues[0]["fingerprint"]) == 32


def test_fingerprint_ignores_the_line(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        NOTEBOOK.format(comment="", name="a", key=""), encoding="utf-8"
    )
    first = json.loads(rendered(scan_paths([tmp_path], ScanOptions()), OutputFormat.CODEQUALITY))
    (tmp_path / "main.tf").write_text(
        "\n\n" + NOTEBOOK.format(comment="", name="a", key=""), encoding="utf-8"
    )
    moved = json.loads(rendered(scan_paths([tmp_path], ScanOptions()), OutputFormat.CODEQUALITY))
    assert moved[0]["location"]["lines"]["begin"] == first[0]["location"]["lines"]["begin"] + 2
    assert moved[0]["fingerprint"] == first[0]["fingerprint"]

"""Suppressed and baselined findings: in every format, marked, and never counted as failing."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import xml.etree.ElementTree as ET
from datetime import date

from report_fixtures import source_finding
from report_render import rendered
from report_schemas import validate_junit, validate_sarif

from cmkguard.findings import ScanResult, Status, Suppression, SuppressionKind
from cmkguard.report import OutputFormat, RenderOptions

INLINE = Suppression(
    SuppressionKind.INLINE, ("aws-managed-key",), "legacy stack", date(2026, 12, 31), "main.tf", 11
)


def _result() -> ScanResult:
    suppressed = dataclasses.replace(
        source_finding(address="aws_sagemaker_notebook_instance.old"), suppressed=INLINE
    )
    baselined = dataclasses.replace(
        source_finding(Status.UNKNOWN, address="aws_sagemaker_notebook_instance.known"),
        baselined=True,
    )
    return ScanResult((suppressed, baselined, source_finding()))


def test_sarif_marks_suppressions_and_baseline() -> None:
    doc = validate_sarif(rendered(_result(), OutputFormat.SARIF))
    suppressed, baselined, counted = doc["runs"][0]["results"]
    assert suppressed["suppressions"] == [
        {
            "kind": "inSource",
            "status": "accepted",
            "justification": "legacy stack",
            "location": {
                "physicalLocation": {
                    "artifactLocation": {"uri": "main.tf", "uriBaseId": "SRCROOT"},
                    "region": {"startLine": 11},
                }
            },
            "properties": {"codes": ["aws-managed-key"], "source": "inline", "until": "2026-12-31"},
        }
    ]
    assert baselined["baselineState"] == "unchanged"
    assert "suppressions" not in counted


def test_junit_skips_them() -> None:
    text = rendered(_result(), OutputFormat.JUNIT)
    validate_junit(text)
    suite = ET.fromstring(text)[0]  # noqa: S314 - our own output, just rendered
    assert (suite.attrib["failures"], suite.attrib["errors"], suite.attrib["skipped"]) == (
        "1",
        "0",
        "2",
    )
    skipped = [case.find("skipped") for case in suite]
    assert skipped[0] is not None
    assert skipped[0].attrib["message"] == (
        "suppressed [aws-managed-key] at main.tf:11 until 2026-12-31: legacy stack"
    )
    assert skipped[1] is not None
    assert skipped[1].attrib["message"] == "baselined"
    assert skipped[2] is None


def test_markdown_lists_only_what_counts() -> None:
    text = rendered(_result(), OutputFormat.MARKDOWN)
    assert "notebook_instance.old" not in text
    assert "notebook_instance.known" not in text
    assert "2 suppressed or baselined FAIL/UNKNOWN not listed" in text


def test_csv_accepted_column() -> None:
    rows = list(csv.DictReader(io.StringIO(rendered(_result(), OutputFormat.CSV))))
    assert [r["accepted"] for r in rows] == [
        "suppressed [aws-managed-key] at main.tf:11 until 2026-12-31: legacy stack",
        "baselined",
        "",
    ]


def test_asff_workflow_and_html_counts() -> None:
    options = RenderOptions(aws_account="111122223333", aws_region="eu-west-1")
    asff = json.loads(rendered(_result(), OutputFormat.ASFF, options))
    assert [f["Workflow"]["Status"] for f in asff] == ["SUPPRESSED", "NEW", "NEW"]
    page = rendered(_result(), OutputFormat.HTML)
    assert '<strong id="count-suppressed">1</strong>' in page
    assert '<strong id="count-baselined">1</strong>' in page
    assert "FAIL (suppressed)" in page

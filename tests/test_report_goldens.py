"""Every report format on real findings from Terraform source (the bundled example) and a plan.

Each SARIF is validated against the SARIF 2.1.0 schema and each JUnit report against the
Jenkins XSD before it is compared with its golden file.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from report_goldens import GOLDEN_FORMATS, GOLDENS, catalogue_texts_elided, normalised
from report_render import rendered
from report_schemas import validate_junit, validate_sarif
from syrupy.assertion import SnapshotAssertion

from cmkguard.findings import ScanResult
from cmkguard.report import OutputFormat, RenderOptions
from cmkguard.scan import ScanOptions, scan_paths

ROOT = Path(__file__).parent.parent
EXAMPLE = ROOT / "examples" / "notebooks"
PLAN = ROOT / "tests" / "plans" / "create.plan.json"
ASFF_TARGET = RenderOptions(aws_account="111122223333", aws_region="eu-west-1")


def _report(result: ScanResult, fmt: OutputFormat) -> str:
    text = rendered(result, fmt, ASFF_TARGET)
    if fmt is OutputFormat.SARIF:
        validate_sarif(text)
        text = catalogue_texts_elided(text)
    if fmt is OutputFormat.JUNIT:
        validate_junit(text)
    return normalised(text, {str(ROOT): "@@ROOT@@"})


@pytest.fixture(scope="module")
def source_result() -> ScanResult:
    result = scan_paths((EXAMPLE,), ScanOptions(env={}))
    assert result.findings
    assert not result.errors
    return result


@pytest.fixture(scope="module")
def plan_result() -> ScanResult:
    # Scanned by its path relative to the repository, as a user in a checkout would: the HTML
    # chart shortens long inputs from the left, which would cut through the @@ROOT@@ prefix.
    with contextlib.chdir(ROOT):
        result = scan_paths((PLAN.relative_to(ROOT),), ScanOptions(env={}))
    assert result.findings
    return result


@pytest.mark.parametrize("fmt", GOLDEN_FORMATS, ids=str)
def test_source(fmt: OutputFormat, source_result: ScanResult, snapshot: SnapshotAssertion) -> None:
    assert _report(source_result, fmt) == snapshot.use_extension(GOLDENS[fmt])


@pytest.mark.parametrize("fmt", GOLDEN_FORMATS, ids=str)
def test_plan(fmt: OutputFormat, plan_result: ScanResult, snapshot: SnapshotAssertion) -> None:
    assert _report(plan_result, fmt) == snapshot.use_extension(GOLDENS[fmt])

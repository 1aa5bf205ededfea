"""Every report format on real live findings from moto, and ASFF imported into Security Hub.

The ASFF test is the format's acceptance test: the findings go through boto3's
``securityhub.batch_import_findings`` (botocore validates every field against the Security Hub
API model before sending) into moto's Security Hub, and are read back with ``get_findings``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from awsharness import DEFAULT_ACCOUNT, MotoStack
from report_goldens import GOLDEN_FORMATS, GOLDENS, catalogue_texts_elided, normalised
from report_render import rendered
from report_schemas import validate_junit, validate_sarif
from syrupy.assertion import SnapshotAssertion

from cmkguard.cli import main
from cmkguard.evidence import bundle_digest
from cmkguard.findings import ScanResult
from cmkguard.report import OutputFormat
from live.conftest import scan

_KEY_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _seed(aws: MotoStack) -> ScanResult:
    """A PASS, a FAIL for each of two reasons and an UNKNOWN (DescribeKey refused)."""
    good = aws.create_key()
    aws.create_notebook("good", good["Arn"])
    aws.create_notebook("plain")
    aws.create_notebook("managed", "alias/aws/sagemaker")
    refused = aws.create_key()
    aws.create_notebook("refused", refused["Arn"])
    aws.deny("DescribeKey", "kms", body_contains=refused["KeyId"])
    result = scan().result
    assert sorted(f.status.value for f in result.findings) == ["FAIL", "FAIL", "PASS", "UNKNOWN"]
    return result


def _keys_in_order(text: str) -> dict[str, str]:
    """Each random key ID -> ``@@KEY1@@`` ... in order of first appearance."""
    names: dict[str, str] = {}
    for key in _KEY_ID.findall(text):
        names.setdefault(key, f"@@KEY{len(names) + 1}@@")
    return names


@pytest.mark.parametrize("fmt", GOLDEN_FORMATS, ids=str)
def test_live_golden(fmt: OutputFormat, aws: MotoStack, snapshot: SnapshotAssertion) -> None:
    text = rendered(_seed(aws), fmt)
    if fmt is OutputFormat.SARIF:
        validate_sarif(text)
        text = catalogue_texts_elided(text)
    if fmt is OutputFormat.JUNIT:
        validate_junit(text)
    text = normalised(text, _keys_in_order(text))
    # ASFF finding IDs hash the notebook ARN, which holds no random part; the time is fixed.
    assert text == snapshot.use_extension(GOLDENS[fmt])


def test_asff_imports_into_security_hub(aws: MotoStack) -> None:
    result = _seed(aws)
    findings = json.loads(rendered(result, OutputFormat.ASFF))
    hub = aws.client("securityhub")
    answer = hub.batch_import_findings(Findings=findings)
    assert (answer["FailedCount"], answer["SuccessCount"]) == (0, 4)
    stored = {f["Resources"][0]["Id"]: f for f in hub.get_findings()["Findings"]}
    arn = f"arn:aws:sagemaker:us-east-1:{DEFAULT_ACCOUNT}:notebook-instance/"
    assert {
        name: stored[arn + name]["Compliance"]["Status"]
        for name in ("good", "plain", "managed", "refused")
    } == {
        "good": "PASSED",
        "plain": "FAILED",
        "managed": "FAILED",
        "refused": "NOT_AVAILABLE",
    }
    plain = stored[arn + "plain"]
    assert plain["Compliance"]["SecurityControlId"] == "SageMaker.21"
    assert plain["Resources"][0]["Type"] == "AwsSageMakerNotebookInstance"
    assert plain["AwsAccountId"] == DEFAULT_ACCOUNT
    assert plain["ProductArn"] == (
        f"arn:aws:securityhub:us-east-1:{DEFAULT_ACCOUNT}:product/{DEFAULT_ACCOUNT}/default"
    )
    assert plain["ProductFields"]["cmkguard/reasons"] == "missing"
    # Importing the next scan's report updates the same findings instead of adding new ones.
    hub.batch_import_findings(Findings=findings)
    assert len(hub.get_findings()["Findings"]) == 4


def test_html_report_shows_the_evidence_bundle_digest(
    aws: MotoStack, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    aws.create_notebook("plain")
    bundle, page = tmp_path / "bundle", tmp_path / "report.html"
    args = ["live", "--regions", "us-east-1", "--evidence", str(bundle), "--output"]
    assert main([*args, f"html={page}", "--format", "json"]) == 1
    digest = bundle_digest(bundle)
    assert f"sha256 of SHA256SUMS: {digest}" in capsys.readouterr().err
    assert f'<dd id="evidence-digest"><code>{digest}</code></dd>' in page.read_text("utf-8")

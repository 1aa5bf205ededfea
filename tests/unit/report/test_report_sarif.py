"""SARIF: valid against the vendored OASIS schema, in the shape GitHub code scanning reads."""

from __future__ import annotations

from typing import Any

from report_fixtures import LIVE_ARN, live_finding, source_finding
from report_render import HOSTILE, rendered
from report_schemas import validate_sarif

from cmkguard.catalogue.codes import Reason, WarningCode
from cmkguard.catalogue.entries import CATALOGUE
from cmkguard.catalogue.mappings import CONTROL_ID
from cmkguard.docs import sample_result
from cmkguard.errors import InputError
from cmkguard.findings import ChainKind, EvidenceChain, ScanResult, Status
from cmkguard.report import OutputFormat, RenderOptions
from cmkguard.values import Step


def _run(result: ScanResult, options: RenderOptions | None = None) -> Any:
    """The one run of the validated SARIF log (a JSON document, hence ``Any``)."""
    return validate_sarif(rendered(result, OutputFormat.SARIF, options))["runs"][0]


def _results(result: ScanResult, options: RenderOptions | None = None) -> list[Any]:
    results: list[Any] = _run(result, options)["results"]
    return results


def test_sample_is_valid_and_has_one_rule_per_reason_code() -> None:
    run = _run(sample_result())
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [r.value for r in Reason]
    for rule in rules:
        entry = CATALOGUE[Reason(rule["id"])]
        assert rule["shortDescription"]["text"] == entry.title
        assert rule["helpUri"].endswith(f"/reasons.md#{entry.anchor}")
        assert rule["help"]["text"]
        assert float(rule["properties"]["security-severity"]) > 0
        assert "security" in rule["properties"]["tags"]


def test_levels_and_one_result_per_reason() -> None:
    two_reasons = source_finding(reasons=(Reason.AWS_MANAGED_KEY, Reason.CROSS_REGION))
    results = _results(
        ScanResult((source_finding(Status.PASS), two_reasons, source_finding(Status.UNKNOWN)))
    )
    assert [(r["ruleId"], r["level"]) for r in results] == [
        ("aws-managed-key", "error"),
        ("cross-region", "error"),
        ("unresolved", "warning"),
    ]


def test_pass_only_on_request_as_kind_pass() -> None:
    result = ScanResult((source_finding(Status.PASS),))
    assert _results(result) == []
    (passed,) = _results(result, RenderOptions(include_pass=True))
    assert (passed["ruleId"], passed["level"], passed["kind"]) == (CONTROL_ID, "note", "pass")
    rules = _run(result, RenderOptions(include_pass=True))["tool"]["driver"]["rules"]
    assert rules[passed["ruleIndex"]]["id"] == CONTROL_ID


def test_physical_location_related_locations_and_base_id() -> None:
    finding = source_finding(
        file="infra dir/main.tf",
        evidence=(
            EvidenceChain(
                ChainKind.KEY,
                (
                    Step("kms_key_id", "infra dir/main.tf", 14),
                    Step("aws_kms_alias.a", "kms.tf", 3),
                    Step('"alias/aws/sagemaker"'),
                ),
            ),
        ),
    )
    run = _run(ScanResult((finding,)), RenderOptions(source_root="file:///work/repo/"))
    assert run["originalUriBaseIds"] == {
        "SRCROOT": {
            "uri": "file:///work/repo/",
            "description": {"text": "The directory cmkguard scanned."},
        }
    }
    (result,) = run["results"]
    physical = result["locations"][0]["physicalLocation"]
    assert physical == {
        "artifactLocation": {"uri": "infra%20dir/main.tf", "uriBaseId": "SRCROOT"},
        "region": {"startLine": 12},
    }
    related = result["relatedLocations"]
    assert [r["message"]["text"] for r in related] == [
        "key path: kms_key_id",
        "key path: aws_kms_alias.a",
        'key path: "alias/aws/sagemaker"',
    ]
    assert {r["properties"]["chain"] for r in related} == {"key"}
    assert related[1]["physicalLocation"]["region"] == {"startLine": 3}
    assert "physicalLocation" not in related[2]


def test_fingerprints_ignore_line_moves_and_tell_reasons_apart() -> None:
    def fingerprints(line: int) -> list[str]:
        finding = source_finding(line=line, reasons=(Reason.AWS_MANAGED_KEY, Reason.KEY_DISABLED))
        return [r["partialFingerprints"]["cmkguard/v1"] for r in _results(ScanResult((finding,)))]

    assert fingerprints(12) == fingerprints(40)
    assert len(set(fingerprints(12))) == 2
    other = source_finding(address="aws_sagemaker_notebook_instance.other")
    (moved,) = _results(ScanResult((other,)))
    assert (
        moved["partialFingerprints"]
        != _results(ScanResult((source_finding(),)))[0]["partialFingerprints"]
    )


def test_live_findings_have_a_logical_location_only() -> None:
    (result,) = _results(ScanResult((live_finding(Status.FAIL),)))
    assert result["locations"] == [
        {"logicalLocations": [{"fullyQualifiedName": LIVE_ARN, "kind": "resource"}]}
    ]


def test_run_metadata_and_input_errors() -> None:
    run = _run(ScanResult(errors=(InputError("broken/main.tf", 7, "unexpected '}'"),)))
    assert run["automationDetails"] == {"id": f"cmkguard/{CONTROL_ID}/"}
    driver = run["tool"]["driver"]
    assert driver["name"] == "cmkguard"
    assert driver["version"]
    (invocation,) = run["invocations"]
    assert invocation["executionSuccessful"] is False
    (note,) = invocation["toolExecutionNotifications"]
    assert note["message"]["text"] == "broken/main.tf:7: unexpected '}'"
    assert note["locations"][0]["physicalLocation"]["region"] == {"startLine": 7}


def test_hostile_text_stays_valid_json_and_warnings_are_properties() -> None:
    finding = source_finding(
        address=HOSTILE, message=HOSTILE, warnings=(WarningCode.KEY_ROTATION_DISABLED,)
    )
    (result,) = _results(ScanResult((finding,)))
    assert result["properties"]["address"] == HOSTILE
    assert result["properties"]["warnings"] == ["key-rotation-disabled"]

"""JUnit XML: valid against the Jenkins XSD; FAIL is a failure, UNKNOWN an error, errors count."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from report_fixtures import live_finding, one_of_each, source_finding
from report_render import HOSTILE, rendered
from report_schemas import validate_junit

from cmkguard.docs import sample_result
from cmkguard.errors import InputError
from cmkguard.findings import ScanResult, Status
from cmkguard.report import OutputFormat


def _junit(result: ScanResult) -> ET.Element:
    text = rendered(result, OutputFormat.JUNIT)
    validate_junit(text)
    return ET.fromstring(text)  # noqa: S314 - our own output, just rendered


def test_schema_check_is_real() -> None:
    with pytest.raises(AssertionError, match="name"):
        validate_junit('<testsuites><testsuite tests="1" failures="0" errors="0"/></testsuites>')


def test_one_case_per_notebook_with_counts() -> None:
    root = _junit(ScanResult(one_of_each()))
    assert root.attrib == {"name": "cmkguard", "tests": "3", "failures": "1", "errors": "1"}
    (suite,) = root
    assert suite.attrib["name"] == "cmkguard terraform"
    cases = suite.findall("testcase")
    assert [[child.tag for child in case] for case in cases] == [[], ["failure"], ["error"]]
    failure = cases[1].find("failure")
    assert failure is not None
    assert failure.attrib["type"] == "aws-managed-key"
    assert failure.attrib["message"].startswith("FAIL aws-managed-key: ")
    assert failure.text is not None
    assert "at main.tf:12" in failure.text
    assert 'kms_key_id is "alias/aws/sagemaker".' in failure.text


def test_suites_per_input_kind_and_input_errors_fail_the_run() -> None:
    result = ScanResult(
        (source_finding(Status.PASS), live_finding(Status.FAIL)),
        (InputError("broken/main.tf", 7, "unexpected '}'"),),
    )
    root = _junit(result)
    assert [s.attrib["name"] for s in root] == [
        "cmkguard terraform",
        "cmkguard live",
        "cmkguard input errors",
    ]
    assert root.attrib["errors"] == "1"
    live_case = root[1].find("testcase")
    assert live_case is not None
    assert live_case.attrib["classname"] == "111122223333.eu-west-1"
    error = root[2].find("testcase/error")
    assert error is not None
    assert error.attrib == {"message": "unexpected '}'", "type": "input-error"}


def test_hostile_names_stay_well_formed() -> None:
    root = _junit(ScanResult((source_finding(address=HOSTILE, message=HOSTILE + "\x00\x07"),)))
    case = root[0][0]
    assert case.attrib["name"].startswith('<script>alert("x")</script>')
    failure = case.find("failure")
    assert failure is not None
    assert failure.text is not None
    assert "\x00" not in failure.text


def test_sample_validates() -> None:
    _junit(sample_result())

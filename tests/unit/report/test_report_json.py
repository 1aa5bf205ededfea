"""The JSON contract: key order, types, live vs source locations, mappings, and the schema."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import jsonschema
from report_fixtures import LIVE_ARN, live_finding, one_of_each, source_finding

from cmkguard import __version__
from cmkguard.catalogue.codes import WarningCode
from cmkguard.catalogue.mappings import FRAMEWORK_LABEL, FRAMEWORK_REFERENCES, TOOL_MAPPINGS
from cmkguard.docs import sample_result
from cmkguard.errors import InputError
from cmkguard.findings import ChainKind, EvidenceChain, ScanResult, Status
from cmkguard.report import OutputFormat, render
from cmkguard.report.schema import SCHEMA
from cmkguard.values import Step

SCHEMA_FILE = Path(__file__).parents[3] / "docs" / "findings.schema.json"


def _json(result: ScanResult) -> Any:
    out = io.StringIO()
    render(result, OutputFormat.JSON, out, color=True)
    text = out.getvalue()
    assert text.endswith("}\n")
    return json.loads(text)


def _validate(document: Any) -> None:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(document)


def test_top_level_keys_in_contract_order() -> None:
    document = _json(ScanResult())
    assert list(document) == [
        "format_version",
        "tool",
        "findings",
        "errors",
        "unused_suppressions",
        "baseline_fixed",
        "summary",
    ]
    assert document["format_version"] == "1.1"
    assert document["tool"] == {"name": "cmkguard", "version": __version__}
    assert document["summary"] == {
        "total": 0,
        "passed": 0,
        "failed": 0,
        "unknown": 0,
        "errors": 0,
        "suppressed": 0,
        "baselined": 0,
    }
    _validate(document)


def test_source_finding_fields() -> None:
    finding = source_finding(
        warnings=(WarningCode.KEY_ROTATION_DISABLED,),
        evidence=(
            EvidenceChain(ChainKind.CONTEXT, (Step("plan: nb (create)", "plan.json", 3),)),
            EvidenceChain(
                ChainKind.KEY, (Step("kms_key_id", "main.tf", 12), Step('"alias/aws/sagemaker"'))
            ),
        ),
        notes=("n",),
    )
    (got,) = _json(ScanResult((finding,)))["findings"]
    assert list(got) == [
        "control",
        "address",
        "status",
        "reasons",
        "warnings",
        "message",
        "location",
        "region",
        "account",
        "input",
        "root_module",
        "evidence",
        "notes",
        "mappings",
        "suppression",
        "baselined",
    ]
    assert got["status"] == "FAIL"
    assert got["reasons"] == ["aws-managed-key"]
    assert got["warnings"] == ["key-rotation-disabled"]
    assert got["location"] == {"file": "main.tf", "line": 12}
    assert got["input"] == "terraform"
    assert got["evidence"] == [
        {"label": "plan: nb (create)", "file": "plan.json", "line": 3, "chain": "context"},
        {"label": "kms_key_id", "file": "main.tf", "line": 12, "chain": "key"},
        {"label": '"alias/aws/sagemaker"', "file": None, "line": None, "chain": "key"},
    ]
    assert got["notes"] == ["n"]


def test_live_finding_carries_arn_region_and_account() -> None:
    (got,) = _json(ScanResult((live_finding(Status.FAIL),)))["findings"]
    assert got["address"] == LIVE_ARN
    assert got["location"] == {"account": "111122223333", "region": "eu-west-1", "arn": LIVE_ARN}
    assert (got["region"], got["account"], got["input"]) == ("eu-west-1", "111122223333", "live")
    assert got["reasons"] == ["key-disabled"]


def test_mappings_are_labelled_as_published_for_the_presence_rule() -> None:
    (got,) = _json(ScanResult((source_finding(Status.PASS),)))["findings"]
    mappings = got["mappings"]
    identifiers = [tool["identifier"] for tool in mappings["tools"]]
    assert identifiers == [m.identifier for m in TOOL_MAPPINGS]
    assert {"CKV_AWS_22", "CKV_AWS_187", "SageMaker.21"} <= set(identifiers)
    assert mappings["frameworks"]["label"] == FRAMEWORK_LABEL == "published for the presence rule"
    assert len(mappings["frameworks"]["references"]) == len(FRAMEWORK_REFERENCES)


def test_errors_and_summary() -> None:
    result = ScanResult(
        one_of_each(),
        (InputError("broken.tf", 3, "unexpected '}'"), InputError("aws:eu-west-1", None, "denied")),
    )
    document = _json(result)
    assert document["errors"] == [
        {"file": "broken.tf", "line": 3, "message": "unexpected '}'"},
        {"file": "aws:eu-west-1", "line": None, "message": "denied"},
    ]
    assert document["summary"] == {
        "total": 3,
        "passed": 1,
        "failed": 1,
        "unknown": 1,
        "errors": 2,
        "suppressed": 0,
        "baselined": 0,
    }
    _validate(document)


def test_text_is_data_not_ascii_escaped_and_not_cleaned() -> None:
    finding = source_finding(address='aws_sagemaker_notebook_instance.nb["café"]', message="a\x1bb")
    out = io.StringIO()
    render(ScanResult((finding,)), OutputFormat.JSON, out, color=False)
    assert 'nb[\\"café\\"]' in out.getvalue()
    assert "\\u001b" in out.getvalue()
    (got,) = json.loads(out.getvalue())["findings"]
    assert got["message"] == "a\x1bb"


def test_every_kind_of_finding_validates_against_the_schema() -> None:
    _validate(_json(sample_result()))


def test_schema_file_is_the_schema_in_code() -> None:
    assert json.loads(SCHEMA_FILE.read_text(encoding="utf-8")) == SCHEMA


def test_schema_rejects_a_broken_document() -> None:
    document = _json(sample_result())
    document["findings"][0]["status"] = "MAYBE"
    try:
        _validate(document)
    except jsonschema.ValidationError:
        return
    raise AssertionError("a status outside PASS/FAIL/UNKNOWN validated")

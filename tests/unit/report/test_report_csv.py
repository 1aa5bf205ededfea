"""CSV: one row per finding, stable columns, no formula a spreadsheet would run."""

from __future__ import annotations

import csv
import io

import pytest
from report_fixtures import live_finding, one_of_each, source_finding
from report_render import rendered

from cmkguard.findings import ChainKind, EvidenceChain, ScanResult, Status
from cmkguard.report import OutputFormat
from cmkguard.report.csv import COLUMNS, defuse
from cmkguard.values import Step


def _rows(result: ScanResult) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(rendered(result, OutputFormat.CSV))))


def test_columns_are_stable() -> None:
    header = rendered(ScanResult(), OutputFormat.CSV)
    assert header == (
        "status,address,reasons,warnings,message,input,file,line,root_module,account,region,"
        "key,evidence,notes,control,accepted\n"
    )
    assert header.rstrip("\n").split(",") == [name for name, _ in COLUMNS]


def test_one_row_per_finding() -> None:
    key_path = (Step("kms_key_id", "main.tf", 14), Step("aws_kms_key.k", "kms.tf", 1))
    policy_path = (Step("aws_kms_key.k.policy", "kms.tf", 4),)
    finding = source_finding(
        evidence=(
            EvidenceChain(ChainKind.KEY, key_path),
            EvidenceChain(ChainKind.POLICY, policy_path),
        )
    )
    rows = _rows(ScanResult((*one_of_each(), finding, live_finding(Status.FAIL))))
    assert [r["status"] for r in rows] == ["PASS", "FAIL", "UNKNOWN", "FAIL", "FAIL"]
    assert rows[3]["key"] == "aws_kms_key.k"
    assert rows[3]["evidence"] == (
        "key path: kms_key_id (main.tf:14) → aws_kms_key.k (kms.tf:1); "
        "policy path: aws_kms_key.k.policy (kms.tf:4)"
    )
    assert (rows[3]["file"], rows[3]["line"]) == ("main.tf", "12")
    assert (rows[4]["file"], rows[4]["account"], rows[4]["region"]) == (
        "",
        "111122223333",
        "eu-west-1",
    )


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("aws_sagemaker_notebook_instance.nb", "aws_sagemaker_notebook_instance.nb"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_formula_injection_is_defused(cell: str, expected: str) -> None:
    assert defuse(cell) == expected


def test_hostile_address_and_message_are_defused_in_the_file() -> None:
    (row,) = _rows(
        ScanResult((source_finding(address='=cmd|"/C calc"!A0', message="@x", file="-f.tf"),))
    )
    assert row["address"] == '\'=cmd|"/C calc"!A0'
    assert row["message"] == "'@x"
    assert row["file"] == "'-f.tf"

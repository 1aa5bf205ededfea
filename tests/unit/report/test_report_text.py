"""The text report: grouping, verdict words, evidence chain, fix line, errors, summary, colour,
and hostile scanned text."""

from __future__ import annotations

import io

from report_fixtures import live_finding, one_of_each, source_finding

from cmkguard.catalogue.codes import Reason, WarningCode
from cmkguard.catalogue.entries import CATALOGUE
from cmkguard.errors import InputError
from cmkguard.findings import ChainKind, EvidenceChain, ScanResult, Status, Summary
from cmkguard.report import OutputFormat, render
from cmkguard.report.text import summary_line
from cmkguard.values import Step


def _text(result: ScanResult, *, color: bool = False) -> str:
    out = io.StringIO()
    render(result, OutputFormat.TEXT, out, color=color)
    return out.getvalue()


def test_finding_shows_where_what_verdict_reasons_evidence_and_one_fix() -> None:
    finding = source_finding(
        reasons=(Reason.AWS_MANAGED_KEY, Reason.CROSS_REGION),
        warnings=(WarningCode.KEY_ROTATION_DISABLED,),
        evidence=(
            EvidenceChain(
                ChainKind.KEY,
                (
                    Step("kms_key_id", "main.tf", 12),
                    Step("local.key", "locals.tf", 3),
                    Step('"alias/aws/sagemaker"'),
                ),
            ),
            EvidenceChain(ChainKind.POLICY, (Step("policy", "main.tf", 14),)),
        ),
        notes=("a statement allows under a condition",),
    )
    text = _text(ScanResult((finding,)))
    lines = text.splitlines()
    assert lines[0] == "main.tf"
    assert lines[1] == "  main.tf:12  aws_sagemaker_notebook_instance.nb  FAIL"
    assert f"reason aws-managed-key: {CATALOGUE[Reason.AWS_MANAGED_KEY].title}" in text
    assert f"reason cross-region: {CATALOGUE[Reason.CROSS_REGION].title}" in text
    assert 'kms_key_id is "alias/aws/sagemaker".' in text
    assert (
        '    key path: kms_key_id (main.tf:12) → local.key (locals.tf:3) → "alias/aws/sagemaker"\n'
        "    policy path: policy (main.tf:14)\n"
    ) in text
    assert (
        f"warning key-rotation-disabled: {CATALOGUE[WarningCode.KEY_ROTATION_DISABLED].title}"
        in text
    )
    assert "note: a statement allows under a condition" in text
    fixes = [line.strip() for line in lines if line.strip().startswith("fix:")]
    assert fixes == [f"fix: {CATALOGUE[Reason.AWS_MANAGED_KEY].fix}"]


def test_pass_has_no_fix_line() -> None:
    text = _text(ScanResult((source_finding(Status.PASS, message="customer managed key"),)))
    assert "PASS" in text
    assert "fix:" not in text
    assert "reason " not in text


def test_grouped_by_file_then_by_account_and_region_in_order_of_appearance() -> None:
    result = ScanResult(
        (
            source_finding(file="a.tf", line=1, address="aws_sagemaker_notebook_instance.one"),
            live_finding(),
            source_finding(file="b.tf", line=2, address="aws_sagemaker_notebook_instance.two"),
            source_finding(file="a.tf", line=9, address="aws_sagemaker_notebook_instance.three"),
        )
    )
    headings = [line for line in _text(result).splitlines() if line and not line.startswith(" ")]
    assert headings[:3] == ["a.tf", "account 111122223333, region eu-west-1", "b.tf"]


def test_live_finding_is_addressed_by_arn_without_file_line() -> None:
    text = _text(ScanResult((live_finding(Status.FAIL),)))
    assert "  arn:aws:sagemaker:eu-west-1:111122223333:notebook-instance/prod  FAIL" in text
    assert "key path: DescribeNotebookInstance prod → DescribeKey 1234abcd" in text


def test_errors_one_line_each_then_summary_last() -> None:
    result = ScanResult(
        one_of_each(),
        (InputError("broken.tf", 3, "unexpected '}'"), InputError("gone", None, "no such file")),
    )
    lines = _text(result).splitlines()
    assert "cmkguard: error: broken.tf:3: unexpected '}'" in lines
    assert "cmkguard: error: gone: no such file" in lines
    assert lines[-1] == "3 notebooks: 1 PASS, 1 FAIL, 1 UNKNOWN; 2 input errors"


def test_summary_line_wording() -> None:
    assert summary_line(Summary(1, 1, 0, 0, 0)) == "1 notebook: 1 PASS, 0 FAIL, 0 UNKNOWN"
    assert (
        summary_line(Summary(0, 0, 0, 0, 1))
        == "0 notebooks: 0 PASS, 0 FAIL, 0 UNKNOWN; 1 input error"
    )


def test_no_escape_codes_without_colour() -> None:
    result = ScanResult((source_finding(Status.PASS), source_finding(), live_finding()))
    assert "\x1b" not in _text(result, color=False)


def test_colour_marks_verdicts() -> None:
    text = _text(ScanResult(one_of_each()), color=True)
    assert "\x1b[1;32mPASS" in text
    assert "\x1b[1;31mFAIL" in text
    assert "\x1b[1;33mUNKNOWN" in text


HOSTILE = (
    "aws_sagemaker_notebook_instance.\x1b[2J\x1b[H\x1b]0;pwned\x07nb\x9b31m\u202e"
    "\n  main.tf:1  aws_sagemaker_notebook_instance.fake  PASS"
)


def test_hostile_scanned_text_cannot_paint_the_terminal_or_forge_a_line() -> None:
    finding = source_finding(
        address=HOSTILE,
        message="value [bold red]PASS[/] \x1b[32mlooks fine\x1b[0m :thumbs_up:",
        file="evil\x1b[31m.tf",
        evidence=(
            EvidenceChain(ChainKind.KEY, (Step("kms_key_id\x1b[8m hidden", "evil\x07.tf", 1),)),
        ),
        notes=("note\x1b[1A\x1b[2Kerased",),
    )
    error = InputError("bad\x1b[5m.tf", 2, "token \x1b]52;c;ZXZpbA==\x07 unexpected")
    result = ScanResult((finding,), (error,))
    coloured = _text(result, color=True)
    plain = _text(result, color=False)
    for text in (coloured, plain):
        for char in ("\x07", "\x9b", "\u202e", "\x00"):
            assert char not in text
    # With colour on, rich's own styles are the only escapes: none from the input survive.
    for sequence in ("\x1b[2J", "\x1b[H", "\x1b]", "\x1b[8m", "\x1b[1A", "\x1b[5m", "\x1b[31m"):
        assert sequence not in coloured
    assert "\x1b" not in plain
    # Rich markup and emoji codes in scanned text stay literal.
    assert "[bold red]PASS[/]" in plain
    assert ":thumbs_up:" in plain
    # The newline in the address did not start a line of its own.
    assert not any(line.startswith("  main.tf:1 ") for line in plain.splitlines())
    assert "cmkguard: error: bad.tf:2: token  unexpected" in plain

"""Markdown: counts, a table of what needs doing (cut past 50 rows), nothing injected."""

from __future__ import annotations

from report_fixtures import one_of_each, source_finding
from report_render import HOSTILE, rendered

from cmkguard.errors import InputError
from cmkguard.findings import ScanResult, Status
from cmkguard.report import OutputFormat, RenderOptions
from cmkguard.report.markdown import MAX_ROWS, code


def test_counts_and_only_failing_rows() -> None:
    text = rendered(ScanResult(one_of_each()), OutputFormat.MARKDOWN)
    assert "| 1 | 1 | 1 | 0 |" in text
    assert "❌ FAIL" in text
    assert "❔ UNKNOWN" in text
    assert "✅ PASS |" not in text.split("| status |", 1)[1]
    assert "<details><summary>Evidence and messages (2)</summary>" in text


def test_all_pass() -> None:
    text = rendered(ScanResult((source_finding(Status.PASS),)), OutputFormat.MARKDOWN)
    assert "| status |" not in text
    assert "Every notebook is encrypted" in text


def test_long_tables_are_cut_with_a_count() -> None:
    findings = tuple(
        source_finding(address=f"aws_sagemaker_notebook_instance.n{i}") for i in range(57)
    )
    text = rendered(ScanResult(findings), OutputFormat.MARKDOWN)
    table = text.split("<details>", 1)[0]
    assert table.count("| ❌ FAIL | `") == MAX_ROWS
    assert "…and 7 more not shown" in text
    assert "n49`" in table
    assert "n50`" not in table


def test_links_when_a_base_is_given() -> None:
    options = RenderOptions(link_base="https://github.com/o/r/blob/abc/")
    text = rendered(
        ScanResult((source_finding(file="a dir/main.tf"),)), OutputFormat.MARKDOWN, options
    )
    assert "[`a dir/main.tf:12`](https://github.com/o/r/blob/abc/a%20dir/main.tf#L12)" in text


def test_hostile_text_is_shown_not_interpreted() -> None:
    result = ScanResult(
        (source_finding(address=HOSTILE, message=HOSTILE),),
        (InputError("<img src=x>.tf", 1, "[x](javascript:y)"),),
    )
    text = rendered(result, OutputFormat.MARKDOWN)
    assert "<script>" not in text.replace("`<script>", "")  # only inside code spans
    assert "&lt;script&gt;" in text
    assert "<img" not in text
    assert "\\[x\\](javascript:y)" in text
    assert "\x1b" not in text
    assert "\u202e" not in text


def test_code_spans_hold_backticks_and_pipes() -> None:
    assert code("a`b") == "``a`b``"
    assert code("`a") == "`` `a ``"
    assert code("a|b") == "`a\\|b`"

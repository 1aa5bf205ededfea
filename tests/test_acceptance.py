"""Suppressions and baselines change exit statuses exactly as documented, never verdicts.

Each test scans real Terraform written to a temporary directory through the library.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from cmkguard import baseline
from cmkguard.acceptance import Acceptance
from cmkguard.findings import ScanResult, Status, Suppression, SuppressionKind
from cmkguard.scan import ScanOptions, scan_paths

TODAY = date(2026, 6, 1)

NOTEBOOK = """\
resource "aws_sagemaker_notebook_instance" "{name}" {{
  name          = "{name}"
  role_arn      = "arn:aws:iam::123456789012:role/nb"
  instance_type = "ml.t3.medium"
}}
"""


def notebook(name: str, comment: str = "") -> str:
    """A notebook with no kms_key_id (FAIL: missing), with ``comment`` on the line above."""
    return (comment + "\n" if comment else "") + NOTEBOOK.format(name=name)


def scan(tmp_path: Path, text: str, acceptance: Acceptance | None = None) -> ScanResult:
    (tmp_path / "main.tf").write_text(text, encoding="utf-8")
    options = ScanOptions(acceptance=acceptance or Acceptance(today=TODAY))
    return scan_paths([tmp_path], options)


def test_inline_suppression_keeps_the_finding_but_not_the_exit_status(tmp_path: Path) -> None:
    result = scan(
        tmp_path, notebook("a", '# cmkguard:ignore[missing] reason="sandbox" until=2026-06-01')
    )
    (finding,) = result.findings
    assert finding.status is Status.FAIL
    assert finding.suppressed is not None
    assert finding.suppressed.reason == "sandbox"
    assert finding.suppressed.where == "main.tf:1"
    assert result.summary.suppressed == 1
    assert result.exit_code() == 0


def test_an_expired_suppression_makes_the_finding_live_with_a_note(tmp_path: Path) -> None:
    result = scan(
        tmp_path, notebook("a", '# cmkguard:ignore[missing] reason="sandbox" until=2026-05-31')
    )
    (finding,) = result.findings
    assert finding.suppressed is None
    assert any("expired on 2026-05-31" in note for note in finding.notes)
    assert result.unused_suppressions == ()
    assert result.exit_code() == 1


def test_a_suppression_of_other_reasons_is_unused(tmp_path: Path) -> None:
    result = scan(tmp_path, notebook("a", '# cmkguard:ignore[cross-region] reason="x"'))
    assert result.findings[0].suppressed is None
    assert [s.codes for s in result.unused_suppressions] == [("cross-region",)]
    assert result.exit_code() == 1


def test_fail_on_unused_suppressions_makes_an_error_at_the_comment(tmp_path: Path) -> None:
    text = notebook("a", '# cmkguard:ignore[missing] reason="x"') + (
        '\n# cmkguard:ignore[empty] reason="left over from a deleted notebook"\n'
    )
    result = scan(tmp_path, text, Acceptance(today=TODAY, fail_on_unused=True))
    assert result.findings[0].suppressed is not None
    assert [(e.path, e.line) for e in result.errors] == [("main.tf", 8)]
    assert "unused suppression [empty]" in result.errors[0].message
    assert result.exit_code() == 2


def test_a_malformed_suppression_is_an_error_and_suppresses_nothing(tmp_path: Path) -> None:
    result = scan(
        tmp_path, notebook("a", "# cmkguard:ignore[missing]") + notebook("b", "# ordinary")
    )
    assert [f.status for f in result.findings] == [Status.FAIL, Status.FAIL]
    assert all(f.suppressed is None for f in result.findings)
    (error,) = result.errors
    assert (error.path, error.line) == ("main.tf", 1)
    assert "malformed suppression" in error.message
    assert result.exit_code() == 2


def test_fool_a_suppression_covers_only_its_own_block(tmp_path: Path) -> None:
    text = notebook("a", '# cmkguard:ignore[missing] reason="only a"') + "\n" + notebook("b")
    result = scan(tmp_path, text)
    assert [f.suppressed is not None for f in result.findings] == [True, False]
    assert result.exit_code() == 1


def test_fool_a_directive_inside_a_string_is_not_a_comment(tmp_path: Path) -> None:
    text = notebook("a").replace(
        'name          = "a"', 'name          = "# cmkguard:ignore[missing] reason=\\"x\\""'
    )
    result = scan(tmp_path, text)
    assert result.findings[0].suppressed is None
    assert result.exit_code() == 1


def test_fool_partial_cover_leaves_the_finding_live(tmp_path: Path) -> None:
    text = """\
# cmkguard:ignore[cross-region] reason="the key is replicated"
resource "aws_sagemaker_notebook_instance" "a" {
  name          = "a"
  role_arn      = "arn:aws:iam::123456789012:role/nb"
  instance_type = "ml.t3.medium"
  kms_key_id    = "arn:aws:kms:us-east-1:123456789012:alias/aws/sagemaker"
}
provider "aws" {
  region = "eu-west-1"
}
"""
    result = scan(tmp_path, text)
    (finding,) = result.findings
    assert {r.value for r in finding.reasons} >= {"cross-region", "aws-managed-key"}
    assert finding.suppressed is None
    assert any("covers cross-region but not" in note for note in finding.notes)
    assert result.unused_suppressions == ()
    assert result.exit_code() == 1


def test_checkov_skip_inside_the_block_is_honoured_and_a_missing_reason_flagged(
    tmp_path: Path,
) -> None:
    text = notebook("a").replace("{\n", "{\n  #checkov:skip=CKV_AWS_22\n", 1)
    result = scan(tmp_path, text)
    (finding,) = result.findings
    assert finding.suppressed is not None
    assert finding.suppressed.kind is SuppressionKind.CHECKOV
    assert finding.suppressed.reason is None
    assert any("gives no reason" in note for note in finding.notes)
    assert result.exit_code() == 0


def test_config_suppressions_match_address_globs(tmp_path: Path) -> None:
    entry = Suppression(
        SuppressionKind.CONFIG,
        ("missing",),
        "generated notebooks",
        None,
        "cmkguard.toml",
        None,
        "aws_sagemaker_notebook_instance.gen*",
    )
    stale = Suppression(
        SuppressionKind.CONFIG, ("missing",), "gone", None, "cmkguard.toml", None, "module.old.*"
    )
    text = notebook("gen1") + notebook("gen2") + notebook("hand")
    result = scan(tmp_path, text, Acceptance(today=TODAY, suppressions=(entry, stale)))
    assert [f.suppressed is not None for f in result.findings] == [True, True, False]
    assert result.unused_suppressions == (stale,)
    assert result.exit_code() == 1


def test_baseline_fails_only_on_new_findings_and_lists_fixed_ones(tmp_path: Path) -> None:
    first = scan(tmp_path, notebook("a") + notebook("b"))
    recorded = baseline.parse(baseline.dumps(baseline.entries(first.findings)).encode(), "b.json")
    assert isinstance(recorded, tuple)
    assert "line" not in baseline.dumps(recorded)

    # Lines move and b is fixed by deleting it: still green, b listed as fixed.
    later = scan(tmp_path, "\n\n" + notebook("a"), Acceptance(today=TODAY, baseline=recorded))
    assert [f.baselined for f in later.findings] == [True]
    assert [e.address for e in later.fixed] == ["aws_sagemaker_notebook_instance.b"]
    assert later.summary.baselined == 1
    assert later.exit_code() == 0

    # A new notebook fails the run; the baselined one still does not.
    grown = scan(
        tmp_path, notebook("a") + notebook("c"), Acceptance(today=TODAY, baseline=recorded)
    )
    assert [f.baselined for f in grown.findings] == [True, False]
    assert grown.exit_code() == 1


def test_fool_a_baselined_notebook_with_a_new_reason_is_new(tmp_path: Path) -> None:
    first = scan(tmp_path, notebook("a"))
    recorded = baseline.entries(first.findings)
    worse = notebook("a").replace(
        'instance_type = "ml.t3.medium"', 'instance_type = "ml.t3.medium"\n  kms_key_id = ""'
    )
    result = scan(tmp_path, worse, Acceptance(today=TODAY, baseline=recorded))
    assert [f.baselined for f in result.findings] == [False]
    assert result.exit_code() == 1


def test_fool_an_edited_baseline_fingerprint_hides_nothing(tmp_path: Path) -> None:
    first = scan(tmp_path, notebook("a"))
    text = baseline.dumps(baseline.entries(first.findings)).replace("sha256:", "sha256:0")
    recorded = baseline.parse(text.encode(), "b.json")
    assert isinstance(recorded, tuple)
    result = scan(tmp_path, notebook("a"), Acceptance(today=TODAY, baseline=recorded))
    assert result.exit_code() == 1


def test_a_broken_baseline_file_is_an_error_naming_it() -> None:
    problem = baseline.parse(b'{"format_version": "9", "findings": []}', "old.json")
    assert not isinstance(problem, tuple)
    assert problem.path == "old.json"
    assert "format_version" in problem.message
    problem = baseline.parse(b"{\n  nope", "bad.json")
    assert not isinstance(problem, tuple)
    assert problem.line == 2

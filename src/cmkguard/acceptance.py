"""Accepted exceptions applied to a judged result: suppressions and the baseline.

Runs after judging and never changes a verdict: it marks FAIL/UNKNOWN findings as suppressed or
baselined (reported, but not in the exit status) and collects what matched nothing. Inline
comments are per source tree (their ``file:line`` is relative to it); configuration entries and
the baseline are per run, over static and live findings alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path

from cmkguard import baseline, suppressions
from cmkguard.errors import InputError
from cmkguard.findings import BaselineEntry, Finding, ScanResult, Suppression
from cmkguard.sources.inputs import read_bytes


def utc_today() -> date:
    """Today in UTC: a suppression expires on the same day on every runner."""
    return datetime.now(UTC).date()


@dataclass(frozen=True, slots=True)
class Acceptance:
    """What a run accepts: suppressions from the configuration, a baseline, today's date."""

    today: date = field(default_factory=utc_today)
    """The date ``until=`` is compared with (a suppression holds through its last day)."""
    suppressions: tuple[Suppression, ...] = ()
    """Configuration ``[[suppressions]]`` entries (address globs)."""
    baseline: tuple[BaselineEntry, ...] | None = None
    """``--baseline`` entries; ``None`` when no baseline is used."""
    fail_on_unused: bool = False
    """``--fail-on-unused-suppressions``: an unused suppression is an error (exit status 2)."""


def accept_inline(result: ScanResult, root: Path, today: date) -> ScanResult:
    """Apply the suppression comments at the notebook blocks of one Terraform source tree
    (``root``: the scanned directory, or a scanned file's directory). Malformed comments become
    input errors at their line; the rest of the result stands."""
    files, problems = _read_suppressions(root, result.findings)
    marked, unused = suppressions.apply_inline(result.findings, files, today)
    return replace(
        result,
        findings=marked,
        errors=(*result.errors, *problems),
        unused_suppressions=(*result.unused_suppressions, *unused),
    )


def accept(result: ScanResult, acceptance: Acceptance) -> ScanResult:
    """Apply the run-wide acceptance to a judged result (static or live): configuration
    suppressions, then the baseline, then unused suppressions as errors if asked."""
    findings, unused = suppressions.apply_config(
        result.findings, acceptance.suppressions, acceptance.today
    )
    fixed: tuple[BaselineEntry, ...] = ()
    if acceptance.baseline is not None:
        findings, fixed = baseline.apply(findings, acceptance.baseline)
    unused = result.unused_suppressions + unused
    errors = result.errors
    if acceptance.fail_on_unused:
        errors += tuple(unused_error(s) for s in unused)
    return replace(
        result, findings=findings, errors=errors, unused_suppressions=unused, fixed=fixed
    )


def unused_error(suppression: Suppression) -> InputError:
    """``--fail-on-unused-suppressions``: the suppression as an input error at its place."""
    what = ", ".join(suppression.codes)
    target = f" for {suppression.address}" if suppression.address is not None else ""
    return InputError(
        suppression.file,
        suppression.line,
        f"unused suppression [{what}]{target}: it matches no FAIL or UNKNOWN finding; remove it",
    )


def _read_suppressions(
    root: Path, findings: Sequence[Finding]
) -> tuple[dict[str, suppressions.FileSuppressions], list[InputError]]:
    """The suppression comments of the files that hold notebooks (read again: the parser's
    tree does not keep comments)."""
    files: dict[str, suppressions.FileSuppressions] = {}
    problems: list[InputError] = []
    for file, blocks in sorted(suppressions.block_lines(findings).items()):
        data = read_bytes(root / file, file)
        if isinstance(data, InputError):
            continue  # the loader has already reported a file it could not read
        found = suppressions.read_file_suppressions(
            file, data.decode("utf-8", errors="replace"), blocks
        )
        files[file] = found
        problems.extend(found.errors)
    return files, problems

"""``codequality``: the GitLab Code Quality report, for the merge request widget.

GitLab reads a JSON array of issues, a subset of the Code Climate engine spec
(https://docs.gitlab.com/ci/testing/code_quality/#code-quality-report-format): ``description``,
``check_name``, ``fingerprint``, ``severity`` and ``location.path`` / ``location.lines.begin``.
One issue per reason of each FAIL/UNKNOWN finding no suppression or baseline accepts (GitLab has
no notion of an accepted issue; the JUnit report lists those as skipped). The fingerprint hashes
the finding's identity and the reason, never the line, so an issue survives a block moving.
Live findings have no file: their path is the notebook ARN.
"""

from __future__ import annotations

import json
from typing import TextIO

from cmkguard.catalogue.codes import Reason
from cmkguard.catalogue.entries import CATALOGUE
from cmkguard.findings import Finding, ScanResult, Status
from cmkguard.inventory import LiveLocation, SourceLocation
from cmkguard.records import Json
from cmkguard.report.fields import digest, identity
from cmkguard.report.options import RenderOptions

_SEVERITY = {Status.FAIL: "major", Status.UNKNOWN: "minor"}


def render(result: ScanResult, out: TextIO, options: RenderOptions) -> None:
    """Write the Code Quality issues of ``result`` to ``out``."""
    del options  # nothing in this format depends on the run
    issues: list[Json] = [
        _issue(finding, reason)
        for finding in result.findings
        if finding.live
        for reason in finding.reasons
    ]
    out.write(json.dumps(issues, ensure_ascii=False, indent=2))
    out.write("\n")


def _issue(finding: Finding, reason: Reason) -> dict[str, Json]:
    match finding.location:
        case SourceLocation(file=file, line=line):
            path, begin = file, line
        case LiveLocation(arn=arn):
            path, begin = arn, 1
    return {
        "type": "issue",
        "check_name": f"cmkguard/{reason.value}",
        "description": f"{finding.address}: {CATALOGUE[reason].title}",
        "categories": ["Security"],
        "severity": _SEVERITY[finding.status],
        "fingerprint": digest(identity(finding), reason.value),
        "location": {"path": path, "lines": {"begin": begin}},
    }

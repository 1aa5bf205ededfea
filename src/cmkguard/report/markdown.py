"""``markdown``: a pull-request comment or ``$GITHUB_STEP_SUMMARY`` (GitHub Flavored Markdown).

The counts, then a table of the FAIL and UNKNOWN notebooks (at most ``MAX_ROWS``; the rest
counted), then their evidence in a collapsed ``<details>`` block, then input errors. PASS
notebooks and suppressed or baselined ones are only counted: a comment is for what needs doing.

Scanned text is hostile here too: a name could close the table, open a link or inject HTML
into the comment. Every scanned string is escaped: HTML special characters become entities
and Markdown punctuation is backslash-escaped, so it shows as written. Catalogue texts are the
project's own Markdown and are used as they are.
"""

from __future__ import annotations

import html
import re
from typing import TextIO
from urllib.parse import quote

from cmkguard.catalogue.entries import CATALOGUE
from cmkguard.findings import Finding, ScanResult, Status
from cmkguard.inventory import LiveLocation, SourceLocation
from cmkguard.report.options import RenderOptions
from cmkguard.report.sanitize import clean_line
from cmkguard.report.text import summary_line

MAX_ROWS = 50
"""Rows of the table before it is cut (a GitHub comment holds at most 65,536 characters)."""

# Scanned text never starts a line here (it always follows a cell border or a list marker), so
# only the characters that act inside a line need escaping; ``<``, ``>`` and ``&`` become entities.
_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_\[\]|~])")
_ICON = {Status.FAIL: "❌", Status.UNKNOWN: "❔", Status.PASS: "✅"}


def render(result: ScanResult, out: TextIO, options: RenderOptions) -> None:
    """Write the Markdown summary of ``result`` to ``out``."""
    out.write("".join(_sections(result, options)))


def escape(text: str) -> str:
    """``text`` shown literally in Markdown, on one line."""
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", html.escape(clean_line(text), quote=False))


def code(text: str) -> str:
    """``text`` as a code span on one line: literal even if it holds backticks, HTML or ``|``."""
    text = clean_line(text).replace("|", "\\|")
    fence = "`" * (max((len(run) for run in re.findall("`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _sections(result: ScanResult, options: RenderOptions) -> list[str]:
    summary = result.summary
    out = [
        "## cmkguard: SageMaker notebook encryption\n\n",
        f"**{escape(summary_line(summary))}**\n\n",
        "| ✅ PASS | ❌ FAIL | ❔ UNKNOWN | input errors |\n|---:|---:|---:|---:|\n",
        f"| {summary.passed} | {summary.failed} | {summary.unknown} | {summary.errors} |\n",
    ]
    failing = [f for f in result.findings if f.live]
    accepted = sum(f.status is not Status.PASS and not f.live for f in result.findings)
    if failing:
        shown = failing[:MAX_ROWS]
        out.append("\n| status | notebook | where | reasons |\n|---|---|---|---|\n")
        out += [_row(f, options) for f in shown]
        if len(failing) > len(shown):
            out.append(
                f"\n…and {len(failing) - len(shown)} more not shown; "
                "see the full report (`--format text` or `--output html=FILE`).\n"
            )
        out.append(_evidence(shown))
    elif accepted:
        out.append("\nNothing to fix: every FAIL or UNKNOWN is suppressed or baselined.\n")
    elif result.findings:
        out.append("\nEvery notebook is encrypted with a customer managed key it can use.\n")
    if accepted:
        out.append(
            f"\n{accepted} suppressed or baselined FAIL/UNKNOWN not listed (see the full report).\n"
        )
    if result.errors:
        out.append("\n**Inputs that could not be read:**\n\n")
        out += [f"- {escape(str(error))}\n" for error in result.errors]
    return out


def _row(finding: Finding, options: RenderOptions) -> str:
    status = f"{_ICON[finding.status]} {finding.status.value}"
    reasons = "<br>".join(f"`{r.value}`: {CATALOGUE[r].title}" for r in finding.reasons)
    return f"| {status} | {code(finding.address)} | {_where(finding, options)} | {reasons} |\n"


def _where(finding: Finding, options: RenderOptions) -> str:
    match finding.location:
        case SourceLocation(file=file, line=line):
            label = code(f"{file}:{line}")
            if options.link_base is None:
                return label
            # Percent-encode the path so that a name cannot end the link or add a title.
            target = options.link_base + _url_path(file) + f"#L{line}"
            return f"[{label}]({target})"
        case LiveLocation(account=account, region=region):
            return code(f"{account} {region}")


def _url_path(path: str) -> str:
    return quote(path, safe="/")


def _evidence(findings: list[Finding]) -> str:
    out = [f"\n<details><summary>Evidence and messages ({len(findings)})</summary>\n\n"]
    for finding in findings:
        out.append(f"- {code(finding.address)}: {escape(finding.message)}\n")
        for chain in finding.evidence:
            steps = " → ".join(escape(str(step)) for step in chain.steps)
            out.append(f"  - {chain.kind.heading}: {steps}\n")
        out += [f"  - warning `{w.value}`: {CATALOGUE[w].title}\n" for w in finding.warnings]
        if finding.fix is not None:
            out.append(f"  - fix: {finding.fix}\n")
    out.append("\n</details>\n")
    return "".join(out)

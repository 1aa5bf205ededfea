"""The report formats' part of ``docs/output-formats.md`` and the full samples in
``docs/samples/``, generated from the renderers themselves.

Each format's section is its module docstring (the documentation lives beside the code, as
Bandit keeps it) followed by an excerpt of its output on the bundled example
(``examples/notebooks``); the whole output is in ``docs/samples/``. Called by ``docs.py``; the
scan reads the example from the repository, so this runs in a checkout only.
"""

from __future__ import annotations

import contextlib
import inspect
import io
import json
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType

from cmkguard.findings import ScanResult
from cmkguard.report import (
    DESCRIPTIONS,
    OutputFormat,
    RenderOptions,
    asff,
    html,
    junit,
    markdown,
    render,
    sarif,
)
from cmkguard.report import csv as csv_format

REPOSITORY = Path(__file__).resolve().parents[2]
EXAMPLE = "examples/notebooks"
"""The bundled example, relative to the repository root."""

SAMPLE_OPTIONS = RenderOptions(
    generated_at=datetime(2026, 1, 1, tzinfo=UTC),
    aws_account="111122223333",
    aws_region="eu-west-1",
    link_base="https://github.com/OWNER/REPO/blob/COMMIT/examples/notebooks/",
)
"""Fixed options, so the samples only change when the code does."""

_SAMPLES: dict[OutputFormat, tuple[str, ModuleType, str]] = {
    OutputFormat.SARIF: ("example.sarif", sarif, "json"),
    OutputFormat.JUNIT: ("example.junit.xml", junit, "xml"),
    OutputFormat.MARKDOWN: ("example.md", markdown, "markdown"),
    OutputFormat.HTML: ("example.html", html, "html"),
    OutputFormat.ASFF: ("example.asff.json", asff, "json"),
    OutputFormat.CSV: ("example.csv", csv_format, "csv"),
}
_EXCERPT_LINES = 40


def example_result() -> ScanResult:
    """The findings of the bundled example, scanned by its repository-relative path."""
    from cmkguard.scan import ScanOptions, scan_paths

    with contextlib.chdir(REPOSITORY):
        return scan_paths((Path(EXAMPLE),), ScanOptions(env={}))


def samples(result: ScanResult) -> dict[str, str]:
    """``docs/samples/<file>`` -> the whole report in each format."""
    return {
        f"docs/samples/{name}": _rendered(result, fmt) for fmt, (name, _, _) in _SAMPLES.items()
    }


def formats_section(result: ScanResult) -> str:
    """One section per format: what it is (its module docstring) and an excerpt of the sample."""
    out = [
        "\n## Several reports from one run\n\n",
        "`--format` picks the report on standard output; `--output FORMAT=FILE` (repeatable) "
        "writes more, e.g. `cmkguard scan . --output sarif=cmkguard.sarif --output "
        "junit=cmkguard.xml --output html=report.html`. All come from the same findings, so "
        "the exit status never depends on the formats chosen. A bare `--output FILE` (no "
        "format prefix) takes the `--format` report instead of standard output, as it always "
        "did. Samples below are from the bundled example (`examples/notebooks`); the whole "
        "reports are in [`samples/`](samples/).\n\n",
        "| format | for |\n|---|---|\n",
    ]
    out += [f"| `{f.value}` | {DESCRIPTIONS[f]} |\n" for f in OutputFormat]
    for fmt, (name, module, language) in _SAMPLES.items():
        doc = inspect.cleandoc(module.__doc__ or "")
        title, _, body = doc.partition("\n")
        out.append(f"\n## {fmt.value}\n\n{_markdown(title)}\n{_markdown(body)}\n")
        if fmt is OutputFormat.CSV:
            out.append("\n| column | holds |\n|---|---|\n")
            out += [f"| `{c}` | {meaning} |\n" for c, meaning in csv_format.COLUMNS]
        excerpt = _excerpt(fmt, _rendered(result, fmt))
        out.append(f"\nExcerpt ([whole sample](samples/{name})):\n\n```{language}\n{excerpt}```\n")
    return "".join(out)


def _markdown(rst: str) -> str:
    """Docstrings use reStructuredText literals (````x````); Markdown wants single backticks."""
    return rst.replace("``", "`")


def _rendered(result: ScanResult, fmt: OutputFormat) -> str:
    out = io.StringIO()
    render(result, fmt, out, options=SAMPLE_OPTIONS)
    return out.getvalue()


def _excerpt(fmt: OutputFormat, text: str) -> str:
    """A readable part: SARIF's first result and its rule, ASFF's first finding, the HTML
    summary and table, else the first lines."""
    if fmt is OutputFormat.SARIF:
        run = json.loads(text)["runs"][0]
        first = run["results"][0]
        rule = next(r for r in run["tool"]["driver"]["rules"] if r["id"] == first["ruleId"])
        rule = {k: v for k, v in rule.items() if k != "help"}
        shown = {"tool.driver.rules[]": rule, "results[0]": first}
        return json.dumps(shown, ensure_ascii=False, indent=2) + "\n"
    if fmt is OutputFormat.ASFF:
        return json.dumps(json.loads(text)[0], ensure_ascii=False, indent=2) + "\n"
    if fmt is OutputFormat.HTML:
        # The page's head is its style sheet and script; show what a reader sees first.
        text = text[text.index('<section id="summary"') :]
    lines = text.splitlines(keepends=True)
    if len(lines) <= _EXCERPT_LINES:
        return text
    return "".join(lines[:_EXCERPT_LINES]) + f"… ({len(lines) - _EXCERPT_LINES} more lines)\n"

"""Output formats. ``FORMATS`` is the one registry; renderers are pure and never decide.

To add a format: a member of ``OutputFormat``, a module with
``render(result, out, options: RenderOptions)``, and a ``case`` in ``_renderer`` (mypy's
``assert_never`` refuses to forget one). Every format is written from the same ``ScanResult``,
so the exit status never depends on which formats were chosen.

Each renderer's module is imported when its format is rendered, not with this registry: a scan
writes one or two formats, and importing all nine (rich among them) was a fifth of its start-up
(issue 13).
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import Protocol, TextIO, assert_never

from cmkguard.findings import ScanResult
from cmkguard.report.options import RenderOptions


class OutputFormat(StrEnum):
    """The ``--format`` and ``--output FORMAT=FILE`` choices."""

    TEXT = "text"
    JSON = "json"
    SARIF = "sarif"
    JUNIT = "junit"
    MARKDOWN = "markdown"
    HTML = "html"
    ASFF = "asff"
    CSV = "csv"
    CODEQUALITY = "codequality"


class Renderer(Protocol):
    """Writes a whole report of one scan to ``out``."""

    def __call__(self, result: ScanResult, out: TextIO, options: RenderOptions) -> None:
        """Render ``result``."""


def _text(result: ScanResult, out: TextIO, options: RenderOptions) -> None:
    from cmkguard.report import text

    text.render(result, out, color=options.color)


def _json(result: ScanResult, out: TextIO, options: RenderOptions) -> None:
    from cmkguard.report import json

    json.render(result, out)


def _sarif(result: ScanResult, out: TextIO, options: RenderOptions) -> None:
    from cmkguard.report import sarif

    sarif.render(result, out, options)


def _junit(result: ScanResult, out: TextIO, options: RenderOptions) -> None:
    from cmkguard.report import junit

    junit.render(result, out, options)


def _markdown(result: ScanResult, out: TextIO, options: RenderOptions) -> None:
    from cmkguard.report import markdown

    markdown.render(result, out, options)


def _html(result: ScanResult, out: TextIO, options: RenderOptions) -> None:
    from cmkguard.report import html

    html.render(result, out, options)


def _asff(result: ScanResult, out: TextIO, options: RenderOptions) -> None:
    from cmkguard.report import asff

    asff.render(result, out, options)


def _csv(result: ScanResult, out: TextIO, options: RenderOptions) -> None:
    from cmkguard.report import csv

    csv.render(result, out, options)


def _codequality(result: ScanResult, out: TextIO, options: RenderOptions) -> None:
    from cmkguard.report import codequality

    codequality.render(result, out, options)


def _renderer(fmt: OutputFormat) -> Renderer:
    match fmt:
        case OutputFormat.TEXT:
            return _text
        case OutputFormat.JSON:
            return _json
        case OutputFormat.SARIF:
            return _sarif
        case OutputFormat.JUNIT:
            return _junit
        case OutputFormat.MARKDOWN:
            return _markdown
        case OutputFormat.HTML:
            return _html
        case OutputFormat.ASFF:
            return _asff
        case OutputFormat.CSV:
            return _csv
        case OutputFormat.CODEQUALITY:
            return _codequality
        case _:
            assert_never(fmt)


FORMATS: Mapping[OutputFormat, Renderer] = MappingProxyType({f: _renderer(f) for f in OutputFormat})
"""Every output format and its renderer."""

DESCRIPTIONS: Mapping[OutputFormat, str] = MappingProxyType(
    {
        OutputFormat.TEXT: "for people at a terminal",
        OutputFormat.JSON: "the versioned JSON contract",
        OutputFormat.SARIF: "SARIF 2.1.0 for GitHub code scanning and IDEs",
        OutputFormat.JUNIT: "JUnit XML for CI test tabs (Jenkins, GitLab)",
        OutputFormat.MARKDOWN: "a pull-request comment or $GITHUB_STEP_SUMMARY",
        OutputFormat.HTML: "a self-contained audit report",
        OutputFormat.ASFF: "AWS Security Finding Format for Security Hub",
        OutputFormat.CSV: "one row per notebook for spreadsheets",
        OutputFormat.CODEQUALITY: "GitLab Code Quality issues for the merge request widget",
    }
)
"""One line per format, for ``--help`` and the docs."""


def render(
    result: ScanResult,
    fmt: OutputFormat,
    out: TextIO,
    *,
    color: bool = False,
    options: RenderOptions | None = None,
) -> None:
    """Write ``result`` to ``out`` in ``fmt``. ``color`` (text only) applies when no
    ``options`` are given."""
    FORMATS[fmt](result, out, options or RenderOptions(color=color))


__all__ = ["DESCRIPTIONS", "FORMATS", "OutputFormat", "RenderOptions", "Renderer", "render"]

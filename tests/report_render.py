"""Render a result to a string in one format, with a fixed clock."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import UTC, datetime

from cmkguard.findings import ScanResult
from cmkguard.report import OutputFormat, RenderOptions, render

FIXED_TIME = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
"""The ``generated_at`` of every rendered test report."""

HOSTILE = '<script>alert("x")</script>|=cmd|`](javascript:x)\x1b[31m\u202e'
"""A name carrying HTML, Markdown, a CSV formula, an ANSI escape and a bidi override."""


def rendered(result: ScanResult, fmt: OutputFormat, options: RenderOptions | None = None) -> str:
    """``result`` rendered in ``fmt``; the time is ``FIXED_TIME`` unless ``options`` set one."""
    options = options or RenderOptions()
    if options.generated_at is None:
        options = replace(options, generated_at=FIXED_TIME)
    out = io.StringIO()
    render(result, fmt, out, options=options)
    return out.getvalue()

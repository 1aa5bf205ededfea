"""Output formats. ``FORMATS`` is the one registry; renderers are pure and never decide.

To add a format: a member of ``OutputFormat``, a module with ``render(result, out, *, color)``,
and a ``case`` in ``_renderer`` (mypy's ``assert_never`` refuses to forget one).
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import Protocol, TextIO, assert_never

from cmkguard.findings import ScanResult
from cmkguard.report import json as json_format
from cmkguard.report import text as text_format


class OutputFormat(StrEnum):
    """The ``--format`` choices."""

    TEXT = "text"
    JSON = "json"


class Renderer(Protocol):
    """Writes a whole report of one scan to ``out``."""

    def __call__(self, result: ScanResult, out: TextIO, *, color: bool) -> None:
        """Render ``result``; ``color`` allows ANSI styling where the format has any."""


def _renderer(fmt: OutputFormat) -> Renderer:
    match fmt:
        case OutputFormat.TEXT:
            return text_format.render
        case OutputFormat.JSON:
            return json_format.render
        case _:
            assert_never(fmt)


FORMATS: Mapping[OutputFormat, Renderer] = MappingProxyType({f: _renderer(f) for f in OutputFormat})
"""Every output format and its renderer."""


def render(result: ScanResult, fmt: OutputFormat, out: TextIO, *, color: bool) -> None:
    """Write ``result`` to ``out`` in ``fmt``. ``color`` is honoured only by the text format."""
    FORMATS[fmt](result, out, color=color)


__all__ = ["FORMATS", "OutputFormat", "Renderer", "render"]

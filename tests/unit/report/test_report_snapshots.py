"""Golden output shapes (tests/snapshots/): the text report without colour and the JSON document.

Verdict logic is asserted by tests/cases; these pin only how a result looks. The tool version is
normalised so that a release does not rewrite every golden. Update with
``pytest tests/unit/report/test_report_snapshots.py --snapshot-update``.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from syrupy.assertion import SnapshotAssertion
from syrupy.extensions.single_file import SingleFileSnapshotExtension, WriteMode
from syrupy.location import PyTestLocation

from cmkguard import __version__
from cmkguard.docs import sample_result
from cmkguard.findings import ScanResult
from cmkguard.report import OutputFormat, render

SNAPSHOTS = Path(__file__).parents[2] / "snapshots"


class _Golden(SingleFileSnapshotExtension):
    """One readable text file per snapshot, under tests/snapshots/<test module>/."""

    _write_mode = WriteMode.TEXT

    @classmethod
    def dirname(cls, *, test_location: PyTestLocation) -> str:
        return str(SNAPSHOTS / test_location.basename)


class _TextGolden(_Golden):
    file_extension = "txt"


class _JsonGolden(_Golden):
    file_extension = "json"


def _render(result: ScanResult, fmt: OutputFormat) -> str:
    out = io.StringIO()
    render(result, fmt, out, color=False)
    return out.getvalue().replace(f'"version": "{__version__}"', '"version": "@@VERSION@@"')


@pytest.fixture
def text_golden(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    return snapshot.use_extension(_TextGolden)


@pytest.fixture
def json_golden(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    return snapshot.use_extension(_JsonGolden)


def test_text_report(text_golden: SnapshotAssertion) -> None:
    assert _render(sample_result(), OutputFormat.TEXT) == text_golden


def test_text_report_empty(text_golden: SnapshotAssertion) -> None:
    assert _render(ScanResult(), OutputFormat.TEXT) == text_golden


def test_json_report(json_golden: SnapshotAssertion) -> None:
    assert _render(sample_result(), OutputFormat.JSON) == json_golden

"""Helpers for the ``cmkguard fix`` tests: small trees written per test, and the CLI in-process."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from fix_trees import Run
from syrupy.assertion import SnapshotAssertion
from syrupy.extensions.single_file import SingleFileSnapshotExtension, WriteMode
from syrupy.location import PyTestLocation

from cmkguard import cli

SNAPSHOTS = Path(__file__).parents[2] / "snapshots"


@pytest.fixture
def fix(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Callable[..., Run]:
    """``fix(*args)`` runs ``cmkguard fix ARGS`` in-process and returns a ``Run``."""
    for name in ("AWS_REGION", "AWS_DEFAULT_REGION", "TF_WORKSPACE"):
        monkeypatch.delenv(name, raising=False)

    def run(*args: str) -> Run:
        status = cli.main(["fix", *args])
        captured = capsys.readouterr()
        return Run(status, captured.out, captured.err)

    return run


class _DiffGolden(SingleFileSnapshotExtension):
    """One readable ``.diff`` file per snapshot, under tests/snapshots/<test module>/."""

    _write_mode = WriteMode.TEXT
    file_extension = "diff"

    @classmethod
    def dirname(cls, *, test_location: PyTestLocation) -> str:
        return str(SNAPSHOTS / test_location.basename)


@pytest.fixture
def golden(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    """A diff golden (update with ``pytest tests/unit/fix --snapshot-update``)."""
    return snapshot.use_extension(_DiffGolden)

"""A cloud assembly's ``manifest.json`` is read as hostile input: only a regular file, within the
JSON size limit, nesting bounded; otherwise its templates are still scanned without it."""

from __future__ import annotations

import os
from pathlib import Path

from cmkguard.sources.cloudformation.discovery import cdk_stacks


def test_a_fifo_manifest_does_not_block(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "manifest.json")
    assert cdk_stacks(tmp_path) == {}


def test_a_deeply_nested_manifest_is_ignored(tmp_path: Path) -> None:
    (tmp_path / "manifest.json").write_bytes(b"[" * 100_000 + b"]" * 100_000)
    assert cdk_stacks(tmp_path) == {}

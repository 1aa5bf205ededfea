"""The library entry points: scan Terraform source, plans/state, and live accounts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cmkguard.findings import ScanResult
from cmkguard.settings import Settings


@dataclass(frozen=True, slots=True)
class ScanOptions:
    """Inputs to a static scan besides the paths."""

    var_files: tuple[Path, ...] = ()
    """``--var-file`` in the order given."""
    variables: tuple[tuple[str, str], ...] = ()
    """``--var NAME=VALUE`` in the order given (values parsed as Terraform does)."""
    env: Mapping[str, str] = field(default_factory=dict)
    """The environment, for ``TF_VAR_name``."""
    settings: Settings = field(default_factory=Settings)
    """How strictly to judge."""


def scan_paths(paths: Sequence[Path], options: ScanOptions) -> ScanResult:
    """Scan directories and files: Terraform source trees, ``.tf``/``.tf.json`` files, and
    ``terraform show -json`` plan/state files (detected by content)."""
    raise NotImplementedError

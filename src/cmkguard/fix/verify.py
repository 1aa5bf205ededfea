"""Checking a proposal before it is offered: re-scan in memory, and ``terraform fmt -check``.

The re-scan reads the edited texts from an overlay instead of the disk (nothing is written),
with the same variables, environment and settings as the scan. ``terraform fmt`` is run only
when Terraform is installed; it reads the text on standard input and never sees the tree.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path

from cmkguard.findings import ScanResult
from cmkguard.scan import ScanOptions, judged
from cmkguard.sources.terraform.source import TerraformSource

__all__ = ["FMT_TIMEOUT_SECONDS", "fmt_accepts", "rescanned"]

FMT_TIMEOUT_SECONDS = 60
"""How long ``terraform fmt`` may take on one file."""


def rescanned(target: Path, options: ScanOptions, overlay: Mapping[Path, str]) -> ScanResult:
    """The verdicts on ``target`` with the files of ``overlay`` (absolute paths) replaced by, or
    added as, the given texts. Suppressions and the baseline are not applied: a fix must make
    the notebook PASS, not merely accepted."""
    encoded = {path: text.encode("utf-8") for path, text in overlay.items()}
    loaded = TerraformSource(target.absolute(), options.request(), encoded).load()
    return judged(loaded, options.settings)


def fmt_accepts(text: str) -> bool | None:
    """Whether ``terraform fmt -check`` accepts ``text``; ``None`` when Terraform is not
    installed (the check is then skipped, and the docs say so)."""
    executable = shutil.which("terraform")
    if executable is None:
        return None
    try:
        # The text goes to fmt's standard input; nothing of the scanned tree is run.
        done = subprocess.run(  # noqa: S603 - fixed argument list, no shell
            [executable, "fmt", "-check", "-no-color", "-"],
            input=text.encode("utf-8"),
            capture_output=True,
            timeout=FMT_TIMEOUT_SECONDS,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.returncode == 0

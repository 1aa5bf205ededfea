"""cmkguard: prove every SageMaker notebook instance is encrypted with a customer managed KMS
key.

The library API: ``scan_paths`` (Terraform source trees and plan/state files), ``scan_plan``,
``scan_terraform``, ``scan_live`` (live AWS accounts), and their options and results. Each is
imported on first use (PEP 562), so ``import cmkguard`` (as ``cmkguard --help`` does for
``__version__``) loads neither the HCL parser nor boto3.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

__version__ = "0.1.0"

if TYPE_CHECKING:
    from cmkguard.findings import Finding, ScanResult, Status
    from cmkguard.live import LiveOptions, LiveScan, scan_live
    from cmkguard.scan import ScanOptions, VarArg, VarFile, scan_paths, scan_plan, scan_terraform
    from cmkguard.settings import Settings

__all__ = [
    "Finding",
    "LiveOptions",
    "LiveScan",
    "ScanOptions",
    "ScanResult",
    "Settings",
    "Status",
    "VarArg",
    "VarFile",
    "__version__",
    "scan_live",
    "scan_paths",
    "scan_plan",
    "scan_terraform",
]

_LAZY: dict[str, str] = {
    "Finding": "cmkguard.findings",
    "ScanResult": "cmkguard.findings",
    "Status": "cmkguard.findings",
    "LiveOptions": "cmkguard.live",
    "LiveScan": "cmkguard.live",
    "scan_live": "cmkguard.live",
    "ScanOptions": "cmkguard.scan",
    "VarArg": "cmkguard.scan",
    "VarFile": "cmkguard.scan",
    "scan_paths": "cmkguard.scan",
    "scan_plan": "cmkguard.scan",
    "scan_terraform": "cmkguard.scan",
    "Settings": "cmkguard.settings",
}
"""Public name -> the module that defines it, imported when the name is first used."""


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})

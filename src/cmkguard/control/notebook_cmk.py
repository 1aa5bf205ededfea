"""The verdict for one notebook: run every check, collect every reason, PASS only at the end."""

from __future__ import annotations

from collections.abc import Iterable

from cmkguard.findings import Finding, InputKind
from cmkguard.inventory import Inventory, Notebook
from cmkguard.settings import Settings


def evaluate(notebook: Notebook, settings: Settings, kind: InputKind) -> Finding:
    """Judge one notebook. Pure: no I/O."""
    raise NotImplementedError  # filled in by the control work


def judge(inventory: Inventory, settings: Settings, kind: InputKind) -> tuple[Finding, ...]:
    """Judge every notebook of an inventory, in order."""
    return tuple(evaluate(nb, settings, kind) for nb in _notebooks(inventory))


def _notebooks(inventory: Inventory) -> Iterable[Notebook]:
    return inventory.notebooks

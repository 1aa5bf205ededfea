"""The dependency direction of style.md, checked by walking every module's imports.

cli → {report, evidence} → control → {keypolicy, sources} → {inventory, values, ...}; only
``sources/`` may import boto3, botocore or tree-sitter. ``catalogue/`` (codes, texts, mappings) is
data below the judge: findings, reports, evidence and docs read it, never ``control/``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).parent.parent / "src" / "cmkguard"
THIRD_PARTY_IO = ("boto3", "botocore", "tree_sitter", "tree_sitter_hcl", "mypy_boto3", "cfnlint")

# package -> first-party packages it must never import
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "sources": (
        "control",
        "findings",
        "report",
        "evidence",
        "cli",
        "live",
        "scan",
        "keypolicy",
        "docs",
    ),
    "keypolicy": ("sources", "control", "report", "evidence", "cli", "live", "scan"),
    "control": ("sources", "report", "evidence", "cli", "live", "scan"),
    "report": ("sources", "control", "evidence", "cli", "live", "scan"),
    "evidence": ("sources", "control", "cli", "scan"),
    "docs": ("sources", "control"),
    "findings": ("sources", "keypolicy", "control", "report", "evidence", "cli", "live", "scan"),
    "catalogue": (
        "sources",
        "keypolicy",
        "control",
        "report",
        "evidence",
        "findings",
        "inventory",
        "cli",
        "live",
        "scan",
    ),
    "values": ("sources", "keypolicy", "control", "report", "evidence", "cli", "live", "scan"),
    "inventory": ("sources", "keypolicy", "control", "report", "evidence", "cli", "live", "scan"),
}

MODULES = sorted(SRC.rglob("*.py"))


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def _package(path: Path) -> str:
    return path.relative_to(SRC).parts[0].removesuffix(".py")


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(SRC)))
def test_layers(path: Path) -> None:
    package = _package(path)
    imports = _imports(path)
    if package != "sources":
        io = sorted(i for i in imports if i.split(".")[0] in THIRD_PARTY_IO)
        assert not io, f"{path.name} imports {io}: only sources/ may"
    banned = FORBIDDEN.get(package, ())
    wrong = sorted(i for i in imports if i.startswith("cmkguard.") and i.split(".")[1] in banned)
    assert not wrong, f"{package} must not import {wrong}"

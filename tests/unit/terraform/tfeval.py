"""Helpers for the Terraform evaluator and builder unit tests: real files in a temporary tree."""

from __future__ import annotations

import textwrap
from pathlib import Path

from cmkguard.errors import InputError
from cmkguard.inventory import Inventory, Notebook
from cmkguard.sources.terraform import hcl
from cmkguard.sources.terraform.build import InventoryBuilder
from cmkguard.sources.terraform.discovery import SourceTree
from cmkguard.sources.terraform.expressions import Evaluator
from cmkguard.sources.terraform.loader import load_terraform
from cmkguard.sources.terraform.modules import ModuleInstance, Scope
from cmkguard.sources.terraform.policy_document import policy_document
from cmkguard.sources.terraform.variables import VariableInputs, root_assignments
from cmkguard.values import Data, Value


def write(root: Path, files: dict[str, str]) -> None:
    """Write ``files`` (relative path to dedented text) under ``root``."""
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))


def evaluator(root: Path, files: dict[str, str], inputs: VariableInputs | None = None) -> Evaluator:
    """An evaluator for the root module made of ``files``."""
    write(root, files)
    tree = SourceTree(root)
    errors: list[InputError] = []
    assignments = root_assignments(tree, ".", inputs or VariableInputs(), errors)
    module = ModuleInstance("", tree.config("."), ".")
    return Evaluator(tree, module, assignments, policy_document)


def evaluate(
    root: Path, text: str, files: dict[str, str] | None = None, inputs: VariableInputs | None = None
) -> tuple[Value[Data], Evaluator]:
    """Evaluate the expression ``text`` in the root module made of ``files``."""
    ev = evaluator(root, files or {"main.tf": ""}, inputs)
    expr, errors = hcl.parse_expression(text, "expr.tf")
    assert expr is not None, errors
    return ev.value(expr, Scope(ev.root, "expr.tf")), ev


def builder(root: Path, files: dict[str, str]) -> InventoryBuilder:
    """An inventory builder for the root module made of ``files``."""
    return InventoryBuilder(evaluator(root, files))


def notebooks(
    root: Path, files: dict[str, str], inputs: VariableInputs | None = None
) -> tuple[dict[str, Notebook], list[InputError]]:
    """The notebooks ``load_terraform`` finds in ``files``, by address."""
    write(root, files)
    inventory, errors, _ = load_terraform([root], inputs or VariableInputs())
    assert isinstance(inventory, Inventory)
    return {nb.address: nb for nb in inventory.notebooks}, errors

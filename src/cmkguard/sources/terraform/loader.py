"""The Terraform source entry point: a tree of ``.tf``/``.tf.json`` files to an ``Inventory``.

Every root module (a directory no other scanned module calls) whose module tree contains a
notebook is evaluated, with the root variable values from ``VariableInputs``. A file argument
means its directory is the module, evaluated as a root, and only notebooks that file declares
(itself or through a module call written in it) are reported. Paths in locations and errors are
relative to the scanned argument (a file's directory), ``/``-separated.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from cmkguard.deadline import Deadline
from cmkguard.echo import bounded
from cmkguard.errors import InputError
from cmkguard.inventory import Inventory, Notebook
from cmkguard.sources.terraform.build import InventoryBuilder
from cmkguard.sources.terraform.config import SUFFIXES
from cmkguard.sources.terraform.discovery import SourceTree
from cmkguard.sources.terraform.environment import TerraformEnvironment
from cmkguard.sources.terraform.expressions import Evaluator
from cmkguard.sources.terraform.module_download import ModuleDownloader
from cmkguard.sources.terraform.modules import ModuleInstance
from cmkguard.sources.terraform.policy_document import policy_document
from cmkguard.sources.terraform.variables import VariableInputs, root_assignments
from cmkguard.subject import NOTEBOOK_TYPE
from cmkguard.tfinputs import VarArg

__all__ = ["TerraformEnvironment", "VariableInputs", "load_terraform"]

_NAMED_ROOTS = 10
"""Root modules named in the error of a scan cut short by ``--timeout``."""


def load_terraform(
    paths: Sequence[Path],
    inputs: VariableInputs,
    environment: TerraformEnvironment | None = None,
    overlay: Mapping[Path, bytes] | None = None,
) -> tuple[Inventory, list[InputError], tuple[str, ...]]:
    """Load the notebooks of Terraform source trees (directories) and files, following every
    reference their key settings make; ``environment`` gives the workspace and default region.
    ``overlay`` gives files (absolute paths) whose text replaces, or adds to, what is on disk:
    ``cmkguard fix`` re-scans its proposals so, without writing anything.
    Never raises on bad input: problems are ``InputError``s. Also returns warnings that change
    no verdict (a ``--var`` that no root module declares)."""
    notebooks: list[Notebook] = []
    errors: list[InputError] = []
    declared: set[str] = set()
    for path in paths:
        found, problems = _load_path(
            path, inputs, environment or TerraformEnvironment(), declared, overlay or {}
        )
        notebooks.extend(found)
        errors.extend(problems)
    return Inventory(tuple(notebooks)), errors, _undeclared_vars(inputs, declared)


def _undeclared_vars(inputs: VariableInputs, declared: set[str]) -> tuple[str, ...]:
    # Terraform refuses such a --var; a warning here, not an error, because the scan does not
    # know which root module the user meant it for and the value changes no verdict.
    given = dict.fromkeys(v.name for v in inputs.command_line if isinstance(v, VarArg))
    return tuple(
        f'--var {name}: no root module declares variable "{name}"; the value is not used'
        for name in given
        if name not in declared
    )


def _load_path(
    path: Path,
    inputs: VariableInputs,
    environment: TerraformEnvironment,
    declared: set[str],
    overlay: Mapping[Path, bytes],
) -> tuple[list[Notebook], list[InputError]]:
    """The notebooks of one argument; adds the variables its root modules declare to
    ``declared``."""
    modules = environment.modules
    downloader = ModuleDownloader(modules) if modules is not None else None
    if path.is_file() and path.name.endswith(SUFFIXES):
        tree = SourceTree(path.parent, _relative(overlay, path.parent), downloader)
        roots = ["."]
        only: str | None = path.name
    elif path.is_dir():
        tree = SourceTree(path, _relative(overlay, path), downloader)
        roots = tree.roots(tree.module_dirs(), NOTEBOOK_TYPE.encode())
        only = None
    else:
        return [], [
            InputError(str(path), None, "not a directory or a .tf/.tf.json/.tofu/.tofu.json file")
        ]
    notebooks: list[Notebook] = []
    errors: list[InputError] = []
    not_judged: list[str] = []
    for root_dir in roots:
        if environment.deadline.passed():
            not_judged.append(root_dir)
            continue
        tree.report_unread_remote_calls(root_dir)
        if not tree.reaches(root_dir, root_dir, NOTEBOOK_TYPE.encode()):
            continue
        declared.update(tree.config(root_dir).variables)
        try:
            found, problems = _load_root(tree, root_dir, only, inputs, environment)
        except Exception as error:
            # A bug in our evaluator on one root module would otherwise end the whole scan and
            # lose every other root's findings: that root alone becomes an error (exit 2).
            problems = [_internal_error(root_dir, error)]
            found = []
        notebooks.extend(found)
        errors.extend(problems)
    if not_judged:
        errors.append(_timed_out(path, not_judged, environment.deadline))
    return notebooks, [*tree.errors, *errors]


def _timed_out(path: Path, not_judged: Sequence[str], deadline: Deadline) -> InputError:
    # One line, not one per root: a tree of 10,000 root modules must not flood the log. The
    # notebooks of these roots are not reported at all, so the error (exit 2) is what keeps
    # the gate from passing.
    shown = ", ".join(bounded(root, 100) for root in not_judged[:_NAMED_ROOTS])
    more = len(not_judged) - _NAMED_ROOTS
    if more > 0:
        shown += f" and {more} more"
    return InputError(
        str(path),
        None,
        f"scan incomplete: {deadline.reason}; {len(not_judged)} root modules not judged: {shown}",
    )


def _relative(overlay: Mapping[Path, bytes], root: Path) -> dict[str, bytes]:
    """The overlay's files under ``root``, by ``/``-separated root-relative path."""
    found: dict[str, bytes] = {}
    for path, data in overlay.items():
        if path.is_relative_to(root):
            found[path.relative_to(root).as_posix()] = data
    return found


def _load_root(
    tree: SourceTree,
    root_dir: str,
    only: str | None,
    inputs: VariableInputs,
    environment: TerraformEnvironment,
) -> tuple[list[Notebook], list[InputError]]:
    """The notebooks of one root module (only those declared in the file ``only``, if given)."""
    errors: list[InputError] = []
    root = ModuleInstance("", tree.config(root_dir), root_dir)
    assignments = root_assignments(tree, root_dir, inputs, errors)
    evaluator = Evaluator(tree, root, assignments, policy_document, environment)
    builder = InventoryBuilder(evaluator)
    notebooks = [
        replace(notebook, root_module=root_dir)
        for notebook, anchor in builder.notebooks()
        if only is None or anchor == only
    ]
    if evaluator.timed_out:
        # Its notebooks are reported, those left undecided UNKNOWN naming the timeout; the
        # error makes the scan incomplete (exit 2) as a root not judged at all does.
        errors.append(
            InputError(
                root_dir,
                None,
                f"scan incomplete: {environment.deadline.reason} while evaluating root module "
                f"{root_dir}; its notebooks still undecided are UNKNOWN",
            )
        )
    return notebooks, [*errors, *evaluator.errors, *builder.errors]


def _internal_error(root_dir: str, error: Exception) -> InputError:
    detail = f"{type(error).__name__}: {error}"
    return InputError(
        root_dir,
        None,
        f"internal error evaluating root module {root_dir}: {detail}; please report",
    )

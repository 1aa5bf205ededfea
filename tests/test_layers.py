"""The dependency direction of style.md, as an allow-list checked over every module's imports.

    cli, docs → report, evidence → scan, live → config, acceptance → suppressions, baseline
      → control → keypolicy, sources → findings, settings, catalogue → inventory
      → values, address, kms, subject, errors, records, tfinputs, cfninputs

Each top-level module or package of ``src/cmkguard`` (a *unit*) is listed in ``ALLOWED`` with
the first-party units it may import; anything else it imports fails, and so does a unit that
is not listed. Only ``sources/`` may import boto3, botocore, tree-sitter or cfn-lint; a source
package (``sources/terraform``, ``sources/plan``, ...) imports no other: only the registry knows
them all. The allow-list itself must have no cycle, so no import cycle between units can exist.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

SRC = Path(__file__).parent.parent / "src" / "cmkguard"
MODULES = sorted(SRC.rglob("*.py"))
ROOT = "cmkguard"
"""The unit of ``src/cmkguard/__init__.py`` (the library API, re-exported lazily)."""
VERSION = "__version__"
"""``from cmkguard import __version__``: a constant any unit may read without the API."""
IO_LIBRARIES = ("boto3", "botocore", "tree_sitter", "tree_sitter_hcl", "mypy_boto3_", "cfnlint")
"""Third-party code that reads files or calls AWS: only ``sources/`` may import it."""

# Data below every arrow: vocabularies and models that decide nothing.
_DATA = frozenset(
    {
        "errors",
        "values",
        "address",
        "kms",
        "echo",
        "subject",
        "tfinputs",
        "cfninputs",
        "records",
        "deadline",
    }
)
_MODEL = _DATA | {"inventory"}
_JUDGED = _MODEL | {"catalogue", "findings", "settings"}
_MARKS = frozenset({"suppressions", "baseline", "acceptance"})

ALLOWED: dict[str, frozenset[str]] = {
    # -- data: import only each other, downward -------------------------------------------
    "errors": frozenset(),
    "subject": frozenset(),
    "tfinputs": frozenset(),
    "cfninputs": frozenset(),
    "values": frozenset({"errors"}),
    "address": frozenset({"errors", "values"}),
    "kms": frozenset({"errors", "values"}),
    "echo": frozenset({"errors", "values", "kms"}),
    "records": frozenset({"errors", "values"}),
    "deadline": frozenset(),
    "inventory": _DATA,
    # -- what the judge reads and writes, still deciding nothing --------------------------
    "catalogue": frozenset({"subject", "kms"}),
    "settings": frozenset({"errors", "values", "kms", "catalogue"}),
    # style.md: findings import only values, address and the catalogue (plus bottom data:
    # InputError in ScanResult, InputKind and locations from the inventory).
    "findings": frozenset({"values", "address", "catalogue", "errors", "inventory"}),
    # -- IAM semantics: nothing of Terraform or SageMaker ---------------------------------
    "keypolicy": frozenset({"errors", "values", "address", "kms"}),
    # -- the only code that reads files or calls AWS --------------------------------------
    "sources": _MODEL | {"settings"},
    # -- the judge: no I/O, so no sources -------------------------------------------------
    "control": _JUDGED | {"keypolicy"},
    # -- after judging: marks on findings -------------------------------------------------
    "suppressions": _JUDGED,
    "baseline": _JUDGED | {"suppressions"},
    # Applies both; reads inline comments through sources/ (the only code that reads files).
    "acceptance": _JUDGED | {"sources", "suppressions", "baseline"},
    # The tool's own configuration file (cmkguard.toml), not scanned input.
    "config": _JUDGED | _MARKS,
    # -- library entry points: load → judge → mark ----------------------------------------
    "scan": _JUDGED | {"sources", "control", "acceptance"},
    "live": _JUDGED | {"sources", "control", "acceptance"},
    # cmkguard fix: edits .tf text, re-scans the result in memory before offering it.
    "fix": _JUDGED | {"sources", "control", "scan", "tfinputs"},
    # -- rendering, evidence --------------------------------------------------------------
    "report": _JUDGED | {VERSION},
    "evidence": _JUDGED | {"report", VERSION},
    # -- the library API and the command line ---------------------------------------------
    ROOT: _JUDGED | {"scan", "live", "sources"},
    "cli": _JUDGED
    | {"scan", "live", "fix", "sources", "report", "evidence", "config", *_MARKS, VERSION},
    "__main__": frozenset({"cli"}),
    # Renders docs/ from the CLI parser, the catalogue and the report schema.
    "docs": _JUDGED | {"cli", "report", "evidence", "config", "docs_formats", VERSION},
    # The formats' part of docs/output-formats.md and docs/samples/: scans the bundled example.
    "docs_formats": _JUDGED | {"report", "scan"},
}
"""Unit → the first-party units it may import (its own submodules always)."""


def _unit_names() -> set[str]:
    return {p.name.removesuffix(".py") for p in SRC.iterdir() if p.suffix == ".py" or p.is_dir()}


UNITS = _unit_names() - {"__init__", "__pycache__"}


def _unit(path: Path) -> str:
    name = path.relative_to(SRC).parts[0].removesuffix(".py")
    return ROOT if name == "__init__" else name


def _package(path: Path) -> list[str]:
    """The dotted package ``path`` is in (``__init__.py`` is its own package)."""
    return ["cmkguard", *path.relative_to(SRC).parent.parts]


def imported_modules(path: Path) -> Iterator[str]:
    """Every module ``path`` imports, dotted and absolute: relative imports resolved, each name
    taken from a package (``from cmkguard.sources import plan``) as well as the package, and
    ``importlib.import_module("...")`` of a literal name."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            package = _package(path)
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            # ``from cmkguard import x`` imports x, not the whole library API.
            if module != ROOT:
                yield module
            yield from (f"{module}.{alias.name}" for alias in node.names)
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            yield node.args[0].value


def first_party_units(path: Path) -> set[str]:
    """The units ``path`` imports: ``cmkguard.x.y`` → ``x``; ``cmkguard`` or a name of its API
    (``from cmkguard import scan_paths``) → the root; ``__version__`` → itself."""
    units: set[str] = set()
    for module in imported_modules(path):
        parts = module.split(".")
        if parts[0] != ROOT:
            continue
        if len(parts) > 1 and (parts[1] in UNITS or parts[1] == VERSION):
            units.add(parts[1])
        else:
            units.add(ROOT)
    return units


def _where(path: Path) -> str:
    return str(path.relative_to(SRC.parent.parent))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(SRC)))
def test_imports_follow_the_allow_list(path: Path) -> None:
    unit = _unit(path)
    assert unit in ALLOWED, (
        f"{_where(path)}: unit {unit!r} is not in ALLOWED in tests/test_layers.py; add it at its "
        f"layer (style.md's arrows) with the first-party units it may import"
    )
    wrong = sorted(first_party_units(path) - ALLOWED[unit] - {unit})
    assert not wrong, (
        f"{_where(path)} imports {wrong}, which {unit!r} may not (style.md's arrows); if the "
        f"arrow is right, add it to ALLOWED[{unit!r}] in tests/test_layers.py"
    )


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(SRC)))
def test_only_sources_do_io(path: Path) -> None:
    if _unit(path) == "sources":
        return
    io = sorted(m for m in imported_modules(path) if m.split(".")[0].startswith(IO_LIBRARIES))
    assert not io, f"{_where(path)} imports {io}: only src/cmkguard/sources/ may"


# Known debt, to shrink: CloudFormation reuses the Terraform evaluator's partly known strings
# (``Partial``) and its reading of an ``alias/aws/`` alias in them. Both belong in a module of
# sources/ that neither source owns; until they move there, these imports are the only ones
# allowed across sources.
CROSS_SOURCE_DEBT = frozenset(
    {
        ("cloudformation", "cmkguard.sources.terraform.build"),
        ("cloudformation", "cmkguard.sources.terraform.evaluated"),
    }
)
"""(source package, module of another source it still imports, names from it included)."""


def _is_debt(own: str, module: str) -> bool:
    return any(
        own == who and (module == debt or module.startswith(f"{debt}."))
        for who, debt in CROSS_SOURCE_DEBT
    )


SOURCE_PACKAGES = sorted(
    p.name for p in (SRC / "sources").iterdir() if (p / "__init__.py").exists()
)


@pytest.mark.parametrize(
    "path",
    [
        p
        for p in MODULES
        if p.relative_to(SRC).parts[:2] in {("sources", s) for s in SOURCE_PACKAGES}
    ],
    ids=lambda p: str(p.relative_to(SRC)),
)
def test_a_source_imports_no_other_source(path: Path) -> None:
    own = path.relative_to(SRC).parts[1]
    others = sorted(
        m
        for m in imported_modules(path)
        if m.split(".")[:2] == ["cmkguard", "sources"]
        and len(m.split(".")) > 2
        and m.split(".")[2] in SOURCE_PACKAGES
        and m.split(".")[2] != own
        and not _is_debt(own, m)
    )
    assert not others, (
        f"{_where(path)} imports {others}: a source reaches another only through the shared "
        f"modules of sources/ (interface, inputs) or the registry"
    )


def test_every_unit_is_listed() -> None:
    unlisted = sorted(UNITS - set(ALLOWED))
    assert not unlisted, f"add {unlisted} to ALLOWED in tests/test_layers.py at their layer"


def test_allow_list_has_no_cycle() -> None:
    """A cycle in the allow-list would let two units import each other."""
    done: set[str] = set()

    def visit(unit: str, path: tuple[str, ...]) -> None:
        assert unit not in path, f"ALLOWED has a cycle: {' → '.join((*path, unit))}"
        if unit in done:
            return
        for target in ALLOWED.get(unit, frozenset()) - {VERSION}:
            visit(target, (*path, unit))
        done.add(unit)

    for unit in ALLOWED:
        visit(unit, ())

"""docs/development.md names real files: every repository path it mentions exists.

A path with a placeholder (``tests/cases/<scenario>/``) must have its folder; a glob
(``tests/unit/test_plan_*.py``) must match at least one file.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
PAGE = ROOT / "docs" / "development.md"
# A repository path: one of the top directories, then path characters; stops at a backtick,
# space, bracket or the end of a sentence.
PATH = re.compile(r"(?<![\w./-])((?:src|tests|docs|scripts|benchmarks|examples|\.ci)/[\w./*<>-]*)")


def named_paths() -> list[str]:
    """Every distinct repository path the page names, in order of first mention."""
    found = (m.rstrip(".") for m in PATH.findall(PAGE.read_text(encoding="utf-8")))
    return list(dict.fromkeys(found))


def test_the_page_names_paths() -> None:
    assert len(named_paths()) > 20


@pytest.mark.parametrize("named", named_paths())
def test_named_path_exists(named: str) -> None:
    if "<" in named:  # the folder the placeholder's file or folder goes in
        folder = named.split("<", 1)[0].rpartition("/")[0]
        assert (ROOT / folder).is_dir(), f"docs/development.md names {named}: {folder} is missing"
    elif "*" in named:
        assert list(ROOT.glob(named)), f"docs/development.md names {named}: nothing matches"
    else:
        assert (ROOT / named).exists(), f"docs/development.md names {named}, which is missing"


def _described() -> list[Path]:
    """Every top-level module and every package of ``src/cmkguard``: what the layout must list."""
    src = ROOT / "src" / "cmkguard"
    modules = list(src.glob("*.py"))
    packages = [p.parent for p in src.rglob("__init__.py") if p.parent != src]
    return sorted(modules + packages)


@pytest.mark.parametrize("path", _described(), ids=lambda p: str(p.relative_to(ROOT)))
def test_layout_describes_every_module_and_package(path: Path) -> None:
    named = {n.rstrip("/") for n in named_paths()}
    relative = str(path.relative_to(ROOT))
    assert relative in named, f"docs/development.md's layout does not describe {relative}"

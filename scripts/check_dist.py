"""Check the built sdist and wheel say what pyproject.toml and the source say.

python scripts/check_dist.py dist/   # exit 1, listing every problem, if one differs

``twine check`` validates the metadata's form; this checks its content: name, version (also
against ``cmkguard.__version__``), the license expression and the LICENSE file itself, the
README as the long description, the ``cmkguard`` entry point, ``py.typed``, and the files an
sdist must carry to be rebuilt.
"""

from __future__ import annotations

import argparse
import ast
import configparser
import email.parser
import sys
import tarfile
import tomllib
import zipfile
from email.message import Message
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SDIST_FILES = ("pyproject.toml", "README.md", "LICENSE", "CHANGELOG.md", "src/cmkguard/py.typed")


def source_version() -> str:
    """``__version__`` as ``src/cmkguard/__init__.py`` assigns it (read, not imported)."""
    tree = ast.parse((ROOT / "src" / "cmkguard" / "__init__.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and [getattr(t, "id", None) for t in node.targets] == ["__version__"]
            and isinstance(node.value, ast.Constant)
        ):
            return str(node.value.value)
    return "<no __version__ in src/cmkguard/__init__.py>"


def _metadata(text: str) -> Message:
    return email.parser.Parser().parsestr(text)


def _compare(what: str, got: object, want: object) -> list[str]:
    return [] if got == want else [f"{what}: {got!r}, expected {want!r}"]


def check_metadata(meta: Message, project: dict[str, object], where: str) -> list[str]:
    """Problems with the core metadata fields, against ``[project]`` of pyproject.toml."""
    readme = (ROOT / str(project["readme"])).read_text(encoding="utf-8")
    body = meta.get_payload()
    problems = [
        *_compare(f"{where} Name", meta["Name"], project["name"]),
        *_compare(f"{where} Version", meta["Version"], project["version"]),
        *_compare(f"{where} License-Expression", meta["License-Expression"], project["license"]),
        *_compare(f"{where} License-File", meta.get_all("License-File"), project["license-files"]),
        *_compare(f"{where} Requires-Python", meta["Requires-Python"], project["requires-python"]),
        *_compare(
            f"{where} Description-Content-Type", meta["Description-Content-Type"], "text/markdown"
        ),
    ]
    if not isinstance(body, str) or body.strip() != readme.strip():
        problems.append(f"{where}: the long description is not {project['readme']}")
    return problems


def check_wheel(path: Path, project: dict[str, object]) -> list[str]:
    """Problems with one wheel: metadata, license file, entry points, typing marker."""
    stem = f"{project['name']}-{project['version']}.dist-info"
    with zipfile.ZipFile(path) as wheel:
        names = set(wheel.namelist())
        problems = check_metadata(
            _metadata(wheel.read(f"{stem}/METADATA").decode()), project, path.name
        )
        license_name = f"{stem}/licenses/LICENSE"
        if license_name not in names:
            problems.append(f"{path.name}: no {license_name}")
        elif wheel.read(license_name) != (ROOT / "LICENSE").read_bytes():
            problems.append(f"{path.name}: {license_name} differs from LICENSE")
        entry_points = configparser.ConfigParser()
        entry_points.read_string(wheel.read(f"{stem}/entry_points.txt").decode())
        scripts = (
            dict(entry_points["console_scripts"])
            if entry_points.has_section("console_scripts")
            else {}
        )
        problems += _compare(f"{path.name} console_scripts", scripts, project["scripts"])
        if "cmkguard/py.typed" not in names:
            problems.append(f"{path.name}: no cmkguard/py.typed (type checkers would ignore it)")
    return problems


def check_sdist(path: Path, project: dict[str, object]) -> list[str]:
    """Problems with one sdist: PKG-INFO metadata and the files needed to rebuild it."""
    top = f"{project['name']}-{project['version']}"
    with tarfile.open(path) as sdist:
        names = set(sdist.getnames())
        pkg_info = sdist.extractfile(f"{top}/PKG-INFO")
        problems = (
            ["no PKG-INFO"]
            if pkg_info is None
            else check_metadata(_metadata(pkg_info.read().decode()), project, path.name)
        )
    problems += [f"{path.name}: no {name}" for name in SDIST_FILES if f"{top}/{name}" not in names]
    return problems


def check(dist: Path) -> list[str]:
    """Every problem with the one wheel and one sdist in ``dist``."""
    project: dict[str, object] = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    problems = _compare(
        "src/cmkguard/__init__.py __version__", source_version(), project["version"]
    )
    wheels = sorted(dist.glob("*.whl"))
    sdists = sorted(dist.glob("*.tar.gz"))
    if len(wheels) != 1 or len(sdists) != 1:
        return [*problems, f"{dist}: expected one wheel and one sdist, found {wheels + sdists}"]
    return problems + check_wheel(wheels[0], project) + check_sdist(sdists[0], project)


def main() -> int:
    """Print every problem; exit 1 if there is one."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dist", type=Path, help="the directory python -m build wrote")
    problems = check(parser.parse_args().dist)
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

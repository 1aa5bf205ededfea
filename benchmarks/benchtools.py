"""What the benchmark scripts share: tool virtual environments, timed child processes, medians.

Not a dependency of cmkguard and not a test: the scripts print figures, nothing asserts on them.
"""

from __future__ import annotations

import hashlib
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "benchmarks" / ".work"
"""Generated trees, tool venvs and outputs (ignored by git)."""


@dataclass(frozen=True, slots=True)
class Run:
    """One finished child process."""

    seconds: float
    """Wall time from spawn to exit."""
    max_rss_mib: float
    """Peak resident set size of the child (and of any descendants it waited for)."""
    returncode: int
    """Exit status (negative: killed by that signal)."""
    stdout: Path
    """File holding what it printed on standard output."""
    stderr: Path
    """File holding what it printed on standard error."""


def run_measured(argv: Sequence[str], stdout: Path, env: Mapping[str, str] | None = None) -> Run:
    """Run ``argv`` to completion, its output in ``stdout`` (and ``stdout`` + ``.err``).

    The child is spawned directly and reaped with ``os.wait4``, whose resource usage belongs to
    that child alone: ``RUSAGE_CHILDREN`` of this process would mix every tool run so far.
    """
    stderr = stdout.with_name(stdout.name + ".err")
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
    actions = [
        (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
        (os.POSIX_SPAWN_OPEN, 1, str(stdout), flags, 0o644),
        (os.POSIX_SPAWN_OPEN, 2, str(stderr), flags, 0o644),
    ]
    start = time.perf_counter()
    pid = os.posix_spawnp(argv[0], list(argv), dict(env or os.environ), file_actions=actions)
    _, status, usage = os.wait4(pid, 0)
    seconds = time.perf_counter() - start
    # Linux reports ru_maxrss in KiB.
    return Run(seconds, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status), stdout, stderr)


def median(values: Sequence[float]) -> float:
    """The median (of one value: that value)."""
    return statistics.median(values)


def ensure_venv(name: str, requirements: Sequence[str], executable: str) -> Path | None:
    """``benchmarks/.work/venv-NAME/bin/EXECUTABLE``, creating the venv with pip on first use;
    ``None`` (with the reason printed) when it cannot be installed.

    The tools we compare against live in their own environments: they are never dependencies
    of cmkguard, and their own pins must not disturb ours. Only this step uses the network.
    """
    venv = WORK / f"venv-{name}"
    tool = venv / "bin" / executable
    marker = venv / ".requirements"
    wanted = "\n".join(requirements)
    if tool.exists() and marker.exists() and marker.read_text() == wanted:
        return tool
    print(f"setting up {venv} ({', '.join(requirements)}): this takes a few minutes once")
    WORK.mkdir(parents=True, exist_ok=True)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet"]
    try:
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
        subprocess.run([*pip, "--upgrade", "pip"], check=True)
        subprocess.run([*pip, *requirements], check=True)
    except (OSError, subprocess.CalledProcessError) as exc:
        print(f"could not install {', '.join(requirements)} ({exc}): skipping {name}")
        return None
    marker.write_text(wanted)
    return tool


def _source_digest() -> str:
    """A digest of everything the wheel is built from, to know when the installed one is stale."""
    digest = hashlib.sha256()
    files = [ROOT / "pyproject.toml", ROOT / "README.md", *sorted((ROOT / "src").rglob("*"))]
    for path in files:
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def installed_cmkguard() -> Path:
    """``benchmarks/.work/venv-cmkguard/bin/cmkguard``: this checkout built as a wheel and
    installed with pip into its own venv, as a user installs it (bytecode compiled by pip, no
    editable finder on the import path); rebuilt whenever a source file changed.
    """
    venv = WORK / "venv-cmkguard"
    tool = venv / "bin" / "cmkguard"
    marker = venv / ".source-digest"
    wanted = _source_digest()
    if tool.exists() and marker.exists() and marker.read_text() == wanted:
        return tool
    print(f"building the cmkguard wheel and installing it into {venv}")
    wheels = WORK / "wheel"
    if wheels.exists():
        for old in wheels.glob("*.whl"):
            old.unlink()
    pip = [sys.executable, "-m", "pip"]
    subprocess.run(
        [*pip, "wheel", "--quiet", "--no-deps", "-w", str(wheels), str(ROOT)], check=True
    )
    (wheel,) = wheels.glob("cmkguard-*.whl")
    if not venv.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    venv_pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet"]
    subprocess.run([*venv_pip, "--force-reinstall", "--no-deps", str(wheel)], check=True)
    subprocess.run([*venv_pip, str(wheel)], check=True)  # its dependencies, the first time
    marker.write_text(wanted)
    return tool


FLOOR = """
import os, sys
stack = [sys.argv[1]]
total = 0
while stack:
    with os.scandir(stack.pop()) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                stack.append(entry.path)
            elif entry.is_file(follow_symlinks=False):
                with open(entry.path, "rb") as file:
                    total += len(file.read())
print(total)
"""
"""The floor of a static scan: a fresh interpreter that walks the tree and reads every byte."""


def floor_argv(python: Path, tree: Path) -> list[str]:
    """The floor process for ``tree``, run with ``python`` (the interpreter cmkguard runs on)."""
    return [str(python), "-c", FLOOR, str(tree)]


def cmkguard_argv() -> list[str]:
    """The installed ``cmkguard`` console script beside this interpreter, else ``-m cmkguard``."""
    script = Path(sys.executable).parent / "cmkguard"
    return [str(script)] if script.exists() else [sys.executable, "-m", "cmkguard"]


def tool_version(argv: Sequence[str]) -> str:
    """The last line a tool prints for ``argv`` (e.g. ``checkov --version``)."""
    done = subprocess.run(list(argv), capture_output=True, text=True, check=False)
    lines = (done.stdout or done.stderr).strip().splitlines()
    return lines[-1].strip() if lines else "?"


def cmkguard_summary(run: Run) -> str:
    """The verdict counts of a ``cmkguard ... --format json`` run (or why there are none)."""
    try:
        report = json.loads(run.stdout.read_text())
    except ValueError:
        return f"no JSON (exit {run.returncode}): {run.stderr.read_text()[-500:]!r}"
    summary = report.get("summary", {})
    return (
        f"{summary.get('total')} findings: {summary.get('passed')} PASS, "
        f"{summary.get('failed')} FAIL, {summary.get('unknown')} UNKNOWN, "
        f"{len(report.get('errors', []))} errors (exit {run.returncode})"
    )


def ratio(slow: float, fast: float) -> str:
    """``slow / fast`` as ``12.3x``."""
    return f"{slow / fast:.1f}x" if fast > 0 else "inf"

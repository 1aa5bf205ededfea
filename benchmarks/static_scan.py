"""Time ``cmkguard scan`` against Checkov (CKV_AWS_22, CKV_AWS_187) and against the floor
(reading every byte of the tree) on the trees of issue 13, and print the targets met or not.

    .venv/bin/python benchmarks/static_scan.py [--scenario NAME ...] [--repeat 3]
        [--checkov-repeat K] [--scale 250 500 ... 8000] [--scale-checkov-repeat 1]
        [--scale-checkov-max 2000] [--skip-checkov] [--editable]

Scenarios (trees generated from fixed seeds into ``benchmarks/.work/``, see ``stack_trees.py``
and ``project_tree.py``):

- ``one-module``: one root module of 12 files with a notebook (target ≥ 20x Checkov);
- ``40-stack``: 40 stacks x 50 files, a notebook in each (target ≥ 50x);
- ``monorepo``: 2,000 files, 40 stacks calling 8 of 20 shared modules, 3 notebooks (≥ 100x);
- ``no-notebook``: the 40-stack tree without its notebooks (target: within 3x of the floor);
- ``project``: the project's own 2,000-file tree of Terraform and CloudFormation with 1,539
  module calls (issue 2's target, ≥ 30x; Checkov scans both frameworks there);
- ``scale``: stacks of 50 files from 250 to 8,000 files (target: peak RSS < 150 MiB at 8,000);
  Checkov runs once per tree up to ``--scale-checkov-max`` files: on two shared cores it takes
  minutes per run beyond that, and the memory target is cmkguard's alone.

In each scenario the tools run alternately, ``--repeat`` times each (paired runs), each as a
fresh process: cmkguard, Checkov, and the floor (a fresh interpreter walking the tree with
``os.scandir`` and reading every file). The script prints the medians, the ratios and the peak
RSS of each child (``os.wait4``'s ``ru_maxrss``: the largest of the process and the children it
waited for). cmkguard is this checkout built as a wheel and installed with pip into
``benchmarks/.work/venv-cmkguard``, as a user installs it (``--editable``: the development
console script instead); Checkov is installed on first use into ``benchmarks/.work/venv-checkov``
(the only network access). Ratios within one run are what to compare: on a shared machine the
seconds move with the load, the ratios much less.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import project_tree
import stack_trees
from benchtools import (
    WORK,
    Run,
    cmkguard_argv,
    cmkguard_summary,
    ensure_venv,
    floor_argv,
    installed_cmkguard,
    median,
    run_measured,
)
from benchtools import tool_version as version_of
from stack_trees import TreeStats

CHECKOV = ("checkov==3.3.30",)
"""The Checkov release these figures were measured with (see docs/benchmarks.md)."""
CHECKOV_CHECKS = "CKV_AWS_22,CKV_AWS_187"
CHECKOV_ENV = {"CKV_SKIP_PACKAGE_UPDATE_CHECK": "true", "BC_SKIP_MAPPING": "TRUE"}
"""Keep Checkov offline: no update check against PyPI, no guideline download."""
MEMORY_TARGET_MIB = 150
SCALE = [250, 500, 1000, 2000, 4000, 8000]


@dataclass(frozen=True)
class Scenario:
    """One tree and what cmkguard must reach on it."""

    title: str
    tree: Callable[[], tuple[Path, TreeStats]]
    checkov_target: float | None = None
    """Least Checkov / cmkguard ratio wanted."""
    floor_target: float | None = None
    """Most cmkguard / floor ratio wanted."""
    frameworks: tuple[str, ...] = ("terraform",)


def _project_tree() -> tuple[Path, TreeStats]:
    target, stats = project_tree.tree(2000)
    size = sum(f.stat().st_size for f in target.rglob("*") if f.is_file())
    return target, TreeStats(stats.files, round(size / 1e6, 1), stats.notebooks, 1539)


def _stacks(count: int, notebooks: bool = True) -> Callable[[], tuple[Path, TreeStats]]:
    name = f"stacks-{count}" + ("" if notebooks else "-no-notebook")
    return lambda: stack_trees.cached(name, lambda t: stack_trees.stacks(t, count, notebooks))


SCENARIOS: dict[str, Scenario] = {
    "one-module": Scenario(
        "one-module repo", lambda: stack_trees.cached("one-module", stack_trees.one_module), 20
    ),
    "40-stack": Scenario("40 stacks x 50 files, a notebook in each", _stacks(40), 50),
    "monorepo": Scenario(
        "module-heavy monorepo, 3 notebooks",
        lambda: stack_trees.cached("monorepo", stack_trees.monorepo),
        100,
    ),
    "no-notebook": Scenario("2,000 files, no notebook", _stacks(40, False), floor_target=3),
    "project": Scenario(
        "project tree (TF + CloudFormation, 1,539 module calls)",
        _project_tree,
        30,
        frameworks=("terraform", "cloudformation"),
    ),
}


@dataclass
class Measured:
    """The runs of every tool on one tree."""

    name: str
    stats: TreeStats
    cmkguard: list[Run] = field(default_factory=list)
    checkov: list[Run] = field(default_factory=list)
    floor: list[Run] = field(default_factory=list)

    def seconds(self, tool: str) -> float | None:
        runs: list[Run] = getattr(self, tool)
        return median([r.seconds for r in runs]) if runs else None

    def peak(self, tool: str) -> float | None:
        runs: list[Run] = getattr(self, tool)
        return max(r.max_rss_mib for r in runs) if runs else None


@dataclass(frozen=True)
class Tools:
    """How to start each tool."""

    cmkguard: list[str]
    python: Path
    """The interpreter cmkguard runs on, for the floor."""
    checkov: list[str] | None
    env: dict[str, str]


def checkov_counts(run: Run) -> str:
    """Finding counts from ``checkov -o json`` (one report object, or a list of them)."""
    try:
        report = json.loads(run.stdout.read_text())
    except ValueError:
        return f"no JSON (exit {run.returncode}): {run.stderr.read_text()[-500:]!r}"
    reports = report if isinstance(report, list) else [report]
    counts: Counter[str] = Counter()
    resources: set[str] = set()
    parse_errors = 0
    for item in reports:
        results = item.get("results", {})
        for outcome in ("passed_checks", "failed_checks", "skipped_checks"):
            for check in results.get(outcome, []):
                counts[f"{check['check_id']} {outcome.split('_')[0]}"] += 1
                resources.add(f"{check.get('file_path')}:{check.get('resource')}")
        parse_errors += int(item.get("summary", {}).get("parsing_errors", 0))
    detail = ", ".join(f"{n} {key}" for key, n in sorted(counts.items()))
    return (
        f"{len(resources)} notebook resources: {detail or 'no results'}; "
        f"{parse_errors} parsing errors (exit {run.returncode})"
    )


def measure(
    name: str,
    tree: tuple[Path, TreeStats],
    tools: Tools,
    repeat: int,
    checkov_repeat: int,
    frameworks: Sequence[str] = ("terraform",),
) -> Measured:
    """Paired runs on ``tree``: cmkguard, Checkov, the floor, in turn, ``repeat`` times."""
    target, stats = tree
    print(
        f"\n== {name}: {target} — {stats.files:,} files, {stats.megabytes} MB, "
        f"{stats.notebooks} notebooks, {stats.module_calls:,} module calls"
    )
    out = WORK / "out"
    out.mkdir(parents=True, exist_ok=True)
    measured = Measured(name, stats)
    ours = [*tools.cmkguard, "scan", str(target), "--format", "json"]
    theirs = None
    if tools.checkov is not None and checkov_repeat > 0:
        theirs = [*tools.checkov, "-d", str(target), "--framework", *frameworks]
        theirs += ["--check", CHECKOV_CHECKS, "-o", "json", "--skip-download"]
    for i in range(max(repeat, checkov_repeat if theirs else 0)):
        line = []
        if i < repeat:
            run = run_measured(ours, out / f"{name}-cmkguard.json", tools.env)
            measured.cmkguard.append(run)
            line.append(f"cmkguard {run.seconds:.2f} s {run.max_rss_mib:.0f} MiB")
        if theirs and i < checkov_repeat:
            run = run_measured(theirs, out / f"{name}-checkov.json", tools.env)
            measured.checkov.append(run)
            line.append(f"checkov {run.seconds:.2f} s {run.max_rss_mib:.0f} MiB")
        if i < repeat:
            run = run_measured(floor_argv(tools.python, target), out / f"{name}-floor.txt")
            measured.floor.append(run)
            line.append(f"floor {run.seconds:.3f} s")
        print(f"  run {i + 1}: " + ", ".join(line), flush=True)
    print(f"  cmkguard: {cmkguard_summary(measured.cmkguard[-1])}")
    if measured.checkov:
        print(f"  checkov:  {checkov_counts(measured.checkov[-1])}")
    return measured


def _ratio(slow: float | None, fast: float | None) -> float | None:
    return slow / fast if slow is not None and fast else None


def _fmt(value: float | None, spec: str, unit: str = "") -> str:
    return "—" if value is None else f"{value:{spec}}{unit}"


def _verdict(met: bool | None) -> str:
    return "—" if met is None else ("met" if met else "NOT MET")


def report(rows: Sequence[tuple[Measured, Scenario | None]]) -> list[dict[str, object]]:
    """Print the table of medians, ratios and targets; return it as records."""
    print(
        f"\n{'scenario':<13} {'files':>6} {'cmkguard':>9} {'MiB':>5} {'checkov':>9} {'MiB':>5}"
        f" {'ratio':>7} {'target':>7} {'':>7} {'floor':>7} {'c/floor':>7} {'target':>7} {'':>7}"
    )
    records: list[dict[str, object]] = []
    for measured, scenario in rows:
        ours, theirs, floor = (measured.seconds(t) for t in ("cmkguard", "checkov", "floor"))
        vs_checkov, vs_floor = _ratio(theirs, ours), _ratio(ours, floor)
        checkov_target = scenario.checkov_target if scenario else None
        floor_target = scenario.floor_target if scenario else None
        met_checkov = None
        if checkov_target is not None and vs_checkov is not None:
            met_checkov = vs_checkov >= checkov_target
        met_floor = None
        if floor_target is not None and vs_floor is not None:
            met_floor = vs_floor <= floor_target
        print(
            f"{measured.name:<13} {measured.stats.files:>6,} {_fmt(ours, '.2f', ' s'):>9}"
            f" {_fmt(measured.peak('cmkguard'), '.0f'):>5} {_fmt(theirs, '.2f', ' s'):>9}"
            f" {_fmt(measured.peak('checkov'), '.0f'):>5} {_fmt(vs_checkov, '.1f', 'x'):>7}"
            f" {_fmt(checkov_target, '.0f', 'x'):>7} {_verdict(met_checkov):>7}"
            f" {_fmt(floor, '.3f', ' s'):>7} {_fmt(vs_floor, '.1f', 'x'):>7}"
            f" {_fmt(floor_target, '.0f', 'x'):>7} {_verdict(met_floor):>7}"
        )
        records.append(
            {
                "name": measured.name,
                "stats": asdict(measured.stats),
                "runs": {
                    tool: [[r.seconds, r.max_rss_mib] for r in getattr(measured, tool)]
                    for tool in ("cmkguard", "checkov", "floor")
                },
                "ratio_checkov": vs_checkov,
                "ratio_floor": vs_floor,
                "met_checkov": met_checkov,
                "met_floor": met_floor,
                "summary": cmkguard_summary(measured.cmkguard[-1]),
            }
        )
    return records


def _tools(args: argparse.Namespace) -> Tools:
    if args.editable:
        cmkguard, python = cmkguard_argv(), Path(sys.executable)
    else:
        script = installed_cmkguard()
        cmkguard, python = [str(script)], script.parent / "python"
    checkov = None
    env = dict(os.environ)
    if not args.skip_checkov:
        binary = ensure_venv("checkov", CHECKOV, "checkov")
        if binary is not None:
            checkov = [str(binary)]
            env |= CHECKOV_ENV
            print(f"checkov: {version_of([str(binary), '--version'])}")
    print(f"cmkguard: {version_of([*cmkguard, '--version'])} ({' '.join(cmkguard)})")
    print(f"python: {sys.version.split()[0]}, cpus: {os.cpu_count()}, load: {os.getloadavg()}")
    return Tools(cmkguard, python, checkov, env)


def main() -> int:
    """Generate the trees, time the tools, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", nargs="+", choices=[*SCENARIOS, "scale"])
    parser.add_argument("--repeat", type=int, default=3, help="paired runs (3)")
    parser.add_argument("--checkov-repeat", type=int, help="runs of Checkov (--repeat)")
    parser.add_argument("--scale", type=int, nargs="+", default=SCALE, help="files per tree")
    parser.add_argument("--scale-checkov-repeat", type=int, default=1, help="(1)")
    parser.add_argument(
        "--scale-checkov-max", type=int, default=2000, help="largest tree Checkov scans (2000)"
    )
    parser.add_argument("--skip-checkov", action="store_true", help="time cmkguard only")
    parser.add_argument("--editable", action="store_true", help="the dev console script")
    args = parser.parse_args()
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    tools = _tools(args)
    checkov_repeat = args.repeat if args.checkov_repeat is None else args.checkov_repeat
    chosen = args.scenario or [*SCENARIOS, "scale"]

    rows: list[tuple[Measured, Scenario | None]] = []
    for name in (n for n in chosen if n != "scale"):
        scenario = SCENARIOS[name]
        tree = scenario.tree()
        runs = measure(name, tree, tools, args.repeat, checkov_repeat, scenario.frameworks)
        rows.append((runs, scenario))
    records = report(rows) if rows else []

    scale: list[tuple[Measured, Scenario | None]] = []
    if "scale" in chosen:
        for files in args.scale:
            tree = _stacks(max(1, files // stack_trees.FILES_PER_STACK))()
            theirs = args.scale_checkov_repeat if files <= args.scale_checkov_max else 0
            scale.append((measure(f"{files}", tree, tools, args.repeat, theirs), None))
        print("\nscale (stacks of 50 files, a notebook in each):")
        records += report(scale)
        largest = scale[-1][0]
        peak = largest.peak("cmkguard") or 0.0
        print(
            f"peak RSS at {largest.stats.files:,} files: {peak:.0f} MiB (target < "
            f"{MEMORY_TARGET_MIB} MiB): {_verdict(peak < MEMORY_TARGET_MIB)}"
        )
        for measured, _ in scale:
            per_1000 = (measured.seconds("cmkguard") or 0.0) / measured.stats.files * 1000
            print(
                f"  {measured.stats.files:>6,} files: {per_1000:.2f} s per"
                f" 1,000 files, peak {(measured.peak('cmkguard') or 0.0):.0f} MiB"
            )
    (WORK / "out" / "static-results.json").write_text(json.dumps(records, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

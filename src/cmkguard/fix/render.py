"""What ``cmkguard fix`` prints: the diff on standard output (so it can be piped to ``patch``),
and on standard error one line per fixed notebook, the replacement warnings, the advice for
every notebook not fixed, and the scan's input errors."""

from __future__ import annotations

from dataclasses import dataclass

from cmkguard.fix.diff import unified_diff
from cmkguard.fix.replacement import Existing, warning
from cmkguard.fix.run import FixPlan

__all__ = ["Report", "report"]

PROG = "cmkguard"


@dataclass(frozen=True, slots=True)
class Report:
    """The two streams, and whether any refusal means exit status 2."""

    stdout: str
    stderr: str
    refused: bool


def report(plan: FixPlan, existing: Existing | None, *, write: bool) -> Report:
    """Render ``plan``; with ``write`` the diff is not printed (the files change instead)."""
    out = [] if write else [unified_diff(change) for change in plan.changes]
    err: list[str] = []
    done = "fixed" if write else "fix proposed"
    for notebook in plan.notebooks:
        err.extend(f"{PROG}: {done}: {p.summary}\n" for p in notebook.proposals)
        if any(p.sets_key for p in notebook.proposals):
            text = warning(notebook.finding.address, existing)
            if text is not None:
                err.append(f"{PROG}: warning: {text}\n")
        for advice in notebook.advice:
            kind = "error" if advice.refusal else "not fixed"
            err.append(f"{PROG}: {kind}: {advice.text}\n")
    err.extend(f"{PROG}: error: {error}\n" for error in plan.scan.errors)
    err.extend(f"{PROG}: warning: {notice}\n" for notice in plan.scan.notices)
    if not plan.notebooks:
        err.append(f"{PROG}: nothing to fix: no notebook is FAIL\n")
    if plan.changes and not plan.fmt_checked:
        err.append(f"{PROG}: note: terraform is not installed; `terraform fmt -check` skipped\n")
    # The instances of one block (count, for_each) share its edit and say so once.
    return Report("".join(out), "".join(dict.fromkeys(err)), any(n.refused for n in plan.notebooks))

"""``cmkguard fix`` as a library call: scan, ask the fixers, verify, and say what would change.

Every FAIL finding (not suppressed or baselined) is given to the fixers of its reasons. A notebook
is fixed only when every one of its reasons has a proposal; the proposals of all fixed notebooks
are then applied together in memory and re-scanned. A notebook that does not PASS afterwards,
an edited file that no longer parses, a notebook that passed and no longer does, or a file
``terraform fmt -check`` rejects (when it accepted the original) drops the proposals involved,
and the rest is checked again: what is offered has been seen to PASS.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from cmkguard.catalogue.codes import Reason
from cmkguard.catalogue.entries import lookup
from cmkguard.findings import Finding, ScanResult, Status
from cmkguard.fix.context import (
    KEY_REPLACING,
    Advice,
    FixContext,
    KeyChoice,
    Proposal,
    SourceFiles,
    failing,
)
from cmkguard.fix.edits import TextEdit, apply_edits
from cmkguard.fix.fixers import FIXERS, Fixer
from cmkguard.fix.verify import fmt_accepts, rescanned
from cmkguard.scan import ScanOptions, scan_terraform

__all__ = ["FileChange", "FixPlan", "NotebookFix", "confined", "plan_fixes"]


@dataclass(frozen=True, slots=True)
class FileChange:
    """One file's text before and after the offered edits."""

    path: Path
    """Absolute path."""
    rel: str
    """Relative to the scanned root, ``/``-separated, for diffs and messages."""
    before: str | None
    """The text the edits were computed on; ``None`` for a new file."""
    after: str
    """The edited text."""


@dataclass(frozen=True, slots=True)
class NotebookFix:
    """What fix does for one FAIL (or UNKNOWN) notebook."""

    finding: Finding
    """The finding of the scan."""
    proposals: tuple[Proposal, ...] = ()
    """The verified edits; empty when the notebook is not fixed."""
    advice: tuple[Advice, ...] = ()
    """Why it is not fixed and what to do by hand."""

    @property
    def fixed(self) -> bool:
        """True when the offered edits make the notebook PASS."""
        return bool(self.proposals)

    @property
    def refused(self) -> bool:
        """True when the input stops the fix (exit status 2)."""
        return any(a.refusal for a in self.advice)


@dataclass(frozen=True, slots=True)
class FixPlan:
    """Everything ``cmkguard fix`` found and would change."""

    scan: ScanResult
    """The scan the fixes start from."""
    notebooks: tuple[NotebookFix, ...] = ()
    """Every FAIL or UNKNOWN notebook, fixed or not, in scan order."""
    changes: tuple[FileChange, ...] = ()
    """The files the fixed notebooks' edits change, by path."""
    fmt_checked: bool = field(default=False)
    """True when ``terraform fmt -check`` was run on the changed files."""


def plan_fixes(target: Path, options: ScanOptions, choice: KeyChoice) -> FixPlan:
    """Scan ``target`` (a Terraform source tree or file) and plan the verified fixes."""
    result = scan_terraform(target, options)
    root = target if target.is_dir() else target.parent
    files = SourceFiles(root)
    shared: dict[str, object] = {}
    fixes = [
        NotebookFix(finding, advice=(_unknown_advice(finding),))
        for finding in result.findings
        if finding.status is Status.UNKNOWN and finding.live
    ]
    fixes.extend(
        _proposed(FixContext(finding, result, files, choice, shared, options))
        for finding in failing(result)
    )
    fixes, changes, checked = _verified(target, options, files, result, fixes)
    order = {f.address: i for i, f in enumerate(result.findings)}
    fixes.sort(key=lambda f: order.get(f.finding.address, 0))
    return FixPlan(result, tuple(fixes), changes, checked)


def _unknown_advice(finding: Finding) -> Advice:
    return Advice(
        f"{finding.address} is UNKNOWN, so there is nothing certain to fix: {finding.message}"
    )


def _proposed(context: FixContext) -> NotebookFix:
    """Ask the fixers of every reason; the notebook is a candidate only if all propose."""
    reasons = context.finding.reasons
    if KEY_REPLACING.intersection(reasons):
        reasons = tuple(r for r in reasons if r in KEY_REPLACING)
    called: list[Fixer] = []
    proposals: list[Proposal] = []
    advice: list[Advice] = []
    for reason in reasons:
        fixer = FIXERS.get(reason)
        if fixer is None:
            advice.append(_catalogue_advice(context, reason))
            continue
        if fixer in called:
            continue
        called.append(fixer)
        outcome = fixer(context)
        if isinstance(outcome, Proposal):
            outcome = confined(context.files, outcome)
        if isinstance(outcome, Advice):
            advice.append(outcome)
        else:
            proposals.append(outcome)
    if advice:
        return NotebookFix(context.finding, advice=tuple(advice))
    return NotebookFix(context.finding, tuple(proposals))


def confined(files: SourceFiles, proposal: Proposal) -> Proposal | Advice:
    """``proposal``, or a refusal when it edits a file outside the scanned tree (a
    ``--var-file`` elsewhere, a downloaded module): only the scanned tree is ever written."""
    for edit in proposal.edits:
        try:
            rel = files.rel(edit.path)
        except ValueError:
            return Advice(f"{edit.path} is outside the scanned directory", refusal=True)
        why = files.editable(rel)
        if why is not None:
            return Advice(why, refusal=True)
    return proposal


def _catalogue_advice(context: FixContext, reason: Reason) -> Advice:
    entry = lookup(reason.value)
    how = entry.fix if entry is not None else ""
    return Advice(
        f"{context.label()}: no automatic fix for {reason.value}: {how} "
        f"(`cmkguard explain {reason.value}`)"
    )


def _verified(
    target: Path,
    options: ScanOptions,
    files: SourceFiles,
    before: ScanResult,
    fixes: list[NotebookFix],
) -> tuple[list[NotebookFix], tuple[FileChange, ...], bool]:
    """Drop proposals until the rest, applied together, are seen to work."""
    checked = False
    while True:
        candidates = [f for f in fixes if f.fixed]
        changes, conflicting = _changes(files, candidates)
        failures = {id(f): _CONFLICT for f in conflicting}
        # NOTE: re-scanned even when no file changes: a proposal whose edits are all no-ops
        # (the key asked for is already there) must still be seen to PASS.
        if not failures and candidates:
            after = rescanned(target, options, {c.path: c.after for c in changes})
            failures = _rescan_failures(before, after, candidates, changes)
            if not failures:
                failures, checked = _fmt_failures(candidates, changes)
        if not failures:
            return fixes, changes, checked
        fixes = [
            NotebookFix(f.finding, advice=(Advice(failures[id(f)]),)) if id(f) in failures else f
            for f in fixes
        ]


_CONFLICT = "its edits overlap another notebook's; fix it in a second run"


def _changes(
    files: SourceFiles, candidates: list[NotebookFix]
) -> tuple[tuple[FileChange, ...], list[NotebookFix]]:
    """The files the candidates change; the candidates whose edits overlap earlier ones."""
    by_path: dict[Path, list[TextEdit]] = {}
    conflicting: list[NotebookFix] = []
    for fix in candidates:
        edits = [e for p in fix.proposals for e in p.edits]
        trial = {path: list(found) for path, found in by_path.items()}
        for edit in edits:
            if edit not in trial.setdefault(edit.path, []):
                trial[edit.path].append(edit)
        try:
            for path, found in trial.items():
                apply_edits(_text(files, path), found)
        except ValueError:
            conflicting.append(fix)
            continue
        by_path = trial
    changes = []
    for path in sorted(by_path):
        before = files.read_texts.get(path)
        after = apply_edits(before or "", by_path[path])
        if after != (before or "") or before is None:
            changes.append(FileChange(path, files.rel(path), before, after))
    return tuple(changes), conflicting


def _text(files: SourceFiles, path: Path) -> str:
    return files.read_texts.get(path) or ""


def _touches(fix: NotebookFix, paths: Iterable[Path]) -> bool:
    wanted = set(paths)
    return any(e.path in wanted for p in fix.proposals for e in p.edits)


def _rescan_failures(
    before: ScanResult,
    after: ScanResult,
    candidates: list[NotebookFix],
    changes: tuple[FileChange, ...],
) -> dict[int, str]:
    """Why each failing candidate failed the re-scan."""
    failures: dict[int, str] = {}
    by_key = {(f.address, f.root_module): f for f in after.findings}
    for fix in candidates:
        found = by_key.get((fix.finding.address, fix.finding.root_module))
        if found is None:
            failures[id(fix)] = "after the edit the notebook was not found again"
        elif found.status is not Status.PASS:
            failures[id(fix)] = (
                f"the edit would leave it {found.status.value} "
                f"({', '.join(r.value for r in found.reasons)}): {found.message}"
            )
    by_rel = {c.rel: c.path for c in changes}
    old_errors = {(e.path, e.message) for e in before.errors}
    broken = {
        by_rel[e.path]
        for e in after.errors
        if e.path in by_rel and (e.path, e.message) not in old_errors
    }
    passed = {(f.address, f.root_module) for f in before.findings if f.status is Status.PASS}
    regressed = {
        f.file
        for f in after.findings
        if (f.address, f.root_module) in passed and f.status is not Status.PASS
    }
    if regressed:
        broken.update(c.path for c in changes if _same_dir(c.rel, regressed))
        if not any(_touches(fix, broken) for fix in candidates):
            # Nothing to blame it on: offer nothing rather than a fix that breaks a notebook.
            broken.update(c.path for c in changes)
    for fix in candidates:
        if id(fix) not in failures and _touches(fix, broken):
            failures[id(fix)] = (
                "the edit would break its file or another notebook that passes now; fix it by hand"
            )
    return failures


def _same_dir(rel: str, files: set[str | None]) -> bool:
    directory = rel.rsplit("/", 1)[0] if "/" in rel else "."
    return any(
        f is not None and (f.rsplit("/", 1)[0] if "/" in f else ".") == directory for f in files
    )


def _fmt_failures(
    candidates: list[NotebookFix], changes: tuple[FileChange, ...]
) -> tuple[dict[int, str], bool]:
    """Candidates whose files ``terraform fmt -check`` rejects after the edit (and accepted
    before); whether the check ran at all."""
    rejected: set[Path] = set()
    for change in changes:
        accepts = fmt_accepts(change.after)
        if accepts is None:
            return {}, False
        if not accepts and (change.before is None or fmt_accepts(change.before)):
            rejected.add(change.path)
    failures = {
        id(fix): "terraform fmt -check would reject the edited file; fix it by hand"
        for fix in candidates
        if _touches(fix, rejected)
    }
    return failures, True

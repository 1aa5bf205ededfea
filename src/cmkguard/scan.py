"""The library entry points: scan Terraform source trees and plan/state files."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path

from cmkguard import baseline, suppressions
from cmkguard.control.notebook_cmk import judge
from cmkguard.errors import InputError
from cmkguard.findings import BaselineEntry, Finding, InputKind, ScanResult, Suppression
from cmkguard.inventory import Inventory, SourceLocation
from cmkguard.settings import Settings
from cmkguard.sources.inputs import read_bytes
from cmkguard.sources.plan import load_plan
from cmkguard.sources.terraform.loader import VariableInputs, load_terraform
from cmkguard.tfinputs import VarArg, VarFile
from cmkguard.values import Data, Known, Unknown, Value

__all__ = [
    "Acceptance",
    "ScanOptions",
    "VarArg",
    "VarFile",
    "accept",
    "scan_paths",
    "scan_plan",
    "scan_terraform",
]

SOURCE_SUFFIXES = (".tf", ".tf.json")


def utc_today() -> date:
    """Today in UTC: suppressions expire on the same day for every runner."""
    return datetime.now(UTC).date()


@dataclass(frozen=True, slots=True)
class Acceptance:
    """Accepted exceptions, applied after judging: they mark findings, never change verdicts."""

    today: date = field(default_factory=utc_today)
    """The date ``until=`` is compared with (a suppression holds through its last day)."""
    suppressions: tuple[Suppression, ...] = ()
    """Configuration ``[[suppressions]]`` entries (address globs)."""
    baseline: tuple[BaselineEntry, ...] | None = None
    """``--baseline`` entries; ``None`` when no baseline is used."""
    fail_on_unused: bool = False
    """``--fail-on-unused-suppressions``: an unused suppression is an error (exit 2)."""


@dataclass(frozen=True, slots=True)
class ScanOptions:
    """Inputs to a static scan besides the paths."""

    command_line: tuple[VarFile | VarArg, ...] = ()
    """``--var-file`` and ``--var`` in the order given (a later one wins, as in Terraform)."""
    env: Mapping[str, str] = field(default_factory=dict)
    """The environment, for ``TF_VAR_name``."""
    settings: Settings = field(default_factory=Settings)
    """How strictly to judge."""
    acceptance: Acceptance = field(default_factory=Acceptance)
    """Suppressions and baseline."""


def scan_paths(paths: Sequence[Path], options: ScanOptions) -> ScanResult:
    """Scan directories and files: Terraform source trees, ``.tf``/``.tf.json`` files, and
    ``terraform show -json`` plan/state files (detected by content).

    Source trees are scanned first, so that findings from a plan scanned with its tree point at
    the source ``file:line``, and a key policy the plan knows only after apply is read from the
    source. A path that cannot be read is an error; the others still run.
    """
    sources = [p for p in paths if p.is_dir() or p.name.endswith(SOURCE_SUFFIXES)]
    others = [p for p in paths if p not in sources]
    result = ScanResult()
    context = SourceContext()
    for path in sources:
        source_result, found = scan_terraform(path, options)
        result = result.merged(source_result)
        context.add(found)
    for path in others:
        result = result.merged(scan_plan(path, options.settings, context))
    return accept(result, options.acceptance)


def accept(result: ScanResult, acceptance: Acceptance) -> ScanResult:
    """Apply the run-wide acceptance to a judged result (static or live): configuration
    suppressions, then the baseline, then unused suppressions as errors if asked."""
    findings, unused = suppressions.apply_config(
        result.findings, acceptance.suppressions, acceptance.today
    )
    fixed: tuple[BaselineEntry, ...] = ()
    if acceptance.baseline is not None:
        findings, fixed = baseline.apply(findings, acceptance.baseline)
    unused = result.unused_suppressions + unused
    errors = result.errors
    if acceptance.fail_on_unused:
        errors += tuple(unused_error(s) for s in unused)
    return replace(
        result, findings=findings, errors=errors, unused_suppressions=unused, fixed=fixed
    )


def unused_error(suppression: Suppression) -> InputError:
    """``--fail-on-unused-suppressions``: the suppression as an input error at its place."""
    what = ", ".join(suppression.codes)
    return InputError(
        suppression.file,
        suppression.line,
        f"unused suppression [{what}]{_for_address(suppression)}: it matches no FAIL or "
        "UNKNOWN finding; remove it",
    )


def _for_address(suppression: Suppression) -> str:
    return f" for {suppression.address}" if suppression.address is not None else ""


@dataclass(slots=True)
class SourceContext:
    """What the source trees of a run say about the addresses a plan of them contains."""

    locations: dict[str, SourceLocation] = field(default_factory=dict)
    """Notebook address -> where it is written."""
    policies: dict[str, Value[Data]] = field(default_factory=dict)
    """Key address -> its effective policy as the source evaluates it."""

    def add(self, inventory: Inventory) -> None:
        """Record the notebooks and keys of one source inventory."""
        for nb in inventory.notebooks:
            if isinstance(nb.location, SourceLocation):
                self.locations[nb.address] = nb.location
            ref = nb.kms_key.value if isinstance(nb.kms_key, Known) else None
            if ref is not None and ref.key is not None and ref.key.location is not None:
                self.add_policy(ref.key.label, ref.key.policy)

    def add_policy(self, address: str, policy: Value[Data]) -> None:
        """Record a key's source policy; conflicting ones for one address become Unknown."""
        # Two root modules may define a key at the same address with different policies; a
        # plan cannot say which root it was made from, so neither may stand in for it.
        seen = self.policies.get(address)
        if seen is None or seen == policy:
            self.policies[address] = policy
        else:
            self.policies[address] = Unknown(
                f"the scanned source trees define {address} in several root modules with "
                "different policies"
            )


def scan_terraform(path: Path, options: ScanOptions) -> tuple[ScanResult, Inventory]:
    """Scan one Terraform source tree (or one file). Also returns the inventory, for plans
    scanned in the same run."""
    inputs = VariableInputs(command_line=options.command_line, env=dict(options.env))
    inventory, errors = load_terraform([path], inputs)
    findings = judge(inventory, options.settings, InputKind.TERRAFORM)
    root = path if path.is_dir() else path.parent
    files, problems = _read_suppressions(root, findings)
    marked, unused = suppressions.apply_inline(findings, files, options.acceptance.today)
    result = ScanResult(marked, (*errors, *problems), (str(path),), unused)
    return result, inventory


def _read_suppressions(
    root: Path, findings: Sequence[Finding]
) -> tuple[dict[str, suppressions.FileSuppressions], list[InputError]]:
    """The suppression comments of the files that hold notebooks (read again: the parser's
    tree does not keep comments)."""
    files: dict[str, suppressions.FileSuppressions] = {}
    problems: list[InputError] = []
    for file, blocks in sorted(suppressions.block_lines(findings).items()):
        data = read_bytes(root / file, file)
        if isinstance(data, InputError):
            continue  # the loader has already reported an unreadable file
        found = suppressions.read_file_suppressions(
            file, data.decode("utf-8", errors="replace"), blocks
        )
        files[file] = found
        problems.extend(found.errors)
    return files, problems


def scan_plan(path: Path, settings: Settings, context: SourceContext | None = None) -> ScanResult:
    """Scan one ``terraform show -json`` plan or state file."""
    display = str(path)
    if not path.exists():
        return ScanResult(errors=(InputError(display, None, "no such file or directory"),))
    data = read_bytes(path, display)
    if isinstance(data, InputError):
        return ScanResult(errors=(data,), inputs=(display,))
    context = context or SourceContext()
    inventory, kind, errors = load_plan(data, display, context.locations, context.policies)
    return ScanResult(judge(inventory, settings, kind), tuple(errors), (display,))

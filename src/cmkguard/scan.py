"""The library entry points: scan Terraform source trees and plan/state files."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cmkguard.acceptance import Acceptance, accept, accept_inline
from cmkguard.control.notebook_cmk import judge
from cmkguard.errors import InputError
from cmkguard.findings import InputKind, ScanResult
from cmkguard.inventory import Inventory, SourceLocation
from cmkguard.settings import Settings
from cmkguard.sources.inputs import read_bytes
from cmkguard.sources.plan import load_plan
from cmkguard.sources.terraform.loader import VariableInputs, load_terraform
from cmkguard.tfinputs import VarArg, VarFile
from cmkguard.values import Data, Known, Unknown, Value

__all__ = ["ScanOptions", "VarArg", "VarFile", "scan_paths", "scan_plan", "scan_terraform"]

SOURCE_SUFFIXES = (".tf", ".tf.json")


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
    """Suppressions and the baseline, applied after judging."""


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
    result = ScanResult(findings, tuple(errors), (str(path),))
    root = path if path.is_dir() else path.parent
    return accept_inline(result, root, options.acceptance.today), inventory


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

"""Findings and scan results: the JSON contract of ``shared/control.md``, one to one."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum

from cmkguard.catalogue.codes import Reason, WarningCode
from cmkguard.errors import InputError
from cmkguard.inventory import Location, SourceLocation
from cmkguard.values import Step


class Status(StrEnum):
    """The verdict for one notebook."""

    PASS = "PASS"  # noqa: S105 - a verdict, not a password
    FAIL = "FAIL"
    UNKNOWN = "UNKNOWN"


class InputKind(StrEnum):
    """Which kind of input a finding was made from."""

    TERRAFORM = "terraform"
    PLAN = "plan"
    STATE = "state"
    LIVE = "live"


class ChainKind(StrEnum):
    """What an evidence chain shows; a finding has at most one chain of each kind."""

    CONTEXT = "context"
    """Where the notebook comes from: the plan's ``resource_changes`` entry."""
    KEY = "key"
    """From ``kms_key_id`` to the key: references, locals, aliases, or the live API calls."""
    POLICY = "policy"
    """From the key to its policy: the ``policy`` argument, an ``aws_kms_key_policy``, the policy
    document and what it references, or ``GetKeyPolicy``."""

    @property
    def heading(self) -> str:
        """How reports label the chain."""
        return _CHAIN_TITLES[self]


_CHAIN_TITLES = {
    ChainKind.CONTEXT: "context",
    ChainKind.KEY: "key path",
    ChainKind.POLICY: "policy path",
}


@dataclass(frozen=True, slots=True)
class EvidenceChain:
    """One path the judge followed, outermost step first (SARIF ``relatedLocations``)."""

    kind: ChainKind
    steps: tuple[Step, ...]
    """Never empty."""

    def __post_init__(self) -> None:
        if not self.steps:
            raise ValueError(f"an evidence chain ({self.kind}) needs at least one step")


@dataclass(frozen=True, slots=True)
class Finding:
    """The verdict on one notebook instance, with every reason and the evidence behind it."""

    control: str
    """Always ``sagemaker_notebook_instance_encrypted_with_kms_cmk``."""
    address: str
    """Terraform address, or the notebook ARN for live findings."""
    status: Status
    """PASS, FAIL or UNKNOWN."""
    reasons: tuple[Reason, ...]
    """Every reason that holds; empty exactly when PASS."""
    warnings: tuple[WarningCode, ...]
    """Advisories that did not change the verdict."""
    message: str
    """One or more sentences for people, naming any missing input."""
    location: Location
    """File and line (source, plan) or account/region/ARN (live)."""
    input: InputKind
    """Which input the finding comes from."""
    evidence: tuple[EvidenceChain, ...] = ()
    """The chains behind the verdict, in ``ChainKind`` order: context, the key path (e.g.
    ``kms_key_id (main.tf:12) → local.key → aws_kms_key.k``), the policy path."""
    notes: tuple[str, ...] = ()
    """Further details (conditional policy statements, backup advice, ...)."""
    region: str | None = None
    """The notebook's region when known."""
    account: str | None = None
    """The owning account when known (live)."""
    root_module: str | None = None
    """Terraform source: the root module directory the notebook was evaluated in."""

    def __post_init__(self) -> None:
        if (self.status is Status.PASS) != (not self.reasons):
            raise ValueError(f"{self.address}: PASS must have no reasons and FAIL/UNKNOWN some")
        if self.status is Status.UNKNOWN and self.reasons != (Reason.UNRESOLVED,):
            raise ValueError(f"{self.address}: UNKNOWN carries exactly the reason 'unresolved'")
        if self.status is Status.FAIL and Reason.UNRESOLVED in self.reasons:
            raise ValueError(f"{self.address}: FAIL cannot carry 'unresolved'")
        kinds = [chain.kind for chain in self.evidence]
        if len(kinds) != len(set(kinds)):
            raise ValueError(f"{self.address}: one evidence chain of each kind at most")

    @property
    def file(self) -> str | None:
        """The source file, for source and plan findings."""
        return self.location.file if isinstance(self.location, SourceLocation) else None

    @property
    def line(self) -> int | None:
        """The source line, for source and plan findings."""
        return self.location.line if isinstance(self.location, SourceLocation) else None


@dataclass(frozen=True, slots=True)
class Summary:
    """Counts for the end of a report."""

    total: int
    passed: int
    failed: int
    unknown: int
    errors: int


@dataclass(frozen=True, slots=True)
class ScanResult:
    """Everything a scan produced.

    Exit status: 2 if any error, else 1 if any FAIL/UNKNOWN, else 0.
    """

    findings: tuple[Finding, ...] = ()
    """One finding per notebook instance."""
    errors: tuple[InputError, ...] = ()
    """Inputs that could not be read, and live scopes that could not be listed."""
    inputs: tuple[str, ...] = field(default=())
    """What was scanned (paths, or ``aws:ACCOUNT:REGION``), for reports and evidence."""

    @property
    def summary(self) -> Summary:
        """Counts by status."""
        counts = Counter(f.status for f in self.findings)
        return Summary(
            total=len(self.findings),
            passed=counts[Status.PASS],
            failed=counts[Status.FAIL],
            unknown=counts[Status.UNKNOWN],
            errors=len(self.errors),
        )

    def exit_code(self) -> int:
        """0 all PASS, 1 any FAIL or UNKNOWN, 2 any error (the findings are still reported)."""
        if self.errors:
            return 2
        if any(f.status is not Status.PASS for f in self.findings):
            return 1
        return 0

    def merged(self, other: ScanResult) -> ScanResult:
        """This result followed by ``other``."""
        return ScanResult(
            self.findings + other.findings, self.errors + other.errors, self.inputs + other.inputs
        )

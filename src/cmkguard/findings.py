"""Findings and scan results: the JSON contract of ``shared/control.md``, one to one."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from cmkguard.catalogue.codes import Reason, WarningCode
from cmkguard.catalogue.entries import CATALOGUE
from cmkguard.errors import InputError

# InputKind belongs to the inventory (a source says what it read); re-exported for findings.
from cmkguard.inventory import InputKind as InputKind
from cmkguard.inventory import Location, SourceLocation
from cmkguard.values import Step


class Status(StrEnum):
    """The verdict for one notebook."""

    PASS = "PASS"  # noqa: S105 - a verdict, not a password
    FAIL = "FAIL"
    UNKNOWN = "UNKNOWN"


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


class SuppressionKind(StrEnum):
    """Where a suppression was written."""

    INLINE = "inline"
    """A ``cmkguard:ignore[...]`` comment at the notebook block."""
    CHECKOV = "checkov"
    """A ``checkov:skip=CKV_AWS_22`` / ``CKV_AWS_187`` comment, honoured for migration."""
    CONFIG = "config"
    """A ``[[suppressions]]`` entry of the configuration file (address globs)."""


@dataclass(frozen=True, slots=True)
class Suppression:
    """An accepted exception: which codes, why, until when, and where it is written."""

    kind: SuppressionKind
    """Inline comment, Checkov skip or configuration entry."""
    codes: tuple[str, ...]
    """Reason codes it covers (``unresolved`` included); a Checkov skip names its check ID and
    covers every reason."""
    reason: str | None
    """The justification; ``None`` only for a Checkov skip written without one (flagged)."""
    until: date | None
    """Last day it holds; after that the finding is live again."""
    file: str
    """Where it is written: a source file relative to the scanned root, or the config file."""
    line: int | None
    """1-based line of the comment; ``None`` for configuration entries."""
    address: str | None = None
    """For configuration entries: the address glob (``*`` and ``?`` are wildcards)."""

    @property
    def where(self) -> str:
        """``main.tf:12``, or ``cmkguard.toml (suppressions: ADDRESS)`` for config entries."""
        if self.line is not None:
            return f"{self.file}:{self.line}"
        return f"{self.file} (suppressions: {self.address})"

    @property
    def label(self) -> str:
        """``[missing] at main.tf:3 until 2026-12-31: reason``, for reports."""
        text = f"[{', '.join(self.codes)}] at {self.where}"
        if self.until is not None:
            text += f" until {self.until.isoformat()}"
        return text + (f": {self.reason}" if self.reason is not None else " (no reason given)")

    @property
    def covers_everything(self) -> bool:
        """A Checkov skip accepts the whole control, whatever the reasons."""
        return self.kind is SuppressionKind.CHECKOV


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
    suppressed: Suppression | None = None
    """Set when an accepted exception covers every reason: reported, but not in the exit
    status."""
    baselined: bool = False
    """Set when ``--baseline`` lists this finding: reported, but not in the exit status."""

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
        if self.status is Status.PASS and (self.suppressed is not None or self.baselined):
            raise ValueError(f"{self.address}: a PASS is never suppressed or baselined")

    @property
    def live(self) -> bool:
        """FAIL or UNKNOWN and neither suppressed nor baselined: it decides the exit status."""
        return self.status is not Status.PASS and self.suppressed is None and not self.baselined

    @property
    def fix(self) -> str | None:
        """How to fix the first reason, for code or, for a live finding, for the account: a
        live finding gets no ``--var`` or HCL advice. ``None`` for a PASS."""
        if not self.reasons:
            return None
        return CATALOGUE[self.reasons[0]].advice(self.input is InputKind.LIVE)

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
    suppressed: int = 0
    """FAIL/UNKNOWN findings an accepted exception covers (counted in failed/unknown too)."""
    baselined: int = 0
    """FAIL/UNKNOWN findings the baseline lists (counted in failed/unknown too)."""


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
    unused_suppressions: tuple[Suppression, ...] = ()
    """Suppressions that matched no FAIL/UNKNOWN finding (stale: remove or tighten them)."""
    fixed: tuple[BaselineEntry, ...] = ()
    """Baseline entries no finding matches any more (the baseline can be tightened)."""
    notices: tuple[str, ...] = ()
    """Warnings for standard error that change no verdict and no exit status, each once."""

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
            suppressed=sum(f.suppressed is not None for f in self.findings),
            baselined=sum(f.baselined for f in self.findings),
        )

    def exit_code(self) -> int:
        """0 all PASS, 1 any FAIL or UNKNOWN, 2 any error (the findings are still reported).
        Suppressed and baselined findings do not count."""
        if self.errors:
            return 2
        if any(f.live for f in self.findings):
            return 1
        return 0

    def merged(self, other: ScanResult) -> ScanResult:
        """This result followed by ``other``."""
        return ScanResult(
            self.findings + other.findings,
            self.errors + other.errors,
            self.inputs + other.inputs,
            self.unused_suppressions + other.unused_suppressions,
            self.fixed + other.fixed,
            tuple(dict.fromkeys(self.notices + other.notices)),
        )


@dataclass(frozen=True, slots=True)
class BaselineEntry:
    """One accepted FAIL/UNKNOWN finding of a baseline file (no line numbers: edits above a
    notebook do not make it new)."""

    address: str
    """The finding's address."""
    root_module: str | None
    """The root module it was evaluated in (two roots may share an address)."""
    reasons: tuple[str, ...]
    """Its reason codes, sorted."""
    fingerprint: str
    """``sha256:`` of control, root module, address and reasons."""

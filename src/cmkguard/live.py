"""The live library entry point: load live AWS accounts, judge every notebook, return the result
and the API exchanges behind it. The pipeline itself is ``sources.aws.pipeline``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from cmkguard.catalogue.mappings import CONFIG_RULE_IDS
from cmkguard.control.notebook_cmk import judge
from cmkguard.findings import ScanResult
from cmkguard.records import ApiRecord, Json
from cmkguard.settings import Settings
from cmkguard.sources.aws.pipeline import AwsSource, Progress, RegionReport
from cmkguard.sources.aws.session import (
    CALL_TIMEOUT,
    AccountSelection,
    SessionFactory,
    default_session_factory,
)

__all__ = ["LiveOptions", "LiveScan", "Progress", "RegionReport", "scan_live"]


@dataclass(frozen=True)
class LiveOptions:
    """What ``scan_live`` scans and how."""

    regions: tuple[str, ...] | Literal["all"] | None = None
    """Regions to scan; ``"all"`` = where SageMaker is available and enabled for the account;
    ``None`` = the session's default region."""
    profiles: tuple[str, ...] = ()
    """Named profiles, one account each."""
    role_arns: tuple[str, ...] = ()
    """Roles to assume from the default session, one account each."""
    org_role: str | None = None
    """Role name to assume in every ACTIVE account of the default session's organization."""
    concurrency: int = 8
    """Worker threads (and at least as many HTTP connections per client)."""
    collect_evidence: bool = False
    """Also record AWS Config results and CloudTrail events for the evidence bundle."""
    settings: Settings = field(default_factory=Settings)
    """How strictly to judge."""
    progress: Progress | None = None
    """Progress callback for people (a progress bar); ``None`` for none."""
    on_region: RegionReport | None = None
    """Called as each region's listing ends (a progress line); ``None`` for none."""
    timeout: float | None = None
    """Seconds the whole scan may take; calls not started by then are not made and the scan is
    incomplete (exit status 2). ``None`` for no limit."""
    call_timeout: float = CALL_TIMEOUT
    """Seconds to connect and to wait for each answer, per HTTP attempt."""


@dataclass(frozen=True)
class LiveScan:
    """A finished live scan: the verdicts and every API exchange behind them."""

    result: ScanResult
    """Findings (address = notebook ARN) and errors (unreachable accounts, unlisted regions)."""
    records: tuple[ApiRecord, ...]
    """Every AWS call made, in the order they finished."""
    identities: tuple[dict[str, Json], ...]
    """``GetCallerIdentity`` of each scanned account, with ``Source`` (how it was reached)."""
    started_at: str
    """UTC start, ISO 8601."""
    finished_at: str
    """UTC end, ISO 8601."""


def scan_live(
    options: LiveOptions, session_factory: SessionFactory = default_session_factory
) -> LiveScan:
    """Scan the selected accounts and regions and judge every notebook found.

    Never raises for AWS failures: an account that cannot be reached or a region that cannot be
    listed is an error in ``result.errors`` (exit status 2), a refused call about one notebook or
    key makes that notebook UNKNOWN. Raises ``UsageError`` for impossible options.
    """
    source = AwsSource(
        selection=AccountSelection(options.profiles, options.role_arns, options.org_role),
        regions=options.regions,
        concurrency=options.concurrency,
        config_rule_ids=CONFIG_RULE_IDS if options.collect_evidence else None,
        progress=options.progress,
        on_region=options.on_region,
        timeout=options.timeout,
        call_timeout=options.call_timeout,
        session_factory=session_factory,
    )
    loaded = source.load()
    findings = judge(loaded.inventory, options.settings, loaded.kind)
    return LiveScan(
        result=ScanResult(findings, loaded.errors, loaded.inputs),
        records=loaded.records,
        identities=loaded.identities,
        started_at=loaded.started_at,
        finished_at=loaded.finished_at,
    )

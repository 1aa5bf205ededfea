"""The live source: every SageMaker notebook instance of the selected accounts and regions.

Accounts and regions are scanned by a bounded pool of worker threads. The work is a pipeline,
not a sequence of phases: a region's listing starts the descriptions of its notebooks as each
page arrives, and a description starts the lookup of its key the first time that key is seen.
Each distinct key identifier (per account and region) is described once, and each key policy
read once. Every call is recorded for the evidence bundle.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any, Literal, ParamSpec

from cmkguard.errors import InputError, UsageError
from cmkguard.inventory import InputKind, Inventory, Notebook
from cmkguard.records import ApiRecord, Json
from cmkguard.sources.aws.calls import TIMEOUT_CODE, CallError, Recorder, now_iso
from cmkguard.sources.aws.evidence import collect_region_evidence
from cmkguard.sources.aws.notebooks import (
    POLICY_NOT_READ,
    KeyLookup,
    Listed,
    build_notebook,
    describe_key,
    describe_notebook,
    get_key_policy,
    is_aws_managed,
    key_region,
    key_setting,
    list_notebooks,
    needs_lookup,
    unreadable_notebook,
)
from cmkguard.sources.aws.regions import resolve_regions
from cmkguard.sources.aws.session import (
    CALL_TIMEOUT,
    AccountSelection,
    SessionFactory,
    Target,
    default_session_factory,
    open_targets,
)
from cmkguard.sources.interface import Loaded

Progress = Callable[[int, int], None]
"""Called as ``progress(done, total)`` with counts of work items, from worker threads. The
total grows while notebooks and keys are discovered."""

RegionReport = Callable[[str, int, InputError | None], None]
"""Called as ``report(scope, notebooks, error)`` when the listing of one region ends: its scope
``aws:ACCOUNT:REGION``, how many notebooks it listed, and the error that cut it short (``None``
when the listing is complete). From worker threads."""

_P = ParamSpec("_P")


@dataclass(frozen=True, slots=True, kw_only=True)
class LiveLoaded(Loaded):
    """What a live source loaded, with every API exchange behind it (for the evidence bundle)."""

    records: tuple[ApiRecord, ...]
    """Every AWS call made, in the order they finished."""
    identities: tuple[dict[str, Json], ...]
    """``GetCallerIdentity`` of each scanned account, with ``Source`` (how it was reached)."""
    started_at: str
    """UTC start, ISO 8601."""
    finished_at: str
    """UTC end, ISO 8601."""


@dataclass(frozen=True)
class AwsSource:
    """Live AWS accounts and regions, read through the SageMaker and KMS APIs."""

    selection: AccountSelection = field(default_factory=AccountSelection)
    """Which accounts: named profiles, roles to assume, an organization role (none = the
    default session's account)."""
    regions: tuple[str, ...] | Literal["all"] | None = None
    """Regions to scan; ``"all"`` = where SageMaker is available and enabled for the account;
    ``None`` = the session's default region."""
    concurrency: int = 8
    """Worker threads (and at least as many HTTP connections per client)."""
    config_rule_ids: tuple[str, ...] | None = None
    """When set, also record these AWS Config rules' results and the CloudTrail events for the
    evidence bundle (the control owns the rule IDs)."""
    progress: Progress | None = None
    """Progress callback for people (a progress bar); ``None`` for none."""
    on_region: RegionReport | None = None
    """Called as each region's listing ends (progress lines for people); ``None`` for none."""
    timeout: float | None = None
    """Seconds the whole scan may take (``--timeout``): calls not started by then are not made,
    and the scan is incomplete. ``None`` for no limit."""
    call_timeout: float = CALL_TIMEOUT
    """Seconds to connect and to wait for each answer, per HTTP attempt (``--call-timeout``)."""
    session_factory: SessionFactory = default_session_factory
    """Makes the boto3 session of a profile (``None`` = the default credentials)."""

    def load(self) -> LiveLoaded:
        """List and describe every notebook and its key. Never raises for AWS failures: an
        account that cannot be reached or a region that cannot be listed is an error, a refused
        call about one notebook or key leaves that notebook's facts ``Unknown``. Raises
        ``UsageError`` for impossible options."""
        if self.concurrency < 1:
            raise UsageError(f"--concurrency must be at least 1, got {self.concurrency}")
        started = now_iso()
        recorder = Recorder(self.timeout)
        targets, errors = open_targets(
            self.selection, self.session_factory, recorder, self.concurrency, self.call_timeout
        )
        scopes: list[tuple[Target, str]] = []
        for target in targets:
            regions, region_errors = resolve_regions(target, self.regions, recorder)
            errors.extend(region_errors)
            scopes.extend((target, region) for region in regions)
        with ThreadPoolExecutor(
            max_workers=self.concurrency, thread_name_prefix="cmkguard"
        ) as pool:
            run = _Run(pool, recorder, self.progress, self.on_region)
            for index, (target, region) in enumerate(scopes):
                run.submit(run.scan_region, index, target, region)
                if self.config_rule_ids is not None:
                    run.submit(
                        collect_region_evidence, target, region, recorder, self.config_rule_ids
                    )
            run.join()
        notebooks, region_errors = run.results(scopes)
        cut_short = sum(record.error is not None and record.error.startswith(TIMEOUT_CODE)
                        for record in recorder.records)  # fmt: skip
        if cut_short:
            # Each call not made is already an error or an UNKNOWN where it mattered; this line
            # says why in one place, and makes the scan incomplete (exit status 2) in any case.
            region_errors.append(
                InputError(
                    "aws",
                    None,
                    f"live scan incomplete: --timeout of {self.timeout:g} s reached; "
                    f"{cut_short} calls were not made",
                )
            )
        return LiveLoaded(
            Inventory(tuple(notebooks)),
            InputKind.LIVE,
            tuple(errors) + tuple(region_errors),
            tuple(f"aws:{target.account}:{region}" for target, region in scopes),
            records=recorder.records,
            identities=tuple(target.identity for target in targets),
            started_at=started,
            finished_at=now_iso(),
        )


@dataclass
class _Region:
    listed: list[Listed] = field(default_factory=list)
    descriptions: dict[int, dict[str, Json] | CallError] = field(default_factory=dict)
    error: InputError | None = None


_KeyId = tuple[str, str, str]
"""(account, region described in, identifier text)."""


class _Run:
    """The shared state of one scan's worker threads."""

    def __init__(
        self,
        pool: ThreadPoolExecutor,
        recorder: Recorder,
        progress: Progress | None,
        on_region: RegionReport | None,
    ) -> None:
        self._pool = pool
        self._recorder = recorder
        self._progress = progress
        self._on_region = on_region
        self._lock = threading.Lock()
        self._futures: list[Future[None]] = []
        self._done = 0
        self._regions: dict[int, _Region] = {}
        self._keys: dict[_KeyId, Future[KeyLookup]] = {}
        self._policy_locks: dict[tuple[str, str], threading.Lock] = {}
        self._policies: dict[tuple[str, str], str | CallError] = {}

    # --- scheduling -----------------------------------------------------------------------

    def submit(self, fn: Callable[_P, None], *args: _P.args, **kwargs: _P.kwargs) -> None:
        """Run ``fn`` on the pool and count it for ``join`` and the progress callback."""
        job = functools.partial(fn, *args, **kwargs)
        with self._lock:
            self._futures.append(self._pool.submit(self._counted, job))
            self._report()

    def _counted(self, job: Callable[[], None]) -> None:
        try:
            job()
        finally:
            with self._lock:
                self._done += 1
                self._report()

    def _report(self) -> None:
        if self._progress is not None:
            self._progress(self._done, len(self._futures) + len(self._keys))

    def join(self) -> None:
        """Wait until no work is left (work submits more work), re-raising any bug."""
        seen = 0
        while True:
            with self._lock:
                batch: list[Future[Any]] = self._futures[seen:] + list(self._keys.values())
                if seen == len(self._futures) and all(f.done() for f in self._keys.values()):
                    break
                seen = len(self._futures)
            wait(batch)
        for future in self._futures:
            future.result()
        for key_future in self._keys.values():
            key_future.result()

    # --- work -----------------------------------------------------------------------------

    def scan_region(self, index: int, target: Target, region: str) -> None:
        """List a region's notebooks and describe each."""
        state = _Region()
        with self._lock:
            self._regions[index] = state
        for page in list_notebooks(target, region, self._recorder):
            if isinstance(page, InputError):
                state.error = page
                break
            for notebook in page:
                position = len(state.listed)
                state.listed.append(notebook)
                self.submit(self.describe, state, position, target, region, notebook)
        if self._on_region is not None:
            self._on_region(f"aws:{target.account}:{region}", len(state.listed), state.error)

    def describe(
        self, state: _Region, position: int, target: Target, region: str, listed: Listed
    ) -> None:
        """Describe one notebook and start the lookup of its key, once per key."""
        description = describe_notebook(target, region, listed.name, self._recorder)
        with self._lock:
            state.descriptions[position] = description
        if isinstance(description, CallError):
            return
        text = key_setting(description)
        if text is not None and needs_lookup(text):
            self._key(target, key_region(text, region), text)

    def _key(self, target: Target, region: str, text: str) -> Future[KeyLookup]:
        ident = (target.account, region, text)
        with self._lock:
            future = self._keys.get(ident)
            if future is None:
                future = self._pool.submit(self._lookup, target, region, text)
                self._keys[ident] = future
                self._report()
            return future

    def _lookup(self, target: Target, region: str, text: str) -> KeyLookup:
        # Counted before the future is done, so that the last report precedes join()'s return.
        try:
            return self._look_up(target, region, text)
        finally:
            with self._lock:
                self._done += 1
                self._report()

    def _look_up(self, target: Target, region: str, text: str) -> KeyLookup:
        metadata = describe_key(target, region, text, self._recorder)
        if isinstance(metadata, CallError):
            return KeyLookup(text, region, metadata, POLICY_NOT_READ)
        if is_aws_managed(metadata):
            # aws-managed-key fails whatever the policy says: reading it is a wasted call.
            return KeyLookup(text, region, metadata, POLICY_NOT_READ)
        arn = str(metadata.get("Arn", text))
        return KeyLookup(text, region, metadata, self._policy(target, arn))

    def _policy(self, target: Target, arn: str) -> str | CallError:
        # Two identifiers (an alias and a key ID) can name one key: read its policy once.
        ident = (target.account, arn)
        with self._lock:
            lock = self._policy_locks.setdefault(ident, threading.Lock())
        with lock:
            if ident not in self._policies:
                self._policies[ident] = get_key_policy(target, arn, self._recorder)
            return self._policies[ident]

    # --- results --------------------------------------------------------------------------

    def results(self, scopes: list[tuple[Target, str]]) -> tuple[list[Notebook], list[InputError]]:
        """Every notebook, in scope order then listing order, and the regions not listed."""
        found: list[Notebook] = []
        errors: list[InputError] = []
        for index, (target, region) in enumerate(scopes):
            state = self._regions.get(index, _Region())
            if state.error is not None:
                errors.append(state.error)
            for position, listed in enumerate(state.listed):
                description = state.descriptions[position]
                if isinstance(description, CallError):
                    found.append(unreadable_notebook(target, region, listed, description))
                    continue
                text = key_setting(description)
                lookup = None
                if text is not None and needs_lookup(text):
                    lookup = self._keys[(target.account, key_region(text, region), text)].result()
                found.append(build_notebook(target, region, listed, description, lookup))
        return found, errors

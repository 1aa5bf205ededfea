"""Which accounts to scan and with which credentials; one shared client per service and region.

boto3 sessions are not thread-safe but its clients are: every client is made under the pool's
lock and then shared by the worker threads.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field

import boto3
from botocore.client import BaseClient
from botocore.config import Config
from botocore.exceptions import BotoCoreError

from cmkguard.errors import InputError
from cmkguard.records import Json
from cmkguard.sources.aws.calls import UNKNOWN_ACCOUNT, CallError, Recorder, call, invoke, pages

SessionFactory = Callable[[str | None], boto3.session.Session]
"""Makes the boto3 session of a named profile, or the default session for ``None``."""

FALLBACK_REGION = "us-east-1"
"""Where global calls (STS, Organizations, Account) go when the session names no region."""

SESSION_NAME = "cmkguard"
"""``RoleSessionName`` of every assumed role, so CloudTrail shows who looked."""


def default_session_factory(profile: str | None) -> boto3.session.Session:
    """The standard boto3 session: ``AWS_PROFILE``, ``AWS_ENDPOINT_URL`` and the rest apply."""
    return boto3.session.Session(profile_name=profile)


CALL_TIMEOUT = 10.0
"""Default seconds to connect, and to wait for each answer, per HTTP attempt
(``--call-timeout``)."""

MAX_ATTEMPTS = 4
"""HTTP attempts per call, the first included: three retries with backoff ride out throttling,
and a black-holed endpoint costs at most ``MAX_ATTEMPTS * call_timeout`` plus backoff (botocore's
default read timeout of 60 s and ten attempts took 689 s)."""


def client_config(concurrency: int, call_timeout: float = CALL_TIMEOUT) -> Config:
    """botocore's standard retry mode (backoff on throttling) with a bounded number of attempts,
    a timeout on every attempt, and a pool for every worker."""
    return Config(
        retries={"mode": "standard", "total_max_attempts": MAX_ATTEMPTS},
        connect_timeout=call_timeout,
        read_timeout=call_timeout,
        max_pool_connections=max(10, concurrency),
    )


class ClientPool:
    """One client per (service, region) of one session, made once and shared across threads."""

    def __init__(self, session: boto3.session.Session, config: Config) -> None:
        self._session = session
        self._config = config
        self._lock = threading.Lock()
        self._clients: dict[tuple[str, str], BaseClient] = {}

    @property
    def session(self) -> boto3.session.Session:
        """The session the clients are made from (only read under no concurrency)."""
        return self._session

    @property
    def home_region(self) -> str:
        """The session's region, or ``FALLBACK_REGION``."""
        return self._session.region_name or FALLBACK_REGION

    def get(self, service: str, region: str | None = None) -> BaseClient:
        """The shared client of ``service`` in ``region`` (default: the home region)."""
        where = region or self.home_region
        with self._lock:
            client = self._clients.get((service, where))
            if client is None:
                client = self._session.client(  # type: ignore[call-overload]  # service is a runtime name
                    service, region_name=where, config=self._config
                )
                self._clients[(service, where)] = client
            return client


@dataclass(frozen=True, slots=True)
class Target:
    """One account to scan, with working credentials."""

    account: str
    """The 12-digit account ID (from ``GetCallerIdentity``)."""
    partition: str
    """``aws``, ``aws-cn``, ``aws-us-gov`` ... from the caller's ARN."""
    source: str
    """How the credentials were obtained, for people: ``default credentials``, ``profile X``,
    ``role ARN``, ``organization account via role NAME``."""
    identity: dict[str, Json]
    """The ``GetCallerIdentity`` answer plus ``Source``."""
    clients: ClientPool = field(compare=False)
    """Shared clients of this account."""


@dataclass(frozen=True, slots=True)
class AccountSelection:
    """Which accounts ``cmkguard live`` scans (``--profile``, ``--role-arn``, ``--org-role``)."""

    profiles: tuple[str, ...] = ()
    """Named profiles; each is one account."""
    role_arns: tuple[str, ...] = ()
    """Roles to assume from the default session."""
    org_role: str | None = None
    """A role name assumed in every ACTIVE account of the default session's organization."""


def open_targets(
    selection: AccountSelection,
    factory: SessionFactory,
    recorder: Recorder,
    concurrency: int,
    call_timeout: float = CALL_TIMEOUT,
) -> tuple[list[Target], list[InputError]]:
    """Resolve the selection to accounts with working credentials.

    With no profile, role or organization role, the default session is the one account. An
    account that cannot be reached is an ``InputError`` (``aws:ACCOUNT`` or ``aws:profile:NAME``)
    and the others are still scanned. An account reached twice is scanned once.
    """
    config = client_config(concurrency, call_timeout)
    targets: list[Target] = []
    errors: list[InputError] = []

    def add(found: Target | InputError) -> None:
        if isinstance(found, InputError):
            errors.append(found)
        elif all(t.account != found.account for t in targets):
            targets.append(found)

    base: ClientPool | None = None
    needs_base = selection.role_arns or selection.org_role or not selection.profiles
    if needs_base:
        try:
            base = ClientPool(factory(None), config)
        except BotoCoreError as exc:
            errors.append(
                InputError("aws:default", None, f"cannot open the default session: {exc}")
            )
    if base is not None and not (selection.role_arns or selection.org_role or selection.profiles):
        add(identify(base, "default credentials", recorder))
    for profile in selection.profiles:
        try:
            pool = ClientPool(factory(profile), config)
        except BotoCoreError as exc:
            errors.append(InputError(f"aws:profile:{profile}", None, str(exc)))
            continue
        add(identify(pool, f"profile {profile}", recorder))
    if base is None:
        return targets, errors
    for role_arn in selection.role_arns:
        add(assume(base, role_arn, f"role {role_arn}", recorder, config))
    if selection.org_role is not None:
        org_targets, org_errors = _organization(base, selection.org_role, recorder, config)
        errors.extend(org_errors)
        for target in org_targets:
            add(target)
    return targets, errors


def identify(pool: ClientPool, source: str, recorder: Recorder) -> Target | InputError:
    """``GetCallerIdentity``: which account these credentials act in."""
    answer = call(recorder, UNKNOWN_ACCOUNT, pool.get("sts"), "GetCallerIdentity")
    if isinstance(answer, CallError):
        return InputError(f"aws:{_source_scope(source)}", None, f"{source}: {answer}")
    account = str(answer.get("Account", ""))
    arn = str(answer.get("Arn", ""))
    partition = arn.split(":")[1] if arn.count(":") >= 2 else "aws"
    return Target(account, partition, source, {**answer, "Source": source}, pool)


def _source_scope(source: str) -> str:
    if source.startswith("profile "):
        return "profile:" + source.removeprefix("profile ")
    return "default"


def _role_account(role_arn: str) -> str:
    parts = role_arn.split(":")
    return parts[4] if len(parts) > 4 and parts[4] else role_arn


def assume(
    base: ClientPool, role_arn: str, source: str, recorder: Recorder, config: Config
) -> Target | InputError:
    """STS ``AssumeRole`` from the base session, then ``GetCallerIdentity`` as the role."""
    scope = f"aws:{_role_account(role_arn)}"
    sts = base.get("sts")
    answer = _assume_role(recorder, sts, role_arn)
    if isinstance(answer, CallError):
        return InputError(scope, None, f"cannot assume {role_arn}: {answer}")
    credentials = answer
    session = boto3.session.Session(
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
        region_name=base.home_region,
    )
    target = identify(ClientPool(session, config), source, recorder)
    if isinstance(target, InputError):
        return InputError(scope, None, target.message)
    return target


def _assume_role(recorder: Recorder, sts: BaseClient, role_arn: str) -> dict[str, str] | CallError:
    raw, answer = invoke(
        recorder, UNKNOWN_ACCOUNT, sts, "AssumeRole", RoleArn=role_arn, RoleSessionName=SESSION_NAME
    )
    if isinstance(answer, CallError) or raw is None:
        return (
            answer
            if isinstance(answer, CallError)
            else CallError("AssumeRole", "NoCredentials", "")
        )
    return {k: str(v) for k, v in raw["Credentials"].items()}


def _organization(
    base: ClientPool, role_name: str, recorder: Recorder, config: Config
) -> tuple[list[Target], list[InputError]]:
    """Every ACTIVE account of the organization: the management account through the base
    session (the role is usually absent there), the others by assuming ``role_name``.

    The default credentials' own account is always scanned, whatever the listing says. A
    listing that names no ACTIVE account at all cannot be the whole organization (its
    management account is always listed) and is an error, not an empty scan.
    """
    me = identify(base, "default credentials (organization management)", recorder)
    if isinstance(me, InputError):
        return [], [me]
    targets: list[Target] = [me]
    errors: list[InputError] = []
    active = 0
    org = base.get("organizations")
    for page in pages(recorder, me.account, org, "ListAccounts"):
        if isinstance(page, CallError):
            errors.append(
                InputError(f"aws:{me.account}", None, f"cannot list the organization: {page}")
            )
            break
        accounts = page.get("Accounts")
        for account in accounts if isinstance(accounts, list) else []:
            if not isinstance(account, dict):
                continue
            state = account.get("State", account.get("Status"))
            account_id = str(account.get("Id", ""))
            if state != "ACTIVE":
                continue
            active += 1
            if account_id == me.account:
                continue
            role_arn = f"arn:{me.partition}:iam::{account_id}:role/{role_name}"
            found = assume(
                base,
                role_arn,
                f"organization account {account_id} via role {role_name}",
                recorder,
                config,
            )
            if isinstance(found, InputError):
                errors.append(found)
            else:
                targets.append(found)
    if active == 0 and not errors:
        errors.append(
            InputError(
                f"aws:{me.account}",
                None,
                "live scan incomplete: organizations:ListAccounts named no ACTIVE account "
                f"(only {me.account}, the default credentials' own, was scanned)",
            )
        )
    return targets, errors

"""``cmkguard scan --resolve-keys``: settle online the keys a static input names only by text.

A literal key ID, key ARN or alias (and what a ``data "aws_kms_key"`` / ``data "aws_kms_alias"``
looks up) is a key the scanned input does not define: statically it PASSes with the
``key-manager-unverified`` / ``key-properties-unverified`` warnings. Resolution asks KMS what it
is, with the live source's own calls (``notebooks.describe_key``, ``notebooks.get_key_policy``:
the same recording, timeouts and retries) and turns the answer into the same ``Key`` live mode
judges.

Fail-closed like ``live``: a refused or failed call, a key KMS does not know, or a key the
credentials cannot read makes the key's every property ``Unknown`` naming the call, so the
notebook is UNKNOWN (never PASS) while what its text alone fails (another region) still fails.

Where it looks: a key ARN or alias ARN in the region (and account) its text names; a key ID or
alias name in the notebook's region, in the account of the credentials (the default boto3 chain,
or ``--profile``), which is taken as the account the configuration is applied with. A key of
another account than the credentials' is not resolved (``GetKeyPolicy`` works only in the key's
own account), and neither is a bare name for a notebook known to be in another account.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from cmkguard.errors import InputError
from cmkguard.inventory import Key, KeyRef, Notebook
from cmkguard.kms import KeyIdKind, parse_key_identifier, role_account
from cmkguard.records import ApiRecord
from cmkguard.sources.aws.calls import TIMEOUT_CODE, CallError, Recorder
from cmkguard.sources.aws.notebooks import (
    POLICY_NOT_READ,
    KeyLookup,
    describe_key,
    get_key_policy,
    is_aws_managed,
    key_ref,
)
from cmkguard.sources.aws.session import (
    CALL_TIMEOUT,
    AccountSelection,
    SessionFactory,
    Target,
    default_session_factory,
    open_targets,
)
from cmkguard.sources.interface import Loaded
from cmkguard.values import Known, Step, Symbol, Unknown, Value

FLAG = "--resolve-keys"


@dataclass(frozen=True, slots=True)
class Resolution:
    """What one identifier resolved to: the key (possibly with every property unknown) and the
    steps that show how."""

    key: Key
    trail: tuple[Step, ...]


@dataclass
class KeyResolver:
    """Resolves the text-only keys of loaded inventories, each identifier (per region) once."""

    profile: str | None = None
    """A named profile (``--profile``); ``None`` for the default credentials."""
    call_timeout: float = CALL_TIMEOUT
    """Seconds to connect and to wait for each answer, per HTTP attempt."""
    session_factory: SessionFactory = default_session_factory
    """Makes the boto3 session (tests point it at moto through the environment)."""
    recorder: Recorder = field(default_factory=Recorder)
    """Every call made."""
    errors: list[InputError] = field(default_factory=list)
    """Why no call could be made at all (no credentials): the scan is incomplete."""
    _target: Target | Unknown | None = None
    _resolved: dict[tuple[str, str], Resolution] = field(default_factory=dict)

    @property
    def records(self) -> tuple[ApiRecord, ...]:
        """Every AWS call made so far."""
        return self.recorder.records

    @property
    def problems(self) -> tuple[InputError, ...]:
        """Why the lookups are incomplete: no credentials, or calls the scan's ``--timeout``
        stopped (each such notebook is already UNKNOWN naming it; this makes the scan exit 2)."""
        cut_short = sum(record.error is not None and record.error.startswith(TIMEOUT_CODE)
                        for record in self.recorder.records)  # fmt: skip
        if not cut_short:
            return tuple(self.errors)
        limit = f"--timeout of {self.recorder.timeout or 0:g} s reached"
        timeout = InputError("aws", None, f"{FLAG} incomplete: {limit}; {cut_short} calls not made")
        return (*self.errors, timeout)

    def resolve(self, loaded: Loaded) -> Loaded:
        """``loaded`` with every text-only key looked up. No call is made when none needs it."""
        notebooks = tuple(self._notebook(nb) for nb in loaded.inventory.notebooks)
        return replace(loaded, inventory=replace(loaded.inventory, notebooks=notebooks))

    # --- one notebook ------------------------------------------------------------------------

    def _notebook(self, notebook: Notebook) -> Notebook:
        setting = notebook.kms_key
        if not isinstance(setting, Known) or setting.value is None:
            return notebook
        ref = setting.value
        text = _text_to_resolve(ref)
        if text is None:
            return notebook
        found = self._resolution(notebook, text)
        resolved = replace(ref, key=found.key)
        notebook = replace(notebook, kms_key=Known(resolved, (*setting.trail, *found.trail)))
        target = self._target
        named = parse_key_identifier(text)
        if (
            isinstance(target, Target)
            and named.account is None
            and notebook.account == Known(Symbol.CURRENT_ACCOUNT)
            and isinstance(found.key.manager, Known)
        ):
            # A key ID or alias name is looked up in the credentials' account, taken as the one
            # the configuration is applied with: the notebook is in that account too.
            step = Step(f"{FLAG}: the notebook's account is the credentials' ({target.account})")
            notebook = replace(notebook, account=Known(target.account, (step,)))
        return notebook

    def _resolution(self, notebook: Notebook, text: str) -> Resolution:
        named = parse_key_identifier(text)
        region = named.region
        if region is None:
            if isinstance(notebook.region, Unknown):
                why = f"the notebook's region is not known ({notebook.region.why})"
                return _unresolved(text, None, f"{FLAG} cannot look up {text}: {why}")
            region = notebook.region.value
        target = self._open()
        if isinstance(target, Unknown):
            return _unresolved(text, region, f"{FLAG} could not look up {text}: {target.why}")
        if named.account is not None and named.account != target.account:
            return _unresolved(
                text,
                region,
                f"{FLAG} reads keys with the credentials of account {target.account}; {text} is "
                f"in account {named.account} (GetKeyPolicy works only in the key's own account)",
            )
        if named.account is None and isinstance(notebook.account, Unknown):
            # A bare name is looked up in the notebook's account; the credentials' account
            # stands for it only when the notebook is in the deploying account.
            why = f"the notebook's account is not known ({notebook.account.why})"
            return _unresolved(text, region, f"{FLAG} cannot look up {text}: {why}")
        owner = _notebook_account(notebook)
        if named.account is None and owner is not None and owner != target.account:
            return _unresolved(
                text,
                region,
                f"the notebook is in account {owner} but the credentials are for account "
                f"{target.account}: {text} would be looked up in the wrong account",
            )
        ident = (region, text)
        if ident not in self._resolved:
            self._resolved[ident] = self._look_up(target, region, text)
        return self._resolved[ident]

    # --- AWS ---------------------------------------------------------------------------------

    def _open(self) -> Target | Unknown:
        """The credentials' account, opened on first need."""
        if self._target is None:
            selection = AccountSelection(profiles=(self.profile,) if self.profile else ())
            targets, errors = open_targets(
                selection, self.session_factory, self.recorder, 1, self.call_timeout
            )
            if targets:
                self._target = targets[0]
            else:
                why = "; ".join(e.message for e in errors) or "no AWS credentials"
                self.errors.append(InputError("aws", None, f"{FLAG}: {why}"))
                self._target = Unknown(why)
        return self._target

    def _look_up(self, target: Target, region: str, text: str) -> Resolution:
        where = f"{text} in {region}, account {target.account}"
        metadata = describe_key(target, region, text, self.recorder)
        if isinstance(metadata, CallError):
            if metadata.not_found:
                why = f"{metadata}: KMS has no key {where}"
            else:
                why = f"{metadata} ({where})"
            return _unresolved(text, region, f"{FLAG}: {why}")
        if is_aws_managed(metadata):
            policy: str | CallError | Unknown = POLICY_NOT_READ
        else:
            policy = get_key_policy(target, str(metadata.get("Arn", text)), self.recorder)
        made = key_ref(KeyLookup(text, region, metadata, policy))
        if isinstance(made, Unknown) or made.value is None or made.value.key is None:
            why = made.why if isinstance(made, Unknown) else "DescribeKey described no key"
            return _unresolved(text, region, f"{FLAG}: {why}")
        return Resolution(made.value.key, (Step(f"{FLAG}: looked up {where}"), *made.trail))


def _text_to_resolve(ref: KeyRef) -> str | None:
    """The identifier text of a key the input names but does not describe, when KMS can say
    something about it (not empty, not malformed, not ``alias/aws/*``: those fail by text)."""
    if ref.key is not None or not isinstance(ref.text, Known):
        return None
    text = ref.text.value
    if not isinstance(text, str) or text == "":
        return None
    named = parse_key_identifier(text)
    if named.is_malformed or named.is_aws_managed_alias:
        return None
    return text


def _notebook_account(notebook: Notebook) -> str | None:
    """The notebook's account number when the input says it (plans, state, a literal role)."""
    account = notebook.account
    if isinstance(account, Known) and isinstance(account.value, str):
        return account.value
    role = notebook.role
    if isinstance(role, Known) and isinstance(role.value, str):
        return role_account(role.value)
    return None


def _unresolved(text: str, region: str | None, why: str) -> Resolution:
    """A key whose every property is unknown for ``why``; what its text says (region, ARN)
    stays, so that a key in another region still fails."""
    unknown = Unknown(why)
    named = parse_key_identifier(text)
    key_region: Value[str] = unknown
    if named.region is not None:
        key_region = Known(named.region)
    elif region is not None:
        key_region = Known(region)
    return Resolution(
        Key(
            label=text,
            manager=unknown,
            region=key_region,
            arn=Known(text) if named.kind is KeyIdKind.KEY_ARN else unknown,
            spec=unknown,
            usage=unknown,
            state=unknown,
            rotation=unknown,
            policy=unknown,
        ),
        (Step(why),),
    )

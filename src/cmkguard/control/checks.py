"""One small pure function per question the control asks about a notebook, and ``CHECKS``: the
ordered registry binding each to the codes it may emit.

Each check returns an ``Outcome``: reasons that hold, warnings, and the facts it could not
decide. ``notebook_cmk.evaluate`` runs them all in order and combines the outcomes; no check can
produce a PASS on its own.
"""

from __future__ import annotations

from typing import TypeGuard

from cmkguard.catalogue.codes import Reason, WarningCode
from cmkguard.control.check import ALL_SCOPES, NOTHING, Check, Facts, Outcome, Scope
from cmkguard.echo import echo
from cmkguard.inventory import Key, KeyManager, KeyVia, LiveLocation
from cmkguard.keypolicy.conditions import ContextValue, RequestContext
from cmkguard.keypolicy.document import (
    PolicyDocument,
    PolicyError,
    default_key_policy,
    parse_policy,
)
from cmkguard.keypolicy.evaluate import ContextFor, key_access
from cmkguard.keypolicy.matching import (
    AccountPrincipal,
    ArnPrincipal,
    Candidate,
    ServicePrincipal,
)
from cmkguard.keypolicy.resources import KeyArn
from cmkguard.kms import (
    ENCRYPT_DECRYPT,
    SYMMETRIC_DEFAULT,
    KeyIdentifier,
    KeyIdKind,
    is_aws_managed_alias,
    parse_key_identifier,
    partition_of,
    role_account,
)
from cmkguard.values import (
    Data,
    Known,
    Ref,
    Symbol,
    SymbolicText,
    Trail,
    Unknown,
    Value,
    symbolic,
)

SAGEMAKER_SERVICE = "sagemaker.amazonaws.com"


def _fail(reason: Reason, sentence: str) -> Outcome:
    return Outcome(reasons=((reason, sentence),))


def _unknown(why: str) -> Outcome:
    return Outcome(unknowns=(why,))


def _q(text: str, trail: Trail = ()) -> str:
    # Scanned text, bounded; a file's content only as a digest (docs/security.md).
    return echo(text, trail)


def _text_trail(f: Facts) -> Trail:
    """How the identifier text was reached, so a value read from a file is not echoed."""
    return f.ref.text.trail if f.ref is not None else ()


def _why(value: Value[str]) -> str:
    return value.why if isinstance(value, Unknown) else "known"


def _is_aws_alias(alias: Value[str] | None) -> TypeGuard[Known[str]]:
    return isinstance(alias, Known) and is_aws_managed_alias(alias.value)


def setting_resolved(f: Facts) -> Outcome:
    """``kms_key_id`` itself could not be evaluated: nothing else about the key can be judged."""
    setting = f.notebook.kms_key
    if isinstance(setting, Unknown):
        return _unknown(f"kms_key_id: {setting.why}")
    return NOTHING


def missing(f: Facts) -> Outcome:
    """``missing``: ``kms_key_id`` absent or null (runs only in ``Scope.UNSET``)."""
    return _fail(
        Reason.MISSING,
        "kms_key_id is not set: SageMaker encrypts the volume with its AWS managed key.",
    )


def empty(f: Facts) -> Outcome:
    """``empty``: ``kms_key_id`` is ``""`` (runs only in ``Scope.EMPTY``)."""
    return _fail(
        Reason.EMPTY,
        'kms_key_id is "": SageMaker treats it as not set and uses its AWS managed key.',
    )


def text_resolved(f: Facts) -> Outcome:
    """Which key a partly unknown text names; text built by interpolation can be partly unknown
    yet still name ``alias/aws/*`` (``aws_managed`` then fails it)."""
    if f.ref is None or _is_aws_alias(f.alias_name):
        return NOTHING
    text = f.ref.text
    if isinstance(text, Unknown):
        return _unknown(f"which key kms_key_id names: {text.why}")
    if isinstance(text.value, SymbolicText):
        symbols = ", ".join(
            dict.fromkeys(str(p) for p in text.value.parts if isinstance(p, Symbol))
        )
        return _unknown(
            f"which key kms_key_id names: {_q(str(text.value), text.trail)} depends on {symbols} "
            "where it decides the identifier, which a static scan does not know"
        )
    return NOTHING


def aws_managed(f: Facts) -> Outcome:
    """``aws-managed-key``: an ``alias/aws/*`` alias (by text, alias resource or data source),
    or a key whose manager is AWS."""
    alias = f.alias_name
    if _is_aws_alias(alias):
        return _fail(Reason.AWS_MANAGED_KEY, f"{_q(alias.value)} is an AWS managed key alias.")
    if f.identifier is not None and f.identifier.is_aws_managed_alias:
        return _fail(
            Reason.AWS_MANAGED_KEY,
            f"{_q(f.identifier.text)} names an AWS managed key (alias/aws/*).",
        )
    if f.key is not None:
        manager = f.key.manager
        if isinstance(manager, Unknown):
            return _unknown(f"whether {f.key.label} is customer managed: {manager.why}")
        if manager.value is KeyManager.AWS:
            return _fail(
                Reason.AWS_MANAGED_KEY, f"{f.key.label} is managed by AWS (KeyManager=AWS)."
            )
    return NOTHING


def malformed(f: Facts) -> Outcome:
    """``malformed``: the identifier text is not a key ID, key ARN, alias name or alias ARN."""
    if f.identifier is not None and f.identifier.is_malformed:
        return _fail(
            Reason.MALFORMED,
            f"{_q(f.identifier.text, _text_trail(f))} is not a key ID, key ARN, alias name or "
            "alias ARN.",
        )
    return NOTHING


def unmatched_alias(f: Facts) -> Outcome:
    """``unmatched-alias``: an alias name built from an alias resource names no alias of the
    configuration; which key it names is unknown unless the key was looked up online."""
    if f.ref is None or f.ref.unmatched_alias is None:
        return NOTHING
    text = _q(f.identifier.text, _text_trail(f)) if f.identifier is not None else "the name"
    warning = (
        WarningCode.UNMATCHED_ALIAS,
        f"{text} is built from {f.ref.unmatched_alias}, but no alias of the configuration has "
        'that name (a second "alias/" prefix?).',
    )
    if f.key is not None:
        return Outcome(warnings=(warning,))
    return Outcome(
        warnings=(warning,),
        unknowns=(f"which key {text} names: no alias of the scanned configuration has that name",),
    )


def _key_region(f: Facts) -> Value[str] | None:
    """The key's region, or ``None`` when the identifier implies the notebook's own region."""
    if f.key is not None:
        return f.key.region
    if f.identifier is not None and f.identifier.region is not None:
        return Known(f.identifier.region)
    return None


def cross_region(f: Facts) -> Outcome:
    """``cross-region``: the key lives in another region than the notebook."""
    key_region = _key_region(f)
    if key_region is None:
        return NOTHING
    nb_region = f.notebook.region
    partition = f.identifier.partition if f.identifier is not None else None
    # Partitions are apart: a key ARN of another partition names no key the notebook can reach,
    # whatever its region field says (the current partition is the notebook's own).
    if (
        isinstance(nb_region, Known)
        and isinstance(partition, str)
        and partition != partition_of(nb_region.value)
    ):
        return _fail(
            Reason.CROSS_REGION,
            f"The key ARN names partition {partition} but the notebook is in "
            f"{nb_region.value}, in partition {partition_of(nb_region.value)}.",
        )
    if isinstance(nb_region, Known) and isinstance(key_region, Known):
        if nb_region.value == key_region.value:
            return NOTHING
        return _fail(
            Reason.CROSS_REGION,
            f"The key is in {key_region.value} but the notebook is in {nb_region.value}.",
        )
    # The same undetermined region from the same provider configuration denotes one region,
    # whatever it turns out to be: both resources are created through that provider.
    if isinstance(nb_region, Unknown) and nb_region == key_region:
        return NOTHING
    why = nb_region.why if isinstance(nb_region, Unknown) else _why(key_region)
    return _unknown(f"whether the key is in the notebook's region: {why}")


def not_symmetric(f: Facts) -> Outcome:
    """``key-not-symmetric``: spec not SYMMETRIC_DEFAULT or usage not ENCRYPT_DECRYPT."""
    if f.key is None:
        return NOTHING
    found: list[tuple[Reason, str]] = []
    unknowns: list[str] = []
    for name, value, wanted in (
        ("key spec", f.key.spec, SYMMETRIC_DEFAULT),
        ("key usage", f.key.usage, ENCRYPT_DECRYPT),
    ):
        if isinstance(value, Unknown):
            unknowns.append(f"the {name} of {f.key.label}: {value.why}")
        elif value.value != wanted:
            found.append(
                (
                    Reason.KEY_NOT_SYMMETRIC,
                    f"{f.key.label} has {name} {value.value}; volumes need {wanted}.",
                )
            )
    return Outcome(reasons=tuple(found[:1]) if found else (), unknowns=tuple(unknowns))


def disabled(f: Facts) -> Outcome:
    """``key-disabled``: the key is not in the Enabled state."""
    if f.key is None:
        return NOTHING
    state = f.key.state
    if isinstance(state, Unknown):
        return _unknown(f"whether {f.key.label} is enabled: {state.why}")
    if state.value != "Enabled":
        return _fail(Reason.KEY_DISABLED, f"{f.key.label} is in state {state.value}, not Enabled.")
    return NOTHING


def _account(f: Facts) -> str | Symbol | Unknown:
    """The notebook's account. Statically it is the symbolic current account, but
    ``iam:PassRole`` works only within an account, so a literal role ARN names its number."""
    nb_account = f.notebook.account
    if isinstance(nb_account, Unknown):
        return nb_account
    if nb_account.value is not Symbol.CURRENT_ACCOUNT:
        return nb_account.value
    role = f.notebook.role
    if isinstance(role, Known) and isinstance(role.value, str):
        account = role_account(role.value)
        if account is not None:
            return account
    return Symbol.CURRENT_ACCOUNT


def _bind_account(data: Data, account: str) -> Data:
    """``data`` with the current-account symbol replaced by ``account``, its known number. Only
    the symbol a source made is replaced: text in the policy is left as written."""
    if isinstance(data, SymbolicText):
        return symbolic(account if p is Symbol.CURRENT_ACCOUNT else p for p in data.parts)
    if isinstance(data, list):
        return [_bind_account(item, account) for item in data]
    if isinstance(data, dict):
        return {k: _bind_account(v, account) for k, v in data.items()}
    return data


def _role(f: Facts) -> ArnPrincipal | None:
    role = f.notebook.role
    if isinstance(role, Unknown):
        return ArnPrincipal(role)
    if isinstance(role.value, str | SymbolicText | Ref | Unknown):
        return ArnPrincipal(role.value)
    if role.value is not None:
        return ArnPrincipal(Unknown(f"role_arn is not a string: {role.value!r}"))
    return None


def _candidates(f: Facts, account: str | Symbol | Unknown) -> tuple[Candidate, ...]:
    """The principals that can act for the notebook (control.md "Key policy evaluation")."""
    principals: list[Candidate] = [ServicePrincipal(SAGEMAKER_SERVICE), AccountPrincipal(account)]
    role = _role(f)
    if role is not None:
        principals.append(role)
    principals.extend(ArnPrincipal(p) for p in f.settings.deployer_principals)
    return tuple(principals)


def _one(
    value: Value[str] | str | Symbol | SymbolicText | Ref | Unknown, what: str
) -> ContextValue:
    if isinstance(value, Unknown):
        return Unknown(f"{what} is not known: {value.why}")
    if isinstance(value, Symbol):
        return (SymbolicText((value,)),)
    return (value.value,) if isinstance(value, Known) else (value,)


def _notebook_arn(f: Facts) -> ContextValue:
    location = f.notebook.location
    if isinstance(location, LiveLocation):
        return (location.arn,)
    return Unknown("aws:SourceArn is the notebook's ARN, known only after apply")


def _context(f: Facts, account: str | Symbol | Unknown) -> ContextFor:
    """The request context of the notebook's key use (control.md "Conditions"), per principal
    and action. Keys not listed are unknown for this use."""
    region = f.notebook.region
    via: ContextValue = (
        (f"sagemaker.{region.value}.amazonaws.com",)
        if isinstance(region, Known)
        else Unknown(
            f"kms:ViaService names the notebook's region, which is not known: {region.why}"
        )
    )
    accounts = _one(account, "the notebook's account")
    role = _role(f)

    def context_for(candidate: Candidate, action: str) -> RequestContext:
        values: dict[str, ContextValue] = {
            "kms:ViaService": via,
            "kms:CallerAccount": accounts,
            "aws:PrincipalAccount": accounts,
            "aws:SourceAccount": accounts,
            # Present (true) only when SageMaker creates its grant; absent for other actions.
            "kms:GrantIsForAWSResource": ("true",) if action == "kms:CreateGrant" else (),
            "aws:PrincipalServiceName": (),
        }
        if isinstance(candidate, ServicePrincipal):
            values["aws:PrincipalServiceName"] = (candidate.name,)
            values["aws:SourceArn"] = _notebook_arn(f)
        elif isinstance(candidate, ArnPrincipal) and (
            candidate == role or candidate.arn in f.settings.deployer_principals
        ):
            values["aws:PrincipalArn"] = _one(candidate.arn, "the principal's ARN")
        return RequestContext(values, description="the notebook's use of the key")

    return context_for


def _key_arn_facts(key: Key) -> KeyArn:
    """What is known of the key's ARN, for comparing with a statement's ``Resource``."""
    if isinstance(key.arn, Known):
        return KeyArn(arn=key.arn.value)
    region = key.region.value if isinstance(key.region, Known) else None
    refs = (Ref(key.label, "arn"),) if key.location is not None else ()
    # A key the configuration creates may live in another account than the notebook's (another
    # provider): its account stays unknown until apply.
    partition = None if region is None else partition_of(region)
    return KeyArn(refs=refs, region=region, partition=partition)


def _document(
    f: Facts, key: Key, account: str | Symbol | Unknown
) -> tuple[PolicyDocument, str] | Outcome:
    """The effective key policy, with the current account bound to the notebook's account when
    that is known by number; or the outcome when it cannot be had."""
    policy = key.policy
    if isinstance(policy, Unknown):
        return _unknown(f"the key policy of {key.label}: {policy.why}")
    if policy.value is None:
        if isinstance(account, Unknown):
            return _unknown(f"the account of the default key policy of {key.label}: {account.why}")
        return default_key_policy(account), "the default key policy"
    data: Data = policy.value
    if isinstance(account, str):
        data = _bind_account(data, account)
    try:
        parsed = parse_policy(data)
    except PolicyError as exc:
        return _fail(
            Reason.KEY_POLICY_MISSING_GRANTS,
            f"The key policy of {key.label} is not a valid policy: {exc}",
        )
    if isinstance(parsed, Unknown):
        return _unknown(f"the key policy of {key.label}: {parsed.why}")
    return parsed, "the key policy"


def policy_grants(f: Facts) -> Outcome:
    """``key-policy-missing-grants`` and ``key-policy-delegates-to-iam``: does the effective key
    policy let a principal acting for the notebook create grants, decrypt and generate data keys,
    with every Condition decided in the notebook's request context?"""
    if f.key is None:
        return NOTHING
    account = _account(f)
    found = _document(f, f.key, account)
    if isinstance(found, Outcome):
        return found
    document, source = found
    access = key_access(
        document,
        _candidates(f, account),
        context=_context(f, account),
        key=_key_arn_facts(f.key),
    )
    notes = tuple(access.notes)
    if access.allowed is None:
        return Outcome(
            unknowns=(
                f"whether {source} of {f.key.label} lets the notebook use it: "
                f"{access.undecided_why}",
            ),
            notes=notes,
        )
    if not access.allowed:
        missing = ", ".join(access.missing)
        by_statement: dict[str, list[str]] = {}
        for action, ref in access.denied_by:
            by_statement.setdefault(str(ref), []).append(action)
        denied = "".join(f" {ref} denies {', '.join(a)}." for ref, a in by_statement.items())
        return Outcome(
            reasons=(
                (
                    Reason.KEY_POLICY_MISSING_GRANTS,
                    f"{source.capitalize()} of {f.key.label} does not allow {missing} to the "
                    "SageMaker service, the notebook's role, the account or a deployer." + denied,
                ),
            ),
            notes=notes,
        )
    if access.delegates_to_iam:
        return Outcome(
            warnings=(
                (
                    WarningCode.KEY_POLICY_DELEGATES_TO_IAM,
                    f"{source.capitalize()} of {f.key.label} only delegates to the account: "
                    "IAM policies decide whether the notebook's role may use the key.",
                ),
            ),
            notes=notes,
        )
    return Outcome(notes=notes)


def _key_arn(f: Facts) -> Value[str] | None:
    if f.key is not None:
        return f.key.arn
    if f.identifier is not None and f.identifier.kind is KeyIdKind.KEY_ARN:
        return Known(f.identifier.text)
    return None


def allow_list(f: Facts) -> Outcome:
    """``key-not-allowed``: an allow-list is configured and the key is not on it.

    The list holds key ARNs, key IDs and alias ARNs. A key ARN entry allows that key; a key ID
    entry allows the key with that ID; an alias ARN entry allows notebooks whose ``kms_key_id``
    names that alias ARN (not the key behind it named some other way: which key an alias points
    at can change, so only the named alias is trusted).
    """
    entries = [parse_key_identifier(text) for text in f.settings.allowed_key_arns]
    if not entries:
        return NOTHING
    named = f.identifier
    named_alias = named is not None and named.kind is KeyIdKind.ALIAS_ARN
    if named_alias and any(named is not None and e.text == named.text for e in entries):
        return NOTHING
    if named is not None and isinstance(named.account, Symbol):
        return _allowed_in_current_account(named, entries)
    arn = _key_arn(f)
    if isinstance(arn, Known):
        key = parse_key_identifier(arn.value)
        if any(
            e.text == arn.value or (e.kind is KeyIdKind.KEY_ID and e.text == key.key_id)
            for e in entries
        ):
            return NOTHING
        return _fail(Reason.KEY_NOT_ALLOWED, f"{arn.value} is not on the allowed key list.")
    if arn is None and named is not None and named.kind is KeyIdKind.KEY_ID:
        return _allowed_key_id(f, named.text, entries)
    if isinstance(arn, Unknown):
        return _unknown(f"whether the key is on the allowed key list: {arn.why}")
    text = named.text if named is not None else "the key"
    return _unknown(
        f"whether {text} is on the allowed key list: its key ARN is known only in live mode"
    )


def _allowed_in_current_account(named: KeyIdentifier, entries: list[KeyIdentifier]) -> Outcome:
    """An ARN built from the deploying account: on the list only if an entry names its key ID
    (or alias) in its region, and then only if that entry's account is the current one."""
    if named.key_id is not None and any(
        e.kind is KeyIdKind.KEY_ID and e.text == named.key_id for e in entries
    ):
        return NOTHING
    same = [
        e
        for e in entries
        if e.kind is named.kind
        and e.region == named.region
        and (e.key_id, e.alias) == (named.key_id, named.alias)
    ]
    if not same:
        return _fail(Reason.KEY_NOT_ALLOWED, f"{_q(named.text)} is not on the allowed key list.")
    accounts = ", ".join(sorted({str(e.account) for e in same}))
    return _unknown(
        f"whether {_q(named.text)} is on the allowed key list: the list names it in account "
        f"{accounts}, and whether that is {Symbol.CURRENT_ACCOUNT} a static scan does not know"
    )


def _allowed_key_id(f: Facts, key_id: str, entries: list[KeyIdentifier]) -> Outcome:
    """A bare key ID names a key in the notebook's own account and region."""
    if any(e.kind is KeyIdKind.KEY_ID and e.text == key_id for e in entries):
        return NOTHING
    same_id = [e for e in entries if e.kind is KeyIdKind.KEY_ARN and e.key_id == key_id]
    if not same_id:
        return _fail(Reason.KEY_NOT_ALLOWED, f"key ID {key_id} is not on the allowed key list.")
    if not key_id.startswith("mrk-"):
        return NOTHING  # a single-Region key's ID names exactly one key
    # Multi-Region replicas share their ID: the notebook's region says which one it is.
    region = f.notebook.region
    if isinstance(region, Unknown):
        return _unknown(
            f"whether multi-Region key {key_id} is on the allowed key list: the notebook's "
            f"region is unknown ({region.why})"
        )
    if any(e.region == region.value for e in same_id):
        return NOTHING
    return _fail(
        Reason.KEY_NOT_ALLOWED,
        f"the {region.value} replica of {key_id} is not on the allowed key list.",
    )


def unverified(f: Facts) -> Outcome:
    """``key-manager-unverified`` / ``key-properties-unverified``: a key the input does not
    describe (a literal, or a data-source lookup)."""
    if f.key is not None or f.identifier is None or f.identifier.is_aws_managed_alias:
        return NOTHING
    if f.identifier.is_malformed or (f.ref is not None and f.ref.unmatched_alias is not None):
        return NOTHING
    warnings: list[tuple[WarningCode, str]] = []
    if f.identifier.kind in (KeyIdKind.KEY_ID, KeyIdKind.KEY_ARN):
        warnings.append(
            (
                WarningCode.KEY_MANAGER_UNVERIFIED,
                f"{_q(f.identifier.text)} is not defined in the scanned input: it could be an "
                "AWS managed key; `cmkguard live` settles it.",
            )
        )
    where = "looked up by a data source" if f.via is KeyVia.DATA_SOURCE else "defined elsewhere"
    warnings.append(
        (
            WarningCode.KEY_PROPERTIES_UNVERIFIED,
            f"The key {_q(f.identifier.text)} is {where}: its state, spec and policy were not "
            "checked.",
        )
    )
    return Outcome(warnings=tuple(warnings))


def rotation(f: Facts) -> Outcome:
    """``key-rotation-disabled``: rotation known to be off."""
    if f.key is not None and isinstance(f.key.rotation, Known) and not f.key.rotation.value:
        return Outcome(
            warnings=(
                (
                    WarningCode.KEY_ROTATION_DISABLED,
                    f"Automatic rotation is off for {f.key.label}.",
                ),
            )
        )
    return NOTHING


def replacement(f: Facts) -> Outcome:
    """``destructive-replacement``: the plan replaces the notebook because of ``kms_key_id``."""
    change = f.notebook.replacement
    if change is None:
        return NOTHING
    config = change.lifecycle_config
    if isinstance(config, Unknown):
        has = f"whether it has a lifecycle configuration is unknown ({config.why})"
    elif config.value is None:
        has = "it has no lifecycle configuration yet"
    else:
        has = f"it has the lifecycle configuration {_q(config.value)}: make sure it backs up to S3"
    advice = (
        "Before applying: back the notebook's /home/ec2-user/SageMaker up to S3 with a lifecycle "
        "configuration (an on-start/on-stop script running `aws s3 sync`), start and stop the "
        f"notebook once so it runs, then apply; {has}."
    )
    return Outcome(
        warnings=(
            (
                WarningCode.DESTRUCTIVE_REPLACEMENT,
                f"The plan replaces this notebook ({' + '.join(change.actions)}) because "
                "kms_key_id changes: its ML storage volume is deleted.",
            ),
        ),
        notes=(advice,),
    )


CHECKS: tuple[Check, ...] = (
    Check(
        "destructive-replacement",
        frozenset({WarningCode.DESTRUCTIVE_REPLACEMENT}),
        replacement,
        ALL_SCOPES,
    ),
    Check("kms-key-id-resolved", frozenset(), setting_resolved, frozenset({Scope.UNRESOLVED})),
    Check("missing", frozenset({Reason.MISSING}), missing, frozenset({Scope.UNSET})),
    Check("empty", frozenset({Reason.EMPTY}), empty, frozenset({Scope.EMPTY})),
    Check("key-text-resolved", frozenset(), text_resolved, frozenset({Scope.PARTIAL})),
    Check("malformed", frozenset({Reason.MALFORMED}), malformed),
    Check("unmatched-alias", frozenset({WarningCode.UNMATCHED_ALIAS}), unmatched_alias),
    Check(
        "aws-managed-key",
        frozenset({Reason.AWS_MANAGED_KEY}),
        aws_managed,
        frozenset({Scope.PARTIAL, Scope.KEY}),
    ),
    Check("cross-region", frozenset({Reason.CROSS_REGION}), cross_region),
    Check(
        "key-not-symmetric",
        frozenset({Reason.KEY_NOT_SYMMETRIC}),
        not_symmetric,
        moot_if_aws_managed=True,
    ),
    Check("key-disabled", frozenset({Reason.KEY_DISABLED}), disabled, moot_if_aws_managed=True),
    Check(
        "key-policy",
        frozenset({Reason.KEY_POLICY_MISSING_GRANTS, WarningCode.KEY_POLICY_DELEGATES_TO_IAM}),
        policy_grants,
        moot_if_aws_managed=True,
    ),
    Check("key-not-allowed", frozenset({Reason.KEY_NOT_ALLOWED}), allow_list),
    Check(
        "key-unverified",
        frozenset({WarningCode.KEY_MANAGER_UNVERIFIED, WarningCode.KEY_PROPERTIES_UNVERIFIED}),
        unverified,
        moot_if_aws_managed=True,
    ),
    Check(
        "key-rotation",
        frozenset({WarningCode.KEY_ROTATION_DISABLED}),
        rotation,
        moot_if_aws_managed=True,
    ),
)
"""Every check, in the order their reasons are reported. A check runs only in the scopes of
``kms_key_id`` it names (by default: a set key); checks of the key's own properties are dropped
for AWS managed keys (``aws-managed-key`` already fails, and their properties are moot)."""

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
from cmkguard.inventory import KeyManager, KeyVia
from cmkguard.keypolicy.document import PolicyError, default_key_policy, parse_policy
from cmkguard.keypolicy.evaluate import key_access
from cmkguard.keypolicy.matching import (
    AccountPrincipal,
    ArnPrincipal,
    Candidate,
    ServicePrincipal,
)
from cmkguard.kms import ENCRYPT_DECRYPT, SYMMETRIC_DEFAULT, KeyIdKind, is_aws_managed_alias
from cmkguard.values import Known, Ref, Unknown, Value

SAGEMAKER_SERVICE = "sagemaker.amazonaws.com"


def _fail(reason: Reason, sentence: str) -> Outcome:
    return Outcome(reasons=((reason, sentence),))


def _unknown(why: str) -> Outcome:
    return Outcome(unknowns=(why,))


def _q(text: str) -> str:
    return f'"{text}"'


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
    if f.ref is None or _is_aws_alias(f.alias_name) or not isinstance(f.ref.text, Unknown):
        return NOTHING
    return _unknown(f"which key kms_key_id names: {f.ref.text.why}")


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
            f"{_q(f.identifier.text)} is not a key ID, key ARN, alias name or alias ARN.",
        )
    return NOTHING


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


def _candidates(f: Facts, account: str | Unknown) -> tuple[Candidate, ...]:
    """The principals that can act for the notebook (control.md "Key policy evaluation")."""
    role = f.notebook.role
    principals: list[Candidate] = [ServicePrincipal(SAGEMAKER_SERVICE), AccountPrincipal(account)]
    if isinstance(role, Unknown):
        principals.append(ArnPrincipal(role))
    elif isinstance(role.value, str | Ref | Unknown):
        principals.append(ArnPrincipal(role.value))
    elif role.value is not None:
        principals.append(ArnPrincipal(Unknown(f"role_arn is not a string: {role.value!r}")))
    principals.extend(ArnPrincipal(p) for p in f.settings.deployer_principals)
    return tuple(principals)


def policy_grants(f: Facts) -> Outcome:
    """``key-policy-missing-grants`` and ``key-policy-delegates-to-iam``: does the effective key
    policy let a principal acting for the notebook create grants, decrypt and generate data keys?"""
    if f.key is None:
        return NOTHING
    nb_account = f.notebook.account
    account: str | Unknown = nb_account.value if isinstance(nb_account, Known) else nb_account
    policy = f.key.policy
    if isinstance(policy, Unknown):
        return _unknown(f"the key policy of {f.key.label}: {policy.why}")
    if policy.value is None:
        if isinstance(account, Unknown):
            return _unknown(
                f"the account of the default key policy of {f.key.label}: {account.why}"
            )
        document = default_key_policy(account)
        source = "the default key policy"
    else:
        try:
            parsed = parse_policy(policy.value)
        except PolicyError as exc:
            return _fail(
                Reason.KEY_POLICY_MISSING_GRANTS,
                f"The key policy of {f.key.label} is not a valid policy: {exc}",
            )
        if isinstance(parsed, Unknown):
            return _unknown(f"the key policy of {f.key.label}: {parsed.why}")
        document = parsed
        source = "the key policy"
    access = key_access(document, _candidates(f, account))
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
        return Outcome(
            reasons=(
                (
                    Reason.KEY_POLICY_MISSING_GRANTS,
                    f"{source.capitalize()} of {f.key.label} does not allow {missing} to the "
                    "SageMaker service, the notebook's role, the account or a deployer.",
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
    """``key-not-allowed``: an allow-list of key ARNs is configured and the key is not on it."""
    allowed = f.settings.allowed_key_arns
    if not allowed:
        return NOTHING
    arn = _key_arn(f)
    if arn is None:
        text = f.identifier.text if f.identifier is not None else "the key"
        return _unknown(
            f"whether {text} is on the allowed key list: its key ARN is known only in live mode"
        )
    if isinstance(arn, Unknown):
        return _unknown(f"whether the key is on the allowed key list: {arn.why}")
    if arn.value not in allowed:
        return _fail(Reason.KEY_NOT_ALLOWED, f"{arn.value} is not on the allowed key list.")
    return NOTHING


def unverified(f: Facts) -> Outcome:
    """``key-manager-unverified`` / ``key-properties-unverified``: a key the input does not
    describe (a literal, or a data-source lookup)."""
    if f.key is not None or f.identifier is None or f.identifier.is_aws_managed_alias:
        return NOTHING
    if f.identifier.is_malformed:
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

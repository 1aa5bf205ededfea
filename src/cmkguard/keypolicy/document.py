"""Parse a key policy document into statements the evaluator can reason about.

Input is ``values.Data`` (parsed JSON with ``Ref`` and ``Unknown`` parts) or a JSON string. Unknown
parts are kept in place: whether they matter depends on the principal and action asked about.
What AWS would reject (``MalformedPolicyDocumentException``) raises ``PolicyError``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import Literal, TypeAlias

from cmkguard.values import Data, Ref, Symbol, SymbolicText, Unknown, symbolic

Effect: TypeAlias = Literal["Allow", "Deny"]
"""A statement's ``Effect``."""
PrincipalKind: TypeAlias = Literal["AWS", "Service", "Federated", "CanonicalUser", "*"]
"""A principal type key; ``"*"`` stands for the bare ``"Principal": "*"``."""
Pattern: TypeAlias = str | Unknown
"""An action pattern; ``Unknown`` when the input does not determine it."""
ResourcePattern: TypeAlias = str | SymbolicText | Ref | Unknown
"""A ``Resource`` value: an ARN pattern, a reference to a resource's ARN, or unknown."""

PRINCIPAL_KINDS: tuple[PrincipalKind, ...] = ("AWS", "Service", "Federated", "CanonicalUser")
"""The principal type keys a ``Principal`` object may have."""
VERSIONS = ("2012-10-17", "2008-10-17")
"""The policy language versions IAM accepts."""
_TOP_KEYS = frozenset({"Version", "Id", "Statement"})
_STATEMENT_KEYS = frozenset(
    {
        "Sid",
        "Effect",
        "Principal",
        "NotPrincipal",
        "Action",
        "NotAction",
        "Resource",
        "NotResource",
        "Condition",
    }
)


class PolicyError(Exception):
    """The document is not a valid policy; the message is one line saying what is wrong."""


@dataclass(frozen=True, slots=True)
class PrincipalEntry:
    """One principal named in a ``Principal`` or ``NotPrincipal`` element."""

    kind: PrincipalKind
    """The principal type key; ``"*"`` for the bare ``"Principal": "*"``."""
    value: str | SymbolicText | Ref | Unknown
    """The principal: an ARN, account ID, service name, ``"*"``, text with symbols (the current
    account's root), a reference or unknown."""

    @property
    def is_wildcard(self) -> bool:
        """True for ``"*"`` and ``{"AWS": "*"}``: everyone."""
        return self.kind == "*" or (self.kind == "AWS" and self.value == "*")


@dataclass(frozen=True, slots=True)
class Statement:
    """One policy statement. Exactly one of each Action/NotAction, Principal/NotPrincipal and
    Resource/NotResource pair is not ``None``."""

    index: int
    """1-based position in the ``Statement`` list, as people count."""
    sid: str | None
    """The ``Sid``, when given as a string."""
    effect: Effect | Unknown
    """``Allow`` or ``Deny``."""
    actions: tuple[Pattern, ...] | None
    """``Action`` patterns; ``None`` when the element is absent."""
    not_actions: tuple[Pattern, ...] | None
    """``NotAction`` patterns; ``None`` when the element is absent."""
    principals: tuple[PrincipalEntry | Unknown, ...] | None
    """``Principal`` entries (``Unknown`` for a part whose type is not known either)."""
    not_principals: tuple[PrincipalEntry | Unknown, ...] | None
    """``NotPrincipal`` entries."""
    resources: tuple[ResourcePattern, ...] | None
    """``Resource`` values; in a key policy ``"*"`` means this key."""
    not_resources: tuple[ResourcePattern, ...] | None = None
    """``NotResource`` values."""
    optional: str | None = None
    """Why the statement may or may not be in the policy (a ``for`` whose ``if`` is unknown);
    ``None`` when it certainly is."""
    condition: Data = None
    """The ``Condition`` element as written (``None`` when absent), references and unknown parts
    kept: ``keypolicy.conditions`` decides it against a request context."""

    @property
    def conditional(self) -> bool:
        """True when the statement has a ``Condition`` that is (or could be) non-empty."""
        return self.condition is not None and self.condition != {}

    @property
    def label(self) -> str:
        """How notes name the statement: ``statement 2 ("AllowUse")``."""
        return f'statement {self.index} ("{self.sid}")' if self.sid else f"statement {self.index}"


@dataclass(frozen=True, slots=True)
class PolicyDocument:
    """A parsed policy."""

    statements: tuple[Statement, ...]
    """The statements in document order."""


def _kind(data: Data) -> str:
    if data is None:
        return "null"
    if isinstance(data, bool):
        return "a boolean"
    if isinstance(data, int | float):
        return "a number"
    if isinstance(data, str):
        return "a string"
    if isinstance(data, list):
        return "a list"
    return "an object"


def _show(data: Data) -> str:
    return json.dumps(data, default=str)


def _after_apply(ref: Ref) -> Unknown:
    return Unknown(f"{ref} is known only after apply")


def _unknown_statement(index: int, why: Unknown) -> Statement:
    """A statement the input does not show: it could allow or deny anything to anyone."""
    return Statement(
        index=index,
        sid=None,
        effect=why,
        actions=(why,),
        not_actions=None,
        principals=(why,),
        not_principals=None,
        resources=("*",),
    )


def _strings(value: Data, where: str) -> tuple[str | SymbolicText | Ref | Unknown, ...]:
    items = value if isinstance(value, list) else [value]
    out: list[str | SymbolicText | Ref | Unknown] = []
    for item in items:
        if not isinstance(item, str | SymbolicText | Ref | Unknown):
            raise PolicyError(f"{where} must be a string or a list of strings, not {_kind(item)}")
        out.append(item)
    return tuple(out)


def _pattern(item: str | SymbolicText | Ref | Unknown, where: str) -> Pattern:
    if isinstance(item, Ref):
        return _after_apply(item)
    if isinstance(item, SymbolicText):
        # An action is matched as text; text standing for the current account names none.
        return Unknown(f"{where} {item} depends on a value a static scan does not know")
    return item


def _patterns(value: Data, where: str) -> tuple[Pattern, ...]:
    return tuple(_pattern(i, where) for i in _strings(value, where))


def _resources(value: Data, where: str) -> tuple[ResourcePattern, ...]:
    """Like ``_patterns``, but a reference stays a reference: a ``Resource`` naming the key's own
    ARN by reference (``aws_kms_key_policy``) is matched to the key by identity; text built with
    the current account stays such text."""
    return _strings(value, where)


def _principals(value: Data, where: str) -> tuple[PrincipalEntry | Unknown, ...]:
    if value == "*":
        return (PrincipalEntry("*", "*"),)
    if isinstance(value, Unknown):
        return (value,)
    if isinstance(value, Ref):
        return (_after_apply(value),)
    if not isinstance(value, dict):
        raise PolicyError(
            f'{where} must be "*" or an object like {{"AWS": ...}}, not {_kind(value)}'
        )
    out: list[PrincipalEntry | Unknown] = []
    for kind, values in value.items():
        if kind not in PRINCIPAL_KINDS:
            allowed = ", ".join(PRINCIPAL_KINDS)
            raise PolicyError(
                f"{where} has an unknown principal type {kind!r} (expected {allowed})"
            )
        for item in values if isinstance(values, list) else [values]:
            if not isinstance(item, str | SymbolicText | Ref | Unknown):
                raise PolicyError(f"{where} {kind} values must be strings, not {_kind(item)}")
            out.append(PrincipalEntry(kind, item))
    return tuple(out)


def _object(raw: Data, elements: frozenset[str], where: str) -> dict[str, Data]:
    """``raw`` as an object with only the given elements: AWS rejects any other element."""
    if not isinstance(raw, dict):
        raise PolicyError(f"{where} must be a JSON object, not {_kind(raw)}")
    extra = sorted(set(raw) - elements)
    if extra:
        raise PolicyError(f"{where} has an unknown element {extra[0]!r}")
    return raw


def _pair(raw: dict[str, Data], name: str, where: str) -> tuple[Data, Data]:
    """The values of ``name`` and ``Not`` + ``name``, exactly one of which must be present."""
    has, has_not = name in raw, f"Not{name}" in raw
    if has and has_not:
        raise PolicyError(f"{where} has both {name} and Not{name}")
    if not has and not has_not:
        raise PolicyError(f"{where} has neither {name} nor Not{name}")
    return raw.get(name), raw.get(f"Not{name}")


def _statement(index: int, raw: Data) -> Statement:
    where = f"statement {index}"
    if isinstance(raw, Unknown):
        return _unknown_statement(index, raw)
    if isinstance(raw, Ref):
        return _unknown_statement(index, _after_apply(raw))
    raw = _object(raw, _STATEMENT_KEYS, where)
    sid = raw.get("Sid")
    if sid is not None and not isinstance(sid, str | Ref | Unknown):
        raise PolicyError(f"{where}: Sid must be a string, not {_kind(sid)}")
    if "Effect" not in raw:
        raise PolicyError(f"{where} has no Effect")
    effect: Effect | Unknown
    match raw["Effect"]:
        case "Allow" | "Deny" as text:
            effect = text
        case Unknown() as unknown:
            effect = unknown
        case Ref() as ref:
            effect = _after_apply(ref)
        case other:
            raise PolicyError(f'{where}: Effect must be "Allow" or "Deny", not {_show(other)}')
    action, not_action = _pair(raw, "Action", where)
    principal, not_principal = _pair(raw, "Principal", where)
    resource, not_resource = _pair(raw, "Resource", where)
    condition = raw.get("Condition")
    if not isinstance(condition, dict | Unknown | Ref | None):
        raise PolicyError(f"{where}: Condition must be an object, not {_kind(condition)}")
    return Statement(
        index=index,
        sid=sid if isinstance(sid, str) else None,
        effect=effect,
        actions=None if "Action" not in raw else _patterns(action, f"{where} Action"),
        not_actions=None if "NotAction" not in raw else _patterns(not_action, f"{where} NotAction"),
        principals=None if "Principal" not in raw else _principals(principal, f"{where} Principal"),
        not_principals=(
            None
            if "NotPrincipal" not in raw
            else _principals(not_principal, f"{where} NotPrincipal")
        ),
        resources=None if "Resource" not in raw else _resources(resource, f"{where} Resource"),
        not_resources=(
            None if "NotResource" not in raw else _resources(not_resource, f"{where} NotResource")
        ),
        condition=condition,
    )


def _optional_statements(
    why: Unknown, items: tuple[tuple[Data, bool], ...]
) -> tuple[Statement, ...]:
    """Statements of a list that holds some of its possible elements: the uncertain ones are
    marked optional, so the evaluator can let them add doubt but never a grant."""
    out: list[Statement] = []
    for index, (item, certain) in enumerate(items, start=1):
        if certain:
            out.append(_statement(index, item))
            continue
        try:
            stmt = _statement(index, item)
        except PolicyError as exc:
            # AWS would reject it only if it is there: whether the policy is valid is unknown.
            stmt = _unknown_statement(index, Unknown(f"if present it is not valid: {exc}"))
        out.append(replace(stmt, optional=why.why))
    return tuple(out)


def parse_policy(data: Data) -> PolicyDocument | Unknown:
    """Parse a policy given as data or as a JSON string.

    A policy that is itself unknown (or a reference, known only after apply) gives ``Unknown``;
    unknown parts inside are kept in place. Raises ``PolicyError`` for a malformed document.
    """
    if isinstance(data, Unknown):
        return data
    if isinstance(data, Ref):
        return Unknown(f"the policy is {data}, known only after apply")
    if isinstance(data, str):
        try:
            data = json.loads(data)
        except json.JSONDecodeError as exc:
            raise PolicyError(
                f"the policy is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
            ) from None
        except RecursionError:
            raise PolicyError("the policy is not valid JSON: nested too deeply") from None
    data = _object(data, _TOP_KEYS, "the policy")
    version = data.get("Version")
    if not isinstance(version, Unknown | Ref | None) and version not in VERSIONS:
        raise PolicyError(
            f"the policy Version must be 2012-10-17 or 2008-10-17, not {_show(version)}"
        )
    if "Statement" not in data:
        raise PolicyError("the policy has no Statement")
    raw = data["Statement"]
    if isinstance(raw, Unknown) and raw.items is not None:
        return PolicyDocument(_optional_statements(raw, raw.items))
    if isinstance(raw, Unknown):
        return PolicyDocument((_unknown_statement(1, raw),))
    if isinstance(raw, Ref):
        return PolicyDocument((_unknown_statement(1, _after_apply(raw)),))
    if isinstance(raw, dict):
        raw = [raw]
    if not isinstance(raw, list):
        raise PolicyError(f"the policy Statement must be an object or a list, not {_kind(raw)}")
    return PolicyDocument(tuple(_statement(i, item) for i, item in enumerate(raw, start=1)))


def default_key_policy(account: str | Symbol, partition: str = "aws") -> PolicyDocument:
    """The policy AWS gives a key created without one: the account root gets ``kms:*`` on the
    key, which delegates access decisions to IAM policies in ``account``."""
    document = parse_policy(
        {
            "Version": "2012-10-17",
            "Id": "key-default-1",
            "Statement": [
                {
                    "Sid": "Enable IAM User Permissions",
                    "Effect": "Allow",
                    "Principal": {"AWS": symbolic(("arn:", partition, ":iam::", account, ":root"))},
                    "Action": "kms:*",
                    "Resource": "*",
                }
            ],
        }
    )
    assert isinstance(document, PolicyDocument)  # noqa: S101  # a literal document cannot be unknown
    return document

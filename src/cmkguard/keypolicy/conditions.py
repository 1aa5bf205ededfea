"""Decide a statement's ``Condition`` against the request context of one request, as IAM does.

Three-valued like the rest of ``keypolicy``: a clause whose key the context does not know, whose
operator is not modelled, or whose value the input does not determine is ``Match.MAYBE``, and the
evaluator fails closed on it. IAM semantics kept here (IAM User Guide, "Condition operators" and
"Single-valued vs. multivalued context keys"):

- several operators, and several keys under one operator, are ANDed; several values for one key
  are ORed;
- a key absent from the request makes a clause false, except that a negated operator
  (``StringNotEquals``, ``ArnNotLike``, ...) is then true, ``...IfExists`` is true, and ``Null``
  tests presence itself;
- ``ForAllValues:`` is true when every context value matches (and when the key is absent);
  ``ForAnyValue:`` when at least one does (false when absent).

Knows nothing of Terraform or SageMaker: the caller builds the ``RequestContext``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import TypeAlias

from cmkguard.keypolicy.matching import Match, all_of, any_of, glob_match, negate
from cmkguard.values import Data, Ref, Symbol, SymbolicText, Unknown

ContextText: TypeAlias = str | SymbolicText | Ref
"""One value of a context key: text, text holding the current-account symbol, or a reference to
an attribute the input defines but cannot evaluate (e.g. a role's ARN)."""
PolicyValue: TypeAlias = str | SymbolicText | Ref | Unknown
"""One value a condition compares with: as the policy writes it, possibly unknown."""
ContextValue: TypeAlias = tuple[ContextText, ...] | Unknown
"""A context key's values; ``()`` when the key is known to be absent from the request."""


@dataclass(frozen=True, slots=True)
class RequestContext:
    """The condition keys of one request and their values. Keys are compared case-insensitively,
    as IAM does; a key not listed is not known for this request."""

    values: Mapping[str, ContextValue] = field(default_factory=dict)
    """Context key (any case) to its values; ``()`` for a key known to be absent."""
    description: str = "this request"
    """How messages name the request, e.g. ``the notebook's use of the key``."""

    def get(self, key: str) -> ContextValue:
        """The values of ``key``; ``Unknown`` naming the key when the context does not know it."""
        folded = key.casefold()
        for name, value in self.values.items():
            if name.casefold() == folded:
                return value
        return Unknown(f"{key} is not known for {self.description}")


class _Family(Enum):
    STRING = "string"
    STRING_IGNORE_CASE = "string ignoring case"
    STRING_LIKE = "string pattern"
    ARN = "ARN"
    BOOL = "boolean"
    NUMERIC_EQ = "="
    NUMERIC_LT = "<"
    NUMERIC_LE = "<="
    NUMERIC_GT = ">"
    NUMERIC_GE = ">="
    NULL = "null"


# Operator name (lower case) -> (family, negated).
_OPERATORS: dict[str, tuple[_Family, bool]] = {
    "stringequals": (_Family.STRING, False),
    "stringnotequals": (_Family.STRING, True),
    "stringequalsignorecase": (_Family.STRING_IGNORE_CASE, False),
    "stringnotequalsignorecase": (_Family.STRING_IGNORE_CASE, True),
    "stringlike": (_Family.STRING_LIKE, False),
    "stringnotlike": (_Family.STRING_LIKE, True),
    # ArnEquals and ArnLike behave the same: each ARN component may hold * and ?.
    "arnequals": (_Family.ARN, False),
    "arnlike": (_Family.ARN, False),
    "arnnotequals": (_Family.ARN, True),
    "arnnotlike": (_Family.ARN, True),
    "bool": (_Family.BOOL, False),
    "numericequals": (_Family.NUMERIC_EQ, False),
    "numericnotequals": (_Family.NUMERIC_EQ, True),
    "numericlessthan": (_Family.NUMERIC_LT, False),
    "numericlessthanequals": (_Family.NUMERIC_LE, False),
    "numericgreaterthan": (_Family.NUMERIC_GT, False),
    "numericgreaterthanequals": (_Family.NUMERIC_GE, False),
    "null": (_Family.NULL, False),
}
_IF_EXISTS = "ifexists"
_FOR_ALL = "forallvalues:"
_FOR_ANY = "foranyvalue:"


@dataclass(frozen=True, slots=True)
class _Operator:
    family: _Family
    negated: bool
    if_exists: bool
    qualifier: str | None
    """``forallvalues:`` or ``foranyvalue:``, else ``None``."""


def _operator(name: str) -> _Operator | None:
    """Parse ``[ForAllValues:|ForAnyValue:]Name[IfExists]``; ``None`` when not modelled."""
    text = name.casefold()
    qualifier = next((q for q in (_FOR_ALL, _FOR_ANY) if text.startswith(q)), None)
    if qualifier is not None:
        text = text[len(qualifier) :]
    if_exists = text.endswith(_IF_EXISTS) and text != _IF_EXISTS
    if if_exists:
        text = text[: -len(_IF_EXISTS)]
    found = _OPERATORS.get(text)
    if found is None or (if_exists and found[0] is _Family.NULL):
        return None
    return _Operator(found[0], found[1], if_exists, qualifier)


@dataclass(frozen=True, slots=True)
class ConditionResult:
    """Whether a ``Condition`` holds, and in words the first clause that only maybe holds."""

    match: Match
    """YES when every clause holds, NO when one does not, else MAYBE."""
    why: str | None = None
    """For MAYBE: the clause (operator, key, values) and why it is undecided."""


HOLDS = ConditionResult(Match.YES)
"""The result for a statement without a Condition."""


def _show(data: Data) -> str:
    return json.dumps(data, default=str)


def _clause(operator: str, key: str, values: Data) -> str:
    return f"{operator} {{{_show(key)}: {_show(values)}}}"


def _policy_values(raw: Data) -> list[PolicyValue]:
    """A key's policy values as text: IAM reads JSON booleans and numbers as their text."""
    items = raw if isinstance(raw, list) else [raw]
    out: list[PolicyValue] = []
    for item in items:
        if isinstance(item, str | SymbolicText | Ref | Unknown):
            out.append(item)
        elif isinstance(item, bool):
            out.append("true" if item else "false")
        elif isinstance(item, int | float):
            out.append(json.dumps(item))
        else:
            out.append(Unknown(f"the value {_show(item)} is not a string"))
    return out


def _arn_match(pattern: str, text: str) -> bool:
    """``ArnLike``: the six colon-separated components compared one by one, case-sensitively."""
    want, have = pattern.split(":", 5), text.split(":", 5)
    if len(want) != 6 or len(have) != 6:
        return False
    return all(glob_match(w, h) for w, h in zip(want, have, strict=True))


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _concrete(family: _Family, policy: str, value: str) -> Match:
    """One policy value against one context value, both fully known text."""
    match family:
        case _Family.STRING:
            found = policy == value
        case _Family.STRING_IGNORE_CASE:
            found = policy.casefold() == value.casefold()
        case _Family.STRING_LIKE:
            found = glob_match(policy, value)
        case _Family.ARN:
            found = _arn_match(policy, value)
        case _Family.BOOL:
            found = policy.casefold() == value.casefold()
        case _:
            a, b = _number(value), _number(policy)
            if a is None or b is None:
                return Match.MAYBE
            found = {
                _Family.NUMERIC_EQ: a == b,
                _Family.NUMERIC_LT: a < b,
                _Family.NUMERIC_LE: a <= b,
                _Family.NUMERIC_GT: a > b,
                _Family.NUMERIC_GE: a >= b,
            }[family]
    return Match.YES if found else Match.NO


def _folded(text: str | SymbolicText) -> tuple[str | Symbol, ...]:
    parts = (text,) if isinstance(text, str) else text.parts
    return tuple(p.casefold() if isinstance(p, str) else p for p in parts)


def _symbolic(family: _Family, policy: str | SymbolicText, value: str | SymbolicText) -> Match:
    """Text holding the current-account symbol stands for one definite but unnamed account: the
    same text is the same value whatever the account is; anything else may or may not match."""
    if family in (_Family.STRING_LIKE, _Family.ARN) and policy == "*":
        return Match.YES
    texts = [policy] if isinstance(policy, str) else policy.parts
    wildcard = family in (_Family.STRING_LIKE, _Family.ARN) and any(
        isinstance(t, str) and ("*" in t or "?" in t) for t in texts
    )
    if family is _Family.STRING_IGNORE_CASE:
        same = _folded(policy) == _folded(value)
    else:
        same = policy == value
    if same and not wildcard and family is not _Family.BOOL:
        return Match.YES
    return Match.MAYBE


def _value_match(family: _Family, policy: PolicyValue, value: ContextText) -> Match:
    """Whether one policy value matches one context value (positive operators)."""
    if isinstance(policy, Unknown):
        return Match.MAYBE
    if isinstance(policy, Ref) or isinstance(value, Ref):
        if policy == value and family is not _Family.BOOL:
            return Match.YES
        if isinstance(policy, str) and family in (_Family.STRING_LIKE, _Family.ARN):
            return Match.YES if policy == "*" else Match.MAYBE
        return Match.MAYBE
    if isinstance(policy, SymbolicText) or isinstance(value, SymbolicText):
        return _symbolic(family, policy, value)
    if "${" in policy:
        # A policy variable is replaced by request data we do not model.
        return Match.MAYBE
    return _concrete(family, policy, value)


def _null(values: list[PolicyValue], present: bool) -> Match:
    results: list[Match] = []
    for policy in values:
        if isinstance(policy, str) and policy.casefold() in ("true", "false"):
            wants_absent = policy.casefold() == "true"
            results.append(Match.YES if wants_absent != present else Match.NO)
        else:
            results.append(Match.MAYBE)
    return any_of(results)


def _one_value(op: _Operator, values: list[PolicyValue], context: ContextText) -> Match:
    """The clause for one context value: any policy value matches (none, when negated)."""
    found = any_of(_value_match(op.family, p, context) for p in values)
    return negate(found) if op.negated else found


def _clause_match(op: _Operator, values: list[PolicyValue], ctx: tuple[ContextText, ...]) -> Match:
    if not values:
        # IAM rejects an empty value list; we cannot say what it would mean.
        return Match.MAYBE
    if op.family is _Family.NULL:
        return _null(values, present=bool(ctx))
    if not ctx:
        if op.if_exists or op.qualifier == _FOR_ALL:
            return Match.YES
        if op.qualifier == _FOR_ANY:
            return Match.NO
        return Match.YES if op.negated else Match.NO
    per_value = (_one_value(op, values, v) for v in ctx)
    return all_of(per_value) if op.qualifier == _FOR_ALL else any_of(per_value)


def _clauses(condition: dict[str, Data]) -> Iterable[tuple[str, str, Data]]:
    for operator, block in condition.items():
        if isinstance(block, dict):
            for key, values in block.items():
                yield operator, key, values
        else:
            yield operator, "", block


def evaluate_condition(condition: Data, context: RequestContext) -> ConditionResult:
    """Whether a statement's ``Condition`` holds for the request ``context`` (``None`` or ``{}``:
    no condition, it holds)."""
    if condition is None or condition == {}:
        return HOLDS
    if isinstance(condition, Unknown):
        return ConditionResult(Match.MAYBE, f"its Condition is not known ({condition.why})")
    if isinstance(condition, Ref):
        return ConditionResult(Match.MAYBE, f"its Condition {condition} is known only after apply")
    if not isinstance(condition, dict):
        return ConditionResult(Match.MAYBE, f"its Condition {_show(condition)} is not an object")
    results: list[Match] = []
    why: str | None = None
    for operator, key, raw in _clauses(condition):
        clause = _clause(operator, key, raw)
        op = _operator(operator)
        ctx = context.get(key) if key else Unknown("its operator block is not an object")
        if isinstance(ctx, Unknown):
            match, reason = Match.MAYBE, f"its Condition {clause} cannot be decided: {ctx.why}"
        elif op is None:
            match, reason = Match.MAYBE, f"its Condition {clause} uses an operator not modelled"
        elif isinstance(raw, Unknown):
            match, reason = Match.MAYBE, f"its Condition {clause} is not known ({raw.why})"
        else:
            # A reference stands for one value (e.g. a role's ARN), compared by identity.
            match = _clause_match(op, _policy_values(raw), ctx)
            reason = f"its Condition {clause} cannot be decided for {context.description}"
        results.append(match)
        if match is Match.NO:
            return ConditionResult(Match.NO)
        if match is Match.MAYBE and why is None:
            why = reason
    overall = all_of(results)
    return ConditionResult(overall, why if overall is Match.MAYBE else None)

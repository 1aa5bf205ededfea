"""Decide, as IAM does, whether a key policy lets a principal perform an action on the key.

Three-valued and fail closed: a statement that only MAYBE applies (a reference or unknown part,
a Resource that may or may not name this key, a Condition the request context cannot decide) can
never produce ALLOWED, and a Deny that MAYBE applies makes the answer UNDECIDED. Conditions are
decided against the request context the caller gives (``keypolicy.conditions``): an Allow counts
only when its Condition holds, a Deny denies when its Condition holds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import TypeAlias

from cmkguard.keypolicy.conditions import ConditionResult, RequestContext, evaluate_condition
from cmkguard.keypolicy.document import (
    Pattern,
    PolicyDocument,
    PrincipalEntry,
    ResourcePattern,
    Statement,
)
from cmkguard.keypolicy.matching import (
    AccountPrincipal,
    ArnPrincipal,
    Candidate,
    Match,
    ServicePrincipal,
    action_match,
    all_of,
    any_of,
    canonical_candidate,
    negate,
    principal_match,
)
from cmkguard.keypolicy.resources import UNKNOWN_KEY, KeyArn, resource_match
from cmkguard.values import Ref, Unknown

__all__ = [
    "NO_CONTEXT",
    "REQUIRED_ACTIONS",
    "AccessOutcome",
    "AccountPrincipal",
    "ActionAccess",
    "ArnPrincipal",
    "Candidate",
    "ContextFor",
    "Decision",
    "KeyAccess",
    "KeyArn",
    "RequestContext",
    "ServicePrincipal",
    "StatementRef",
    "decide",
    "key_access",
]

NO_CONTEXT = RequestContext(description="a request whose context is not given")
"""Without a request context every condition key is unknown: no Condition is assumed to hold."""

REQUIRED_ACTIONS = ("kms:CreateGrant", "kms:Decrypt", "kms:GenerateDataKey")
"""What a notebook's key use needs. The control's ``kms:GenerateDataKey*`` is checked with the
concrete action SageMaker calls, so ``kms:GenerateDataKeyWithoutPlaintext`` alone is not enough."""


class AccessOutcome(StrEnum):
    """The answer for one principal and action."""

    ALLOWED = "allowed"
    EXPLICIT_DENY = "explicit deny"
    IMPLICIT_DENY = "implicit deny"
    """No statement allows it."""
    UNDECIDED = "undecided"
    """It depends on a value the input does not determine."""


@dataclass(frozen=True, slots=True)
class StatementRef:
    """Names a statement in results."""

    index: int
    """1-based position in the ``Statement`` list."""
    sid: str | None
    """The statement's ``Sid``."""

    def __str__(self) -> str:
        return f'statement {self.index} ("{self.sid}")' if self.sid else f"statement {self.index}"


@dataclass(frozen=True, slots=True)
class Decision:
    """The answer for one principal and action, with the statements behind it."""

    outcome: AccessOutcome
    """Allowed, explicitly or implicitly denied, or undecided."""
    allowed_by: tuple[StatementRef, ...] = ()
    """Statements that definitely allow."""
    denied_by: tuple[StatementRef, ...] = ()
    """Statements that definitely and unconditionally deny."""
    conditional: bool = False
    """True when ALLOWED only through statements with a Condition."""
    notes: tuple[str, ...] = ()
    """Plain-words details: conditional statements, unusual resources, ignored statements."""
    why: str | None = None
    """For UNDECIDED: the statement and the unknown part the answer depends on."""


def _part(element: str, culprit: PrincipalEntry | Pattern, candidate: Candidate) -> str:
    if isinstance(culprit, Unknown):
        return f"its {element} is not known ({culprit.why})"
    if isinstance(culprit, str):
        return f'its {element} "{culprit}" may or may not cover it'
    value = culprit.value
    if isinstance(value, Unknown):
        return f"its {element} {culprit.kind} value is not known ({value.why})"
    if isinstance(value, Ref):
        return f"its {element} {culprit.kind} {value} is known only after apply"
    return f'its {element} {culprit.kind} "{value}" may or may not be {candidate}'


def _element(
    element: str,
    entries: Sequence[PrincipalEntry | Unknown] | Sequence[Pattern],
    matches: list[Match],
    candidate: Candidate,
) -> tuple[Match, str | None]:
    """Whether an element covers what is asked (``Not...`` elements inverted), and in words the
    first entry that only maybe does."""
    culprit = next((e for e, m in zip(entries, matches, strict=True) if m is Match.MAYBE), None)
    match = negate(any_of(matches)) if element.startswith("Not") else any_of(matches)
    return match, None if culprit is None else _part(element, culprit, candidate)


def _resource_part(
    element: str, patterns: Sequence[ResourcePattern], key: KeyArn
) -> tuple[Match, str | None]:
    matches = [resource_match(p, key) for p in patterns]
    match = negate(any_of(matches)) if element.startswith("Not") else any_of(matches)
    culprit = next((p for p, m in zip(patterns, matches, strict=True) if m is Match.MAYBE), None)
    if culprit is None:
        return match, None
    if isinstance(culprit, Unknown):
        return match, f"its {element} is not known ({culprit.why})"
    return match, f'its {element} "{culprit}" may or may not name this key'


def _applies(
    stmt: Statement, candidate: Candidate, action: str, key: KeyArn
) -> tuple[Match, str | None]:
    """Whether ``stmt`` covers the principal, action and key (effect and Condition aside), and
    the unknown part when it only maybe does."""
    parts: list[tuple[Match, str | None]] = []
    for element, principals in (
        ("Principal", stmt.principals),
        ("NotPrincipal", stmt.not_principals),
    ):
        if principals is not None:
            matches = [principal_match(e, candidate) for e in principals]
            parts.append(_element(element, principals, matches, candidate))
    for element, patterns in (("Action", stmt.actions), ("NotAction", stmt.not_actions)):
        if patterns is not None:
            matches = [action_match(p, action) for p in patterns]
            parts.append(_element(element, patterns, matches, candidate))
    for element, resources in (("Resource", stmt.resources), ("NotResource", stmt.not_resources)):
        if resources is not None:
            parts.append(_resource_part(element, resources, key))
    match = all_of(m for m, _ in parts)
    why = next((w for m, w in parts if m is Match.MAYBE), None)
    return match, why


def _with_condition(
    stmt: Statement, match: Match, why: str | None, context: RequestContext
) -> tuple[Match, str | None, ConditionResult]:
    """``match`` narrowed by the statement's Condition evaluated in ``context``."""
    held = evaluate_condition(stmt.condition, context)
    combined = all_of((match, held.match))
    if combined is not Match.MAYBE:
        return combined, None, held
    reasons = [w for w in (why, held.why) if w is not None]
    return combined, ", and ".join(reasons) or None, held


def decide(
    doc: PolicyDocument,
    principal: Candidate,
    action: str,
    context: RequestContext = NO_CONTEXT,
    key: KeyArn = UNKNOWN_KEY,
) -> Decision:
    """IAM's answer for ``principal`` performing ``action`` on the key under ``doc``, with each
    Condition decided against the request ``context`` and each Resource compared with ``key``."""
    allows: list[StatementRef] = []
    conditional_allows: list[StatementRef] = []
    denies: list[StatementRef] = []
    maybe_allow: list[str] = []
    maybe_deny: list[str] = []
    notes: list[str] = []
    for stmt in doc.statements:
        match, why = _applies(stmt, principal, action, key)
        if match is Match.NO:
            continue
        match, why, held = _with_condition(stmt, match, why, context)
        if stmt.optional is not None and match is not Match.NO:
            # It may not be in the policy: it can add doubt, never a grant or a certain Deny.
            absent = f"it may or may not be in the policy ({stmt.optional})"
            match, why = Match.MAYBE, absent if why is None else f"{why}, and {absent}"
        if match is Match.NO:
            if held.match is Match.NO and stmt.effect == "Deny":
                notes.append(
                    f"{stmt.label} does not deny {action}: its Condition does not hold for "
                    f"{context.description}"
                )
            continue
        ref = StatementRef(stmt.index, stmt.sid)
        effect = stmt.effect
        if isinstance(effect, Unknown):
            unknown = f"its Effect is not known ({effect.why})"
            why = unknown if why is None else f"{unknown}, and {why}"
        if effect != "Allow":
            if match is Match.YES and effect == "Deny":
                denies.append(ref)
            else:
                maybe_deny.append(f"{stmt.label} may deny {action} to {principal}: {why}")
        if effect != "Deny":
            if stmt.not_principals is not None:
                notes.append(
                    f"{stmt.label} combines Allow with NotPrincipal; not counted as allowing"
                )
            elif match is Match.YES and effect == "Allow":
                allows.append(ref)
                if stmt.conditional:
                    conditional_allows.append(ref)
                    notes.append(
                        f"{stmt.label} allows {action} under a Condition that holds for "
                        f"{context.description}"
                    )
            else:
                maybe_allow.append(f"{stmt.label} may allow {action} to {principal}: {why}")
    base = Decision(
        AccessOutcome.IMPLICIT_DENY,
        allowed_by=tuple(allows),
        denied_by=tuple(denies),
        notes=tuple(dict.fromkeys(notes)),
    )
    if denies:
        return replace(base, outcome=AccessOutcome.EXPLICIT_DENY)
    if maybe_deny:
        return replace(base, outcome=AccessOutcome.UNDECIDED, why=maybe_deny[0])
    if allows:
        conditional = len(conditional_allows) == len(allows)
        return replace(base, outcome=AccessOutcome.ALLOWED, conditional=conditional)
    if maybe_allow:
        return replace(base, outcome=AccessOutcome.UNDECIDED, why=maybe_allow[0])
    return base


@dataclass(frozen=True, slots=True)
class ActionAccess:
    """The answer for one action over all candidate principals."""

    action: str
    """The action asked about."""
    outcome: AccessOutcome
    """ALLOWED if some candidate is allowed, else UNDECIDED if some is undecided, else denied
    (EXPLICIT_DENY when some candidate is explicitly denied)."""
    decisions: tuple[tuple[Candidate, Decision], ...]
    """Each candidate's decision, in the order given."""

    @property
    def allowed(self) -> tuple[Candidate, ...]:
        """The candidates that are allowed."""
        return tuple(c for c, d in self.decisions if d.outcome is AccessOutcome.ALLOWED)


@dataclass(frozen=True, slots=True)
class KeyAccess:
    """Whether some candidate principal may perform every required action on the key."""

    allowed: bool | None
    """True when every action is allowed to some candidate, False when some action is allowed to
    none and could not be, None when undecided."""
    missing: tuple[str, ...]
    """Actions no candidate may perform."""
    denied_by: tuple[tuple[str, StatementRef], ...]
    """(action, statement) for each explicit Deny that removed a missing action."""
    delegates_to_iam: bool
    """True when for some action the only candidates allowed are whole accounts: the account's
    IAM policies decide for its roles."""
    conditional: bool
    """True when some action is allowed only under a Condition."""
    undecided_why: str | None
    """When ``allowed`` is None: which statement and which unknown part decide it."""
    notes: tuple[str, ...]
    """Plain-words details from every decision, without repeats."""
    actions: tuple[ActionAccess, ...]
    """Per-action answers, in the order asked."""


def _combine(action: str, decisions: tuple[tuple[Candidate, Decision], ...]) -> ActionAccess:
    outcomes = {d.outcome for _, d in decisions}
    for outcome in (
        AccessOutcome.ALLOWED,
        AccessOutcome.UNDECIDED,
        AccessOutcome.EXPLICIT_DENY,
    ):
        if outcome in outcomes:
            return ActionAccess(action, outcome, decisions)
    return ActionAccess(action, AccessOutcome.IMPLICIT_DENY, decisions)


def _only_accounts(candidates: Iterable[Candidate]) -> bool:
    found = [canonical_candidate(c) for c in candidates]
    return bool(found) and all(isinstance(c, AccountPrincipal) for c in found)


ContextFor: TypeAlias = Callable[[Candidate, str], RequestContext]
"""The request context of ``candidate`` performing ``action``."""


def key_access(
    doc: PolicyDocument,
    principals: Sequence[Candidate],
    actions: Sequence[str] = REQUIRED_ACTIONS,
    *,
    context: ContextFor | None = None,
    key: KeyArn = UNKNOWN_KEY,
) -> KeyAccess:
    """Whether, for each of ``actions``, some principal in ``principals`` is allowed on ``key``,
    Conditions decided in ``context(principal, action)`` (none known when not given).

    Raises ``ValueError`` when ``principals`` or ``actions`` is empty: an empty question has no
    answer, and answering "allowed" would fail open.
    """
    if not principals or not actions:
        raise ValueError("key_access needs at least one principal and one action")
    results = tuple(
        _combine(
            action,
            tuple(
                (
                    p,
                    decide(
                        doc, p, action, NO_CONTEXT if context is None else context(p, action), key
                    ),
                )
                for p in principals
            ),
        )
        for action in actions
    )
    denied = [
        a
        for a in results
        if a.outcome in (AccessOutcome.EXPLICIT_DENY, AccessOutcome.IMPLICIT_DENY)
    ]
    undecided = [a for a in results if a.outcome is AccessOutcome.UNDECIDED]
    allowed = False if denied else None if undecided else True
    granted = [a for a in results if a.outcome is AccessOutcome.ALLOWED]
    why = None
    if allowed is None:
        why = next(
            d.why for a in undecided for _, d in a.decisions if d.outcome is AccessOutcome.UNDECIDED
        )
    return KeyAccess(
        allowed=allowed,
        missing=tuple(a.action for a in denied),
        denied_by=tuple(
            dict.fromkeys(
                (a.action, ref) for a in denied for _, d in a.decisions for ref in d.denied_by
            )
        ),
        delegates_to_iam=any(_only_accounts(a.allowed) for a in granted),
        conditional=any(
            all(d.conditional for _, d in a.decisions if d.outcome is AccessOutcome.ALLOWED)
            for a in granted
        ),
        undecided_why=why,
        notes=tuple(dict.fromkeys(n for a in results for _, d in a.decisions for n in d.notes)),
        actions=results,
    )

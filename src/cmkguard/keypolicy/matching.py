"""Compare policy actions and principals with the action and principal asked about.

Principal matching is three-valued (``Match``): a reference or unknown part can make the answer
MAYBE, and the evaluator fails closed on MAYBE.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import TypeAlias

from cmkguard.keypolicy.document import Pattern, PrincipalEntry
from cmkguard.values import CURRENT_ACCOUNT, Ref, Unknown


class Match(StrEnum):
    """Whether a policy element covers what is asked about."""

    YES = "yes"
    NO = "no"
    MAYBE = "maybe"
    """It depends on a value the input does not determine."""


@dataclass(frozen=True, slots=True)
class ServicePrincipal:
    """An AWS service acting on its own behalf, e.g. ``sagemaker.amazonaws.com``."""

    name: str
    """The service principal name."""

    def __str__(self) -> str:
        return f"the service {self.name}"


@dataclass(frozen=True, slots=True)
class ArnPrincipal:
    """An IAM role or user, by ARN or by reference to the Terraform object that creates it."""

    arn: str | Ref | Unknown
    """The principal's ARN. An account root ARN (``arn:aws:iam::ACCT:root``) is the account."""

    def __str__(self) -> str:
        if isinstance(self.arn, Unknown):
            return f"an unknown principal ({self.arn.why})"
        return str(self.arn)


@dataclass(frozen=True, slots=True)
class AccountPrincipal:
    """A whole account. A key policy naming the account delegates to the account's IAM policies."""

    account: str | Unknown
    """12-digit account ID, or ``values.CURRENT_ACCOUNT``."""

    def __str__(self) -> str:
        if isinstance(self.account, Unknown):
            return f"an unknown account ({self.account.why})"
        if self.account == CURRENT_ACCOUNT:
            return "the current account"
        return f"account {self.account}"


Candidate: TypeAlias = ServicePrincipal | ArnPrincipal | AccountPrincipal
"""A principal that might act for the resource being judged."""

_ACCOUNT = rf"(?:\d{{12}}|{re.escape(CURRENT_ACCOUNT)})"
_ROOT_OR_ID_RE = re.compile(rf"arn:[a-z0-9-]+:iam::(?P<a>{_ACCOUNT}):root|(?P<b>{_ACCOUNT})")


@lru_cache(maxsize=1024)
def _pattern_re(pattern: str) -> re.Pattern[str]:
    # IAM knows only * and ?: every other character, "[" included, stands for itself.
    body = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.compile(body, re.IGNORECASE | re.DOTALL)


def action_matches(pattern: str, action: str) -> bool:
    """True when the IAM action ``pattern`` (``kms:*``, ``kms:Create*``, ``*``, ``kms:?ecrypt``)
    covers ``action``. Case-insensitive; ``*`` is any run of characters, ``?`` any one."""
    return _pattern_re(pattern).fullmatch(action) is not None


def action_match(pattern: Pattern, action: str) -> Match:
    """``action_matches`` for a pattern that may be unknown."""
    if isinstance(pattern, Unknown):
        return Match.MAYBE
    return Match.YES if action_matches(pattern, action) else Match.NO


def account_of(text: str) -> str | None:
    """The account an ``AWS`` principal string names as a whole account (``arn:P:iam::ACCT:root``
    or a bare account ID, either possibly ``CURRENT_ACCOUNT``), else ``None``."""
    m = _ROOT_OR_ID_RE.fullmatch(text)
    return None if m is None else m["a"] or m["b"]


def _accounts(policy: str, candidate: str | Unknown) -> Match:
    if isinstance(candidate, Unknown):
        return Match.MAYBE
    if policy == candidate:
        return Match.YES
    # The current account is one definite account that could be any concrete one.
    return Match.MAYBE if CURRENT_ACCOUNT in (policy, candidate) else Match.NO


def _symbolic(arn: str) -> re.Pattern[str]:
    escaped = re.escape(arn).replace(re.escape(CURRENT_ACCOUNT), _ACCOUNT)
    return re.compile(escaped, re.IGNORECASE)


def _arns(policy: str, candidate: str) -> Match:
    # IAM user and role names are unique case-insensitively within an account.
    if policy.casefold() == candidate.casefold():
        return Match.YES
    if CURRENT_ACCOUNT in policy + candidate and (
        _symbolic(policy).fullmatch(candidate) or _symbolic(candidate).fullmatch(policy)
    ):
        return Match.MAYBE
    return Match.NO


def _is_data_source(target: str) -> bool:
    return target.startswith("data.") or ".data." in target


def _never_account(ref: Ref) -> bool:
    # The ARN of a resource the configuration manages is never an account root: IAM roots are
    # not resources. A data source (e.g. the caller's identity) could still resolve to one.
    return ref.attribute == "arn" and not _is_data_source(ref.target)


_ROLE_ARN = re.compile(r"^arn:[^:]+:iam::[^:]*:role/(?:.*/)?(?P<name>[^/]+)$")


def _names_another_role(arn: str, ref: Ref) -> bool:
    """True when ``arn`` is a role ARN whose name differs from the referenced role's known name.

    IAM role names are unique per account regardless of case, so a different name is a
    different role whatever account the reference turns out to be in.
    """
    if ref.name is None or ref.attribute != "arn" or not _is_type(ref.target, "aws_iam_role"):
        return False
    match = _ROLE_ARN.match(arn)
    return match is not None and match["name"].casefold() != ref.name.casefold()


def _is_type(target: str, resource_type: str) -> bool:
    # Targets are ``module.a.TYPE.NAME[key]``: the type is the second-to-last dotted part of the
    # address once instance keys are removed.
    parts = re.sub(r"\[[^\]]*\]", "", target).split(".")
    return len(parts) >= 2 and parts[-2] == resource_type


def _refs(policy: Ref, candidate: Ref) -> Match:
    if policy == candidate:
        return Match.YES
    if policy.target == candidate.target:
        # e.g. a role's ``arn`` and its ``unique_id`` name the same principal.
        return Match.MAYBE
    # Two managed resources are two objects; a data source may look up the very same one.
    if _is_data_source(policy.target) or _is_data_source(candidate.target):
        return Match.MAYBE
    return Match.NO


def canonical_candidate(candidate: Candidate) -> Candidate:
    """``candidate``, except that an ARN principal naming an account root (or a bare account ID)
    is that account: IAM treats ``arn:aws:iam::ACCT:root`` as the account itself."""
    if isinstance(candidate, ArnPrincipal) and isinstance(candidate.arn, str):
        account = account_of(candidate.arn)
        if account is not None:
            return AccountPrincipal(account)
    return candidate


def principal_match(entry: PrincipalEntry | Unknown, candidate: Candidate) -> Match:
    """Whether one policy principal entry names ``candidate``.

    Account entries (root ARN in any partition, or bare account ID) match only account
    principals: the account's IAM policies then decide for its roles, which we model as
    delegation rather than as a match. ``Federated`` and ``CanonicalUser`` entries never name a
    service, role or account.
    """
    if isinstance(entry, Unknown):
        return Match.MAYBE
    if entry.is_wildcard:
        return Match.YES
    value = entry.value
    candidate = canonical_candidate(candidate)
    if entry.kind == "Service":
        if not isinstance(candidate, ServicePrincipal):
            return Match.NO
        if isinstance(value, str):
            same = value == "*" or value.casefold() == candidate.name.casefold()
            return Match.YES if same else Match.NO
        return Match.MAYBE
    if entry.kind != "AWS":
        return Match.NO
    if isinstance(candidate, ServicePrincipal):
        # Only an unknown value could still turn out to be "*".
        return Match.MAYBE if isinstance(value, Unknown) else Match.NO
    if isinstance(value, Unknown):
        return Match.MAYBE
    if isinstance(candidate, AccountPrincipal):
        if isinstance(value, Ref):
            return Match.NO if _never_account(value) else Match.MAYBE
        account = account_of(value)
        return Match.NO if account is None else _accounts(account, candidate.account)
    principal = candidate.arn
    if isinstance(principal, Unknown):
        return Match.MAYBE
    if isinstance(value, Ref) and isinstance(principal, Ref):
        return _refs(value, principal)
    if isinstance(principal, Ref):
        if isinstance(value, str) and account_of(value) is not None and _never_account(principal):
            return Match.NO
        if isinstance(value, str) and _names_another_role(value, principal):
            return Match.NO
        return Match.MAYBE
    if isinstance(value, Ref):
        return Match.NO if _names_another_role(principal, value) else Match.MAYBE
    if account_of(value) is not None:
        return Match.NO
    return _arns(value, principal)


def any_of(matches: Iterable[Match]) -> Match:
    """YES if any is YES, else MAYBE if any is MAYBE, else NO."""
    seen = set(matches)
    if Match.YES in seen:
        return Match.YES
    return Match.MAYBE if Match.MAYBE in seen else Match.NO


def all_of(matches: Iterable[Match]) -> Match:
    """NO if any is NO, else MAYBE if any is MAYBE, else YES."""
    seen = set(matches)
    if Match.NO in seen:
        return Match.NO
    return Match.MAYBE if Match.MAYBE in seen else Match.YES


def negate(match: Match) -> Match:
    """The match of a ``Not...`` element from that of its entries."""
    return {Match.YES: Match.NO, Match.NO: Match.YES, Match.MAYBE: Match.MAYBE}[match]

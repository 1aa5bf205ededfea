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

from cmkguard.address import parse
from cmkguard.keypolicy.document import Pattern, PrincipalEntry
from cmkguard.values import Ref, Symbol, SymbolicText, Unknown


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

    arn: str | SymbolicText | Ref | Unknown
    """The principal's ARN (text, or text with symbols when built from the current account). An
    account root ARN (``arn:aws:iam::ACCT:root``) is the account."""

    def __str__(self) -> str:
        if isinstance(self.arn, Unknown):
            return f"an unknown principal ({self.arn.why})"
        return str(self.arn)


@dataclass(frozen=True, slots=True)
class AccountPrincipal:
    """A whole account. A key policy naming the account delegates to the account's IAM policies."""

    account: str | Symbol | Unknown
    """12-digit account ID, or ``Symbol.CURRENT_ACCOUNT``."""

    def __str__(self) -> str:
        if isinstance(self.account, Unknown):
            return f"an unknown account ({self.account.why})"
        if isinstance(self.account, Symbol):
            return str(self.account)
        return f"account {self.account}"


Candidate: TypeAlias = ServicePrincipal | ArnPrincipal | AccountPrincipal
"""A principal that might act for the resource being judged."""

_ACCOUNT_ID = re.compile(r"[0-9]{12}")
_ROOT_OR_ID_RE = re.compile(r"arn:[a-z0-9-]+:iam::(?P<a>[0-9]{12}):root|(?P<b>[0-9]{12})")
_PARTITION = re.compile(r"[a-z0-9-]+")

Field: TypeAlias = tuple[str | Symbol, ...]


@lru_cache(maxsize=1024)
def _pattern_re(pattern: str, ignore_case: bool) -> re.Pattern[str]:
    # IAM knows only * and ?: every other character, "[" included, stands for itself.
    body = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.compile(body, (re.IGNORECASE if ignore_case else 0) | re.DOTALL)


def glob_match(pattern: str, text: str, *, ignore_case: bool = False) -> bool:
    """True when the IAM wildcard ``pattern`` (``*`` any run of characters, ``?`` any one) covers
    all of ``text``; case-sensitive unless ``ignore_case`` (actions, ``StringLike``, ARNs)."""
    return _pattern_re(pattern, ignore_case).fullmatch(text) is not None


def action_matches(pattern: str, action: str) -> bool:
    """True when the IAM action ``pattern`` (``kms:*``, ``kms:Create*``, ``*``, ``kms:?ecrypt``)
    covers ``action``. Case-insensitive; ``*`` is any run of characters, ``?`` any one."""
    return glob_match(pattern, action, ignore_case=True)


def action_match(pattern: Pattern, action: str) -> Match:
    """``action_matches`` for a pattern that may be unknown."""
    if isinstance(pattern, Unknown):
        return Match.MAYBE
    return Match.YES if action_matches(pattern, action) else Match.NO


def account_of(text: str | SymbolicText) -> str | Symbol | None:
    """The account an ``AWS`` principal names as a whole account (``arn:P:iam::ACCT:root`` or a
    bare account ID, the account possibly ``Symbol.CURRENT_ACCOUNT``), else ``None``."""
    if isinstance(text, str):
        m = _ROOT_OR_ID_RE.fullmatch(text)
        return None if m is None else m["a"] or m["b"]
    fields = text.fields()
    if len(fields) == 1:
        return _account_field(fields[0])
    if len(fields) != 6 or [fields[0], fields[2], fields[3], fields[5]] != [
        ("arn",),
        ("iam",),
        (),
        ("root",),
    ]:
        return None
    partition = fields[1]
    if partition != (Symbol.CURRENT_PARTITION,) and (
        len(partition) != 1
        or not isinstance(partition[0], str)
        or not _PARTITION.fullmatch(partition[0])
    ):
        return None
    return _account_field(fields[4])


def _account_field(field: Field) -> str | Symbol | None:
    if field == (Symbol.CURRENT_ACCOUNT,):
        return Symbol.CURRENT_ACCOUNT
    if len(field) == 1 and isinstance(field[0], str) and _ACCOUNT_ID.fullmatch(field[0]):
        return field[0]
    return None


def _accounts(policy: str | Symbol, candidate: str | Symbol | Unknown) -> Match:
    if isinstance(candidate, Unknown):
        return Match.MAYBE
    if policy == candidate:
        return Match.YES
    # The current account is one definite account that could be any concrete one.
    return Match.MAYBE if Symbol.CURRENT_ACCOUNT in (policy, candidate) else Match.NO


def _fields(arn: str | SymbolicText) -> list[Field]:
    return [(f,) if f else () for f in arn.split(":")] if isinstance(arn, str) else arn.fields()


def _same_field(policy: Field, candidate: Field) -> Match:
    if policy == candidate:
        return Match.YES
    texts = [
        f[0].casefold() if len(f) == 1 and isinstance(f[0], str) else None
        for f in (policy, candidate)
    ]
    if texts[0] is not None and texts[0] == texts[1]:
        return Match.YES
    # The current account could be any one account ID.
    for one, other in ((policy, candidate), (candidate, policy)):
        if one == (Symbol.CURRENT_ACCOUNT,) and _account_field(other) is not None:
            return Match.MAYBE
    return Match.NO


def _arns(policy: str | SymbolicText, candidate: str | SymbolicText) -> Match:
    # IAM user and role names are unique case-insensitively within an account.
    if isinstance(policy, str) and isinstance(candidate, str):
        return Match.YES if policy.casefold() == candidate.casefold() else Match.NO
    ours, theirs = _fields(policy), _fields(candidate)
    if len(ours) != len(theirs):
        return Match.NO
    return all_of(_same_field(a, b) for a, b in zip(ours, theirs, strict=True))


def is_data_source(target: str) -> bool:
    """True when the reference target may be a data source (not a managed resource address)."""
    # What is not a resource address (a module output) could still be read from a data source.
    address = parse(target)
    return address is None or address.mode == "data"


def _never_account(ref: Ref) -> bool:
    # The ARN of a resource the configuration manages is never an account root: IAM roots are
    # not resources. A data source (e.g. the caller's identity) could still resolve to one.
    return ref.attribute == "arn" and not is_data_source(ref.target)


_ROLE_ARN = re.compile(r"^arn:[^:]+:iam::[^:]*:role/(?:.*/)?(?P<name>[^/]+)$")
_ROLE_RESOURCE = re.compile(r"^role/(?:.*/)?(?P<name>[^/]+)$")


def _role_name(arn: str | SymbolicText) -> str | None:
    """The role name a role ARN ends in (its account possibly a symbol), else ``None``."""
    if isinstance(arn, str):
        match = _ROLE_ARN.match(arn)
        return None if match is None else match["name"]
    fields = arn.fields()
    if len(fields) != 6 or fields[0] != ("arn",) or fields[2] != ("iam",):
        return None
    last = fields[5]
    if len(last) != 1 or not isinstance(last[0], str):
        return None
    match = _ROLE_RESOURCE.match(last[0])
    return None if match is None else match["name"]


def _names_another_role(arn: str | SymbolicText, ref: Ref) -> bool:
    """True when ``arn`` is a role ARN whose name differs from the referenced role's known name.

    IAM role names are unique per account regardless of case, so a different name is a
    different role whatever account the reference turns out to be in.
    """
    if ref.name is None or ref.attribute != "arn" or not _is_type(ref.target, "aws_iam_role"):
        return False
    name = _role_name(arn)
    return name is not None and name.casefold() != ref.name.casefold()


def _is_type(target: str, resource_type: str) -> bool:
    address = parse(target)
    return address is not None and address.type == resource_type


def _refs(policy: Ref, candidate: Ref) -> Match:
    if policy == candidate:
        return Match.YES
    if policy.target == candidate.target:
        # e.g. a role's ``arn`` and its ``unique_id`` name the same principal.
        return Match.MAYBE
    # Two managed resources are two objects; a data source may look up the very same one.
    if is_data_source(policy.target) or is_data_source(candidate.target):
        return Match.MAYBE
    return Match.NO


def canonical_candidate(candidate: Candidate) -> Candidate:
    """``candidate``, except that an ARN principal naming an account root (or a bare account ID)
    is that account: IAM treats ``arn:aws:iam::ACCT:root`` as the account itself."""
    if isinstance(candidate, ArnPrincipal) and isinstance(candidate.arn, str | SymbolicText):
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
        if (
            isinstance(value, str | SymbolicText)
            and account_of(value) is not None
            and _never_account(principal)
        ):
            return Match.NO
        if isinstance(value, str | SymbolicText) and _names_another_role(value, principal):
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

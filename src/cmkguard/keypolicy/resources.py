"""Whether a statement's ``Resource`` (or ``NotResource``) names the key whose policy it is.

In a key policy ``"*"`` means this key; any other value applies only when it matches this key's
ARN (IAM's ``*``/``?`` wildcards, case-sensitive). A key created by the configuration has no ARN
before apply, so ``KeyArn`` carries what is known of it (partition, region, account, the
references that denote it) and a pattern is compared component by component: a known component
that differs means "not this key", an unknown one that the pattern does not wildcard is MAYBE.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias

from cmkguard.keypolicy.matching import Match, glob_match, is_data_source
from cmkguard.values import Ref, Symbol, SymbolicText, Unknown

_WILDCARDS = ("*", "?")


@dataclass(frozen=True, slots=True)
class KeyArn:
    """What is known of the key's ARN ``arn:PARTITION:kms:REGION:ACCOUNT:key/ID``."""

    arn: str | None = None
    """The whole ARN, when known."""
    refs: tuple[Ref, ...] = ()
    """References that denote the key's ARN in the input (e.g. ``aws_kms_key.k.arn``)."""
    partition: str | None = None
    """The partition, when known."""
    region: str | None = None
    """The region, when known."""
    account: str | Symbol | None = None
    """The account ID (possibly the current-account symbol), when known."""

    def components(self) -> tuple[str | Symbol | None, ...]:
        """The six ARN components, ``None`` where unknown."""
        if self.arn is not None:
            parts = self.arn.split(":", 5)
            if len(parts) == 6:
                return tuple(parts)
        return ("arn", self.partition, "kms", self.region, self.account, None)


UNKNOWN_KEY = KeyArn()
"""A key of which nothing is known: only ``"*"`` surely names it."""


Field: TypeAlias = tuple[str | Symbol, ...]
"""One ``:``-separated component of an ARN pattern: text, or text and symbols."""


def _component(pattern: Field, value: str | Symbol | None, index: int) -> Match:
    text = pattern[0] if len(pattern) == 1 and isinstance(pattern[0], str) else None
    if pattern == ():
        text = ""
    if text == "*":
        return Match.YES
    if value is None:
        # The key ID is never known before apply, but "key/*" covers every key.
        return Match.YES if index == 5 and text == "key/*" else Match.MAYBE
    if text is None or isinstance(value, Symbol):
        # The current account is one definite account: the same symbol is the same value, and
        # it could be any account number.
        return Match.YES if pattern == (value,) else Match.MAYBE
    return Match.YES if glob_match(text, value) else Match.NO


def _has_wildcard(pattern: str | SymbolicText) -> bool:
    texts = [pattern] if isinstance(pattern, str) else pattern.parts
    return any(isinstance(t, str) and any(w in t for w in _WILDCARDS) for t in texts)


def _fields(pattern: str | SymbolicText) -> list[Field]:
    if isinstance(pattern, SymbolicText):
        return pattern.fields()
    return [(f,) if f else () for f in pattern.split(":")]


def _text(pattern: str | SymbolicText, key: KeyArn) -> Match:
    if pattern == "*":
        return Match.YES
    if isinstance(pattern, str) and key.arn is not None:
        return Match.YES if glob_match(pattern, key.arn) else Match.NO
    fields = _fields(pattern)
    if len(fields) != 6:
        # A key ARN has exactly five colons: a pattern with another number matches it only if a
        # wildcard spans colons, which we do not try to decide.
        return Match.MAYBE if _has_wildcard(pattern) else Match.NO
    matches = [
        _component(p, v, i) for i, (p, v) in enumerate(zip(fields, key.components(), strict=True))
    ]
    if Match.NO in matches:
        return Match.NO
    return Match.MAYBE if Match.MAYBE in matches else Match.YES


def _ref(pattern: Ref, key: KeyArn) -> Match:
    if pattern in key.refs:
        return Match.YES
    if any(pattern.target == r.target for r in key.refs):
        return Match.MAYBE
    if pattern.attribute == "arn" and not is_data_source(pattern.target) and key.refs:
        # Another managed resource's own ARN is not this key's.
        return Match.NO
    return Match.MAYBE


def resource_match(pattern: str | SymbolicText | Ref | Unknown, key: KeyArn) -> Match:
    """Whether one ``Resource`` value names the key described by ``key``."""
    if isinstance(pattern, Unknown):
        return Match.MAYBE
    if isinstance(pattern, Ref):
        return _ref(pattern, key)
    return _text(pattern, key)

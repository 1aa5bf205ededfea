"""The evaluation currency: every fact is ``Known`` or ``Unknown``, never ``None``-means-unknown.

Sources (Terraform, plans, live AWS) produce these; the control consumes them and can build a
PASS only when every fact it rests on is ``Known``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum
from typing import Generic, TypeAlias, TypeVar

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


@dataclass(frozen=True, slots=True)
class Step:
    """One link of an evidence chain, e.g. ``local.key (locals.tf:3)``."""

    label: str
    """What was followed: an attribute, a reference, a resource address or an API call."""
    file: str | None = None
    """File relative to the scanned root, when the step comes from a file."""
    line: int | None = None
    """1-based line in ``file``."""

    def __str__(self) -> str:
        if self.file is None:
            return self.label
        if self.line is None:
            return f"{self.label} ({self.file})"
        return f"{self.label} ({self.file}:{self.line})"


Trail: TypeAlias = tuple[Step, ...]


@dataclass(frozen=True, slots=True)
class Known(Generic[T_co]):
    """A value the input determines. Covariant: a known ``str`` is a known ``str | Symbol``."""

    value: T_co
    """The value itself."""
    trail: Trail = ()
    """How the value was reached, outermost reference first."""


@dataclass(frozen=True, slots=True)
class Unknown:
    """A value the input does not determine; ``why`` names the missing input."""

    why: str
    """Plain words naming what is missing, e.g. ``var.key_arn has no value``."""
    trail: Trail = ()
    """How far evaluation got before the value became unknown."""
    items: tuple[tuple[Data, bool], ...] | None = field(default=None, compare=False)
    """For a list whose possible elements are known but not which of them it holds (a ``for``
    whose ``if`` is unknown): each possible element, in order, with whether it is certainly
    there. Consumers that do not look treat the list as wholly unknown, which is safe; the
    key-policy parser reads it so that optional statements are judged monotonically."""


Value: TypeAlias = Known[T] | Unknown


@dataclass(frozen=True, slots=True)
class Ref:
    """A symbolic reference to an attribute of something the input defines but cannot evaluate.

    ``aws_iam_role.nb.arn`` is not known until apply, yet two references to it are equal: that is
    how a key policy principal is matched "by reference" to a notebook's ``role_arn``.
    """

    target: str
    """Fully qualified address of the referenced object, e.g. ``module.a.aws_iam_role.nb[0]``."""
    attribute: str
    """The attribute referenced, e.g. ``arn``."""
    name: str | None = field(default=None, compare=False)
    """The referenced object's own name when the input fixes it (an IAM role's ``name``), so a
    literal ARN naming a different role can be told apart. Not part of the identity."""

    def __str__(self) -> str:
        return f"{self.target}.{self.attribute}"


class Symbol(Enum):
    """A definite value the configuration stands for without spelling it.

    ``data.aws_caller_identity.*.account_id`` is the account the configuration deploys into: not
    unknown (it is one account, the notebook's own), yet no digits a scan could compare. Only a
    source makes a symbol, so no text in a scanned file can forge one.
    """

    CURRENT_ACCOUNT = "the current account"
    """The account of the credentials that apply the configuration."""
    CURRENT_PARTITION = "the current partition"
    """The partition of the stack that declares it (CloudFormation's ``AWS::Partition`` when the
    region is not given): the notebook's own partition, whichever it is."""

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True, slots=True)
class SymbolicText:
    """Text with symbols in it, e.g. ``arn:aws:iam::`` + the current account + ``:root``.

    A template interpolating a symbol makes one; it never turns into a plain string, so a policy
    that writes a placeholder literally stays that literal text.
    """

    parts: tuple[str | Symbol, ...]
    """Text and symbols in order; adjacent texts merged, at least one symbol."""

    def __str__(self) -> str:
        return "".join(p if isinstance(p, str) else f"({p})" for p in self.parts)

    def fields(self) -> list[tuple[str | Symbol, ...]]:
        """The ``:``-separated fields of an ARN-like text, each its own parts."""
        fields: list[tuple[str | Symbol, ...]] = []
        current: list[str | Symbol] = []
        for part in self.parts:
            if isinstance(part, Symbol):
                current.append(part)
                continue
            pieces = part.split(":")
            for index, piece in enumerate(pieces):
                if index:
                    fields.append(tuple(current))
                    current = []
                if piece:
                    current.append(piece)
        fields.append(tuple(current))
        return fields


def symbolic(parts: Iterable[str | Symbol]) -> str | SymbolicText:
    """Text from ``parts``: a plain string when there is no symbol among them."""
    merged: list[str | Symbol] = []
    for part in parts:
        if isinstance(part, str) and merged and isinstance(merged[-1], str):
            merged[-1] += part
        elif part != "":
            merged.append(part)
    if all(isinstance(p, str) for p in merged):
        return "".join(p for p in merged if isinstance(p, str))
    return SymbolicText(tuple(merged))


# Structured data as documents carry it (JSON policies, plan values): plain JSON plus symbolic
# references, text with symbols and unknown parts. Unknown parts are kept in place so that the
# key-policy evaluator can decide whether they matter.
Data: TypeAlias = (
    str
    | int
    | float
    | bool
    | list["Data"]
    | dict[str, "Data"]
    | Ref
    | SymbolicText
    | Unknown
    | None
)

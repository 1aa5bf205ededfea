"""What the evaluator computes with: its error, the value kinds it adds to ``values.Data``
(partly known strings, whole-object references, configured strings that remember their
argument), resource instances, and the helpers that build and read values.

A string built from known text and unknown pieces (``"arn:${var.p}:kms:...:alias/aws/x"``) is a
``Partial``: an ``Unknown`` that keeps its literal pieces, so that callers can still recognise an
AWS managed alias or read a JSON policy around an unknown principal.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal, TypeAlias

from cmkguard.address import InstanceKey
from cmkguard.sources.terraform import functions
from cmkguard.sources.terraform.ast import Block
from cmkguard.sources.terraform.conversions import ConversionError, to_bool, to_number
from cmkguard.sources.terraform.functions import Pending
from cmkguard.sources.terraform.modules import ModuleInstance, Scope
from cmkguard.values import (
    Data,
    Known,
    Ref,
    Step,
    Symbol,
    SymbolicText,
    Trail,
    Unknown,
    Value,
    symbolic,
)

Mode: TypeAlias = Literal["managed", "data"]
Piece: TypeAlias = str | Symbol | Ref | Unknown
"""A piece of a string being built: text, a symbol, or a hole (a reference or an unknown)."""


class EvalError(Exception):
    """An expression Terraform would reject. ``try``/``can`` catch it; ``value`` reports it."""

    def __init__(self, message: str, file: str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line

    @property
    def why(self) -> str:
        """The message with its location."""
        if self.file is None:
            return self.message
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{self.message} ({where})"


class LimitError(EvalError):
    """One of cmkguard's own bounds (size, nesting, steps, ``--timeout``) stopped evaluation.
    Not an error Terraform would raise, so ``try()``/``can()`` never catch it: their fallback
    would decide a value Terraform would not have chosen."""


@dataclass(frozen=True, slots=True)
class Partial(Unknown):
    """An unknown string whose literal pieces are known: ``parts`` alternate text (and symbols)
    and the ``Ref``/``Unknown`` values that fill the holes."""

    parts: tuple[Piece, ...] = ()
    """Known text, symbols and holes, in order; adjacent texts are merged."""


@dataclass(frozen=True, slots=True)
class ObjectRef(Ref):
    """A whole resource, data source or module instance used as a value. Its attributes
    (``.arn``, an output) resolve lazily through ``Evaluator.lookup``; ``attribute`` is empty."""


class AttrStr(str):
    """A string the configuration sets on a resource or data source argument, remembering which
    (``aws_kms_alias.a.name`` is the text ``alias/x`` and also a reference to the alias)."""

    ref: Ref

    def __new__(cls, text: str, ref: Ref) -> AttrStr:
        """The string ``text`` that came from ``ref``."""
        made = super().__new__(cls, text)
        made.ref = ref
        return made


@dataclass(frozen=True, slots=True)
class ResourceInstance:
    """One instance of a resource or data source the configuration declares."""

    module: ModuleInstance
    """The module instance it is declared in."""
    block: Block
    """Its block."""
    mode: Mode
    """``managed`` (``resource``) or ``data``."""
    key: InstanceKey | None
    """Its ``count``/``for_each`` key."""
    scope: Scope
    """Where its arguments are evaluated (``each``/``count`` bound)."""
    address: str
    """``module.a.aws_kms_key.k[0]``."""

    @property
    def type(self) -> str:
        """The resource type."""
        return self.block.labels[0]


def wrap(data: Data, trail: Trail = ()) -> Value[Data]:
    """``data`` as a value: an ``Unknown`` stays itself (with ``trail`` prefixed), anything else
    is ``Known``."""
    if isinstance(data, Unknown):
        return replace(data, trail=(*trail, *data.trail)) if trail else data
    return Known(data, trail)


def data_of(value: Value[Data]) -> Data:
    """The data a value carries (an ``Unknown`` is its own data)."""
    return value.value if isinstance(value, Known) else value


def prefix(value: Value[Data], *steps: Step) -> Value[Data]:
    """``value`` with ``steps`` prepended to its trail (keeping ``Partial`` parts)."""
    if not steps:
        return value
    return replace(value, trail=(*steps, *value.trail))


def trails(*values: Value[Data]) -> Trail:
    seen: dict[Step, None] = {}
    for value in values:
        for step in value.trail:
            seen.setdefault(step, None)
    return tuple(seen)


def first_unknown(data: Data) -> Pending | None:
    """The first ``Unknown``, ``Ref`` or ``SymbolicText`` inside ``data`` (depth first), if any:
    whether ``data`` is plain JSON."""
    if isinstance(data, Pending):
        return data
    if isinstance(data, list):
        items: Sequence[Data] = data
    elif isinstance(data, dict):
        items = list(data.values())
    else:
        return None
    for item in items:
        found = first_unknown(item)
        if found is not None:
            return found
    return None


def unknown_from(data: Pending) -> Unknown:
    """An ``Unknown`` for a value whose text is needed: itself, "REF is known only after apply",
    or "TEXT depends on the current account ..."."""
    return functions.pending_why(data)


def shape(value: Value[Data]) -> tuple[Piece, ...] | None:
    """The known text and holes of a string value: ``("alias/aws/", <hole>)`` for a ``Partial``,
    ``("text",)`` for a known string, ``None`` for anything else."""
    if isinstance(value, Partial):
        return value.parts
    if isinstance(value, Known) and isinstance(value.value, str):
        return (value.value,)
    if isinstance(value, Known) and isinstance(value.value, SymbolicText):
        return value.value.parts
    return None


def _merge_parts(parts: Sequence[Piece]) -> tuple[Piece, ...]:
    out: list[Piece] = []
    for part in parts:
        if isinstance(part, str):
            if not part:
                continue
            if out and isinstance(out[-1], str):
                out[-1] = out[-1] + part
                continue
        out.append(part)
    return tuple(out)


def partial(parts: Sequence[Piece], trail: Trail) -> Value[Data]:
    """A string from its pieces: known text, text with symbols, a lone hole itself (as ``"${x}"``
    is ``x``: a reference stays the reference), or partly known."""
    merged = _merge_parts(parts)
    if len(merged) == 1 and isinstance(merged[0], Ref | Unknown):
        return wrap(merged[0], trail)
    holes = [p for p in merged if isinstance(p, Ref | Unknown)]
    if not holes:
        # Only text and symbols: known, and text with a symbol stays typed, never a string.
        return Known(symbolic(p for p in merged if isinstance(p, str | Symbol)), trail)
    why = unknown_from(holes[0]).why
    return Partial(f"part of a string is not known: {why}", trail, parts=merged)


def pieces_of(data: Data) -> tuple[Piece, ...]:
    """A value's contribution to a template: its text, its parts, or one hole."""
    if isinstance(data, Partial):
        return data.parts
    if isinstance(data, SymbolicText):
        return data.parts
    if isinstance(data, Pending):
        return (data,)
    text = functions.to_text(data)
    if text is None:
        raise EvalError("a template interpolates null")
    if isinstance(text, SymbolicText):
        return text.parts
    return (text,)


_SIMPLE_VERB = re.compile(r"%(.)")


def format_shape(fmt: str, args: Sequence[Data]) -> list[Piece] | None:
    """The parts of ``format(fmt, args...)`` when it uses only ``%s``/``%v``/``%d``/``%%``."""
    parts: list[Piece] = []
    pos = 0
    index = 0
    for match in _SIMPLE_VERB.finditer(fmt):
        parts.append(fmt[pos : match.start()])
        pos = match.end()
        verb = match.group(1)
        if verb == "%":
            parts.append("%")
            continue
        if verb not in "svd" or index >= len(args):
            return None
        if verb == "d" and not isinstance(args[index], int | float):
            return None  # %d of a string fails at apply: never the string itself
        parts.extend(pieces_of(args[index]))
        index += 1
    parts.append(fmt[pos:])
    return parts


def as_number(data: Data, what: str) -> int | float:
    try:
        number = to_number(data)
    except ConversionError as exc:
        raise EvalError(f"{what}: {exc}") from None
    if not isinstance(number, int | float):
        raise EvalError(f"{what}: a number is required")
    return number


def as_bool(data: Data, what: str) -> bool:
    try:
        value = to_bool(data)
    except ConversionError as exc:
        raise EvalError(f"{what}: {exc}") from None
    if not isinstance(value, bool):
        raise EvalError(f"{what}: a bool is required")
    return value


def arith(op: str, left: int | float, right: int | float) -> Data:
    if op == "+":
        result = left + right
    elif op == "-":
        result = left - right
    elif op == "*":
        result = left * right
    elif op in ("/", "%"):
        if right == 0:
            raise EvalError("division by zero")
        result = left / right if op == "/" else left % right
    elif op == "<":
        return left < right
    elif op == "<=":
        return left <= right
    elif op == ">":
        return left > right
    else:
        return left >= right
    if isinstance(result, float) and result.is_integer() and abs(result) < 2**63:
        return int(result)
    return result


def call_shape(name: str, data: Sequence[Data]) -> list[Piece] | None:
    """Known pieces of ``format``/``join`` results that are partly unknown."""
    try:
        if name == "format" and data and isinstance(data[0], str):
            return format_shape(data[0], data[1:])
        if (
            name == "join"
            and len(data) == 2
            and isinstance(data[0], str)
            and isinstance(data[1], list)
        ):
            parts: list[Piece] = []
            for pos, item in enumerate(data[1]):
                if pos:
                    parts.append(data[0])
                parts.extend(pieces_of(item))
            return parts
    except (EvalError, functions.FunctionError):
        return None
    return None


def items_of(data: Data, what: str) -> list[tuple[Data, Data]]:
    """The (key, item) pairs a ``for`` walks: list indexes or map keys in order."""
    if isinstance(data, list):
        return list(enumerate(data))
    if isinstance(data, dict):
        return sorted(data.items())
    raise EvalError(f"{what}: a list, set or map is required")

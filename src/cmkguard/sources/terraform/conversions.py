"""Terraform's conversions between its primitive types, as ``go-cty``'s ``convert`` package
makes them, in one place for every caller: variable type constraints, ``tostring``/``tonumber``/
``tobool``, template interpolation, conditions, operators and resource arguments.

- string ↔ number: a number's text is its decimal form (``1``, ``0.5``, never ``1.0`` or an
  exponent); text converts to a number only when it is one (``"1.5"``, ``"1e3"``).
- string ↔ bool: ``true``/``false`` become ``"true"``/``"false"``; the text ``"true"`` or ``"1"``
  becomes true and ``"false"`` or ``"0"`` false (cty ``conversion_primitive.go``); any other text
  is an error.
- number ↔ bool: never.

``null`` converts to ``null``. Values the scan does not know (``Unknown``, ``Ref``, text holding
a symbol) are returned as they are: the caller decides what an unknown operand means.

Type constraints (``parse_type``, ``convert_to``) are applied as Terraform 1.3+ applies them to a
variable's value, whether it comes from a default, a module call or outside the configuration:

- ``list(T)``/``set(T)`` take a list (a set drops repeated elements), ``map(T)`` a map or object,
  each element converted to ``T``; ``tuple([...])`` a list of that length, element by element.
- ``object({...})`` takes a map or object: attributes it does not declare are dropped; a
  declared attribute that is absent is an error unless ``optional(T)`` (then null) or
  ``optional(T, default)``, whose default replaces an absent or null attribute (converted, so
  nested defaults apply too).
- ``any`` leaves the value as it is.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeAlias

from cmkguard.sources.terraform.ast import Call, Expr, ObjectExpr, TupleExpr, Variable
from cmkguard.sources.terraform.ast import Literal as LiteralExpr
from cmkguard.values import Data, Ref, SymbolicText, Unknown

Number: TypeAlias = int | float

PRIMITIVES = frozenset({"string", "number", "bool"})
"""The primitive type names of a type constraint."""

_NUMBER_TEXT = re.compile(r"\s*[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?\s*")
_INTEGER_TEXT = re.compile(r"[-+]?\d+")
_BOOLS = {"true": True, "1": True, "false": False, "0": False}


class ConversionError(ValueError):
    """A value Terraform cannot convert to the type asked for."""


def type_name(value: Data) -> str:
    """The Terraform type of ``value`` in words, for messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str | SymbolicText):
        return "string"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "map"
    return "reference" if isinstance(value, Ref) else "unknown value"


def normal(number: Number) -> Number:
    """Integral numbers as ints: Terraform numbers print without ``.0``."""
    if isinstance(number, float) and number.is_integer() and abs(number) < 2**63:
        return int(number)
    return number


def format_number(number: Number) -> str:
    """Terraform's text for a number: integers without ``.0``, no exponent notation."""
    if isinstance(number, int):
        return str(number)
    if math.isnan(number) or math.isinf(number):
        return str(number)
    if number.is_integer():
        return str(int(number))
    text = format(Decimal(repr(number)), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def parse_number(text: str) -> Number:
    """The number a text is; ``ConversionError`` when it is none."""
    if not _NUMBER_TEXT.fullmatch(text):
        raise ConversionError(f"cannot convert {text!r} to a number")
    stripped = text.strip()
    if _INTEGER_TEXT.fullmatch(stripped):
        return int(stripped)
    value = float(stripped)
    if not math.isfinite(value):
        raise ConversionError(f"number {text!r} is out of range")
    return normal(value)


def _passes(value: Data) -> bool:
    return value is None or isinstance(value, Unknown | Ref | SymbolicText)


def to_string(value: Data) -> Data:
    """``value`` as a string (``tostring``, interpolation, string-typed variables)."""
    if _passes(value) or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return format_number(value)
    raise ConversionError(f"a string is required, not a {type_name(value)}")


def to_number(value: Data) -> Data:
    """``value`` as a number (``tonumber``, arithmetic, number-typed variables)."""
    if _passes(value):
        return value
    if isinstance(value, bool):
        raise ConversionError("a number is required, not a bool")
    if isinstance(value, int | float):
        return value
    if isinstance(value, str):
        return parse_number(value)
    raise ConversionError(f"a number is required, not a {type_name(value)}")


def to_bool(value: Data) -> Data:
    """``value`` as a bool (``tobool``, conditions, ``!``/``&&``/``||``, bool-typed variables)."""
    if _passes(value) or isinstance(value, bool):
        return value
    if isinstance(value, str) and value in _BOOLS:
        return _BOOLS[value]
    if isinstance(value, str):
        raise ConversionError(f"a bool is required, not {value!r}")
    raise ConversionError(f"a bool is required, not a {type_name(value)}")


def convert(value: Data, kind: str | None) -> Data:
    """``value`` converted to the primitive type ``kind``; other kinds pass it unchanged."""
    if kind == "string":
        return to_string(value)
    if kind == "number":
        return to_number(value)
    if kind == "bool":
        return to_bool(value)
    return value


# --------------------------------------------------------------------------------------------
# Type constraints


@dataclass(frozen=True, slots=True)
class Primitive:
    """``string``, ``number`` or ``bool``."""

    name: str


@dataclass(frozen=True, slots=True)
class AnyType:
    """``any``: the value as it is."""


@dataclass(frozen=True, slots=True)
class Collection:
    """``list(T)``, ``set(T)`` or ``map(T)``."""

    kind: str
    element: Type


@dataclass(frozen=True, slots=True)
class TupleType:
    """``tuple([T, ...])``."""

    elements: tuple[Type, ...]


@dataclass(frozen=True, slots=True)
class Attribute:
    """An attribute of an object type."""

    type: Type
    optional: bool = False
    """Declared with ``optional(...)``: it may be absent."""
    default: Data = None
    """``optional(T, default)``'s default (already evaluated), for an absent or null value."""


@dataclass(frozen=True, slots=True)
class ObjectType:
    """``object({name = T, ...})``."""

    attributes: Mapping[str, Attribute]


Type: TypeAlias = Primitive | AnyType | Collection | TupleType | ObjectType

ANY = AnyType()
_LEGACY: dict[str, Type] = {kind: Collection(kind, ANY) for kind in ("list", "set", "map")}
"""Bare ``list``, ``set`` and ``map``: collections of ``any``."""


class TypeSyntaxError(ValueError):
    """A type constraint Terraform would reject."""


def parse_type(expr: Expr | None, constant: Callable[[Expr], Data]) -> Type:
    """The type a ``type = ...`` expression declares (``any`` when there is none). ``constant``
    evaluates an ``optional(T, default)`` default; raises ``TypeSyntaxError``."""
    if expr is None:
        return ANY
    match expr:
        case Variable(name=name) if name in PRIMITIVES:
            return Primitive(name)
        case Variable(name="any"):
            return ANY
        case Variable(name=name) if name in _LEGACY:
            return _LEGACY[name]
        case LiteralExpr(value=str(text)) if text in PRIMITIVES:
            return Primitive(text)  # Terraform 0.11's quoted types
        case LiteralExpr(value=str(text)) if text in _LEGACY:
            return _LEGACY[text]
        case Call(name="list" | "set" | "map" as kind, args=(element,)):
            return Collection(kind, parse_type(element, constant))
        case Call(name="tuple", args=(TupleExpr(items=items),)):
            return TupleType(tuple(parse_type(item, constant) for item in items))
        case Call(name="object", args=(ObjectExpr(items=items),)):
            return ObjectType({_attribute_name(k): _attribute(v, constant) for k, v in items})
    raise TypeSyntaxError(f"not a type constraint (line {expr.line})")


def _attribute_name(expr: Expr) -> str:
    if isinstance(expr, LiteralExpr) and isinstance(expr.value, str):
        return expr.value
    if isinstance(expr, Variable):
        return expr.name
    raise TypeSyntaxError(f"an object type attribute must be a name (line {expr.line})")


def _attribute(expr: Expr, constant: Callable[[Expr], Data]) -> Attribute:
    if isinstance(expr, Call) and expr.name == "optional":
        if not 1 <= len(expr.args) <= 2:
            raise TypeSyntaxError(f"optional() takes a type and a default (line {expr.line})")
        kind = parse_type(expr.args[0], constant)
        default = constant(expr.args[1]) if len(expr.args) == 2 else None
        if default is not None:
            default = convert_to(default, kind)
        return Attribute(kind, optional=True, default=default)
    return Attribute(parse_type(expr, constant))


def is_primitive(kind: Type) -> bool:
    """Whether raw text (``TF_VAR_``, ``--var``) is the value itself rather than an expression:
    for primitive types, as Terraform reads it."""
    return isinstance(kind, Primitive)


def convert_to(value: Data, kind: Type) -> Data:
    """``value`` converted to the type ``kind``; ``ConversionError`` says where it cannot be."""
    if isinstance(kind, Primitive):
        return convert(value, kind.name)
    if value is None or isinstance(kind, AnyType) or _passes(value):
        return value
    if isinstance(kind, Collection):
        return _collection(value, kind)
    if isinstance(kind, TupleType):
        items = _list_value(value, "tuple")
        if len(items) != len(kind.elements):
            raise ConversionError(
                f"a tuple of {len(kind.elements)} elements is required, not {len(items)}"
            )
        pairs = enumerate(zip(items, kind.elements, strict=True))
        return [_at(f"element {i}", v, t) for i, (v, t) in pairs]
    return _object(value, kind)


def _at(where: str, value: Data, kind: Type) -> Data:
    try:
        return convert_to(value, kind)
    except ConversionError as exc:
        raise ConversionError(f"{where}: {exc}") from None


def _list_value(value: Data, what: str) -> list[Data]:
    if not isinstance(value, list):
        raise ConversionError(f"a {what} is required, not a {type_name(value)}")
    return value


def _collection(value: Data, kind: Collection) -> Data:
    if kind.kind == "map":
        if not isinstance(value, dict):
            raise ConversionError(f"a map is required, not a {type_name(value)}")
        return {k: _at(f"element {k!r}", v, kind.element) for k, v in value.items()}
    items = [
        _at(f"element {i}", v, kind.element) for i, v in enumerate(_list_value(value, kind.kind))
    ]
    if kind.kind == "set":
        return _set_order(items)
    return items


def _set_order(items: list[Data]) -> list[Data]:
    """Distinct elements in Terraform's order for a set of strings or of numbers (sorted, so
    ``tolist(var.set)[0]`` is the element Terraform picks); other elements in the order given,
    as ``toset()`` keeps them (``functions._set_order``)."""
    if all(isinstance(i, str) for i in items):
        return list[Data](sorted({str(i) for i in items}))
    numbers = [i for i in items if isinstance(i, int | float) and not isinstance(i, bool)]
    if len(numbers) == len(items):
        return list[Data](sorted(set(numbers)))
    unique: list[Data] = []
    for item in items:
        if item not in unique:
            unique.append(item)
    return unique


def _object(value: Data, kind: ObjectType) -> Data:
    if not isinstance(value, dict):
        raise ConversionError(f"an object is required, not a {type_name(value)}")
    result: dict[str, Data] = {}
    for name, attribute in kind.attributes.items():
        given = value.get(name)
        if given is None and attribute.optional:
            result[name] = attribute.default
        elif name not in value:
            raise ConversionError(f"attribute {name!r} is required")
        else:
            result[name] = _at(f"attribute {name!r}", given, attribute.type)
    return result

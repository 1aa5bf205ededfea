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
"""

from __future__ import annotations

import math
import re
from decimal import Decimal
from typing import TypeAlias

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

"""Terraform's primitive conversions, and that every caller makes them alike (table-driven)."""

from __future__ import annotations

from pathlib import Path

import pytest
from tfeval import evaluate

from cmkguard.sources.terraform.conversions import (
    ConversionError,
    convert,
    format_number,
    to_bool,
    to_number,
    to_string,
)
from cmkguard.sources.terraform.functions import FUNCTIONS
from cmkguard.values import Data, Known, Ref, Symbol, SymbolicText, Unknown

PENDING: list[Data] = [
    Unknown("var.x has no value"),
    Ref("aws_kms_key.k", "arn"),
    SymbolicText((Symbol.CURRENT_ACCOUNT,)),
    None,
]

CONVERTS: list[tuple[Data, str | None, Data]] = [
    ("5", "number", 5),
    ("1.5", "number", 1.5),
    ("1.0", "number", 1),
    ("1e3", "number", 1000),
    ("-2", "number", -2),
    (7, "number", 7),
    ("true", "bool", True),
    ("false", "bool", False),
    ("1", "bool", True),
    ("0", "bool", False),
    (True, "bool", True),
    (5, "string", "5"),
    (2.0, "string", "2"),
    (1.5e-7, "string", "0.00000015"),
    (True, "string", "true"),
    (False, "string", "false"),
    ("x", "string", "x"),
    ("x", None, "x"),
    ([1], "complex", [1]),
]


@pytest.mark.parametrize(("value", "kind", "expected"), CONVERTS)
def test_convert(value: Data, kind: str | None, expected: Data) -> None:
    assert convert(value, kind) == expected


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("x", "number"),
        ("", "number"),
        ("1_000", "number"),
        ("nan", "number"),
        (True, "number"),
        ([1], "number"),
        ("yes", "bool"),
        ("True", "bool"),
        ("2", "bool"),
        ("", "bool"),
        (1, "bool"),
        ([1], "string"),
        ({"a": 1}, "string"),
    ],
)
def test_convert_rejects(value: Data, kind: str) -> None:
    with pytest.raises(ConversionError):
        convert(value, kind)


@pytest.mark.parametrize("value", PENDING, ids=repr)
def test_pending_values_pass_unchanged(value: Data) -> None:
    for conversion in (to_string, to_number, to_bool):
        assert conversion(value) == value


@pytest.mark.parametrize(
    ("number", "text"),
    [
        (1, "1"),
        (1.0, "1"),
        (-0.5, "-0.5"),
        (0.1, "0.1"),
        (1e21, "1000000000000000000000"),
        (1.5e-7, "0.00000015"),
        (123456789.125, "123456789.125"),
    ],
)
def test_format_number(number: int | float, text: str) -> None:
    assert format_number(number) == text


@pytest.mark.parametrize(
    ("text", "expected"), [("1", True), ("0", False), ("true", True), ("false", False)]
)
def test_every_caller_converts_alike(tmp_path: Path, text: str, expected: bool) -> None:
    """A variable typed bool, ``tobool``, a condition and ``!`` read the same text the same way
    (they disagreed on "1": cty converts it to true)."""
    assert convert(text, "bool") is expected
    assert FUNCTIONS["tobool"]([text]) is expected
    for expression, result in (
        (f'tobool("{text}")', expected),
        (f'"{text}" ? "yes" : "no"', "yes" if expected else "no"),
        (f'!"{text}"', not expected),
        (f'"{text}" && true', expected),
    ):
        value, _ = evaluate(tmp_path, expression, {"main.tf": ""})
        assert value == Known(result, value.trail), expression


def test_every_caller_rejects_alike(tmp_path: Path) -> None:
    with pytest.raises(ConversionError):
        convert("yes", "bool")
    for expression in ('tobool("yes")', '"yes" ? 1 : 2', '!"yes"'):
        value, _ = evaluate(tmp_path, expression, {"main.tf": ""})
        assert isinstance(value, Unknown), expression

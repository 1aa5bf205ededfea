"""count and for_each values to instance keys (table-driven), as Terraform expands them."""

from __future__ import annotations

import pytest

from cmkguard.sources.terraform.expansion import expand_count, expand_for_each
from cmkguard.values import Data, Known, Ref, Symbol, SymbolicText, Unknown

KEYS: list[tuple[str, Data, list[int | str]]] = [
    ("count", 0, []),
    ("count", 3, [0, 1, 2]),
    ("count", "2", [0, 1]),
    ("count", 2.0, [0, 1]),
    ("for_each", {"b": 1, "a": 2}, ["a", "b"]),
    ("for_each", ["b", "a", "b"], ["a", "b"]),
    ("for_each", [], []),
]


@pytest.mark.parametrize(("kind", "value", "keys"), KEYS)
def test_instance_keys(kind: str, value: Data, keys: list[int | str]) -> None:
    expand = expand_count if kind == "count" else expand_for_each
    expansion = expand(Known(value), "aws_x.y")
    assert expansion.unknown is None
    assert [inst.key for inst in expansion.instances] == keys


@pytest.mark.parametrize(
    ("kind", "value", "why"),
    [
        ("count", -1, "-1 is not a whole number >= 0"),
        ("count", 1.5, "1.5 is not a whole number >= 0"),
        ("count", "many", "count: cannot convert 'many' to a number"),
        ("count", Unknown("var.n has no value"), "var.n has no value"),
        ("count", Ref("aws_x.z", "id"), "aws_x.z.id is known only after apply"),
        ("for_each", "a", "it is not a map or a set of strings"),
        ("for_each", [1], "it is not a map or a set of strings"),
        ("for_each", [SymbolicText((Symbol.CURRENT_ACCOUNT,))], "depends on the current account"),
    ],
)
def test_unknown_expansion_is_one_keyless_instance(kind: str, value: Data, why: str) -> None:
    expand = expand_count if kind == "count" else expand_for_each
    expansion = expand(Known(value), "aws_x.y")
    assert expansion.unknown is not None
    assert expansion.unknown.why.startswith(f"{kind} of aws_x.y is not known: ")
    assert why in expansion.unknown.why
    assert [inst.key for inst in expansion.instances] == [None]

"""The evaluator on expressions: operators, templates, conditionals, for, splat, try/can."""

from __future__ import annotations

from pathlib import Path

import pytest
from tfeval import evaluate

from cmkguard.sources.terraform.evaluated import Partial
from cmkguard.values import Known, Ref, Unknown

NO_VALUE = """
variable "x" {
  type = string
}
"""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 + 2 * 3", 7),
        ("7 / 2", 3.5),
        ("7 % 4", 3),
        ('"2" + 1', 3),
        ("-(3)", -3),
        ("!true", False),
        ("1 < 2 && 2 <= 2", True),
        ("1 == 1.0", True),
        ('"1" == 1', False),
        ("[1, 2] == [1, 2]", True),
        ("{ a = 1 } != { a = 1 }", False),
        ("true ? 1 : 2", 1),
        ('"a${1 + 1}b"', "a2b"),
        ('"%{ if true }yes%{ else }no%{ endif }"', "yes"),
        ('"%{ for x in [1, 2] }${x},%{ endfor }"', "1,2,"),
        ("[for x in [1, 2, 3] : x * 2 if x > 1]", [4, 6]),
        ("{ for k, v in { a = 1, b = 2 } : v => k }", {"1": "a", "2": "b"}),
        ('{ for s in ["a", "b", "a"] : s => s... }', {"a": ["a", "a"], "b": ["b"]}),
        ("[{ a = 1 }, { a = 2 }][*].a", [1, 2]),
        ('upper("x")', "X"),
        ('lookup({ a = "b" }, "a", "c")', "b"),
        ('try(local.missing, "fallback")', "fallback"),
        ("can(local.missing)", False),
        ("can(1 + 1)", True),
        ("terraform.workspace", "default"),
        ("path.root", "."),
    ],
)
def test_known_values(tmp_path: Path, text: str, expected: object) -> None:
    value, _ = evaluate(tmp_path, text)
    assert value == Known(expected, value.trail)


def test_unknown_variable_names_what_is_missing(tmp_path: Path) -> None:
    value, _ = evaluate(tmp_path, "var.x", {"main.tf": NO_VALUE})
    assert isinstance(value, Unknown)
    assert value.why == "var.x has no value (set it with --var, --var-file or TF_VAR_x)"
    assert [s.label for s in value.trail] == ["var.x"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("false && var.x", False),
        ("var.x == var.x || true", True),
        ('var.x == "a" ? "same" : "same"', "same"),
    ],
)
def test_unknown_operands_that_do_not_matter(tmp_path: Path, text: str, expected: object) -> None:
    value, _ = evaluate(tmp_path, text, {"main.tf": NO_VALUE})
    assert isinstance(value, Known)
    assert value.value == expected


@pytest.mark.parametrize(
    "text",
    ['var.x == "a" ? "a" : "b"', "var.x + 1", "length(var.x)", "[for c in var.x : c]", "!var.x"],
)
def test_unknown_operands_that_matter(tmp_path: Path, text: str) -> None:
    value, _ = evaluate(tmp_path, text, {"main.tf": NO_VALUE})
    assert isinstance(value, Unknown)
    assert "var.x has no value" in value.why


def test_unknowns_stay_in_place_inside_structures(tmp_path: Path) -> None:
    value, _ = evaluate(tmp_path, '{ a = var.x, b = "known" }', {"main.tf": NO_VALUE})
    assert isinstance(value, Known)
    assert isinstance(value.value, dict)
    assert isinstance(value.value["a"], Unknown)
    assert value.value["b"] == "known"


def test_single_interpolation_keeps_the_reference(tmp_path: Path) -> None:
    files = {"main.tf": 'resource "aws_kms_key" "k" {}\n'}
    value, _ = evaluate(tmp_path, '"${aws_kms_key.k.arn}"', files)
    assert value == Known(Ref("aws_kms_key.k", "arn"), value.trail)


def test_template_around_a_reference_is_partial(tmp_path: Path) -> None:
    files = {"main.tf": 'resource "aws_kms_key" "k" {}\n'}
    value, _ = evaluate(tmp_path, '"key: ${aws_kms_key.k.arn}!"', files)
    assert isinstance(value, Partial)
    assert value.parts == ("key: ", Ref("aws_kms_key.k", "arn"), "!")
    assert "aws_kms_key.k.arn is known only after apply" in value.why


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ('format("alias/aws/%s", var.x)', ("alias/aws/", None)),
        ('join("/", ["alias", "aws", var.x])', ("alias/aws/", None)),
        ('"arn:aws:kms:${var.x}:1:alias/aws/ebs"', ("arn:aws:kms:", None, ":1:alias/aws/ebs")),
    ],
)
def test_partial_strings_keep_their_known_pieces(
    tmp_path: Path, text: str, parts: tuple[str | None, ...]
) -> None:
    value, _ = evaluate(tmp_path, text, {"main.tf": NO_VALUE})
    assert isinstance(value, Partial)
    assert tuple(p if isinstance(p, str) else None for p in value.parts) == parts


def test_try_returns_unknown_for_an_unknown_first_argument(tmp_path: Path) -> None:
    value, _ = evaluate(tmp_path, 'try(var.x, "fallback")', {"main.tf": NO_VALUE})
    assert isinstance(value, Unknown)


def test_try_with_no_good_argument_is_unknown_with_every_message(tmp_path: Path) -> None:
    value, _ = evaluate(tmp_path, "try(local.a, local.b)")
    assert isinstance(value, Unknown)
    assert "local.a is not declared" in value.why
    assert "local.b is not declared" in value.why


def test_function_errors_name_the_function(tmp_path: Path) -> None:
    value, _ = evaluate(tmp_path, "element([], 0)")
    assert isinstance(value, Unknown)
    assert "element" in value.why


def test_functions_not_evaluated_are_unknown(tmp_path: Path) -> None:
    value, _ = evaluate(tmp_path, "timestamp()")
    assert isinstance(value, Unknown)


def test_provider_functions_are_unknown(tmp_path: Path) -> None:
    value, _ = evaluate(tmp_path, 'provider::aws::arn_parse("x")')
    assert isinstance(value, Unknown)
    assert "not evaluated" in value.why


def test_conditional_on_a_non_bool_is_an_error_turned_unknown(tmp_path: Path) -> None:
    value, _ = evaluate(tmp_path, '"maybe" ? 1 : 2')
    assert isinstance(value, Unknown)
    assert "bool" in value.why


def test_index_out_of_range_is_unknown_with_location(tmp_path: Path) -> None:
    value, _ = evaluate(tmp_path, "[1][3]")
    assert isinstance(value, Unknown)
    assert "out of range" in value.why
    assert "expr.tf:1" in value.why


FLAG = """
variable "flag" {
  type = bool
}
"""


@pytest.mark.parametrize(
    ("text", "items"),
    [
        ("[for x in [1, 2] : x if var.flag]", ((1, False), (2, False))),
        ("[for x in [1, 2] : x if x == 1 || var.flag]", ((1, True), (2, False))),
        ("[for x in [1, 2, 3] : x if x != 2 && var.flag]", ((1, False), (3, False))),
        ("concat([0], [for x in [1] : x if var.flag], [2])", ((0, True), (1, False), (2, True))),
    ],
)
def test_for_with_unknown_if_keeps_its_possible_elements(
    tmp_path: Path, text: str, items: tuple[tuple[object, bool], ...]
) -> None:
    value, _ = evaluate(tmp_path, text, {"main.tf": FLAG})
    assert isinstance(value, Unknown)
    assert "a for condition is not known: var.flag has no value" in value.why
    assert value.items == items


@pytest.mark.parametrize(
    "text",
    [
        "length([for x in [1, 2] : x if var.flag])",
        "{ for x in [1, 2] : x => x if var.flag }",
        "[for x in [1, 2] : x if var.flag][0]",
        "[for s in [for x in [1, 2] : x if var.flag] : s * 10]",
        "[for x in [{ a = 1 }] : x if var.flag][*].a",
        "flatten([[for x in [[1], [2]] : x if var.flag]])",
    ],
)
def test_a_list_of_optional_elements_is_otherwise_unknown(tmp_path: Path, text: str) -> None:
    value, _ = evaluate(tmp_path, text, {"main.tf": FLAG})
    assert isinstance(value, Unknown)
    assert value.items is None

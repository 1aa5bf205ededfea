"""Root variable values: precedence of every layer, raw text parsing by type, conversions."""

from __future__ import annotations

from pathlib import Path

import pytest
from tfeval import evaluate

from cmkguard.errors import InputError
from cmkguard.sources.terraform.ast import Call, Expr, Variable
from cmkguard.sources.terraform.conversions import parse_type
from cmkguard.sources.terraform.discovery import SourceTree
from cmkguard.sources.terraform.variables import (
    VariableInputs,
    parses_as_expression,
    root_assignments,
)
from cmkguard.tfinputs import VarArg, VarFile
from cmkguard.values import Data, Known, Unknown

DECL = """
variable "v" {
  type    = %s
  default = "from-default"
}
"""


def test_raw_text_parses_for_declared_complex_types() -> None:
    def parses(type_expr: Expr | None) -> bool:
        return parses_as_expression(type_expr, parse_type(type_expr, lambda _: None))

    assert not parses(None)
    assert not parses(Variable("number", 1))
    assert parses(Variable("any", 1))
    assert parses(Call("list", (Variable("string", 1),), False, 1))


def _value(tmp_path: Path, files: dict[str, str], inputs: VariableInputs) -> Data:
    value, _ = evaluate(tmp_path, "var.v", files, inputs)
    assert isinstance(value, Known), value
    return value.value


LAYERS = [
    ("TF_VAR_v", None),
    ("terraform.tfvars", 'v = "from-tfvars"\n'),
    ("terraform.tfvars.json", '{"v": "from-tfvars-json"}\n'),
    ("a.auto.tfvars", 'v = "from-a-auto"\n'),
    ("b.auto.tfvars.json", '{"v": "from-b-auto-json"}\n'),
]


@pytest.mark.parametrize("upto", range(len(LAYERS) + 1))
def test_each_layer_beats_the_ones_below(tmp_path: Path, upto: int) -> None:
    files = {"main.tf": DECL % "string"}
    env: dict[str, str] = {}
    expected = "from-default"
    for name, text in LAYERS[:upto]:
        if text is None:
            env[name] = "from-env"
            expected = "from-env"
        else:
            files[name] = text
            expected = text.split('"')[-2] if name.endswith(".json") else text.split('"')[1]
    assert _value(tmp_path, files, VariableInputs(env=env)) == expected


def test_var_files_then_vars_in_order(tmp_path: Path) -> None:
    files = {
        "main.tf": DECL % "string",
        "b.auto.tfvars": 'v = "auto"\n',
        "one.tfvars": 'v = "one"\n',
        "two.tfvars.json": '{"v": "two"}\n',
    }
    two = VariableInputs(
        command_line=(VarFile(tmp_path / "one.tfvars"), VarFile(tmp_path / "two.tfvars.json"))
    )
    assert _value(tmp_path, files, two) == "two"
    last = VariableInputs(
        command_line=(VarFile(tmp_path / "one.tfvars"), VarArg("v", "a"), VarArg("v", "b"))
    )
    assert _value(tmp_path, files, last) == "b"
    # Terraform applies -var and -var-file in command-line order: a later file beats an
    # earlier -var.
    file_last = VariableInputs(command_line=(VarArg("v", "a"), VarFile(tmp_path / "one.tfvars")))
    assert _value(tmp_path, files, file_last) == "one"


def test_raw_text_is_the_string_for_strings_and_untyped(tmp_path: Path) -> None:
    files = {"main.tf": 'variable "v" {}\n'}
    assert _value(
        tmp_path, files, VariableInputs(command_line=(VarArg("v", '["not", "a list"]'),))
    ) == ('["not", "a list"]')


def test_raw_text_is_converted_for_primitive_types(tmp_path: Path) -> None:
    files = {"main.tf": DECL % "number"}
    assert _value(tmp_path, files, VariableInputs(env={"TF_VAR_v": "42"})) == 42


def test_raw_text_is_an_expression_for_complex_types(tmp_path: Path) -> None:
    files = {"main.tf": 'variable "v" {\n  type = map(string)\n}\n'}
    inputs = VariableInputs(command_line=(VarArg("v", '{ a = "b", n = 1 }'),))
    assert _value(tmp_path, files, inputs) == {"a": "b", "n": "1"}


def test_raw_expressions_cannot_reference_anything(tmp_path: Path) -> None:
    files = {"main.tf": 'variable "v" {\n  type = list(string)\n}\nlocals {\n  x = "y"\n}\n'}
    inputs = VariableInputs(command_line=(VarArg("v", "[local.x]"),))
    value, _ = evaluate(tmp_path, "var.v", files, inputs)
    assert isinstance(value, Unknown)


def test_a_value_that_does_not_convert_is_unknown(tmp_path: Path) -> None:
    files = {"main.tf": 'variable "v" {\n  type = number\n}\n'}
    value, _ = evaluate(
        tmp_path, "var.v", files, VariableInputs(command_line=(VarArg("v", "many"),))
    )
    assert isinstance(value, Unknown)
    assert "cannot convert 'many' to a number" in value.why


def test_non_nullable_null_takes_the_default(tmp_path: Path) -> None:
    files = {
        "main.tf": """
            variable "v" {
              default  = "d"
              nullable = false
            }
        """,
        "terraform.tfvars": "v = null\n",
    }
    assert _value(tmp_path, files, VariableInputs()) == "d"


def test_nullable_null_stays_null(tmp_path: Path) -> None:
    files = {"main.tf": 'variable "v" {\n  default = "d"\n}\n', "terraform.tfvars": "v = null\n"}
    assert _value(tmp_path, files, VariableInputs()) is None


def test_unreadable_var_file_is_an_error(tmp_path: Path) -> None:
    errors: list[InputError] = []
    missing = tmp_path / "missing.tfvars"
    root_assignments(
        SourceTree(tmp_path), ".", VariableInputs(command_line=(VarFile(missing),)), errors
    )
    assert len(errors) == 1
    assert errors[0].path == str(missing)

"""Type constraints applied as Terraform 1.3+ applies them (issue 7 item 9), table-driven: the
type expression as written, the value, and what Terraform makes of it or the error it gives."""

from __future__ import annotations

from pathlib import Path

import pytest
from tfeval import evaluate

from cmkguard.sources.terraform import hcl
from cmkguard.sources.terraform.conversions import (
    ConversionError,
    Type,
    TypeSyntaxError,
    convert_to,
    parse_type,
)
from cmkguard.sources.terraform.evaluated import data_of
from cmkguard.sources.terraform.modules import Scope
from cmkguard.values import Data, Known, Ref, Unknown


def _type(text: str, tmp_path: Path) -> Type:
    _, ev = evaluate(tmp_path, "null")
    expr, errors = hcl.parse_expression(text, "type.tf")
    assert expr is not None, errors
    scope = Scope(ev.root, "type.tf", only_names=True)
    return parse_type(expr, lambda e: data_of(ev.value(e, scope)))


KEY = Ref("aws_kms_key.k", "arn")
NOT_TYPES = ["list(string, number)", "object(string)", "strings", "optional(string)"]

EKS = """map(object({
  instance_type = optional(string, "ml.t3.medium")
  kms_key_id    = optional(string)
  encryption = optional(object({
    enabled = optional(bool, true)
    key     = optional(string, "alias/aws/sagemaker")
  }), {})
}))"""

CONVERTS: list[tuple[str, Data, Data]] = [
    ("string", 1, "1"),
    ("bool", "true", True),
    ("any", {"a": 1}, {"a": 1}),
    ("list(string)", [1, True], ["1", "true"]),
    ("list", ["a", 1], ["a", 1]),
    ("set(string)", ["a", "b", "a"], ["a", "b"]),
    ("map(bool)", {"a": "false"}, {"a": False}),
    ("tuple([string, bool])", [1, "1"], ["1", True]),
    ("object({a = string})", {"a": 1, "extra": "dropped"}, {"a": "1"}),
    ("object({a = string})", {"a": None}, {"a": None}),
    ("object({a = optional(string)})", {}, {"a": None}),
    ('object({a = optional(string, "d")})', {}, {"a": "d"}),
    ('object({a = optional(string, "d")})', {"a": None}, {"a": "d"}),
    ('object({a = optional(string, "d")})', {"a": "x"}, {"a": "x"}),
    ('object({a = optional(number, "5")})', {}, {"a": 5}),
    (
        EKS,
        {"x": {}, "y": {"encryption": {"enabled": False}}},
        {
            "x": {
                "instance_type": "ml.t3.medium",
                "kms_key_id": None,
                "encryption": {"enabled": True, "key": "alias/aws/sagemaker"},
            },
            "y": {
                "instance_type": "ml.t3.medium",
                "kms_key_id": None,
                "encryption": {"enabled": False, "key": "alias/aws/sagemaker"},
            },
        },
    ),
    # Unknown parts stay where they are.
    ("list(string)", [Unknown("u")], [Unknown("u")]),
    (
        "object({a = string})",
        {"a": Ref("aws_kms_key.k", "arn")},
        {"a": Ref("aws_kms_key.k", "arn")},
    ),
    ("map(string)", Unknown("u"), Unknown("u")),
    ("map(string)", None, None),
]


@pytest.mark.parametrize(("text", "value", "expected"), CONVERTS)
def test_converts(tmp_path: Path, text: str, value: Data, expected: Data) -> None:
    assert convert_to(value, _type(text, tmp_path)) == expected


REJECTS: list[tuple[str, Data, str]] = [
    ("object({a = string, b = string})", {"a": "x"}, "attribute 'b' is required"),
    ("object({a = object({b = bool})})", {"a": {"b": "maybe"}}, "attribute 'a': attribute 'b'"),
    ("list(string)", {"a": "x"}, "a list is required, not a map"),
    ("map(string)", ["x"], "a map is required, not a list"),
    ("tuple([string])", ["a", "b"], "a tuple of 1 elements is required, not 2"),
    ("list(number)", ["1", "x"], "element 1"),
    ("object({a = string})", "text", "an object is required"),
]


@pytest.mark.parametrize(("text", "value", "message"), REJECTS)
def test_rejects(tmp_path: Path, text: str, value: Data, message: str) -> None:
    with pytest.raises(ConversionError, match=message):
        convert_to(value, _type(text, tmp_path))


@pytest.mark.parametrize(
    "text", ["list(string, number)", "object(string)", "strings", "optional(string)"]
)
def test_not_a_type(tmp_path: Path, text: str) -> None:
    with pytest.raises(TypeSyntaxError):
        _type(text, tmp_path)


def test_a_variable_whose_value_does_not_convert_is_unknown_naming_it(tmp_path: Path) -> None:
    files = {
        "main.tf": """
        variable "cfg" {
          type    = object({ name = string, key = string })
          default = { key = "alias/x" }
        }
        variable "bad" {
          type = object(string)
        }
        """
    }
    value, _ = evaluate(tmp_path, "var.cfg.key", files)
    assert isinstance(value, Unknown)
    assert value.why == "var.cfg: attribute 'name' is required"
    value, _ = evaluate(tmp_path, "var.bad", files)
    assert isinstance(value, Unknown)
    assert value.why.startswith("var.bad: invalid type constraint")


def test_module_inputs_are_converted_alike(tmp_path: Path) -> None:
    files = {
        "main.tf": """
        module "m" {
          source = "./m"
          cfg    = { name = "n", extra = 1 }
        }
        output "cfg" { value = module.m.cfg }
        """,
        "m/main.tf": """
        variable "cfg" {
          type = object({ name = string, key = optional(string, "alias/k") })
        }
        output "cfg" { value = var.cfg }
        """,
    }
    value, _ = evaluate(tmp_path, "module.m.cfg", files)
    assert isinstance(value, Known)
    assert value.value == {"name": "n", "key": "alias/k"}

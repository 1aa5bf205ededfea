"""Override files merge into the blocks they name, as Terraform does."""

from __future__ import annotations

from pathlib import Path

from tfeval import write

from cmkguard.sources.terraform.ast import Literal
from cmkguard.sources.terraform.discovery import SourceTree


def test_override_rules(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "main.tf": """
                resource "aws_kms_key" "k" {
                  description = "base"
                  is_enabled  = true
                  tags = {
                    a = "b"
                  }
                  timeouts {
                    create = "1m"
                  }
                  dynamic "statement" {
                    for_each = []
                    content {}
                  }
                }

                locals {
                  a = "base-a"
                  b = "base-b"
                }

                variable "v" {
                  type    = string
                  default = "base"
                }
            """,
            "z_override.tf": """
                resource "aws_kms_key" "k" {
                  is_enabled = false
                  statement {}
                }

                locals {
                  b = "override-b"
                }

                variable "v" {
                  default = "override"
                }
            """,
        },
    )
    tree = SourceTree(tmp_path)
    config = tree.config(".")
    key = config.resources[("aws_kms_key", "k")]
    assert key.file == "main.tf"
    assert key.line == 2
    attributes = key.body.attributes
    assert attributes["description"].expr == Literal("base", 3)
    assert attributes["is_enabled"].expr == Literal(False, 3)
    assert "tags" in attributes
    assert [b.type for b in key.body.blocks] == ["timeouts", "statement"]
    assert config.locals["a"].file == "main.tf"
    assert config.locals["b"].file == "z_override.tf"
    variable = config.variables["v"].body.attributes
    assert "type" in variable
    assert variable["default"].expr == Literal("override", 12)
    assert tree.errors == []


def test_an_override_without_a_base_block_is_an_error(tmp_path: Path) -> None:
    write(tmp_path, {"main.tf": "", "override.tf": 'resource "aws_kms_key" "k" {}\n'})
    tree = SourceTree(tmp_path)
    assert tree.config(".").resources == {}
    assert [str(e) for e in tree.errors] == [
        "override.tf:1: override for aws_kms_key.k, which is not defined"
    ]


def test_duplicates_keep_the_first(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "a.tf": 'resource "aws_kms_key" "k" {\n  description = "a"\n}\n',
            "b.tf": 'resource "aws_kms_key" "k" {\n  description = "b"\n}\n',
        },
    )
    tree = SourceTree(tmp_path)
    assert tree.config(".").resources[("aws_kms_key", "k")].file == "a.tf"
    assert [str(e) for e in tree.errors] == [
        "b.tf:1: duplicate aws_kms_key.k (first defined at a.tf:1)"
    ]

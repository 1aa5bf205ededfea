"""The header index finds the same top-level blocks the parser does, or gives up on the file."""

from __future__ import annotations

import textwrap

import pytest

from cmkguard.sources.terraform.headers import index_headers, may_call
from cmkguard.sources.terraform.readers import parse_file

# Each text hides braces, quotes or block-like lines where a naive scanner would see them.
INDEXED = {
    "plain": """
        resource "aws_kms_key" "k" {
          description = "a key"
        }

        locals {
          a = 1
        }
    """,
    "braces in strings": """
        resource "x" "a" {
          name = "}}} {{ \\" }"
          tpl  = "${jsonencode({ a = "}" })} and %{ if true }}%{ endif }"
          esc  = "$${not an interpolation {"
        }
        data "y" "b" {}
    """,
    "nested interpolation": """
        output "o" {
          value = "${"${"}"}"}"
        }
        variable "v" {}
    """,
    "heredoc with JSON": """
        resource "aws_iam_policy" "p" {
          policy = <<EOF
        {
        }
        resource "fake" "one" {
        EOF
        }

        resource "aws_iam_policy" "q" {
          policy = <<-JSON
            {"a": "}"}
            JSON
        }
    """,
    "comments": """
        # resource "fake" "hash" {
        // resource "fake" "slash" {
        /* resource "fake" "star" {
           } */
        resource "x" "c" { # }
          a = 1 // }
          /* } */
        }
    """,
    "one-line blocks and nesting": """
        terraform {}
        resource "x" "d" { count = 1 }
        resource "x" "e" {
          dynamic "tag" {
            for_each = { a = { b = "}" } }
            content {
              v = tag.value
            }
          }
        }
        module m {
          source = "./m"
        }
    """,
}


@pytest.mark.parametrize("name", sorted(INDEXED))
def test_headers_match_the_parser(name: str) -> None:
    data = textwrap.dedent(INDEXED[name]).encode()
    headers = index_headers(data)
    config, errors = parse_file(data, "main.tf")
    assert config is not None
    assert errors == []
    assert headers is not None
    assert [(h.type, h.labels, h.line) for h in headers] == [
        (b.type, b.labels, b.line) for b in config.body.blocks
    ]
    for header in headers:
        assert data[header.start : header.end].rstrip().endswith(b"}")


NOT_INDEXED = {
    "top-level attribute": 'a = 1\nresource "x" "y" {}\n',
    "unbalanced": 'resource "x" "y" {\n  a = {\n}\n',
    "extra close": 'resource "x" "y" {}\n}\n',
    "escaped label": 'resource "x" "y\\u0041" {}\n',
    "interpolated label": 'resource "x" "${y}" {}\n',
    "unterminated string": 'resource "x" "y" {\n  a = "b\n}\n',
    "unterminated heredoc": 'resource "x" "y" {\n  a = <<EOF\nb\n}\n',
    "unterminated comment": 'resource "x" "y" {\n  /* a\n}\n',
    "two blocks on a line": 'resource "x" "y" {} resource "x" "z" {}\n',
    "header across lines": 'resource "x"\n  "y" {}\n',
    "non-ASCII name": 'resource "x" "y" {}\nrésource "x" "z" {}\n',
}


@pytest.mark.parametrize("name", sorted(NOT_INDEXED))
def test_text_it_does_not_understand_is_left_to_the_parser(name: str) -> None:
    assert index_headers(NOT_INDEXED[name].encode()) is None


def test_windows_line_ends_are_indexed() -> None:
    data = b'resource "x" "a" {\r\n  p = <<EOF\r\n}\r\nEOF\r\n}\r\n\r\nvariable "v" {\r\n}\r\n'
    config, errors = parse_file(data, "main.tf")
    assert config is not None
    assert errors == []
    headers = index_headers(data)
    assert headers is not None
    assert [(h.type, h.labels, h.line) for h in headers] == [
        (b.type, b.labels, b.line) for b in config.body.blocks
    ]


def test_an_empty_file_has_no_headers() -> None:
    assert index_headers(b"") == ()
    assert index_headers(b"# only a comment\n") == ()


def test_may_call_sees_module_blocks_and_json_members() -> None:
    assert may_call(b'module "a" {\n}\n')
    assert may_call(b"  module a {\n}\n")
    assert may_call(b'{"module": {}}')
    # Loose on purpose: a reference to a module's output costs a parse, never a missed call.
    assert may_call(b"value = module.a.out\n")
    assert not may_call(b'resource "aws_kms_key" "k" {\n}\n')

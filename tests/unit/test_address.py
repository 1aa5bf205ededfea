"""Terraform addresses: rendered as Terraform renders them, and parsed back (table-driven)."""

from __future__ import annotations

import pytest

from cmkguard.address import Address, parse, parse_module, render_key, render_module

NB = "aws_sagemaker_notebook_instance"

# (address, Terraform's rendering). Terraform quotes string keys with toHCLQuotedString
# (internal/addrs/instance_key.go): only \n \r \t " \ are backslash-escaped, "${" and "%{" are
# doubled, characters Go's unicode.IsPrint rejects are \uXXXX / \UXXXXXXXX, and everything else,
# non-ASCII included, is written as itself.
RENDERED: list[tuple[Address, str]] = [
    (Address((), "managed", NB, "nb"), f"{NB}.nb"),
    (Address((), "managed", NB, "nb", 0), f"{NB}.nb[0]"),
    (Address((), "managed", NB, "nb", 12), f"{NB}.nb[12]"),
    (Address((), "data", "aws_kms_key", "k"), "data.aws_kms_key.k"),
    (Address((), "managed", NB, "nb", "café"), f'{NB}.nb["café"]'),
    (Address((), "managed", NB, "nb", ""), f'{NB}.nb[""]'),
    (Address((), "managed", NB, "nb", 'say "hi"'), f'{NB}.nb["say \\"hi\\""]'),
    (Address((), "managed", NB, "nb", "a\\b"), f'{NB}.nb["a\\\\b"]'),
    (Address((), "managed", NB, "nb", "a\nb\tc\rd"), f'{NB}.nb["a\\nb\\tc\\rd"]'),
    (Address((), "managed", NB, "nb", "${x}"), f'{NB}.nb["$${{x}}"]'),
    (Address((), "managed", NB, "nb", "%{x}"), f'{NB}.nb["%%{{x}}"]'),
    (Address((), "managed", NB, "nb", "$x %"), f'{NB}.nb["$x %"]'),
    (Address((), "managed", NB, "nb", "a\x00b"), f'{NB}.nb["a\\u0000b"]'),
    (Address((), "managed", NB, "nb", "\u200b"), f'{NB}.nb["\\u200b"]'),
    (Address((), "managed", NB, "nb", "\U000e0001"), f'{NB}.nb["\\U000e0001"]'),
    (Address((), "managed", NB, "nb", "😀 ü"), f'{NB}.nb["😀 ü"]'),
    (Address((), "managed", NB, "nb", "a.b]c[d"), f'{NB}.nb["a.b]c[d"]'),
    (
        Address((("team", "a"), ("db", 0), ("x", None)), "data", "aws_kms_key", "k", "é"),
        'module.team["a"].module.db[0].module.x.data.aws_kms_key.k["é"]',
    ),
    (Address((("data", None),), "managed", NB, "nb"), f"module.data.{NB}.nb"),
    (Address((("x", 'q"uote'),), "managed", "aws_x", "y"), 'module.x["q\\"uote"].aws_x.y'),
]


@pytest.mark.parametrize(("address", "text"), RENDERED, ids=[t for _, t in RENDERED])
def test_render_and_parse(address: Address, text: str) -> None:
    assert str(address) == text
    assert parse(text) == address


@pytest.mark.parametrize(
    "text",
    [
        "",
        "aws_kms_key",
        "aws_kms_key.",
        "aws_kms_key.k.extra",
        "aws_kms_key.k[",
        "aws_kms_key.k[01]",
        "aws_kms_key.k[-1]",
        'aws_kms_key.k["a]',
        'aws_kms_key.k["a"',
        'aws_kms_key.k["${x}"]',
        'aws_kms_key.k["\\q"]',
        'aws_kms_key.k["\\u12"]',
        "aws_kms_key.k[0][1]",
        "module.a",
        "module.a.",
        "module.a[0]",
        "module.module.x",
        "module.a.module.b",
        "data.aws_kms_key",
        "1bad.k",
    ],
)
def test_parse_rejects(text: str) -> None:
    assert parse(text) is None


def test_module_paths() -> None:
    path = (("team", "café"), ("db", 3))
    assert render_module(path) == 'module.team["café"].module.db[3]'
    assert parse_module(render_module(path)) == path
    assert parse_module("") == ()
    assert parse_module("module.a.aws_kms_key.k") is None
    assert render_key(None) == ""


def test_local_and_config_path() -> None:
    address = Address((("a", 0), ("b", None)), "data", "aws_kms_alias", "sm", "x")
    assert address.local == "data.aws_kms_alias.sm"
    assert address.config_path == ("a", "b")

"""``expression_spans``: the offsets of calls, objects and tuples inside one attribute value."""

from __future__ import annotations

import pytest

from cmkguard.sources.terraform.expression_spans import (
    CallSpan,
    ObjectSpan,
    OtherSpan,
    TupleSpan,
    expression_span,
)

POLICY = """policy = jsonencode({
  Version = "2012-10-17" # ünïcode before the list
  "Statement" = [{
    Effect = "Allow"
  }, { Effect = "Deny" },]
})
"""


def _value(text: str) -> tuple[int, int]:
    start = text.index("=") + 2
    return start, len(text.rstrip("\n"))


def test_jsonencode_object_and_statement_list() -> None:
    span = expression_span(POLICY, *_value(POLICY))
    assert isinstance(span, CallSpan)
    assert span.name == "jsonencode"
    (argument,) = span.args
    assert isinstance(argument, ObjectSpan)
    assert [i.key for i in argument.items] == ["Version", "Statement"]
    statement = argument.item("Statement")
    assert statement is not None
    listed = statement.value
    assert isinstance(listed, TupleSpan)
    assert POLICY[listed.start] == "["
    assert POLICY[listed.end - 1] == "]"
    assert [POLICY[i.start : i.end] for i in listed.items][1] == '{ Effect = "Deny" }'
    # Offsets are characters, not bytes: the non-ASCII comment does not shift them.
    assert listed.trailing_comma is not None
    assert POLICY[listed.trailing_comma - 1] == ","


def test_no_trailing_comma() -> None:
    text = "x = [1, 2]"
    span = expression_span(text, 4, len(text))
    assert isinstance(span, TupleSpan)
    assert span.trailing_comma is None
    assert [text[i.start : i.end] for i in span.items] == ["1", "2"]


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("aws_iam_role.nb.arn", OtherSpan),
        ('"text"', OtherSpan),
        ("<<EOT\n{}\nEOT", OtherSpan),
        ('file("p.json")', CallSpan),
        ("{ (local.k) = 1 }", ObjectSpan),
    ],
)
def test_other_expressions(value: str, kind: type) -> None:
    text = f"x = {value}\n"
    assert isinstance(expression_span(text, 4, 4 + len(value)), kind)


def test_computed_key_has_no_name() -> None:
    text = "x = { (local.k) = 1 }"
    span = expression_span(text, 4, len(text))
    assert isinstance(span, ObjectSpan)
    assert span.items[0].key is None


def test_unparsable_value_is_none() -> None:
    text = "x = jsonencode({"
    assert expression_span(text, 4, len(text)) is None

"""The inline suppression grammar (accepted and rejected comments) and where comments attach."""

from __future__ import annotations

from datetime import date

import pytest

from cmkguard.findings import SuppressionKind
from cmkguard.suppressions import Directive, comments, parse_comment, read_file_suppressions

ACCEPTED: list[tuple[str, Directive]] = [
    (
        'cmkguard:ignore[missing] reason="legacy notebook, removed in Q3"',
        Directive(SuppressionKind.INLINE, ("missing",), "legacy notebook, removed in Q3", None),
    ),
    (
        ' cmkguard:ignore[missing,empty] reason="x" until=2026-12-31 ',
        Directive(SuppressionKind.INLINE, ("missing", "empty"), "x", date(2026, 12, 31)),
    ),
    (
        'cmkguard:ignore[cross-region, key-disabled] reason="a \\"quoted\\" word"',
        Directive(
            SuppressionKind.INLINE, ("cross-region", "key-disabled"), 'a "quoted" word', None
        ),
    ),
    (
        'cmkguard:ignore[unresolved] reason="value comes from the pipeline"',
        Directive(SuppressionKind.INLINE, ("unresolved",), "value comes from the pipeline", None),
    ),
    (
        "checkov:skip=CKV_AWS_22:the sandbox account has no CMK",
        Directive(SuppressionKind.CHECKOV, ("CKV_AWS_22",), "the sandbox account has no CMK", None),
    ),
    (
        "checkov:skip=CKV_AWS_187: shared key is managed elsewhere",
        Directive(
            SuppressionKind.CHECKOV, ("CKV_AWS_187",), "shared key is managed elsewhere", None
        ),
    ),
    # Accepted but flagged when applied: no reason.
    ("checkov:skip=CKV_AWS_22", Directive(SuppressionKind.CHECKOV, ("CKV_AWS_22",), None, None)),
    ("checkov:skip=CKV_AWS_22:", Directive(SuppressionKind.CHECKOV, ("CKV_AWS_22",), None, None)),
]


@pytest.mark.parametrize(("comment", "expected"), ACCEPTED)
def test_accepted(comment: str, expected: Directive) -> None:
    assert parse_comment(comment) == expected


REJECTED: list[tuple[str, str]] = [
    ("cmkguard:ignore[missing]", 'expected reason="..."'),
    ('cmkguard:ignore[missing] reason=""', "the reason is empty"),
    ('cmkguard:ignore[missing] reason="   "', "the reason is empty"),
    ("cmkguard:ignore[missing] reason=unquoted", 'expected reason="..."'),
    ('cmkguard:ignore[] reason="x"', "empty code"),
    ('cmkguard:ignore[missing,] reason="x"', "empty code"),
    ('cmkguard:ignore[nonsense] reason="x"', "unknown reason code 'nonsense'"),
    ('cmkguard:ignore[MISSING] reason="x"', "unknown reason code 'MISSING'"),
    ('cmkguard:ignore[key-rotation-disabled] reason="x"', "warnings never need suppressing"),
    ('cmkguard:ignore[missing,missing] reason="x"', "listed twice"),
    ('cmkguard:ignore[missing] reason="x" until=2026-13-01', "is not a date"),
    ('cmkguard:ignore[missing] reason="x" until=31/12/2026', "is not a date"),
    ('cmkguard:ignore[missing] reason="x" until=', "is not a date"),
    ('cmkguard:ignore[missing] reason="x" owner=me', 'expected reason="..."'),
    ('cmkguard:ignore[missing] until=2026-12-31 reason="x"', 'expected reason="..."'),
    ('cmkguard:ignore missing reason="x"', "expected cmkguard:ignore[CODE,...]"),
    ('cmkguard: ignore[missing] reason="x"', "expected cmkguard:ignore[CODE,...]"),
    ('CMKGUARD:IGNORE[missing] reason="x"', "expected cmkguard:ignore[CODE,...]"),
    ('cmkguard:skip[missing] reason="x"', "expected cmkguard:ignore[CODE,...]"),
    ('cmkguard ignore[missing] reason="x"', "expected cmkguard:ignore[CODE,...]"),
]


@pytest.mark.parametrize(("comment", "message"), REJECTED)
def test_rejected(comment: str, message: str) -> None:
    problem = parse_comment(comment)
    assert isinstance(problem, str)
    assert problem.startswith("malformed suppression")
    assert message in problem


@pytest.mark.parametrize(
    "comment",
    [
        "an ordinary comment",
        "cmkguard runs in CI on this directory",
        "checkov:skip=CKV_AWS_999:another check's business",
        "TODO: ignore this later",
    ],
)
def test_ordinary_comments_are_not_directives(comment: str) -> None:
    assert parse_comment(comment) is None


@pytest.mark.parametrize(
    ("line", "found"),
    [
        ('  name = "a#b" # note', [" note"]),
        ('  name = "a//b" // note', [" note"]),
        ("  /* one */ x = 1 /* two */", [" one ", " two "]),
        ('  name = "say \\"#\\"" # c', [" c"]),
        ("# whole line", [" whole line"]),
        ('  name = "plain"', []),
    ],
)
def test_comments_skip_strings(line: str, found: list[str]) -> None:
    assert list(comments(line)) == found


SOURCE = """\
# cmkguard:ignore[missing] reason="above"
// cmkguard:ignore[empty] reason="also above"
resource "aws_sagemaker_notebook_instance" "a" { /* cmkguard:ignore[malformed] reason="on" */
  #checkov:skip=CKV_AWS_22:inside, first line
  name = "a"
  # cmkguard:ignore[key-disabled] reason="too deep: not at the block"
}

# cmkguard:ignore[cross-region] reason="stray"

resource "aws_sagemaker_notebook_instance" "b" {
  # cmkguard:ignore[missing reason="broken"
}
"""


def test_comments_attach_to_the_block_window() -> None:
    found = read_file_suppressions("main.tf", SOURCE, [3, 11])
    at_a = found.by_block[3]
    assert [(s.codes, s.line) for s in at_a] == [
        (("missing",), 1),
        (("empty",), 2),
        (("malformed",), 3),
        (("CKV_AWS_22",), 4),
    ]
    assert found.by_block[11] == ()
    assert [(s.codes, s.line) for s in found.stray] == [
        (("key-disabled",), 6),
        (("cross-region",), 9),
    ]
    assert [(e.path, e.line) for e in found.errors] == [("main.tf", 12)]
    assert "malformed suppression" in found.errors[0].message


def test_tf_json_comment_members() -> None:
    text = """\
{
  "resource": {
    "aws_sagemaker_notebook_instance": {
      "nb": {
        "//": "cmkguard:ignore[missing] reason=\\"generated by the platform team\\"",
        "name": "n"
      }
    }
  }
}
"""
    found = read_file_suppressions("main.tf.json", text, [4])
    assert [(s.codes, s.reason, s.line) for s in found.by_block[4]] == [
        (("missing",), "generated by the platform team", 5)
    ]

"""A role reference whose name the configuration fixes is told apart from other roles' ARNs."""

from __future__ import annotations

import pytest

from cmkguard.keypolicy.document import PrincipalEntry
from cmkguard.keypolicy.matching import ArnPrincipal, Match, principal_match
from cmkguard.values import Ref

NAMED = Ref("module.a.aws_iam_role.nb[0]", "arn", name="notebook")
UNNAMED = Ref("aws_iam_role.nb", "arn")


@pytest.mark.parametrize(
    ("policy", "candidate", "expected"),
    [
        ("arn:aws:iam::111122223333:role/KeyAdmin", NAMED, Match.NO),
        ("arn:aws:iam::111122223333:role/team/KeyAdmin", NAMED, Match.NO),
        ("arn:aws:iam::111122223333:role/notebook", NAMED, Match.MAYBE),
        ("arn:aws:iam::111122223333:role/NOTEBOOK", NAMED, Match.MAYBE),
        ("arn:aws:iam::111122223333:role/KeyAdmin", UNNAMED, Match.MAYBE),
        ("arn:aws:iam::111122223333:user/notebook", NAMED, Match.MAYBE),
        (NAMED, "arn:aws:iam::111122223333:role/KeyAdmin", Match.NO),
        (NAMED, "arn:aws:iam::111122223333:role/notebook", Match.MAYBE),
        (Ref("aws_iam_user.u", "arn", name="x"), "arn:aws:iam::111122223333:role/y", Match.MAYBE),
    ],
)
def test_role_name_tells_roles_apart(
    policy: str | Ref, candidate: str | Ref, expected: Match
) -> None:
    assert principal_match(PrincipalEntry("AWS", policy), ArnPrincipal(candidate)) is expected


def test_name_is_not_part_of_identity() -> None:
    assert Ref("aws_iam_role.nb", "arn", name="a") == Ref("aws_iam_role.nb", "arn")

"""Whether a Resource value names this key (table-driven), known ARN and before apply."""

from __future__ import annotations

import pytest

from cmkguard.keypolicy.matching import Match
from cmkguard.keypolicy.resources import UNKNOWN_KEY, KeyArn, resource_match
from cmkguard.values import Ref, Symbol, SymbolicText, Unknown

ACCT = "111122223333"
ARN = f"arn:aws:kms:eu-west-1:{ACCT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
KNOWN = KeyArn(arn=ARN)
KEY_REF = Ref("aws_kms_key.k", "arn")
PLANNED = KeyArn(refs=(KEY_REF,), region="eu-west-1")
YES, NO, MAYBE = Match.YES, Match.NO, Match.MAYBE

CURRENT = Symbol.CURRENT_ACCOUNT
IN_CURRENT = SymbolicText(("arn:aws:kms:eu-west-1:", CURRENT, ":key/*"))

CASES: list[tuple[str, str | SymbolicText | Ref | Unknown, KeyArn, Match]] = [
    ("star", "*", UNKNOWN_KEY, YES),
    ("own ARN", ARN, KNOWN, YES),
    ("own ARN, other case", ARN.upper(), KNOWN, NO),
    ("account wildcard", f"arn:aws:kms:*:{ACCT}:key/*", KNOWN, YES),
    ("all keys", "arn:aws:kms:*:*:key/*", KNOWN, YES),
    ("other key", f"arn:aws:kms:eu-west-1:{ACCT}:key/other", KNOWN, NO),
    ("alias ARN", f"arn:aws:kms:eu-west-1:{ACCT}:alias/a", KNOWN, NO),
    ("S3 bucket", "arn:aws:s3:::notebook-bucket", KNOWN, NO),
    ("S3 bucket, key before apply", "arn:aws:s3:::notebook-bucket", PLANNED, NO),
    ("S3 objects, key before apply", "arn:aws:s3:::bucket/*", PLANNED, NO),
    ("reference to the key", KEY_REF, PLANNED, YES),
    ("other attribute of the key", Ref("aws_kms_key.k", "key_id"), PLANNED, MAYBE),
    ("another managed resource's ARN", Ref("aws_s3_bucket.b", "arn"), PLANNED, NO),
    ("an alias's target", Ref("aws_kms_alias.a", "target_key_arn"), PLANNED, MAYBE),
    ("a data source", Ref("data.aws_kms_key.k", "arn"), PLANNED, MAYBE),
    ("all keys before apply", "arn:*:kms:*:*:key/*", PLANNED, YES),
    ("other region before apply", f"arn:aws:kms:us-east-1:{ACCT}:key/*", PLANNED, NO),
    ("same region before apply", f"arn:aws:kms:eu-west-1:{ACCT}:key/*", PLANNED, MAYBE),
    ("key id before apply", f"arn:aws:kms:eu-west-1:{ACCT}:key/abc", PLANNED, MAYBE),
    ("unknown pattern", Unknown("var.resource"), KNOWN, MAYBE),
    ("wildcard over colons", "arn:aws:kms:*", PLANNED, MAYBE),
    ("not an ARN", "notebook-key", PLANNED, NO),
    ("literal for unknown key", ARN, UNKNOWN_KEY, MAYBE),
    (
        "current account symbol on both",
        IN_CURRENT,
        KeyArn(region="eu-west-1", partition="aws", account=CURRENT),
        YES,
    ),
    ("current account symbol vs known ARN", IN_CURRENT, KNOWN, MAYBE),
    ("current account symbol, other region", IN_CURRENT, KeyArn(arn=ARN.replace("eu-", "us-")), NO),
    (
        "literal old marker is text",
        "arn:aws:kms:eu-west-1:<current-account>:key/*",
        KeyArn(region="eu-west-1", partition="aws", account=CURRENT),
        MAYBE,
    ),
    (
        "number vs current account",
        f"arn:aws:kms:eu-west-1:{ACCT}:key/*",
        KeyArn(region="eu-west-1", partition="aws", account=CURRENT),
        MAYBE,
    ),
]


@pytest.mark.parametrize(
    ("pattern", "key", "expected"), [pytest.param(p, k, e, id=n) for n, p, k, e in CASES]
)
def test_resource_match(
    pattern: str | SymbolicText | Ref | Unknown, key: KeyArn, expected: Match
) -> None:
    assert resource_match(pattern, key) is expected

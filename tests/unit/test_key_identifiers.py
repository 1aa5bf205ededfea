"""The key identifier grammar (shared/control.md, "Key identifiers"), as accepted/rejected tables.

Every form (key ID, key ARN, alias name, alias ARN) in every partition, ``mrk-`` multi-Region
keys, the ``alias/aws/`` prefix, case, whitespace, lengths and region shapes. A text that only
looks like an identifier must come out ``malformed``, never as a form that could later pass.
"""

from __future__ import annotations

import pytest

from cmkguard.kms import (
    PARTITIONS,
    KeyIdentifier,
    KeyIdKind,
    parse_key_identifier,
    parse_symbolic_key_identifier,
)
from cmkguard.values import Symbol, SymbolicText

UUID = "1234abcd-12ab-34cd-56ef-1234567890ab"
MRK = "mrk-1234abcd12ab34cd56ef1234567890ab"
ACCOUNT = "111122223333"
ARN = f"arn:aws:kms:eu-west-1:{ACCOUNT}"
ARABIC_ONE = "\u0661"  # a Unicode digit that is not an ASCII one

# One region of each partition, as botocore's partitions.json names them.
REGION_OF = {
    "aws": "us-east-1",
    "aws-cn": "cn-northwest-1",
    "aws-us-gov": "us-gov-west-1",
    "aws-iso": "us-iso-east-1",
    "aws-iso-b": "us-isob-east-1",
    "aws-iso-e": "eu-isoe-west-1",
    "aws-iso-f": "us-isof-south-1",
    "aws-eusc": "eusc-de-east-1",
}


def test_every_partition_has_a_region_here() -> None:
    assert set(REGION_OF) == set(PARTITIONS)


ACCEPTED: list[KeyIdentifier] = [
    # key IDs
    KeyIdentifier(UUID, KeyIdKind.KEY_ID, key_id=UUID),
    KeyIdentifier(MRK, KeyIdKind.KEY_ID, key_id=MRK),
    # Upper-case hex is accepted as written (and kept as supplied, as SageMaker returns it).
    KeyIdentifier(UUID.upper(), KeyIdKind.KEY_ID, key_id=UUID.upper()),
    KeyIdentifier("mrk-" + "AB" * 16, KeyIdKind.KEY_ID, key_id="mrk-" + "AB" * 16),
    # key ARNs in every partition, single- and multi-Region
    *(
        KeyIdentifier(
            f"arn:{partition}:kms:{region}:{ACCOUNT}:key/{key}",
            KeyIdKind.KEY_ARN,
            region=region,
            account=ACCOUNT,
            partition=partition,
            key_id=key,
        )
        for partition, region in REGION_OF.items()
        for key in (UUID, MRK)
    ),
    # alias names
    KeyIdentifier("alias/team-key", KeyIdKind.ALIAS_NAME, alias="alias/team-key"),
    KeyIdentifier("alias/a", KeyIdKind.ALIAS_NAME, alias="alias/a"),
    KeyIdentifier("alias/Team_Key/v2:x", KeyIdKind.ALIAS_NAME, alias="alias/Team_Key/v2:x"),
    KeyIdentifier("alias/aws/sagemaker", KeyIdKind.ALIAS_NAME, alias="alias/aws/sagemaker"),
    KeyIdentifier("alias/aws/", KeyIdKind.ALIAS_NAME, alias="alias/aws/"),
    # Only the exact prefix is reserved: these are customer aliases by their text.
    KeyIdentifier("alias/aws", KeyIdKind.ALIAS_NAME, alias="alias/aws"),
    KeyIdentifier("alias/awsome", KeyIdKind.ALIAS_NAME, alias="alias/awsome"),
    KeyIdentifier("alias/AWS/sagemaker", KeyIdKind.ALIAS_NAME, alias="alias/AWS/sagemaker"),
    KeyIdentifier("alias/team/aws/x", KeyIdKind.ALIAS_NAME, alias="alias/team/aws/x"),
    # alias ARNs in every partition
    *(
        KeyIdentifier(
            f"arn:{partition}:kms:{region}:{ACCOUNT}:{alias}",
            KeyIdKind.ALIAS_ARN,
            region=region,
            account=ACCOUNT,
            partition=partition,
            alias=alias,
        )
        for partition, region in REGION_OF.items()
        for alias in ("alias/team-key", "alias/aws/sagemaker")
    ),
    # region shapes
    *(
        KeyIdentifier(
            f"arn:aws:kms:{region}:{ACCOUNT}:key/{UUID}",
            KeyIdKind.KEY_ARN,
            region=region,
            account=ACCOUNT,
            partition="aws",
            key_id=UUID,
        )
        for region in ("il-central-1", "ap-southeast-7", "mx-central-1", "eu-central-12")
    ),
]


@pytest.mark.parametrize("expected", ACCEPTED, ids=lambda k: f"{k.kind}:{k.text}")
def test_accepted(expected: KeyIdentifier) -> None:
    assert parse_key_identifier(expected.text) == expected


AWS_MANAGED = ["alias/aws/sagemaker", "alias/aws/", f"{ARN}:alias/aws/sagemaker"]
NOT_AWS_MANAGED_BY_TEXT = [
    UUID,
    MRK,
    f"{ARN}:key/{UUID}",
    "alias/aws",
    "alias/awsome",
    "alias/AWS/sagemaker",
    "alias/team/aws/x",
    f"{ARN}:alias/team",
    "ALIAS/aws/sagemaker",
    " alias/aws/sagemaker",
]


@pytest.mark.parametrize("text", AWS_MANAGED)
def test_aws_managed_by_prefix(text: str) -> None:
    assert parse_key_identifier(text).is_aws_managed_alias


@pytest.mark.parametrize("text", NOT_AWS_MANAGED_BY_TEXT)
def test_not_aws_managed_by_text(text: str) -> None:
    """A key ARN or key ID cannot be classified by its text; nor can anything malformed."""
    assert not parse_key_identifier(text).is_aws_managed_alias


REJECTED = [
    # empty and whitespace
    "",
    " ",
    f" {UUID}",
    f"{UUID} ",
    f"{UUID}\n",
    "alias/team\n",
    "alias/team ",
    "\talias/team",
    "alias/ team",
    f"{ARN}:key/{UUID}\n",
    f" {ARN}:alias/team",
    # key IDs: length, characters, form
    UUID[:-1],
    UUID + "0",
    UUID.replace("-", ""),
    UUID.replace("a", "g"),
    "{" + UUID + "}",
    "mrk-" + "a" * 31,
    "mrk-" + "a" * 33,
    "mrk-" + "g" * 32,
    "MRK-1234abcd12ab34cd56ef1234567890ab",
    "mrk_1234abcd12ab34cd56ef1234567890ab",
    f"mrk-{UUID}",
    "key/" + UUID,
    # alias names: prefix, characters, length
    "alias/",
    "alias",
    "Alias/team",
    "ALIAS/team",
    "aliases/team",
    "/alias/team",
    "alias/team.key",
    "alias/team key",
    "alias/tëam",
    "alias/" + "a" * 251,
    "team-key",
    "foo",
    # key ARNs: every field
    f"arn:aws:kms:eu-west-1:{ACCOUNT}:key/",
    f"arn:aws:kms:eu-west-1:{ACCOUNT}:key/team",
    f"arn:aws:kms:eu-west-1:{ACCOUNT}:key/alias/team",
    f"arn:aws:kms:eu-west-1:{ACCOUNT}:{UUID}",
    f"arn:aws:kms:eu-west-1:{ACCOUNT}:Key/{UUID}",
    f"arn:aws:kms:eu-west-1:{ACCOUNT}:key/{UUID[:-1]}",
    f"arn:aws:kms:eu-west-1:{ACCOUNT}:key/{UUID}/",
    f"arn:aws:kms:eu-west-1:{ACCOUNT}:key/{UUID}:1",
    f"ARN:aws:kms:eu-west-1:{ACCOUNT}:key/{UUID}",
    f"arn:AWS:kms:eu-west-1:{ACCOUNT}:key/{UUID}",
    f"arn:aws-foo:kms:eu-west-1:{ACCOUNT}:key/{UUID}",
    f"arn::kms:eu-west-1:{ACCOUNT}:key/{UUID}",
    f"arn:aws:KMS:eu-west-1:{ACCOUNT}:key/{UUID}",
    f"arn:aws:iam::{ACCOUNT}:key/{UUID}",
    f"arn:aws:sagemaker:eu-west-1:{ACCOUNT}:key/{UUID}",
    f"arn:aws:kms:eu-west-1::key/{UUID}",
    f"arn:aws:kms:eu-west-1:11112222333:key/{UUID}",
    f"arn:aws:kms:eu-west-1:1111222233334:key/{UUID}",
    f"arn:aws:kms:eu-west-1:11112222333a:key/{UUID}",
    f"arn:aws:kms:eu-west-1:{ARABIC_ONE * 12}:key/{UUID}",
    f"arn:aws:kms:eu-west-1:{ACCOUNT}:key/{UUID}:extra",
    f"arn:aws:kms:eu-west-1:{ACCOUNT}:{ACCOUNT}:key/{UUID}",
    # region shapes
    f"arn:aws:kms::{ACCOUNT}:key/{UUID}",
    f"arn:aws:kms:EU-WEST-1:{ACCOUNT}:key/{UUID}",
    f"arn:aws:kms:euwest1:{ACCOUNT}:key/{UUID}",
    f"arn:aws:kms:eu-west:{ACCOUNT}:key/{UUID}",
    f"arn:aws:kms:eu-west-1a:{ACCOUNT}:key/{UUID}",
    f"arn:aws:kms:eu_west_1:{ACCOUNT}:key/{UUID}",
    f"arn:aws:kms:e-west-1:{ACCOUNT}:key/{UUID}",
    f"arn:aws:kms:europe-west-1:{ACCOUNT}:key/{UUID}",
    f"arn:aws:kms:-west-1:{ACCOUNT}:key/{UUID}",
    f"arn:aws:kms:aws-global:{ACCOUNT}:key/{UUID}",
    f"arn:aws:kms:eu-west-{ARABIC_ONE}:{ACCOUNT}:key/{UUID}",
    # alias ARNs
    f"{ARN}:alias/",
    f"{ARN}:alias",
    f"{ARN}:Alias/team",
    f"{ARN}:alias/team key",
    f"{ARN}:alias/" + "a" * 251,
    f"{ARN}:key/alias/team",
    "arn:aws:kms:eu-west-1::alias/team",
    f"arn:aws:kms::{ACCOUNT}:alias/team",
    f"arn:aws-foo:kms:eu-west-1:{ACCOUNT}:alias/team",
]


@pytest.mark.parametrize("text", REJECTED, ids=repr)
def test_rejected(text: str) -> None:
    assert parse_key_identifier(text) == KeyIdentifier(text, KeyIdKind.MALFORMED)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("alias/" + "a" * 250, KeyIdKind.ALIAS_NAME),
        ("alias/" + "a" * 251, KeyIdKind.MALFORMED),
        (f"{ARN}:alias/" + "a" * 250, KeyIdKind.ALIAS_ARN),
        (f"{ARN}:alias/" + "a" * 251, KeyIdKind.MALFORMED),
    ],
    ids=["alias-256", "alias-257", "alias-arn-256", "alias-arn-257"],
)
def test_alias_length_limit(text: str, kind: KeyIdKind) -> None:
    """AWS limits an alias name, ``alias/`` included, to 256 characters; so does its ARN."""
    assert parse_key_identifier(text).kind is kind


_ME = Symbol.CURRENT_ACCOUNT
_PART = Symbol.CURRENT_PARTITION


@pytest.mark.parametrize(
    ("parts", "kind", "account", "partition"),
    [
        (("arn:aws:kms:eu-west-1:", _ME, f":key/{UUID}"), KeyIdKind.KEY_ARN, _ME, "aws"),
        (
            ("arn:", _PART, f":kms:eu-west-1:{ACCOUNT}:key/{UUID}"),
            KeyIdKind.KEY_ARN,
            ACCOUNT,
            _PART,
        ),
        (("arn:", _PART, ":kms:eu-west-1:", _ME, ":alias/team"), KeyIdKind.ALIAS_ARN, _ME, _PART),
        # Malformed whatever the account is: twelve digits are no key ID, no partition, and
        # a partition is no account.
        ((f"{ARN}:key/", _ME), KeyIdKind.MALFORMED, None, None),
        (("arn:", _ME, f":kms:eu-west-1:{ACCOUNT}:key/{UUID}"), KeyIdKind.MALFORMED, None, None),
        (("arn:aws:kms:eu-west-1:", _PART, f":key/{UUID}"), KeyIdKind.MALFORMED, None, None),
        (("arn:aws:kms:eu-west-1:1", _ME, f":key/{UUID}"), KeyIdKind.MALFORMED, None, None),
    ],
    ids=repr,
)
def test_symbolic(
    parts: tuple[str | Symbol, ...],
    kind: KeyIdKind,
    account: str | Symbol | None,
    partition: str | Symbol | None,
) -> None:
    """Only the account and partition fields of an ARN may be symbols."""
    parsed = parse_symbolic_key_identifier(SymbolicText(parts))
    assert parsed is not None
    assert (parsed.kind, parsed.account, parsed.partition) == (kind, account, partition)
    assert parsed.text == str(SymbolicText(parts))


@pytest.mark.parametrize(
    "parts",
    [
        # A key ID or alias we cannot spell: which identifier it is depends on the account.
        (f"{ARN}:key/mrk-", _ME, "12345678901234567890"),
        ("alias/", _ME),
        (f"{ARN}:alias/", _ME),
        ("mrk-", _ME, "12345678901234567890"),
    ],
    ids=repr,
)
def test_symbolic_undecided(parts: tuple[str | Symbol, ...]) -> None:
    assert parse_symbolic_key_identifier(SymbolicText(parts)) is None

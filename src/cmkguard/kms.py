"""The KMS vocabulary every source and the control share: key identifiers, AWS managed aliases,
key spec and usage defaults, partitions.

Key identifiers (``shared/control.md``, "Key identifiers") are classified by text alone: a key
ID, key ARN, alias name or alias ARN, or malformed. Only the ``alias/aws/`` prefix marks an AWS
managed key by its text.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

from cmkguard.values import Symbol, SymbolicText

AWS_MANAGED_ALIAS_PREFIX = "alias/aws/"
"""Aliases under this prefix are reserved for AWS managed keys (KMS rejects creating one)."""

SYMMETRIC_DEFAULT = "SYMMETRIC_DEFAULT"
"""The key spec the control requires, and KMS's default ``KeySpec``."""

ENCRYPT_DECRYPT = "ENCRYPT_DECRYPT"
"""The key usage the control requires, and KMS's default ``KeyUsage``."""

ENABLED = "Enabled"
"""The ``KeyState`` of a usable key."""

PARTITIONS = (
    "aws",
    "aws-cn",
    "aws-us-gov",
    "aws-iso",
    "aws-iso-b",
    "aws-iso-e",
    "aws-iso-f",
    "aws-eusc",
)

# Region name prefixes of the partitions other than "aws", longest first where they overlap.
_PARTITION_OF_REGION = (
    ("cn-", "aws-cn"),
    ("us-gov-", "aws-us-gov"),
    ("us-isob-", "aws-iso-b"),
    ("us-iso-", "aws-iso"),
    ("eu-isoe-", "aws-iso-e"),
    ("us-isof-", "aws-iso-f"),
    ("eusc-", "aws-eusc"),
)

_DNS_SUFFIX = {"aws": "amazonaws.com", "aws-us-gov": "amazonaws.com", "aws-cn": "amazonaws.com.cn"}


def partition_of(region: str) -> str:
    """The AWS partition a region belongs to."""
    for start, partition in _PARTITION_OF_REGION:
        if region.startswith(start):
            return partition
    return "aws"


def dns_suffix(partition: str) -> str | None:
    """The DNS suffix of a partition's endpoints, when it is one we know."""
    return _DNS_SUFFIX.get(partition)


def is_aws_managed_alias(alias: str) -> bool:
    """True when the alias name (``alias/...``) is reserved for an AWS managed key."""
    return alias.startswith(AWS_MANAGED_ALIAS_PREFIX)


_UUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
_KEY_ID = rf"(?:{_UUID}|mrk-[0-9a-fA-F]{{32}})"
# Alias names: alias/ then letters, digits, / _ - (AWS: ^[a-zA-Z0-9:/_-]+$, 1-256 chars in all).
_ALIAS = r"alias/[a-zA-Z0-9:/_-]+"
_PARTITION = "(?P<partition>" + "|".join(re.escape(p) for p in PARTITIONS) + ")"
# Region codes as botocore's partitions name them: us-east-1, us-gov-west-1, eusc-de-east-1.
_REGION = r"(?P<region>[a-z]{2,4}(?:-[a-z]+)+-\d+)"
_ACCOUNT = r"(?P<account>\d{12})"

_ALIAS_MAX = 256
# Matched with fullmatch: ``$`` would also accept a trailing newline, which no API accepts.
# ASCII: ``\d`` would otherwise take other scripts' digits for an account number.
_KEY_ID_RE = re.compile(_KEY_ID, re.ASCII)
_ALIAS_RE = re.compile(_ALIAS, re.ASCII)
_KEY_ARN_RE = re.compile(
    rf"arn:{_PARTITION}:kms:{_REGION}:{_ACCOUNT}:key/(?P<id>{_KEY_ID})", re.ASCII
)
_ALIAS_ARN_RE = re.compile(
    rf"arn:{_PARTITION}:kms:{_REGION}:{_ACCOUNT}:(?P<alias>{_ALIAS})", re.ASCII
)
_REGION_RE = re.compile(_REGION, re.ASCII)


def is_region_name(text: str) -> bool:
    """Whether ``text`` has the shape of a region code (``us-east-1``, ``eusc-de-east-1``)."""
    return _REGION_RE.fullmatch(text) is not None


class KeyIdKind(StrEnum):
    """What kind of identifier a text is."""

    KEY_ID = "key ID"
    KEY_ARN = "key ARN"
    ALIAS_NAME = "alias name"
    ALIAS_ARN = "alias ARN"
    MALFORMED = "malformed"


@dataclass(frozen=True, slots=True)
class KeyIdentifier:
    """A parsed key identifier."""

    text: str
    """The identifier exactly as supplied."""
    kind: KeyIdKind
    """Which form of the grammar it matched."""
    region: str | None = None
    """Region named in an ARN; ``None`` for key IDs and alias names (the caller's region)."""
    account: str | Symbol | None = None
    """Account named in an ARN: its number, or ``Symbol.CURRENT_ACCOUNT`` for an ARN built from
    the deploying account (``data.aws_caller_identity``)."""
    partition: str | Symbol | None = None
    """Partition named in an ARN, or ``Symbol.CURRENT_PARTITION``."""
    key_id: str | None = None
    """The bare key ID of a key ID or key ARN."""
    alias: str | None = None
    """The alias name (``alias/...``) of an alias name or alias ARN."""

    @property
    def is_aws_managed_alias(self) -> bool:
        """True when the text itself says the key is AWS managed (``alias/aws/...``)."""
        return self.alias is not None and is_aws_managed_alias(self.alias)

    @property
    def is_malformed(self) -> bool:
        """True when the text matches none of the four forms."""
        return self.kind is KeyIdKind.MALFORMED


def parse_key_identifier(text: str) -> KeyIdentifier:
    """Classify ``text`` by the key identifier grammar. Never raises."""
    if _KEY_ID_RE.fullmatch(text):
        return KeyIdentifier(text, KeyIdKind.KEY_ID, key_id=text)
    if _ALIAS_RE.fullmatch(text) and len(text) <= _ALIAS_MAX:
        return KeyIdentifier(text, KeyIdKind.ALIAS_NAME, alias=text)
    if m := _KEY_ARN_RE.fullmatch(text):
        return KeyIdentifier(
            text,
            KeyIdKind.KEY_ARN,
            region=m["region"],
            account=m["account"],
            partition=m["partition"],
            key_id=m["id"],
        )
    if (m := _ALIAS_ARN_RE.fullmatch(text)) and len(m["alias"]) <= _ALIAS_MAX:
        return KeyIdentifier(
            text,
            KeyIdKind.ALIAS_ARN,
            region=m["region"],
            account=m["account"],
            partition=m["partition"],
            alias=m["alias"],
        )
    return KeyIdentifier(text, KeyIdKind.MALFORMED)


# What a symbol may stand for, for classifying text with symbols: the grammar above treats every
# digit alike (an account is twelve of them), and every partition name alike where a partition
# may stand, so classifying with these stand-ins gives the class of every value the symbol has.
_STAND_INS: dict[Symbol, tuple[str, ...]] = {
    Symbol.CURRENT_ACCOUNT: ("000000000000",),
    Symbol.CURRENT_PARTITION: PARTITIONS,
}
# The ARN fields (split at ``:``) a symbol may fill on its own: partition and account.
_SYMBOL_FIELDS = {1: Symbol.CURRENT_PARTITION, 4: Symbol.CURRENT_ACCOUNT}


def parse_symbolic_key_identifier(text: SymbolicText) -> KeyIdentifier | None:
    """Classify text with symbols in it (``arn:aws:kms:us-east-1:`` + the current account +
    ``:key/ID``), or ``None`` when which identifier it is depends on what the symbols stand for.

    A key or alias ARN whose account field is the current account, or whose partition field is
    the current partition, is that ARN, with the symbol as its account or partition. Text that
    is malformed whatever the symbols stand for is malformed (the current account spliced into
    the key ID part). Any other place of a symbol is undecided."""
    kinds = {parse_key_identifier(plain).kind for plain in _spellings(text.parts)}
    if kinds == {KeyIdKind.MALFORMED}:
        return KeyIdentifier(str(text), KeyIdKind.MALFORMED)
    if len(kinds) != 1 or kinds & {KeyIdKind.KEY_ID, KeyIdKind.ALIAS_NAME}:
        return None
    fields = text.fields()
    symbols = {i: f for i, f in enumerate(fields) if any(isinstance(p, Symbol) for p in f)}
    if any(f != (_SYMBOL_FIELDS.get(i),) for i, f in symbols.items()):
        return None
    # Parse with the stand-ins, then put the symbols back where they stood.
    parsed = parse_key_identifier(next(iter(_spellings(text.parts))))
    return replace(
        parsed,
        text=str(text),
        partition=Symbol.CURRENT_PARTITION if 1 in symbols else parsed.partition,
        account=Symbol.CURRENT_ACCOUNT if 4 in symbols else parsed.account,
    )


def _spellings(parts: Sequence[str | Symbol]) -> Iterator[str]:
    """The text with each symbol spelled by each of its stand-ins (one symbol, one value)."""
    symbols = list(dict.fromkeys(p for p in parts if isinstance(p, Symbol)))
    for values in itertools.product(*(_STAND_INS[s] for s in symbols)):
        chosen = dict(zip(symbols, values, strict=True))
        yield "".join(p if isinstance(p, str) else chosen[p] for p in parts)


_ROLE_ARN = re.compile(r"arn:[a-z0-9-]+:iam::(?P<account>\d{12}):role/.+")


def role_account(arn: str) -> str | None:
    """The account of an IAM role ARN, or ``None`` for any other text. A notebook runs in its
    role's account: ``iam:PassRole`` works only within an account."""
    m = _ROLE_ARN.fullmatch(arn)
    return m["account"] if m is not None else None

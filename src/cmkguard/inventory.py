"""The frozen model every source yields: notebooks and the keys they point at.

Sources fill it from Terraform source, plan/state JSON or live API calls; the control judges it.
Nothing here decides a verdict.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from cmkguard.values import Data, Symbol, SymbolicText, Trail, Value


class InputKind(StrEnum):
    """Which kind of input an inventory (and so a finding) was made from."""

    TERRAFORM = "terraform"
    CLOUDFORMATION = "cloudformation"
    PLAN = "plan"
    STATE = "state"
    LIVE = "live"


class KeyManager(StrEnum):
    """Who manages a KMS key (``DescribeKey`` ``KeyManager``)."""

    CUSTOMER = "CUSTOMER"
    AWS = "AWS"


@dataclass(frozen=True, slots=True)
class SourceLocation:
    """Where a finding's subject is written in a scanned file."""

    file: str
    """Path relative to the scanned root, with ``/`` separators; a file outside it, in the
    repository holding it, starts with ``../`` (a local module called as ``../..``)."""
    line: int
    """1-based line of the resource block (or of the attribute that matters)."""


@dataclass(frozen=True, slots=True)
class LiveLocation:
    """Where a live resource lives."""

    account: str
    """12-digit account ID."""
    region: str
    """AWS region."""
    arn: str
    """The resource ARN."""


Location = SourceLocation | LiveLocation


@dataclass(frozen=True, slots=True)
class Key:
    """A KMS key as far as the input describes it (a Terraform key resource, a planned key, or
    ``DescribeKey`` + ``GetKeyPolicy``). Each property is ``Known`` or ``Unknown`` on its own."""

    label: str
    """How to name the key to a person: a Terraform address or a key ARN."""
    manager: Value[KeyManager]
    """Customer or AWS managed."""
    region: Value[str]
    """The region the key lives in."""
    arn: Value[str]
    """The key ARN (unknown before apply for keys created by the configuration)."""
    spec: Value[str]
    """``KeySpec`` / ``customer_master_key_spec``; ``SYMMETRIC_DEFAULT`` when unset."""
    usage: Value[str]
    """``KeyUsage`` / ``key_usage``; ``ENCRYPT_DECRYPT`` when unset."""
    state: Value[str]
    """``KeyState``: ``Enabled``, ``Disabled``, ``PendingDeletion``, ... (``is_enabled`` maps to
    ``Enabled``/``Disabled``)."""
    rotation: Value[bool]
    """Whether automatic rotation is on; ``Unknown`` when the input does not say (live mode)."""
    policy: Value[Data]
    """The effective key policy document (parsed JSON, possibly with ``Ref``/``Unknown`` parts).
    ``Known(None)`` means the AWS default key policy."""
    policy_trail: Trail = ()
    """Where the effective policy came from (``policy`` argument, ``aws_kms_key_policy`` ...)."""
    location: SourceLocation | None = None
    """Where the key is defined, for source inputs."""


class KeyVia(StrEnum):
    """How ``kms_key_id`` reaches the key."""

    LITERAL = "literal"
    """A literal identifier (possibly built by interpolation)."""
    RESOURCE = "resource"
    """A key resource in the scanned input."""
    ALIAS = "alias"
    """An alias resource in the scanned input."""
    DATA_SOURCE = "data source"
    """A ``data "aws_kms_key"`` / ``data "aws_kms_alias"`` lookup."""
    API = "api"
    """A live ``DescribeKey``."""


@dataclass(frozen=True, slots=True)
class KeyRef:
    """What a notebook's ``kms_key_id`` resolves to, when it is set."""

    via: KeyVia
    """How the setting reaches the key."""
    text: Value[str | SymbolicText]
    """The identifier text: the literal value, the alias name of an alias resource, or the
    ``key_id``/``name`` a data source looks up. ``""`` is an empty setting. ``Unknown`` when the
    text is only known after apply (e.g. ``aws_kms_key.k.arn``). Text with symbols when it is
    built from the deploying account or partition (a key ARN in the current account)."""
    key: Key | None = None
    """The key, when the input describes it; ``None`` for keys defined outside the input."""
    alias_name: Value[str] | None = None
    """For ``KeyVia.ALIAS``: the alias name (``alias/...``) of the alias resource."""
    unmatched_alias: str | None = None
    """The alias resource an alias name was built from when the name matches no alias of the
    configuration (``"alias/${aws_kms_alias.a.name}"`` gives ``alias/alias/x``): a name that
    most likely names no key at all."""


@dataclass(frozen=True, slots=True)
class Replacement:
    """The plan replaces the notebook because of ``kms_key_id`` (its local volume is lost)."""

    actions: tuple[str, ...]
    """The plan actions, e.g. ``("delete", "create")``."""
    lifecycle_config: Value[str | None]
    """The notebook's lifecycle configuration name (``Known(None)`` when it has none)."""


@dataclass(frozen=True, slots=True)
class Notebook:
    """One SageMaker notebook instance (one expanded ``count``/``for_each`` instance)."""

    address: str
    """Terraform address (``module.a.aws_sagemaker_notebook_instance.n["k"]``) or notebook ARN."""
    location: Location
    """Where it is written (source) or lives (live)."""
    region: Value[str]
    """The notebook's region."""
    account: Value[str | Symbol]
    """The owning account: an account ID, or (static sources) ``Symbol.CURRENT_ACCOUNT`` when it is
    the account the configuration is applied with."""
    kms_key: Value[KeyRef | None]
    """``Known(None)`` when ``kms_key_id`` is absent or null; ``Unknown`` when unresolvable."""
    role: Value[Data]
    """``role_arn``: an ARN string or a ``Ref`` to a role in the input."""
    replacement: Replacement | None = None
    """Set when a plan replaces the notebook because of ``kms_key_id``."""
    extra_trail: Trail = ()
    """Context steps for the evidence chain (e.g. plan ``resource_changes`` entry)."""
    root_module: str | None = None
    """Terraform source: the root module directory (relative to the scanned root, ``.`` for the
    root itself) whose evaluation produced this instance. Two roots calling one shared module
    give findings with the same address and file; this tells them apart."""


@dataclass(frozen=True, slots=True)
class Inventory:
    """Everything one source found."""

    notebooks: tuple[Notebook, ...] = ()
    """Every notebook found, in input order."""

"""What Terraform's AWS provider decides that the configuration can see statically: a
resource's region and account, and the data sources whose values follow from the
configuration (``aws_caller_identity``, ``aws_region``, ``aws_partition``,
``aws_iam_policy_document``).

The region comes from the resource's own ``region`` argument (provider v6), else its provider
configuration, else, as the provider does, ``AWS_REGION``/``AWS_DEFAULT_REGION`` or the scan's
``--region`` (``environment.TerraformEnvironment``). The account is the
provider's single ``allowed_account_ids`` entry, else the current account, a symbol — but only
for a provider configuration that uses the configuration's own credentials: one that sets
credentials of its own (``assume_role``, ``profile``, keys, ...) unlike the root's default
``aws`` configuration may act in another account, so its account is unknown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cmkguard.kms import dns_suffix, partition_of
from cmkguard.sources.terraform.ast import Block
from cmkguard.sources.terraform.evaluated import ResourceInstance, data_of, prefix
from cmkguard.sources.terraform.modules import (
    ModuleInstance,
    ProviderConfig,
    Scope,
    find_provider,
)
from cmkguard.values import Data, Known, Ref, Step, Symbol, SymbolicText, Unknown, Value

if TYPE_CHECKING:
    from cmkguard.sources.terraform.expressions import Evaluator

NO_REGION = "has no region, and neither AWS_REGION, AWS_DEFAULT_REGION nor --region is set"


def configured_region(ev: Evaluator, provider: ProviderConfig) -> Value[str]:
    """The ``region`` a provider configuration sets."""
    no_region: Value[str] = ev.default_region or Unknown(f"{provider.label} {NO_REGION}")
    if provider.block is None:
        return no_region
    attr = provider.block.body.attributes.get("region")
    if attr is None:
        return no_region
    label = f"{provider.label} region"
    scope = Scope(provider.module, provider.block.file)
    value = prefix(ev.value(attr.expr, scope), Step(label, scope.file, attr.line))
    return _string(value, label, no_region)


def _string(value: Value[Data], what: str, if_null: Value[str]) -> Value[str]:
    data = data_of(value)
    if data is None:
        return if_null
    if isinstance(data, Unknown):
        return data
    if isinstance(data, Ref):
        return Unknown(f"{data} is known only after apply", value.trail)
    if isinstance(data, str):
        return Known(str(data), value.trail)
    return Unknown(f"{what} is not a string", value.trail)


def resource_region(
    ev: Evaluator, module: ModuleInstance, block: Block, scope: Scope
) -> Value[str]:
    """The region of a resource: its own ``region`` argument (AWS provider v6), else its
    provider configuration's."""
    provider_region = ev.provider_region(ev.provider(module, block))
    value = ev.attribute(block.body, "region", scope)
    if value is None:
        return provider_region
    return _string(value, f"region of {block.labels[0]}.{block.labels[1]}", provider_region)


def account(ev: Evaluator, module: ModuleInstance, block: Block) -> Value[str | Symbol]:
    """The account a resource is created in (see ``provider_account``)."""
    return provider_account(ev, ev.provider(module, block))


CREDENTIAL_SETTINGS = (
    "assume_role",
    "assume_role_with_web_identity",
    "profile",
    "access_key",
    "secret_key",
    "token",
    "shared_credentials_files",
    "shared_credentials_file",
    "shared_config_files",
)
"""Provider arguments and blocks that choose credentials, and so possibly another account."""


def provider_account(ev: Evaluator, provider: ProviderConfig | Unknown) -> Value[str | Symbol]:
    """The account a provider configuration acts in: its single ``allowed_account_ids`` entry,
    else the current account when it uses the configuration's own credentials, else unknown."""
    if isinstance(provider, Unknown):
        return provider
    pinned = _allowed_account(ev, provider)
    if pinned is not None:
        return pinned
    setting = _foreign_credentials(provider)
    if setting is None:
        return Known(Symbol.CURRENT_ACCOUNT)
    return Unknown(
        f"{provider.label} sets {setting} unlike the root module's default aws provider, so it "
        "may act in another account; allowed_account_ids with one account would name it"
    )


def _allowed_account(ev: Evaluator, provider: ProviderConfig) -> Known[str] | None:
    if provider.block is None:
        return None
    scope = Scope(provider.module, provider.block.file)
    value = ev.attribute(provider.block.body, "allowed_account_ids", scope)
    if isinstance(value, Known) and isinstance(value.value, list) and len(value.value) == 1:
        only = value.value[0]
        if isinstance(only, str):
            return Known(only, value.trail)
    return None


def _credentials_setting(provider: ProviderConfig) -> str | None:
    """The first credentials argument or block a provider configuration writes, if any."""
    if provider.block is None:
        return None
    body = provider.block.body
    for name in CREDENTIAL_SETTINGS:
        if name in body.attributes or body.blocks_of_type(name):
            return name
    return None


def _foreign_credentials(provider: ProviderConfig) -> str | None:
    """The setting that may put ``provider`` in another account than the root's default ``aws``
    configuration (whose account the current-account symbol stands for); ``None`` when both
    are the same configuration or neither chooses credentials."""
    root = provider.module
    while root.parent is not None:
        root = root.parent
    main = find_provider(root, "aws")
    if isinstance(main, ProviderConfig) and (main.module.address, main.key) == (
        provider.module.address,
        provider.key,
    ):
        return None
    own = _credentials_setting(provider)
    if own is not None:
        return own
    if isinstance(main, ProviderConfig):
        other = _credentials_setting(main)
        if other is not None:
            return f"no credentials of its own while the default aws provider sets {other}"
    return None


def _caller_account(account: Value[str | Symbol]) -> Value[Data]:
    """``aws_caller_identity.account_id``: its provider's account, a symbol kept in text."""
    if isinstance(account, Unknown):
        return account
    if isinstance(account.value, Symbol):
        return Known(SymbolicText((account.value,)), account.trail)
    return Known(account.value, account.trail)


def _as_data(value: Value[str]) -> Value[Data]:
    if isinstance(value, Known):
        return Known(value.value, value.trail)
    return value


def data_attribute(ev: Evaluator, resource: ResourceInstance, name: str) -> Value[Data] | None:
    """Attributes of data sources whose value the configuration determines; ``None`` for the
    rest (they are known only after apply)."""
    rtype = resource.type
    body = resource.block.body
    if rtype == "aws_caller_identity" and name in ("account_id", "id"):
        return _caller_account(ev.account(resource.module, resource.block))
    if rtype == "aws_region" and name in ("name", "region", "id"):
        for arg in ("region", "name"):
            if arg in body.attributes:
                return ev.evaluate(body.attributes[arg].expr, resource.scope)
        return _as_data(ev.region(resource.module, resource.block, resource.scope))
    if rtype == "aws_partition" and name in ("partition", "dns_suffix", "id"):
        region = ev.region(resource.module, resource.block, resource.scope)
        if isinstance(region, Unknown):
            return Unknown(f"the partition depends on the region: {region.why}", region.trail)
        partition = partition_of(region.value)
        if name == "dns_suffix":
            suffix = dns_suffix(partition)
            return Known(suffix, region.trail) if suffix is not None else None
        return Known(partition, region.trail)
    if rtype == "aws_iam_policy_document" and name in ("json", "minified_json"):
        return ev.policy_document(resource)
    return None

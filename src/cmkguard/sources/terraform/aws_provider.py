"""What Terraform's AWS provider decides that the configuration can see statically: a
resource's region and account, and the data sources whose values follow from the
configuration (``aws_caller_identity``, ``aws_region``, ``aws_partition``,
``aws_iam_policy_document``).

The region comes from the resource's own ``region`` argument (provider v6), else its provider
configuration, else, as the provider does, ``AWS_REGION``/``AWS_DEFAULT_REGION`` or the scan's
``--region`` (``environment.TerraformEnvironment``). The account is the
provider's single ``allowed_account_ids`` entry, else the current account, a symbol.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cmkguard.kms import dns_suffix, partition_of
from cmkguard.sources.terraform.ast import Block
from cmkguard.sources.terraform.evaluated import ResourceInstance, data_of, prefix
from cmkguard.sources.terraform.modules import ModuleInstance, ProviderConfig, Scope
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
    """The account a resource is created in: the provider's single ``allowed_account_ids``
    entry, else the current account (a symbolic known value)."""
    provider = ev.provider(module, block)
    if isinstance(provider, ProviderConfig) and provider.block is not None:
        scope = Scope(provider.module, provider.block.file)
        value = ev.attribute(provider.block.body, "allowed_account_ids", scope)
        if isinstance(value, Known) and isinstance(value.value, list) and len(value.value) == 1:
            only = value.value[0]
            if isinstance(only, str):
                return Known(only, value.trail)
    return Known(Symbol.CURRENT_ACCOUNT)


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
        return Known(SymbolicText((Symbol.CURRENT_ACCOUNT,)))
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

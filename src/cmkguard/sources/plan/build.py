"""Plan/state document → ``Inventory``: notebooks with their regions, roles and keys.

The values come from ``resource_changes[].change.after`` (plans) or ``values`` (state). When
``kms_key_id`` is known only after apply, or is known but came from a key, alias or data source,
the ``configuration`` expression says where it came from; that provenance decides what the key
is (a known ARN of an AWS managed key looked up by ``data.aws_kms_alias`` is not a literal).
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from cmkguard.address import Address, parse_module
from cmkguard.inventory import (
    Inventory,
    Key,
    KeyManager,
    KeyRef,
    KeyVia,
    Notebook,
    Replacement,
    SourceLocation,
)
from cmkguard.kms import ENABLED, ENCRYPT_DECRYPT, SYMMETRIC_DEFAULT, parse_key_identifier
from cmkguard.sources import kms_resources as tfkms
from cmkguard.sources.plan.document import DocumentKind
from cmkguard.sources.plan.lines import LineIndex
from cmkguard.sources.plan.model import ModuleInstance, PlanIndex, Resource, as_object
from cmkguard.sources.plan.references import Attr, Const, Dead, Resolver, Target
from cmkguard.subject import KEY_ARGUMENT, LIFECYCLE_ARGUMENT, NOTEBOOK_TYPE, ROLE_ARGUMENT
from cmkguard.values import Data, Known, Ref, Step, Symbol, Unknown, Value

REPLACE_ACTIONS = (("delete", "create"), ("create", "delete"))


class Builder:
    """Builds the inventory of one indexed document."""

    def __init__(
        self,
        index: PlanIndex,
        display_path: str,
        source_locations: Mapping[str, SourceLocation] | None,
        source_policies: Mapping[str, Value[Data]] | None = None,
    ) -> None:
        self.index = index
        self.path = display_path
        self.locations = source_locations or {}
        self.source_policies = source_policies or {}
        self.resolver = Resolver(index)
        self.is_plan = index.kind is DocumentKind.PLAN
        self._accounts: dict[str, set[str]] | None = None
        # Built once: per-notebook searches of the whole document made large states quadratic.
        self._lines = LineIndex(index.document)
        self._identified = _identifier_index(index.resources.values())
        self._key_policies = [
            r
            for r in index.resources.values()
            if r.address.type == tfkms.KEY_POLICY and r.address.mode == "managed"
        ]
        self._keys: dict[str, Key] = {}

    # -- notebooks -------------------------------------------------------------------------

    def inventory(self) -> Inventory:
        """Every notebook the document will have (plans) or has (state)."""
        notebooks = []
        for resource in self.index.resources.values():
            address = resource.address
            if address.mode != "managed" or address.type != NOTEBOOK_TYPE or resource.being_deleted:
                continue
            notebooks.append(self.notebook(resource))
        return Inventory(tuple(notebooks))

    def notebook(self, resource: Resource) -> Notebook:
        """One notebook instance."""
        location = self.location(resource.address)
        trail: tuple[Step, ...] = ()
        if resource.actions:
            why = ", ".join((*resource.actions, *filter(None, [resource.action_reason])))
            trail = (
                Step(
                    f"plan: {resource.address} ({why})",
                    location.file,
                    location.line,
                ),
            )
        return Notebook(
            address=str(resource.address),
            location=location,
            region=self.region(resource, "arn"),
            account=self.account(resource),
            kms_key=self.kms_key(resource),
            role=self.role(resource),
            replacement=self.replacement(resource),
            extra_trail=trail,
        )

    def location(self, address: Address) -> SourceLocation:
        """Source ``file:line`` when the tree was scanned with the plan, else the JSON line."""
        text = str(address)
        # Source scans name a resource once however many instances it expands to.
        unkeyed = replace(address, key=None)
        bare = replace(unkeyed, module=tuple((n, None) for n, _ in address.module))
        for candidate in (text, str(unkeyed), str(bare)):
            if candidate in self.locations:
                return self.locations[candidate]
        line = self._lines.address_line(text) or self._lines.type_name_line(
            address.type, address.name
        )
        return SourceLocation(self.path, line or 1)

    def replacement(self, resource: Resource) -> Replacement | None:
        """Set when the plan replaces the notebook because ``kms_key_id`` changes."""
        if resource.actions not in REPLACE_ACTIONS or (KEY_ARGUMENT,) not in resource.replace_paths:
            return None
        config: Value[str | None]
        if resource.is_unknown(LIFECYCLE_ARGUMENT):
            config = Unknown(f"{LIFECYCLE_ARGUMENT} is known only after apply")
        else:
            name = resource.values.get(LIFECYCLE_ARGUMENT)
            config = Known(name if isinstance(name, str) and name else None)
        return Replacement(resource.actions, config)

    def role(self, resource: Resource) -> Value[Data]:
        """``role_arn``: the ARN when known, else a ``Ref`` to the role it comes from."""
        if not resource.is_unknown(ROLE_ARGUMENT):
            value = resource.values.get(ROLE_ARGUMENT)
            if isinstance(value, str):
                return Known(value)
            return Unknown(f"{ROLE_ARGUMENT} is not set")
        for target in self.targets(resource, ROLE_ARGUMENT):
            if isinstance(target, Attr) and target.attribute is not None:
                return Known(Ref(str(target.resource.address), target.attribute))
        return Unknown(f"{resource.address}.{ROLE_ARGUMENT} is known only after apply")

    # -- kms_key_id --------------------------------------------------------------------------

    def kms_key(self, resource: Resource) -> Value[KeyRef | None]:
        """What ``kms_key_id`` resolves to."""
        config = self.index.resource_config(resource.address)
        expressions = as_object(config.get("expressions")) if config else {}
        written = KEY_ARGUMENT in expressions
        if not resource.is_unknown(KEY_ARGUMENT):
            value = resource.values.get(KEY_ARGUMENT)
            if value is None or (value == "" and not written):
                # The provider keeps an unset kms_key_id as "" in state (and in plans, for
                # existing notebooks); only a configuration that writes it makes "" deliberate.
                # State has no configuration, so its "" is "not set", as live mode sees it.
                return Known(None)
            if not isinstance(value, str):
                return Unknown(f"kms_key_id is not a string: {json.dumps(value)}")
            if value == "":
                return Known(KeyRef(KeyVia.LITERAL, Known("")))
            return self.known_key(resource, value, written)
        if not written:
            return Unknown(
                f"{resource.address}.kms_key_id is known only after apply and the plan has no "
                "configuration for it"
            )
        return self.unknown_key(resource)

    def targets(self, resource: Resource, attribute: str) -> list[Target]:
        """What the configuration expression of ``attribute`` refers to."""
        config = self.index.resource_config(resource.address)
        if config is None:
            return []
        expr = as_object(config.get("expressions")).get(attribute)
        if expr is None:
            return []
        return self.resolver.expression(expr, resource.address.module)

    def known_key(self, resource: Resource, value: str, written: bool) -> Value[KeyRef | None]:
        """A known ``kms_key_id``: its provenance from the configuration, else the value."""
        if written:
            for target in self.targets(resource, KEY_ARGUMENT):
                if isinstance(target, Attr):
                    known, attr_value = target.known()
                    if known and attr_value == value:
                        ref = self.key_ref(target.resource, Known(value))
                        if ref is not None:
                            return self.with_trail(ref, target.trail)
        for candidate in self._identified.get(value, ()):
            ref = self.key_ref(candidate, Known(value))
            if ref is not None:
                return self.with_trail(ref, (f"{value} = {candidate.address}",))
        return Known(
            KeyRef(
                KeyVia.LITERAL,
                Known(value),
                unmatched_alias=self._alias_source(resource, value) if written else None,
            )
        )

    def _alias_source(self, resource: Resource, value: str) -> str | None:
        """The alias resource a known alias name was built from when no alias of the document
        has that name (``"alias/${aws_kms_alias.a.name}"`` is ``alias/alias/x``)."""
        named = parse_key_identifier(value)
        if named.alias is None or named.is_aws_managed_alias:
            return None
        for target in self.targets(resource, KEY_ARGUMENT):
            address = target.resource.address if isinstance(target, Attr) else None
            if address is not None and address.mode == "managed" and address.type == tfkms.ALIAS:
                return str(address)
        return None

    def unknown_key(self, resource: Resource) -> Value[KeyRef | None]:
        """``kms_key_id`` known only after apply: follow the configuration to what makes it."""
        targets = self.targets(resource, KEY_ARGUMENT)
        pending: dict[str, Attr] = {}
        dead: list[str] = []
        for target in targets:
            if isinstance(target, Dead):
                dead.append(target.why)
            elif isinstance(target, Attr) and not target.known()[0]:
                pending.setdefault(str(target.resource.address), target)
        where = f"{resource.address}.kms_key_id is known only after apply"
        if dead:
            return Unknown(f"{where}; {'; '.join(dead)}")
        if len(pending) > 1:
            return Unknown(f"{where} and depends on several resources: {', '.join(pending)}")
        if not pending:
            return Unknown(f"{where}; the configuration does not say where it comes from")
        target = next(iter(pending.values()))
        text: Value[str] = Unknown(
            f"{target.resource.address}.{target.attribute or 'id'} is known only after apply"
        )
        ref = self.key_ref(target.resource, text)
        if ref is None:
            return Unknown(f"{where}; it comes from {target.resource.address}, not a KMS key")
        return self.with_trail(ref, target.trail)

    def key_ref(self, resource: Resource, text: Value[str]) -> Value[KeyRef | None] | None:
        """The key reference a key, alias or KMS data source gives; ``None`` for other types."""
        address = resource.address
        if address.mode == "managed" and address.type in tfkms.KEY_TYPES:
            return Known(KeyRef(KeyVia.RESOURCE, text, self.key(resource)))
        if address.mode == "managed" and address.type == tfkms.ALIAS:
            name = self.value(resource, "name")
            return Known(KeyRef(KeyVia.ALIAS, name, self.alias_target(resource), alias_name=name))
        if address.mode == "data" and address.type == tfkms.ALIAS:
            name = self.data_argument(resource, "name")
            if isinstance(name, Unknown):
                return self.deferred_lookup(resource, "name", name)
            return Known(KeyRef(KeyVia.DATA_SOURCE, name, alias_name=name))
        if address.mode == "data" and address.type == tfkms.KEY:
            key_id = self.data_argument(resource, "key_id")
            if isinstance(key_id, Unknown):
                return self.deferred_lookup(resource, "key_id", key_id)
            return Known(KeyRef(KeyVia.DATA_SOURCE, key_id, self.data_key(resource)))
        return None

    def deferred_lookup(
        self, resource: Resource, argument: str, missing: Unknown
    ) -> Value[KeyRef | None] | None:
        """A data source whose lookup argument is known only after apply: when the argument
        comes from a key or alias in the same plan, the data source reads that key."""
        for target in self.targets(resource, argument):
            if isinstance(target, Attr) and target.resource is not resource:
                found = self.key_ref(target.resource, missing)
                if found is not None:
                    return self.with_trail(found, (str(resource.address), *target.trail))
        return Unknown(f"{resource.address} is read only after apply: {missing.why}")

    def data_argument(self, resource: Resource, argument: str) -> Value[str]:
        """A data source's lookup argument: read value, planned value or configured constant."""
        value = resource.values.get(argument)
        if isinstance(value, str) and not resource.is_unknown(argument):
            return Known(value)
        for target in self.targets(resource, argument):
            if isinstance(target, Const) and isinstance(target.value, str):
                return Known(target.value)
        return Unknown(f"{resource.address}.{argument} is known only after apply")

    def data_key(self, resource: Resource) -> Key | None:
        """The key a ``data "aws_kms_key"`` read during planning describes.

        The data source carries the manager, state, spec and usage but not the key policy. When
        those facts already fail the key, the key is returned so that the control says why;
        otherwise ``None``: like a lookup in source, the key was not fully verified (the control
        warns ``key-properties-unverified``) rather than unknown.
        """
        values = resource.values
        if "key_manager" not in values:
            return None
        key = Key(
            label=str(resource.address),
            manager=_manager(values.get("key_manager")),
            region=self.region(resource, "arn"),
            arn=self.value(resource, "arn"),
            spec=_text_or(values.get("customer_master_key_spec") or values.get("key_spec"), None),
            usage=_text_or(values.get("key_usage"), None),
            state=_text_or(values.get("key_state"), None),
            rotation=Unknown(f"{resource.address} does not read the rotation status"),
            policy=Unknown(f"{resource.address} does not read the key policy"),
            location=self.location(resource.address),
        )
        fails = (
            key.manager == Known(KeyManager.AWS)
            or _differs(key.spec, SYMMETRIC_DEFAULT)
            or _differs(key.usage, ENCRYPT_DECRYPT)
            or _differs(key.state, ENABLED)
        )
        return key if fails else None

    def alias_target(self, alias: Resource) -> Key | None:
        """The key an ``aws_kms_alias`` resource points at, when the document has it."""
        target = alias.values.get("target_key_id")
        if isinstance(target, str) and not alias.is_unknown("target_key_id"):
            for candidate in self._identified.get(target, ()):
                if candidate.address.type in tfkms.KEY_TYPES:
                    return self.key(candidate)
        for found in self.targets(alias, "target_key_id"):
            if isinstance(found, Attr) and found.resource.address.type in tfkms.KEY_TYPES:
                return self.key(found.resource)
        return None

    def with_trail(self, ref: Value[KeyRef | None], labels: Sequence[str]) -> Value[KeyRef | None]:
        """Prefix the references followed to ``ref``'s evidence, with the location of each
        resource among them."""
        steps = []
        for label in labels:
            resource = self.index.resources.get(label)
            if resource is None:
                steps.append(Step(label))
            else:
                loc = self.location(resource.address)
                steps.append(Step(label, loc.file, loc.line))
        if isinstance(ref, Known):
            return Known(ref.value, (*steps, *ref.trail))
        return Unknown(ref.why, (*steps, *ref.trail))

    # -- keys ----------------------------------------------------------------------------------

    def key(self, resource: Resource) -> Key:
        """A planned or recorded key resource (built once, however many notebooks use it)."""
        label = str(resource.address)
        if label not in self._keys:
            self._keys[label] = self._build_key(resource)
        return self._keys[label]

    def _build_key(self, resource: Resource) -> Key:
        policy, policy_trail = self.policy(resource)
        if isinstance(policy, Unknown):
            policy, policy_trail = self.source_policy(resource, policy, policy_trail)
        spec: Value[str]
        usage: Value[str]
        rotation: Value[bool]
        if resource.address.type == tfkms.REPLICA_KEY:
            spec, usage, rotation = self.primary_properties(resource)
        else:
            spec_attr = tfkms.spec_argument(resource.address.type)
            spec = self.defaulted(resource, spec_attr, tfkms.SPEC_DEFAULT)
            usage = self.defaulted(resource, tfkms.USAGE_ARGUMENT, tfkms.USAGE_DEFAULT)
            rotation = self.rotation(resource)
        return Key(
            label=str(resource.address),
            manager=Known(KeyManager.CUSTOMER),
            region=self.region(resource, "arn"),
            arn=self.value(resource, "arn"),
            spec=spec,
            usage=usage,
            state=self.key_state(resource),
            rotation=rotation,
            policy=policy,
            policy_trail=policy_trail,
            location=self.location(resource.address),
        )

    def rotation(self, resource: Resource) -> Value[bool]:
        """Automatic rotation of a key with material of its own making."""
        if resource.address.type != tfkms.KEY:
            return Unknown(f"{resource.address} has no rotation setting of its own")
        if resource.is_unknown(tfkms.ROTATION_ARGUMENT):
            why = f"{resource.address}.{tfkms.ROTATION_ARGUMENT} is known only after apply"
            return Unknown(why)
        return Known(resource.values.get(tfkms.ROTATION_ARGUMENT) is True)

    def primary_properties(self, replica: Resource) -> tuple[Value[str], Value[str], Value[bool]]:
        """Spec, usage and rotation of a replica key: its primary key's, as KMS shares them."""
        primary = self.primary(replica)
        if isinstance(primary, Key):
            return primary.spec, primary.usage, primary.rotation
        why = f"a replica key has its primary key's properties: {primary.why}"
        return Unknown(why), Unknown(why), Unknown(why)

    def primary(self, replica: Resource) -> Key | Unknown:
        """The primary key of a replica key, when the document has it."""
        argument = tfkms.PRIMARY_ARGUMENT
        arn = replica.values.get(argument)
        if isinstance(arn, str) and not replica.is_unknown(argument):
            for candidate in self._identified.get(arn, ()):
                address = candidate.address
                if address.type == tfkms.KEY and address.mode == "managed":
                    return self.key(candidate)
        for target in self.targets(replica, argument):
            if not isinstance(target, Attr):
                continue
            address = target.resource.address
            if address.type == tfkms.KEY and address.mode == "managed":
                return self.key(target.resource)
        return Unknown(f"the primary key of {replica.address} is not in the {self.index.kind}")

    def key_state(self, resource: Resource) -> Value[str]:
        """A key resource's ``KeyState`` as the provider leaves it."""
        address = resource.address
        material = tfkms.KEY_MATERIAL_ARGUMENT
        if (
            address.type == tfkms.EXTERNAL_KEY
            and not resource.is_unknown(material)
            and not resource.values.get(material)
        ):
            # Without key material an external key waits in PendingImport and cannot be used.
            step = Step(f"{address} has no {material}: {tfkms.PENDING_IMPORT}")
            return Known(tfkms.PENDING_IMPORT, (step,))
        enabled = tfkms.enabled_argument(address.type)
        if resource.is_unknown(enabled):
            return Unknown(f"{address}.{enabled} is known only after apply")
        return Known(tfkms.state_of(resource.values.get(enabled) is not False))

    def source_policy(
        self, key: Resource, policy: Unknown, trail: tuple[Step, ...]
    ) -> tuple[Value[Data], tuple[Step, ...]]:
        """A policy the plan knows only after apply, as the source tree scanned in the same run
        evaluates it for the same key address.

        Terraform's JSON keeps only the references of a ``policy`` expression, so a policy that
        names a role created in the same plan is unknown here; the source evaluator follows the
        same expression to symbolic references (``aws_iam_role.x.arn``) that the plan's
        notebook role matches.
        """
        found = self.source_policies.get(str(key.address))
        if not isinstance(found, Known):
            return policy, trail
        steps = found.trail or (Step(f"{key.address}.policy in the source tree"),)
        return found, (*trail, *steps)

    def policy(self, key: Resource) -> tuple[Value[Data], tuple[Step, ...]]:
        """The effective key policy: a standalone ``aws_kms_key_policy`` for the key wins over
        the key's ``policy``; neither written means the AWS default key policy."""
        for candidate in self._key_policies:
            if candidate.being_deleted or not self.policy_targets(candidate, key):
                continue
            loc = self.location(candidate.address)
            step = Step(str(candidate.address), loc.file, loc.line)
            return self.policy_value(candidate), (step,)
        loc = self.location(key.address)
        step = Step(f"{key.address}.policy", loc.file, loc.line)
        if key.is_unknown("policy") or key.values.get("policy") is None:
            config = self.index.resource_config(key.address)
            if config is not None and "policy" not in as_object(config.get("expressions")):
                return Known(None), (Step(f"{key.address}: default key policy"),)
        return self.policy_value(key), (step,)

    def policy_targets(self, policy: Resource, key: Resource) -> bool:
        """True when the ``aws_kms_key_policy`` ``policy`` applies to ``key``."""
        key_id = policy.values.get("key_id")
        if isinstance(key_id, str) and not policy.is_unknown("key_id"):
            return _identifies(key, key_id)
        return any(
            isinstance(t, Attr) and t.resource is key for t in self.targets(policy, "key_id")
        )

    def policy_value(self, resource: Resource) -> Value[Data]:
        """A ``policy`` attribute as a parsed document."""
        if resource.is_unknown("policy"):
            return Unknown(f"{resource.address}.policy is known only after apply")
        text = resource.values.get("policy")
        if text is None or text == "":
            if self.is_plan:
                return Unknown(f"{resource.address}.policy is not in the plan")
            return Known(None)
        if not isinstance(text, str):
            return Unknown(f"{resource.address}.policy is not a JSON string")
        try:
            parsed: Data = json.loads(text)
        except (json.JSONDecodeError, RecursionError):
            # The policy evaluator reports a document it cannot parse (or too deep) as a failure.
            return Known(text)
        return Known(parsed)

    def value(self, resource: Resource, attribute: str) -> Value[str]:
        """A string attribute, or why it is not known."""
        if resource.is_unknown(attribute):
            return Unknown(f"{resource.address}.{attribute} is known only after apply")
        value = resource.values.get(attribute)
        if isinstance(value, str) and value:
            return Known(value)
        return Unknown(f"{resource.address}.{attribute} is not in the {self.index.kind}")

    def defaulted(self, resource: Resource, attribute: str, default: str) -> Value[str]:
        """A string attribute with the provider's default when unset."""
        if resource.is_unknown(attribute):
            return Unknown(f"{resource.address}.{attribute} is known only after apply")
        value = resource.values.get(attribute)
        return Known(value if isinstance(value, str) and value else default)

    # -- regions and accounts --------------------------------------------------------------

    def region(self, resource: Resource, arn_attribute: str) -> Value[str]:
        """A resource's region: its own ``region`` argument (AWS provider v6), its ARN, or the
        region of the provider configuration it uses."""
        own = resource.values.get("region")
        if isinstance(own, str) and own and not resource.is_unknown("region"):
            return Known(own)
        arn = resource.values.get(arn_attribute)
        if isinstance(arn, str) and not resource.is_unknown(arn_attribute):
            parts = arn.split(":")
            if len(parts) > 4 and parts[0] == "arn" and parts[3]:
                return Known(parts[3])
        config = self.index.resource_config(resource.address)
        if config is None:
            return Unknown(f"the {self.index.kind} does not say the region of {resource.address}")
        return self.provider_region(str(config.get("provider_config_key", "aws")))

    def provider_region(self, key: str) -> Value[str]:
        """The ``region`` of provider configuration ``key`` (``aws``, ``aws.west``,
        ``module.x:aws``)."""
        provider = as_object(self.index.configuration.get("provider_config")).get(key)
        if not isinstance(provider, dict):
            return Unknown(f"provider configuration {key} is not in the plan")
        expr = as_object(provider.get("expressions")).get("region")
        if expr is None:
            return Unknown(f"provider configuration {key} sets no region (the environment decides)")
        module_path = str(provider.get("module_address", ""))
        module = _module_of(module_path)
        for target in self.resolver.expression(expr, module, (f"provider {key} region",)):
            if isinstance(target, Const) and isinstance(target.value, str):
                return Known(target.value)
            if isinstance(target, Dead):
                return Unknown(f"region of provider configuration {key}: {target.why}")
        return Unknown(f"region of provider configuration {key} is known only after apply")

    def account(self, resource: Resource) -> Value[str | Symbol]:
        """The owning account: from the notebook's ARN, else (plans) the account the provider
        configuration was seen to use, else the symbolic current account."""
        for values in (resource.values, resource.before or {}):
            account = _arn_account(values.get("arn"))
            if account is not None:
                return Known(account)
        if not self.is_plan:
            return Unknown(f"the state does not record the ARN of {resource.address}")
        config = self.index.resource_config(resource.address)
        provider = str(config.get("provider_config_key", "aws")) if config else "aws"
        seen = self.provider_accounts().get(provider, set())
        if len(seen) == 1:
            return Known(next(iter(seen)))
        return Known(Symbol.CURRENT_ACCOUNT)

    def provider_accounts(self) -> dict[str, set[str]]:
        """Accounts seen per provider configuration in the ARNs the plan already knows."""
        if self._accounts is not None:
            return self._accounts
        seen: dict[str, set[str]] = {}
        for resource in (*self.index.prior.values(), *self.index.resources.values()):
            config = self.index.resource_config(resource.address)
            if config is None:
                continue
            provider = str(config.get("provider_config_key", "aws"))
            if resource.address.type == "aws_caller_identity":
                account = resource.values.get("account_id")
                account = account if isinstance(account, str) else None
            else:
                account = _arn_account(resource.values.get("arn"))
            if account is not None:
                seen.setdefault(provider, set()).add(account)
        self._accounts = seen
        return seen


def _module_of(text: str) -> ModuleInstance:
    return parse_module(text) or ()


def _identities(resource: Resource) -> set[str]:
    """The ARN, IDs and (alias) names ``resource`` is known by; empty for other types."""
    address = resource.address
    if address.type in tfkms.KEY_TYPES and address.mode == "managed":
        attributes: Collection[str] = tfkms.KEY_ATTRIBUTES
    elif address.type == tfkms.ALIAS:
        attributes = tfkms.ALIAS_TEXTS
    elif address.type == tfkms.KEY and address.mode == "data":
        attributes = tfkms.DATA_LOOKUPS[tfkms.KEY][1]
    else:
        return set()
    return {value for a in attributes if isinstance(value := resource.values.get(a), str)}


def _identifies(resource: Resource, value: str) -> bool:
    """True when ``value`` is the ARN, ID or (alias) name of ``resource``."""
    return value in _identities(resource)


def _identifier_index(resources: Iterable[Resource]) -> dict[str, list[Resource]]:
    """Each identifier to the resources it names, in document order."""
    index: dict[str, list[Resource]] = {}
    for resource in resources:
        for identity in _identities(resource):
            index.setdefault(identity, []).append(resource)
    return index


def _manager(value: Any) -> Value[KeyManager]:
    if value == "AWS":
        return Known(KeyManager.AWS)
    if value == "CUSTOMER":
        return Known(KeyManager.CUSTOMER)
    return Unknown(f"unexpected key manager {value!r}")


def _text_or(value: Any, default: str | None) -> Value[str]:
    if isinstance(value, str) and value:
        return Known(value)
    if default is not None:
        return Known(default)
    return Unknown("not read by the data source")


def _differs(value: Value[str], wanted: str) -> bool:
    return isinstance(value, Known) and value.value != wanted


def _arn_account(arn: Any) -> str | None:
    if not isinstance(arn, str):
        return None
    parsed = parse_key_identifier(arn)
    if isinstance(parsed.account, str):
        return parsed.account
    parts = arn.split(":")
    if len(parts) > 5 and parts[0] == "arn" and parts[4].isdigit() and len(parts[4]) == 12:
        return parts[4]
    return None

"""Evaluated Terraform configuration to the inventory: notebooks and the keys they point at.

Only what notebooks depend on is evaluated: module instances are entered only when their source
tree contains a notebook, and keys, aliases and policies only when a notebook's ``kms_key_id``
leads to them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

from cmkguard.errors import InputError
from cmkguard.inventory import Key, KeyManager, KeyRef, KeyVia, Notebook, SourceLocation
from cmkguard.kms import (
    AWS_MANAGED_ALIAS_PREFIX,
    KeyIdentifier,
    is_aws_managed_alias,
    parse_key_identifier,
)
from cmkguard.sources import kms_resources as tfkms
from cmkguard.sources.terraform.ast import Block
from cmkguard.sources.terraform.conversions import ConversionError, to_bool, to_string
from cmkguard.sources.terraform.evaluated import (
    AttrStr,
    ObjectRef,
    ResourceInstance,
    data_of,
    prefix,
    shape,
    unknown_from,
)
from cmkguard.sources.terraform.expressions import Evaluator
from cmkguard.sources.terraform.modules import ModuleInstance
from cmkguard.sources.terraform.policy_document import InvalidJson, document_data
from cmkguard.subject import KEY_ARGUMENT, NOTEBOOK_TYPE, ROLE_ARGUMENT
from cmkguard.values import Data, Known, Ref, Step, Symbol, SymbolicText, Trail, Unknown, Value

# An alias ARN whose partition, region and account may be unknown but whose alias is literal.
_ALIAS_ARN = re.compile(rf"arn:[^:]*:kms:[^:]*:[^:]*:({AWS_MANAGED_ALIAS_PREFIX}.*)", re.DOTALL)
_HOLE = "\x00"


def aws_managed_alias(value: Value[Data]) -> str | None:
    """The ``alias/aws/...`` alias a partly known string names whatever its holes hold (holes
    shown as ``*``), or ``None``. Only literal text can say ``alias/aws/``."""
    parts = shape(value)
    if parts is None:
        return None
    text = "".join(p if isinstance(p, str) else _HOLE for p in parts)
    if is_aws_managed_alias(text):
        alias = text
    else:
        match = _ALIAS_ARN.fullmatch(text)
        if match is None:
            return None
        alias = match.group(1)
    return alias.replace(_HOLE, "*")


def ref_of(data: Data) -> Ref | None:
    """The reference a value is, or carries (a configured string remembers its argument)."""
    if isinstance(data, AttrStr):
        return data.ref
    if isinstance(data, Ref) and not isinstance(data, ObjectRef):
        return data
    return None


@dataclass(frozen=True, slots=True)
class Found:
    """A notebook resource block in a module instance, and the root-module file it hangs from."""

    module: ModuleInstance
    block: Block
    anchor: str
    """The file in the root module that declares the notebook or the module call leading to it."""


class InventoryBuilder:
    """Builds ``Notebook`` records for one root module."""

    def __init__(self, evaluator: Evaluator) -> None:
        """Build from ``evaluator``'s root module."""
        self.ev = evaluator
        self.tree = evaluator.tree
        self.errors: list[InputError] = []
        self._keys: dict[str, Key] = {}
        self._every_of: dict[str, list[ResourceInstance]] = {}

    # ---------------------------------------------------------------- module walk

    def instances_with(self, needle: bytes) -> Iterator[tuple[ModuleInstance, str]]:
        """Module instances whose own files contain ``needle``, with their root-module anchor
        file, entering only calls whose source tree contains it."""
        yield from self._walk(self.ev.root, needle, None)

    def _walk(
        self, module: ModuleInstance, needle: bytes, anchor: str | None
    ) -> Iterator[tuple[ModuleInstance, str]]:
        if self.tree.contains(module.dir, needle):
            yield module, anchor or ""
        for name, call in module.config.modules.items():
            target = self.ev.call_dir(module, name)
            key = f"{module.key_path}.{name}" if module.key_path else name
            if target is None or not self.tree.reaches(module.root_dir, target, needle, key):
                continue
            children = self.ev.children(module, name)
            if isinstance(children, Unknown):
                continue
            for child in children[1]:
                yield from self._walk(child, needle, anchor or call.file)

    def notebooks(self) -> list[tuple[Notebook, str]]:
        """Every notebook instance with its anchor file, in module and source order."""
        found: list[tuple[Notebook, str]] = []
        for module, anchor in self.instances_with(NOTEBOOK_TYPE.encode()):
            for block in module.config.resources_of_type(NOTEBOOK_TYPE):
                found.extend((nb, anchor or block.file) for nb in self._notebooks(module, block))
        return found

    def _notebooks(self, module: ModuleInstance, block: Block) -> Iterator[Notebook]:
        expansion = self.ev.resource_expansion(module, block)
        unknown = expansion.unknown or module.unknown
        for resource in self.ev.resource_instances(module, block):
            scope = resource.scope
            kms: Value[KeyRef | None]
            if unknown is not None:
                kms = Unknown(unknown.why, unknown.trail)
            else:
                kms = self.kms_key(resource)
            role = self.ev.attribute(block.body, ROLE_ARGUMENT, scope)
            yield Notebook(
                address=resource.address,
                location=SourceLocation(block.file, block.line),
                region=self.ev.region(module, block, scope),
                account=self.ev.account(module, block),
                kms_key=kms,
                role=role if role is not None else Unknown(f"{ROLE_ARGUMENT} is not set"),
            )

    # ---------------------------------------------------------------- kms_key_id

    def kms_key(self, notebook: ResourceInstance) -> Value[KeyRef | None]:
        """What a notebook's ``kms_key_id`` resolves to."""
        block = notebook.block
        value = self.ev.attribute(block.body, KEY_ARGUMENT, notebook.scope)
        if value is None:
            return Known(None, (Step(f"{KEY_ARGUMENT} is not set", block.file, block.line),))
        region = self.ev.region(notebook.module, block, notebook.scope)
        account = self.ev.account(notebook.module, block)
        return self.link_named(self.key_ref(value), region, account)

    def key_ref(self, value: Value[Data]) -> Value[KeyRef | None]:
        """A key setting's value to a ``KeyRef`` (or ``None`` for null)."""
        trail = value.trail
        if isinstance(value, Unknown):
            alias = aws_managed_alias(value)
            if alias is not None:
                text = Unknown(value.why, trail)
                return Known(KeyRef(KeyVia.LITERAL, text, alias_name=Known(alias, trail)), trail)
            return value
        data = value.value
        if data is None:
            return Known(None, trail)
        ref = ref_of(data)
        if ref is not None:
            resolved = self._from_ref(ref, trail)
            if resolved is not None or not isinstance(data, str):
                return resolved or Unknown(
                    f"kms_key_id refers to {ref}, which is not a KMS key", trail
                )
        if isinstance(data, ObjectRef):
            return Unknown(
                f"kms_key_id is the whole object {data.target}, not a key identifier", trail
            )
        if isinstance(data, SymbolicText):
            # e.g. a key ARN built from the caller's account: a key ARN in the current account,
            # the symbols kept for the control to read field by field.
            alias = aws_managed_alias(value)
            alias_name = Known(alias, trail) if alias is not None else None
            return Known(KeyRef(KeyVia.LITERAL, Known(data, trail), alias_name=alias_name), trail)
        if isinstance(data, bool | int | float):
            data = to_string(data)
        if isinstance(data, str):
            return Known(KeyRef(KeyVia.LITERAL, Known(str(data), trail)), trail)
        return Unknown("kms_key_id is not a string", trail)

    def _from_ref(self, ref: Ref, trail: Trail) -> Value[KeyRef | None] | None:
        """A reference to a key, alias or key data source; ``None`` for other attributes of
        KMS resources (a configured description is just text)."""
        target = self.ev.lookup(ref.target)
        if not isinstance(target, ResourceInstance):
            return Unknown(f"kms_key_id refers to {ref}, which is not a KMS key resource", trail)
        rtype, attribute = target.type, ref.attribute
        if target.mode == "managed":
            if rtype in tfkms.KEY_TYPES and attribute in tfkms.KEY_ATTRIBUTES:
                text = Unknown(f"{ref} is known only after apply", trail)
                return Known(KeyRef(KeyVia.RESOURCE, text, key=self.key(target)), trail)
            if rtype == tfkms.ALIAS and attribute in tfkms.ALIAS_ATTRIBUTES:
                return self._alias(target, trail)
            if rtype in tfkms.KEY_TYPES or rtype == tfkms.ALIAS:
                return None
        elif rtype in tfkms.DATA_LOOKUPS:
            argument, attributes = tfkms.DATA_LOOKUPS[rtype]
            if attribute in attributes:
                looked_up = self.ev.attribute(target.block.body, argument, target.scope)
                what = self._text(looked_up, f"{target.address} has no {argument}")
                return Known(KeyRef(KeyVia.DATA_SOURCE, prefix_text(what, trail)), trail)
            return None
        short = target.address
        return Unknown(f"kms_key_id refers to {short}, which is not a KMS key resource", trail)

    @staticmethod
    def _text(value: Value[Data] | None, missing: str) -> Value[str]:
        if value is None:
            return Unknown(missing)
        data = data_of(value)
        if isinstance(data, Unknown | Ref):
            return Unknown(unknown_from(data).why, value.trail)
        if isinstance(data, str):
            return Known(str(data), value.trail)
        return Unknown(f"{missing}: not a string", value.trail)

    def _alias(self, alias: ResourceInstance, trail: Trail) -> Value[KeyRef | None]:
        body, scope = alias.block.body, alias.scope
        name_value = self.ev.attribute(body, "name", scope)
        if name_value is None:
            name = self._text(None, f"the name of {alias.address} is generated (name_prefix)")
        else:
            name = self._text(name_value, f"{alias.address} has no name")
        target_value = self.ev.attribute(body, "target_key_id", scope)
        if target_value is None:
            return Unknown(f"{alias.address} has no target_key_id", trail)
        target = self.key_ref(
            prefix(target_value, Step(alias.address, alias.block.file, alias.block.line))
        )
        if isinstance(target, Unknown):
            return Unknown(f"the key of {alias.address}: {target.why}", (*trail, *target.trail))
        if target.value is None:
            return Unknown(f"{alias.address} has no target key", trail)
        key = target.value.key
        return Known(KeyRef(KeyVia.ALIAS, name, key=key, alias_name=name), (*trail, *target.trail))

    # ---------------------------------------------------------------- names of aliases

    def aliases(self) -> list[ResourceInstance]:
        """Every ``aws_kms_alias`` resource instance under the root (found once, lazily)."""
        return self._every(tfkms.ALIAS)

    def _every(self, resource_type: str) -> list[ResourceInstance]:
        """Every managed ``resource_type`` instance under the root, found once, on first need."""
        found = self._every_of.get(resource_type)
        if found is None:
            found = []
            for module, _ in self.instances_with(resource_type.encode()):
                for block in module.config.resources_of_type(resource_type):
                    found.extend(self.ev.resource_instances(module, block))
            self._every_of[resource_type] = found
        return found

    def link_named(
        self, found: Value[KeyRef | None], region: Value[str], account: Value[str | Symbol]
    ) -> Value[KeyRef | None]:
        """A key named by its alias's text (a literal, or what a data source looks up) linked to
        the ``aws_kms_alias`` of the configuration with that name in the notebook's region and
        account (where the notebook is created, so where a bare name is looked up), so that
        its key's properties and policy are checked. A name built from an alias resource
        that matches no alias (``"alias/${aws_kms_alias.a.name}"``) is marked; any other text
        stays a key defined elsewhere."""
        if not isinstance(found, Known) or found.value is None:
            return found
        ref = found.value
        if ref.key is not None or ref.via not in (KeyVia.LITERAL, KeyVia.DATA_SOURCE):
            return found
        if not isinstance(ref.text, Known) or not isinstance(ref.text.value, str):
            return found  # unknown, or built from the deploying account: no alias text to match
        named = parse_key_identifier(ref.text.value)
        if named.alias is None or named.is_aws_managed_alias:
            return found
        same_name = [a for a in self.aliases() if self._alias_name_is(a, named.alias)]
        if not same_name:
            built_from = self._alias_in(ref.text.trail)
            if built_from is None:
                return found
            return Known(replace(ref, unmatched_alias=built_from), found.trail)
        # Aliases are per account and region: only the alias created where the notebook's key
        # is looked up is the one the name means.
        here = [a for a in same_name if self._where_named(a, named, region, account)]
        if len(here) != 1:
            return found
        alias = here[0]
        step = Step(
            f"{named.alias} is the name of {alias.address}", alias.block.file, alias.block.line
        )
        return self._alias(alias, (*found.trail, step))

    def _alias_name_is(self, alias: ResourceInstance, name: str) -> bool:
        value = self.ev.attribute(alias.block.body, "name", alias.scope)
        return isinstance(value, Known) and isinstance(value.value, str) and value.value == name

    def _where_named(
        self,
        alias: ResourceInstance,
        named: KeyIdentifier,
        region: Value[str],
        account: Value[str | Symbol],
    ) -> bool:
        """Whether ``alias`` is the one ``named`` means for a notebook in ``region`` and
        ``account``: the same region (an ARN's own, else the notebook's) and the same account
        (an ARN's own, else the notebook's), each known."""
        alias_region = self.ev.region(alias.module, alias.block, alias.scope)
        wanted: Value[str] = Known(named.region) if named.region is not None else region
        if isinstance(wanted, Known) and isinstance(alias_region, Known):
            same_region = wanted.value == alias_region.value
        else:
            # One undetermined region of one provider configuration is one region.
            same_region = isinstance(wanted, Unknown) and wanted == alias_region
        if not same_region:
            return False
        wanted_account = Known(named.account) if named.account is not None else account
        alias_account = self.ev.account(alias.module, alias.block)
        return (
            isinstance(wanted_account, Known)
            and isinstance(alias_account, Known)
            and alias_account.value == wanted_account.value
        )

    def _alias_in(self, trail: Trail) -> str | None:
        """The alias resource a value was built from, if its trail passes through one."""
        for alias in self.aliases():
            if any(step.label.startswith(f"{alias.address}.") for step in trail):
                return alias.address
        return None

    # ---------------------------------------------------------------- keys

    def key(self, resource: ResourceInstance) -> Key:
        """The ``Key`` a KMS key resource instance describes (memoised)."""
        found = self._keys.get(resource.address)
        if found is not None:
            return found
        made = self._make_key(resource)
        self._keys[resource.address] = made
        return made

    def _setting(self, resource: ResourceInstance, name: str, default: str) -> Value[str]:
        value = self.ev.attribute(resource.block.body, name, resource.scope)
        if value is None or (isinstance(value, Known) and value.value is None):
            return Known(default, (Step(f"{resource.address}.{name} not set: {default}"),))
        return self._text(value, f"{resource.address}.{name}")

    def _enabled(self, resource: ResourceInstance, name: str) -> Value[str]:
        value = self.ev.attribute(resource.block.body, name, resource.scope)
        if value is None or (isinstance(value, Known) and value.value is None):
            return Known(
                tfkms.state_of(True), (Step(f"{resource.address}.{name} not set: enabled"),)
            )
        data = data_of(value)
        if isinstance(data, Unknown | Ref):
            return Unknown(f"{resource.address}.{name}: {unknown_from(data).why}", value.trail)
        flag = _flag(data)
        if flag is not None:
            return Known(tfkms.state_of(flag), value.trail)
        return Unknown(f"{resource.address}.{name} is not a bool", value.trail)

    def _rotation(self, resource: ResourceInstance) -> Value[bool]:
        name = f"{resource.address}.{tfkms.ROTATION_ARGUMENT}"
        value = self.ev.attribute(resource.block.body, tfkms.ROTATION_ARGUMENT, resource.scope)
        if value is None or (isinstance(value, Known) and value.value is None):
            return Known(False, (Step(f"{name} not set: off"),))
        data = data_of(value)
        if isinstance(data, Unknown | Ref):
            return Unknown(f"{name}: {unknown_from(data).why}", value.trail)
        flag = _flag(data)
        if flag is not None:
            return Known(flag, value.trail)
        return Unknown(f"{name} is not a bool", value.trail)

    def _primary(self, replica: ResourceInstance) -> Key | Unknown:
        value = self.ev.attribute(replica.block.body, tfkms.PRIMARY_ARGUMENT, replica.scope)
        if value is None:
            return Unknown(f"{replica.address} has no {tfkms.PRIMARY_ARGUMENT}")
        ref = ref_of(data_of(value))
        target = self.ev.lookup(ref.target) if ref is not None else None
        if (
            isinstance(target, ResourceInstance)
            and target.mode == "managed"
            and target.type == tfkms.KEY
        ):
            return self.key(target)
        return Unknown(
            f"the primary key of {replica.address} is not in the configuration", value.trail
        )

    def _make_key(self, resource: ResourceInstance) -> Key:
        label = resource.address
        rtype = resource.type
        block = resource.block
        region = self.ev.region(resource.module, block, resource.scope)
        arn: Value[str] = Unknown(f"{label}.arn is known only after apply")
        spec: Value[str]
        usage: Value[str]
        rotation: Value[bool]
        if rtype == tfkms.REPLICA_KEY:
            primary = self._primary(resource)
            if isinstance(primary, Key):
                spec, usage, rotation = primary.spec, primary.usage, primary.rotation
            else:
                why = f"a replica key has its primary key's properties: {primary.why}"
                spec = usage = Unknown(why, primary.trail)
                rotation = Unknown(why, primary.trail)
        else:
            spec = self._setting(resource, tfkms.spec_argument(rtype), tfkms.SPEC_DEFAULT)
            usage = self._setting(resource, tfkms.USAGE_ARGUMENT, tfkms.USAGE_DEFAULT)
            if rtype == tfkms.KEY:
                rotation = self._rotation(resource)
            else:
                why = f"{label} has imported key material, rotated outside Terraform"
                rotation = Unknown(why)
        if rtype == tfkms.EXTERNAL_KEY and tfkms.KEY_MATERIAL_ARGUMENT not in block.body.attributes:
            # Without key material an external key waits in PendingImport and cannot be used.
            step = Step(
                f"{label} has no {tfkms.KEY_MATERIAL_ARGUMENT}: {tfkms.PENDING_IMPORT}",
                block.file,
                block.line,
            )
            state: Value[str] = Known(tfkms.PENDING_IMPORT, (step,))
        else:
            state = self._enabled(resource, tfkms.enabled_argument(rtype))
        policy = self._policy(resource)
        return Key(
            label=label,
            manager=Known(KeyManager.CUSTOMER, (Step(f"{rtype} is customer managed"),)),
            region=region,
            arn=arn,
            spec=spec,
            usage=usage,
            state=state,
            rotation=rotation,
            policy=policy,
            policy_trail=policy.trail,
            location=SourceLocation(block.file, block.line),
        )

    # ---------------------------------------------------------------- policies

    def _policy(self, key: ResourceInstance) -> Value[Data]:
        standalone = self._standalone_policy(key)
        if standalone is not None:
            return standalone
        block = key.block
        value = self.ev.attribute(block.body, tfkms.POLICY_ARGUMENT, key.scope)
        if value is None:
            step = Step(
                f"{key.address} has no policy: the default key policy", block.file, block.line
            )
            owner = self.ev.account(key.module, block)
            if isinstance(owner, Unknown):
                # The default policy delegates to the key's own account, which the judge takes
                # for the notebook's: not so for a key made through another provider's account.
                why = (
                    f"the default key policy of {key.address} names the key's account: {owner.why}"
                )
                return Unknown(why, (step,))
            return Known(None, (step,))
        line = block.body.attributes[tfkms.POLICY_ARGUMENT].line
        return self._document(value, key.address, block.file, line)

    def _document(self, value: Value[Data], label: str, file: str, line: int) -> Value[Data]:
        try:
            document = document_data(data_of(value))
        except InvalidJson as exc:
            message = f"policy of {label} is not valid JSON: {exc}"
            error = InputError(file, line, message)
            if error not in self.errors:
                self.errors.append(error)
            return Unknown(message, value.trail)
        if isinstance(document, Unknown):
            return Unknown(f"the policy of {label} is not known: {document.why}", value.trail)
        return Known(document, value.trail)

    def key_policies(self) -> list[ResourceInstance]:
        """Every ``aws_kms_key_policy`` instance under the root (found once, lazily)."""
        return self._every(tfkms.KEY_POLICY)

    def _standalone_policy(self, key: ResourceInstance) -> Value[Data] | None:
        """The policy an ``aws_kms_key_policy`` sets on ``key``, or why it may; ``None`` when no
        such resource names the key."""
        matches: list[ResourceInstance] = []
        undecided: list[tuple[ResourceInstance, Unknown]] = []
        for candidate in self.key_policies():
            value = self.ev.attribute(
                candidate.block.body, tfkms.POLICY_KEY_ARGUMENT, candidate.scope
            )
            if value is None:
                continue
            ref = ref_of(data_of(value))
            if ref is not None and ref.target == key.address:
                matches.append(candidate)
            elif isinstance(value, Unknown):
                undecided.append((candidate, value))
        if len(matches) > 1:
            names = ", ".join(m.address for m in matches)
            return Unknown(
                f"several aws_kms_key_policy resources set the policy of {key.address}: {names}"
            )
        if matches:
            chosen = matches[0]
            block = chosen.block
            step = Step(
                f"{chosen.address} sets the policy of {key.address}", block.file, block.line
            )
            value = self.ev.attribute(block.body, tfkms.POLICY_ARGUMENT, chosen.scope)
            if value is None:
                return Unknown(f"{chosen.address} has no policy", (step,))
            line = block.body.attributes[tfkms.POLICY_ARGUMENT].line
            return prefix(self._document(value, chosen.address, block.file, line), step)
        if undecided:
            candidate, unknown = undecided[0]
            return Unknown(
                f"{candidate.address} may set the policy of {key.address}: "
                f"its key_id is not known: {unknown.why}",
                unknown.trail,
            )
        return None


def _flag(data: Data) -> bool | None:
    """A bool argument as the provider receives it (``"1"`` is true); ``None`` if not a bool."""
    try:
        flag = to_bool(data)
    except ConversionError:
        return None
    return flag if isinstance(flag, bool) else None


def prefix_text(value: Value[str], trail: Trail) -> Value[str]:
    """A data source's looked-up text, after the trail that led to the data source."""
    if isinstance(value, Known):
        return Known(value.value, (*trail, *value.trail))
    return Unknown(value.why, (*trail, *value.trail))

"""Evaluated stacks to the inventory: notebook instances and the keys their ``KmsKeyId`` names.

Resource types: https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-sagemaker-notebookinstance.html
and the ``AWS::KMS::Key`` / ``Alias`` / ``ReplicaKey`` pages beside it. Defaults follow them:
``KeySpec`` SYMMETRIC_DEFAULT, ``KeyUsage`` ENCRYPT_DECRYPT, ``Enabled`` true,
``EnableKeyRotation`` false, no ``KeyPolicy`` the default key policy.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field

from cmkguard.errors import InputError
from cmkguard.inventory import Key, KeyManager, KeyRef, KeyVia, Notebook, SourceLocation
from cmkguard.kms import ENABLED, ENCRYPT_DECRYPT, SYMMETRIC_DEFAULT
from cmkguard.sources.cloudformation.dependencies import dependency_graph, find_cycle, reaches
from cmkguard.sources.cloudformation.intrinsics import Evaluator
from cmkguard.sources.cloudformation.template import Node, line_of
from cmkguard.sources.kms_resources import PENDING_IMPORT
from cmkguard.sources.terraform.build import aws_managed_alias
from cmkguard.subject import API_KEY_FIELD as KEY_PROPERTY
from cmkguard.subject import API_ROLE_FIELD as ROLE_PROPERTY
from cmkguard.subject import CFN_NOTEBOOK_TYPE
from cmkguard.values import Data, Known, Ref, Step, SymbolicText, Trail, Unknown, Value

KEY_TYPE = "AWS::KMS::Key"
REPLICA_TYPE = "AWS::KMS::ReplicaKey"
ALIAS_TYPE = "AWS::KMS::Alias"
KNOWN_TRANSFORMS = frozenset({"AWS::Serverless-2016-10-31", "AWS::LanguageExtensions"})
"""Transforms that leave notebook instances as written (SAM rewrites ``AWS::Serverless::*``
resources only; LanguageExtensions adds functions we evaluate as unknown or reject)."""
KEY_ATTRIBUTES = frozenset({"Ref", "Arn", "KeyId"})


@dataclass(slots=True)
class LoadedStack:
    """One evaluated stack of a run, with the context steps its findings carry."""

    evaluator: Evaluator
    """Evaluates the stack's values."""
    context: Trail = ()
    """Steps shown before a notebook's own (CDK stack name, parent nested stack)."""
    cycle: list[str] | None = field(default=None)
    """A circular dependency between its resources, when it has one."""


def split_target(target: str) -> tuple[str, str]:
    """``prefix``, ``logical ID`` of a resource address (``t.yaml#Child/Key``)."""
    cut = max(target.rfind("#"), target.rfind("/")) + 1
    return target[:cut], target[cut:]


class InventoryBuilder:
    """Builds notebooks from the stacks of one root template (and its nested stacks)."""

    def __init__(self, stacks: dict[str, LoadedStack]) -> None:
        """``stacks``: every stack of the root, by address prefix."""
        self.stacks = stacks
        self.errors: list[InputError] = []
        self._keys: dict[str, Key] = {}

    # ---------------------------------------------------------------- notebooks

    def notebooks(self) -> Iterator[Notebook]:
        """Every notebook of every stack, in stack and template order."""
        for loaded in self.stacks.values():
            self._check_cycle(loaded)
            self._check_generated(loaded)
            for logical, resource in loaded.evaluator.template.resources.items():
                if resource.get("Type") == CFN_NOTEBOOK_TYPE:
                    notebook = self._notebook(loaded, logical, resource)
                    if notebook is not None:
                        yield notebook

    def _check_generated(self, loaded: LoadedStack) -> None:
        """Resources that only exist at deploy time (``Fn::Transform`` snippets such as
        ``AWS::Include``, ``Fn::ForEach`` loops) may declare notebooks we cannot see: an input
        error, never silence."""
        template = loaded.evaluator.template
        raw = template.body.get("Resources")
        for key in raw if isinstance(raw, dict) else {}:
            if str(key).startswith("Fn::"):
                self.errors.append(
                    InputError(
                        template.path,
                        line_of(key) or 1,
                        f"Resources use {key}, which is expanded at deploy time and may declare "
                        "notebooks: not evaluated",
                    )
                )

    def _check_cycle(self, loaded: LoadedStack) -> None:
        template = loaded.evaluator.template
        graph = dependency_graph(template)
        loaded.cycle = find_cycle(graph)
        if loaded.cycle is not None:
            error = InputError(
                template.path,
                template.resource_line(loaded.cycle[0]),
                "circular dependency between resources: " + " -> ".join(loaded.cycle),
            )
            self.errors.append(error)

    def _notebook(
        self, loaded: LoadedStack, logical: str, resource: dict[str, Node]
    ) -> Notebook | None:
        ev = loaded.evaluator
        template, stack = ev.template, ev.stack
        line = template.resource_line(logical)
        here = Step(f"{stack.target(logical)} KmsKeyId", template.path, line)
        kms: Value[KeyRef | None]
        created = self._created(ev, resource, line)
        if created is False:
            return None
        properties = resource.get("Properties")
        properties = properties if isinstance(properties, dict) else {}
        macros = [t for t in template.transforms if t not in KNOWN_TRANSFORMS]
        if isinstance(created, Unknown):
            kms = Unknown(f"whether {logical} is created: {created.why}")
        elif macros:
            # A macro receives the whole template and may rewrite any resource.
            kms = Unknown(f"the template's Transform {macros[0]} may change {logical} on deploy")
        elif loaded.cycle is not None and reaches(
            dependency_graph(template), logical, set(loaded.cycle)
        ):
            kms = Unknown(f"{logical} is in or depends on a circular dependency between resources")
        elif KEY_PROPERTY not in properties:
            kms = Known(None, (Step("KmsKeyId is not set", template.path, line),))
        else:
            node = properties[KEY_PROPERTY]
            here = Step(f"{stack.target(logical)} KmsKeyId", template.path, line_of(node) or line)
            value = ev.value(node)
            kms = Known(None, (here,)) if value is None else self.key_ref(value, (here,), ())
        role: Value[Data] = Unknown("RoleArn is not set")
        if ROLE_PROPERTY in properties:
            role = ev.value(properties[ROLE_PROPERTY]) or role
        return Notebook(
            address=stack.target(logical),
            location=SourceLocation(template.path, line),
            region=stack.region,
            account=Known(stack.account),
            kms_key=kms,
            role=role,
            extra_trail=(*loaded.context, *_construct_path(resource)),
        )

    @staticmethod
    def _created(ev: Evaluator, resource: dict[str, Node], line: int) -> bool | Unknown:
        condition = resource.get("Condition")
        if condition is None:
            return True
        if not isinstance(condition, str):
            return Unknown("its Condition is not a condition name")
        return ev.condition(condition, line)

    # ---------------------------------------------------------------- KmsKeyId

    def key_ref(
        self, value: Value[Data], trail: Trail, seen: tuple[str, ...]
    ) -> Value[KeyRef | None]:
        """A key setting's value to a ``KeyRef`` (``None`` for null)."""
        if isinstance(value, Unknown):
            alias = aws_managed_alias(value)
            if alias is not None:
                text = Unknown(value.why, trail)
                return Known(KeyRef(KeyVia.LITERAL, text, alias_name=Known(alias, trail)), trail)
            return Unknown(value.why, trail)
        data = value.value
        if data is None:
            return Known(None, trail)
        if isinstance(data, Ref):
            return self._from_ref(data, trail, seen)
        if isinstance(data, SymbolicText):
            # e.g. a key ARN in the deploying account: which key depends on that account.
            alias = aws_managed_alias(value)
            text = Unknown(f"KmsKeyId names {data}, not spelled out in the template", trail)
            alias_name = Known(alias, trail) if alias is not None else None
            return Known(KeyRef(KeyVia.LITERAL, text, alias_name=alias_name), trail)
        if isinstance(data, bool) or not isinstance(data, str | int | float):
            return Unknown("KmsKeyId is not a string", trail)
        return Known(KeyRef(KeyVia.LITERAL, Known(str(data), trail)), trail)

    def _from_ref(self, ref: Ref, trail: Trail, seen: tuple[str, ...]) -> Value[KeyRef | None]:
        prefix, logical = split_target(ref.target)
        loaded = self.stacks.get(prefix)
        resource = loaded.evaluator.template.resources.get(logical) if loaded else None
        if loaded is None or resource is None:
            return Unknown(f"KmsKeyId refers to {ref}, which is not in the scanned input", trail)
        if ref.target in seen:
            return Unknown(f"KmsKeyId: circular reference through {ref.target}", trail)
        template = loaded.evaluator.template
        step = Step(ref.target, template.path, template.resource_line(logical))
        trail = (*trail, step)
        kind = resource.get("Type")
        if kind in (KEY_TYPE, REPLICA_TYPE) and ref.attribute in KEY_ATTRIBUTES:
            text = Unknown(f"{ref} is known only once the stack exists", trail)
            return Known(KeyRef(KeyVia.RESOURCE, text, key=self.key(loaded, logical)), trail)
        if kind == ALIAS_TYPE and ref.attribute == "Ref":
            return self._alias(loaded, logical, resource, trail, (*seen, ref.target))
        return Unknown(f"KmsKeyId refers to {ref} ({kind}), which is not a KMS key", trail)

    def _alias(
        self,
        loaded: LoadedStack,
        logical: str,
        resource: dict[str, Node],
        trail: Trail,
        seen: tuple[str, ...],
    ) -> Value[KeyRef | None]:
        ev = loaded.evaluator
        properties = _properties(resource)
        address = ev.stack.target(logical)
        name = _text(ev.value(properties.get("AliasName")), f"{address} has no AliasName")
        target = ev.value(properties.get("TargetKeyId"))
        if target is None:
            return Unknown(f"{address} has no TargetKeyId", trail)
        resolved = self.key_ref(target, trail, seen)
        if isinstance(resolved, Unknown):
            return Unknown(f"the key of {address}: {resolved.why}", resolved.trail)
        if resolved.value is None:
            return Unknown(f"{address} has no target key", trail)
        key = resolved.value.key
        return Known(KeyRef(KeyVia.ALIAS, name, key=key, alias_name=name), resolved.trail)

    # ---------------------------------------------------------------- keys

    def key(self, loaded: LoadedStack, logical: str) -> Key:
        """The ``Key`` a key or replica key resource describes (memoised)."""
        address = loaded.evaluator.stack.target(logical)
        found = self._keys.get(address)
        if found is None:
            found = self._make_key(loaded, logical)
            self._keys[address] = found
        return found

    def _make_key(self, loaded: LoadedStack, logical: str) -> Key:
        ev = loaded.evaluator
        template, stack = ev.template, ev.stack
        resource = template.resources[logical]
        properties = _properties(resource)
        label = stack.target(logical)
        line = template.resource_line(logical)

        def setting(name: str, default: str) -> Value[str]:
            value = ev.value(properties.get(name)) if name in properties else None
            if value is None:
                return Known(default, (Step(f"{label} {name} not set: {default}"),))
            return _text(value, f"{label} {name}")

        spec, usage, rotation = (
            setting("KeySpec", SYMMETRIC_DEFAULT),
            setting("KeyUsage", ENCRYPT_DECRYPT),
            _flag(ev, properties, "EnableKeyRotation", label),
        )
        if resource.get("Type") == REPLICA_TYPE:
            primary = self._primary(loaded, properties, label)
            if isinstance(primary, Key):
                spec, usage, rotation = primary.spec, primary.usage, primary.rotation
            else:
                why = f"a replica key has its primary key's properties: {primary.why}"
                spec = usage = Unknown(why)
                rotation = Unknown(why)
        enabled = _flag(ev, properties, "Enabled", label, default=True)
        state: Value[str]
        if isinstance(enabled, Unknown):
            state = enabled
        else:
            state = Known(ENABLED if enabled.value else "Disabled", enabled.trail)
        origin = ev.value(properties["Origin"]) if "Origin" in properties else None
        if isinstance(origin, Known) and origin.value == "EXTERNAL":
            # CloudFormation cannot import key material: the key waits in PendingImport.
            step = Step(f"{label} Origin EXTERNAL: {PENDING_IMPORT}", template.path, line)
            state = Known(PENDING_IMPORT, (step,))
        elif isinstance(origin, Unknown) and isinstance(state, Known):
            # An EXTERNAL origin would leave the key unusable: its state depends on the origin.
            state = Unknown(
                f"{label} Origin decides whether it waits in PendingImport: {origin.why}"
            )
        policy = self._policy(loaded, properties, label, line)
        return Key(
            label=label,
            manager=Known(
                KeyManager.CUSTOMER, (Step(f"{resource.get('Type')} is customer managed"),)
            ),
            region=stack.region,
            arn=Unknown(f"{label} ARN is known only once the stack exists"),
            spec=spec,
            usage=usage,
            state=state,
            rotation=rotation,
            policy=policy,
            policy_trail=policy.trail,
            location=SourceLocation(template.path, line),
        )

    def _primary(
        self, loaded: LoadedStack, properties: dict[str, Node], label: str
    ) -> Key | Unknown:
        value = loaded.evaluator.value(properties.get("PrimaryKeyArn"))
        if isinstance(value, Known) and isinstance(value.value, Ref):
            prefix, logical = split_target(value.value.target)
            owner = self.stacks.get(prefix)
            if (
                owner is not None
                and owner.evaluator.template.resources.get(logical, {}).get("Type") == KEY_TYPE
            ):
                return self.key(owner, logical)
        return Unknown(f"the primary key of {label} is not in the scanned input")

    def _policy(
        self, loaded: LoadedStack, properties: dict[str, Node], label: str, line: int
    ) -> Value[Data]:
        template = loaded.evaluator.template
        if "KeyPolicy" not in properties:
            step = Step(f"{label} has no KeyPolicy: the default key policy", template.path, line)
            return Known(None, (step,))
        node = properties["KeyPolicy"]
        where = line_of(node) or line
        step = Step(f"{label} KeyPolicy", template.path, where)
        value = loaded.evaluator.value(node)
        if value is None:
            return Known(None, (step,))
        if isinstance(value, Unknown):
            return Unknown(f"the KeyPolicy of {label} is not known: {value.why}", (step,))
        document = value.value
        if isinstance(document, str):
            try:
                document = json.loads(document)
            except ValueError as exc:
                message = f"KeyPolicy of {label} is not valid JSON: {exc}"
                self.errors.append(InputError(template.path, where, message))
                return Unknown(message, (step,))
        return Known(document, (step,))


def _construct_path(resource: dict[str, Node]) -> Trail:
    """The CDK construct path a synthesised resource records (``aws:cdk:path`` metadata)."""
    metadata = resource.get("Metadata")
    path = metadata.get("aws:cdk:path") if isinstance(metadata, dict) else None
    return (Step(f"CDK construct {path}"),) if isinstance(path, str) else ()


def _properties(resource: dict[str, Node]) -> dict[str, Node]:
    found = resource.get("Properties")
    return found if isinstance(found, dict) else {}


def _text(value: Value[Data] | None, missing: str) -> Value[str]:
    if value is None:
        return Unknown(missing)
    if isinstance(value, Unknown):
        return value
    if isinstance(value.value, str):
        return Known(value.value, value.trail)
    if isinstance(value.value, Ref):
        return Unknown(f"{missing}: {value.value} is known only once the stack exists")
    return Unknown(f"{missing} is not a string")


def _flag(
    ev: Evaluator, properties: dict[str, Node], name: str, label: str, default: bool = False
) -> Value[bool]:
    value = ev.value(properties[name]) if name in properties else None
    if value is None or (isinstance(value, Known) and value.value is None):
        shown = "true" if default else "false"
        return Known(default, (Step(f"{label} {name} not set: {shown}"),))
    if isinstance(value, Unknown):
        return Unknown(f"{label} {name}: {value.why}")
    if value.value in (True, "true", "True"):
        return Known(True, value.trail)
    if value.value in (False, "false", "False"):
        return Known(False, value.trail)
    return Unknown(f"{label} {name} is not a boolean")

"""An index over one plan or state document: resource instances and configuration by address.

Plan addresses carry module instance keys (``module.team["a"].aws_x.n[0]``); configuration is
per module *call* (``root_module.module_calls.team.module``) and its references are relative to
the module. This module translates between the two.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypeAlias

from cmkguard.address import Address, ModulePath, parse, render_key, render_module
from cmkguard.address import InstanceKey as Key
from cmkguard.sources.plan.document import Document, DocumentKind

InstanceKey: TypeAlias = Key | None
"""A resource or module call's instance key; ``None`` when it has none."""
ModuleInstance: TypeAlias = ModulePath
"""A module instance path: ``(("team", "a"),)`` for ``module.team["a"]``; ``()`` is the root."""


def join_address(module: ModuleInstance, local: str) -> str:
    """The absolute address of ``local`` (``aws_x.n``) inside ``module``."""
    prefix = render_module(module)
    return f"{prefix}.{local}" if prefix else local


@dataclass(slots=True)
class Resource:
    """One resource instance as the document describes it."""

    address: Address
    """Where it is."""
    values: dict[str, Any]
    """Known attribute values (planned ``after``, state values, or prior-state data)."""
    unknown: dict[str, Any] = field(default_factory=dict)
    """``after_unknown``: attribute → ``True`` when the value is known only after apply."""
    actions: tuple[str, ...] = ()
    """Plan actions (``create``, ``delete``, ``no-op``, ``read`` ...); empty in state."""
    replace_paths: tuple[tuple[Any, ...], ...] = ()
    """Attribute paths that force a replacement."""
    before: dict[str, Any] | None = None
    """Values before the change."""
    action_reason: str = ""
    """Why the plan acts, e.g. ``replace_because_cannot_update``."""

    def is_unknown(self, attribute: str) -> bool:
        """True when ``attribute`` is known only after apply."""
        return self.unknown.get(attribute) is True

    @property
    def being_deleted(self) -> bool:
        """True when the plan destroys (or forgets) the instance without a successor."""
        return self.actions in (("delete",), ("forget",))


@dataclass(slots=True)
class PlanIndex:
    """Everything the loader looks up in one document."""

    document: Document
    """The document indexed."""
    resources: dict[str, Resource] = field(default_factory=dict)
    """Every resource instance by absolute address, in document order."""
    by_config: dict[tuple[tuple[str, ...], str], list[Resource]] = field(default_factory=dict)
    """Instances by (module call path, module-relative address without key)."""
    prior: dict[str, Resource] = field(default_factory=dict)
    """``prior_state`` instances (plans): data sources read during planning, existing resources."""

    @property
    def kind(self) -> DocumentKind:
        """The document's kind."""
        return self.document.kind

    @property
    def configuration(self) -> dict[str, Any]:
        """``configuration`` of a plan (empty for state)."""
        config = self.document.data.get("configuration")
        return config if isinstance(config, dict) else {}

    def add(self, resource: Resource) -> None:
        """Record ``resource`` unless an instance with that address is already known."""
        key = str(resource.address)
        if key in self.resources:
            return
        self.resources[key] = resource
        group = (resource.address.config_path, resource.address.local)
        self.by_config.setdefault(group, []).append(resource)

    def instances(self, module: ModuleInstance, local: str) -> list[Resource]:
        """The instances of ``local`` (``aws_kms_key.k``) in module instance ``module``."""
        group = self.by_config.get((tuple(n for n, _ in module), local), [])
        return [r for r in group if r.address.module == module]

    def module_config(self, path: tuple[str, ...]) -> dict[str, Any] | None:
        """The configuration of the module reached by the call names in ``path``."""
        module = self.configuration.get("root_module")
        for name in path:
            if not isinstance(module, dict):
                return None
            call = as_object(module.get("module_calls")).get(name)
            module = call.get("module") if isinstance(call, dict) else None
        return module if isinstance(module, dict) else None

    def resource_config(self, address: Address) -> dict[str, Any] | None:
        """The configuration block of a resource."""
        module = self.module_config(address.config_path)
        if module is None:
            return None
        for block in _dicts(module.get("resources")):
            if block.get("address") == address.local:
                return block
        return None


def build_index(document: Document) -> PlanIndex:
    """Index a plan, state or raw state document."""
    index = PlanIndex(document)
    data = document.data
    if document.kind is DocumentKind.PLAN:
        for change in _dicts(data.get("resource_changes")):
            _add_change(index, change)
        _walk_values(index, as_object(data.get("planned_values")).get("root_module"))
        prior = PlanIndex(document)
        _walk_values(
            prior, as_object(as_object(data.get("prior_state")).get("values")).get("root_module")
        )
        index.prior = prior.resources
        for resource in prior.resources.values():
            if resource.address.mode == "data":
                index.add(resource)
    elif document.kind is DocumentKind.STATE:
        _walk_values(index, as_object(data.get("values")).get("root_module"))
    else:
        _add_raw_state(index, data)
    return index


def as_object(value: Any) -> dict[str, Any]:
    """``value`` if it is a JSON object, else an empty one: a crafted document may put any JSON
    where an object belongs, and must not crash the scan (issue 8)."""
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list[Any]:
    """``value`` if it is a JSON array, else an empty one (see ``as_object``)."""
    return value if isinstance(value, list) else []


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _add_change(index: PlanIndex, change: dict[str, Any]) -> None:
    address = parse(str(change.get("address", "")))
    if address is None:
        return
    body = as_object(change.get("change"))
    actions = tuple(a for a in as_list(body.get("actions")) if isinstance(a, str))
    raw_paths = as_list(body.get("replace_paths") or change.get("replace_paths"))
    paths = tuple(tuple(p) for p in raw_paths if isinstance(p, list))
    before = body.get("before")
    index.add(
        Resource(
            address,
            as_object(body.get("after")),
            as_object(body.get("after_unknown")),
            actions,
            paths,
            before if isinstance(before, dict) else None,
            str(change.get("action_reason", "")),
        )
    )


def _walk_values(index: PlanIndex, module: Any) -> None:
    if not isinstance(module, dict):
        return
    for resource in _dicts(module.get("resources")):
        address = parse(str(resource.get("address", "")))
        if address is not None:
            index.add(Resource(address, as_object(resource.get("values"))))
    for child in _dicts(module.get("child_modules")):
        _walk_values(index, child)


def _add_raw_state(index: PlanIndex, data: dict[str, Any]) -> None:
    for block in _dicts(data.get("resources")):
        prefix = str(block.get("module", ""))
        mode = "data." if block.get("mode") == "data" else ""
        local = f"{mode}{block.get('type')}.{block.get('name')}"
        for instance in _dicts(block.get("instances")):
            key = instance.get("index_key")
            suffix = render_key(key if isinstance(key, int | str) else None)
            text = f"{prefix}.{local}{suffix}" if prefix else f"{local}{suffix}"
            address = parse(text)
            if address is not None:
                index.add(Resource(address, as_object(instance.get("attributes"))))

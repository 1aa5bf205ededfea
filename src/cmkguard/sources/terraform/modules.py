"""Module instances, evaluation scopes, instance addresses and provider configurations.

A module call with ``count``/``for_each`` makes one module instance per key
(``module.a["x"].module.b[0]``); a resource likewise makes one resource instance per key. When the
keys are not known, there is one instance without a key that carries the reason, so that nothing
inside it is silently dropped: a notebook in it gets one finding, with an unknown key setting.

Providers follow Terraform's rules: a resource uses ``provider = aws.ALIAS`` or the default
configuration of the provider its type names; a module instance's configuration comes from its
own ``provider`` blocks, else from the module call's ``providers`` map, else (default
configurations only) from its parent, up to the root, where no block means an empty
configuration.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from cmkguard.address import InstanceKey
from cmkguard.sources.terraform.ast import Block, ObjectExpr
from cmkguard.sources.terraform.config import ModuleConfig, traversal_text
from cmkguard.values import Data, Unknown, Value


def join_address(module_address: str, local: str) -> str:
    """``module.a.aws_x.y`` from a module instance address and a module-local address."""
    return f"{module_address}.{local}" if module_address else local


@dataclass(eq=False)
class ModuleInstance:
    """One instance of a module: the root, or an expanded module call."""

    address: str
    """``""`` for the root, else ``module.a["x"].module.b[0]``."""
    config: ModuleConfig
    """The module's configuration."""
    root_dir: str
    """The root module's directory (``path.root``, ``modules.json``, ``file()`` base)."""
    parent: ModuleInstance | None = None
    """The calling instance; ``None`` for the root."""
    call: Block | None = None
    """The ``module`` block that made this instance."""
    call_scope: Scope | None = None
    """The caller's scope for this instance (``each``/``count`` bound), for its inputs."""
    key_path: str = ""
    """The dotted module names from the root (``a.b``): the ``modules.json`` key."""
    unknown: Unknown | None = None
    """Set when the instance's key is not known (``count``/``for_each`` of a call above it)."""

    @property
    def dir(self) -> str:
        """The module's directory relative to the scanned root."""
        return self.config.dir

    def describe(self) -> str:
        """How to name the instance to a person."""
        return self.address or "the root module"


@dataclass(frozen=True)
class Scope:
    """Where an expression is evaluated: a module instance plus the names bound around it."""

    module: ModuleInstance
    """The module instance whose ``var``/``local``/resources the expression sees."""
    file: str
    """The file the expression is written in, for evidence and errors."""
    each: tuple[Data, Data] | Unknown | None = None
    """``each.key``/``each.value`` inside a ``for_each`` block; ``Unknown`` when not known."""
    count: int | Unknown | None = None
    """``count.index`` inside a ``count`` block; ``Unknown`` when not known."""
    names: Mapping[str, Value[Data]] = field(default_factory=dict)
    """Names bound by ``for`` expressions, ``dynamic`` iterators and ``templatefile`` vars."""
    only_names: bool = False
    """True where only ``names`` may be referenced (``templatefile`` templates, variable files)."""

    def bind(self, **names: Value[Data]) -> Scope:
        """This scope with more names bound."""
        return Scope(
            self.module, self.file, self.each, self.count, {**self.names, **names}, self.only_names
        )


@dataclass(frozen=True, slots=True)
class Instance:
    """One resource (or module) instance an expansion yields."""

    key: InstanceKey | None
    """The instance key, ``None`` without ``count``/``for_each`` or when the keys are unknown."""
    each: tuple[Data, Data] | Unknown | None
    """What ``each`` means inside it."""
    count: int | Unknown | None
    """What ``count.index`` means inside it."""


@dataclass(frozen=True, slots=True)
class Expansion:
    """The instances ``count``/``for_each`` make; ``unknown`` when the keys are not known."""

    instances: tuple[Instance, ...]
    """One per key; exactly one without a key when ``unknown`` is set."""
    keyed: bool
    """True when the block has ``count`` or ``for_each`` (references then need a key)."""
    unknown: Unknown | None = None
    """Why the keys are not known."""


SINGLE = Expansion((Instance(None, None, None),), keyed=False)


@dataclass(frozen=True, slots=True)
class ProviderConfig:
    """A provider configuration as a resource in some module instance sees it."""

    key: str
    """``aws`` or ``aws.ALIAS`` in the module that declares it."""
    block: Block | None
    """The ``provider`` block; ``None`` for the implicit empty root configuration."""
    module: ModuleInstance
    """The module instance the block is in (or the root, for the implicit one)."""

    @property
    def label(self) -> str:
        """``provider aws.west`` (plus the module, outside the root)."""
        where = f" in {self.module.address}" if self.module.address else ""
        return f"provider {self.key}{where}"


def resource_provider_key(block: Block) -> str:
    """The provider configuration a resource or data block asks for in its own module."""
    attr = block.body.attributes.get("provider")
    if attr is not None:
        text = traversal_text(attr.expr)
        if text is not None:
            return text
    return block.labels[0].split("_", 1)[0]


def call_provider_map(call: Block) -> dict[str, str]:
    """A module call's ``providers = { aws = aws.west }`` as child key to parent key."""
    attr = call.body.attributes.get("providers")
    mapping: dict[str, str] = {}
    if attr is None:
        return mapping
    if isinstance(attr.expr, ObjectExpr):
        for key_expr, value_expr in attr.expr.items:
            child, parent = traversal_text(key_expr), traversal_text(value_expr)
            if child is not None and parent is not None:
                mapping[child] = parent
    return mapping


def find_provider(module: ModuleInstance, key: str) -> ProviderConfig | Unknown:
    """The provider configuration ``key`` (``aws``/``aws.west``) means inside ``module``."""
    current = module
    wanted = key
    while True:
        block = current.config.providers.get(wanted)
        if block is not None:
            return ProviderConfig(wanted, block, current)
        parent, call = current.parent, current.call
        if parent is None or call is None:
            if "." in wanted:
                return Unknown(f"provider {wanted} is not configured in the root module")
            return ProviderConfig(wanted, None, current)
        mapped = call_provider_map(call).get(wanted)
        if mapped is not None:
            wanted = mapped
        elif "." in wanted:
            return Unknown(
                f"provider {wanted} is not passed to {current.address} in its providers map"
            )
        current = parent

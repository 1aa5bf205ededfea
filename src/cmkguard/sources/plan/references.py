"""Following ``configuration`` expressions of a plan to what they refer to.

``terraform show -json`` records, per argument, either ``constant_value`` or the ``references``
the expression makes (``["aws_kms_key.k.arn", "aws_kms_key.k"]``), relative to the module the
expression is written in. Variables are followed to the plan's ``variables`` (root) or to the
calling module's argument; module outputs to the output's expression in the child module.
Local values are not recorded in plan JSON: a reference to one cannot be followed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, TypeAlias

from cmkguard.address import parse_key
from cmkguard.sources.plan.model import (
    InstanceKey,
    ModuleInstance,
    PlanIndex,
    Resource,
    as_list,
    as_object,
    join_address,
)

MAX_DEPTH = 32
"""References followed in one chain before giving up (cycles cannot occur in a valid plan)."""

_NAME = r"[A-Za-z_][\w-]*"
_KEY = r'\[(?:\d+|"(?:[^"\\]|\\.)*")\]'
_VAR = re.compile(rf"var\.({_NAME})")
_LOCAL = re.compile(rf"local\.({_NAME})")
_OUTPUT = re.compile(rf"module\.({_NAME})({_KEY})?\.({_NAME})")
_RESOURCE = re.compile(rf"(data\.)?({_NAME})\.({_NAME})({_KEY})?(?:\.({_NAME}))?")
_IGNORED_ROOTS = ("each.", "count.", "path.", "terraform.", "self.")


@dataclass(frozen=True, slots=True)
class Const:
    """A constant the expression evaluates to (``constant_value`` or a variable's value)."""

    value: Any
    """The constant."""
    trail: tuple[str, ...]
    """References followed to reach it."""


@dataclass(frozen=True, slots=True)
class Attr:
    """An attribute of a resource instance in the document."""

    resource: Resource
    """The instance referred to."""
    attribute: str | None
    """The attribute (``arn``), ``None`` when the reference names the whole object."""
    trail: tuple[str, ...]
    """References followed to reach it, the last naming the instance."""

    def known(self) -> tuple[bool, Any]:
        """``(True, value)`` when the attribute's value is in the document."""
        if self.attribute is None or self.resource.is_unknown(self.attribute):
            return False, None
        if self.attribute in self.resource.values:
            return True, self.resource.values[self.attribute]
        return False, None


@dataclass(frozen=True, slots=True)
class Dead:
    """A reference that cannot be followed; ``why`` names the missing input."""

    why: str
    """Plain words, e.g. ``local.key: terraform show -json does not record local values``."""


Target: TypeAlias = Const | Attr | Dead


def collapse(references: list[str]) -> list[str]:
    """Drop references that only restate a longer one (``aws_kms_key.k`` next to ``...k.arn``)."""
    return [
        r
        for r in references
        if not any(o != r and (o.startswith(r + ".") or o.startswith(r + "[")) for o in references)
    ]


class Resolver:
    """Follows expressions through one plan's configuration."""

    def __init__(self, index: PlanIndex) -> None:
        self.index = index
        variables = index.document.data.get("variables")
        self.variables: dict[str, Any] = variables if isinstance(variables, dict) else {}

    def expression(
        self, expr: Any, module: ModuleInstance, trail: tuple[str, ...] = (), depth: int = 0
    ) -> list[Target]:
        """Everything ``expr`` (a configuration expression object) may evaluate to or use."""
        if not isinstance(expr, dict):
            return [Dead("the configuration does not record this expression")]
        if "constant_value" in expr:
            return [Const(expr["constant_value"], trail)]
        references = [r for r in as_list(expr.get("references")) if isinstance(r, str)]
        found: list[Target] = []
        for ref in collapse(references):
            found.extend(self.reference(ref, module, trail, depth))
        return found

    def reference(
        self, ref: str, module: ModuleInstance, trail: tuple[str, ...], depth: int
    ) -> list[Target]:
        """What one module-relative reference leads to."""
        if depth > MAX_DEPTH:
            return [Dead(f"{ref}: reference chain too long")]
        if ref.startswith(_IGNORED_ROOTS):
            return []
        label = join_address(module, ref)
        trail = (*trail, label)
        if match := _VAR.fullmatch(ref):
            return self._variable(match[1], module, trail, depth)
        if _LOCAL.fullmatch(ref):
            return [
                Dead(
                    f"{label}: terraform show -json does not record local values; scan the "
                    "source tree to follow it"
                )
            ]
        if match := _OUTPUT.fullmatch(ref):
            return self._output(match[1], parse_key(match[2]), match[3], module, trail, depth)
        if ref.startswith("module."):
            return [Dead(f"{label}: a whole module object cannot be followed")]
        if match := _RESOURCE.fullmatch(ref):
            local = f"{match[1] or ''}{match[2]}.{match[3]}"
            instances = self.index.instances(module, local)
            key = parse_key(match[4])
            if match[4]:
                instances = [r for r in instances if r.address.key == key]
            if not instances:
                return [Dead(f"{label} is not in the plan")]
            return [Attr(r, match[5], (*trail[:-1], str(r.address))) for r in instances]
        return [Dead(f"{label}: not a reference cmkguard can follow")]

    def _variable(
        self, name: str, module: ModuleInstance, trail: tuple[str, ...], depth: int
    ) -> list[Target]:
        if not module:
            entry = self.variables.get(name)
            if isinstance(entry, dict) and "value" in entry:
                return [Const(entry["value"], trail)]
            return [Dead(f"var.{name} has no value in the plan")]
        parent = module[:-1]
        call_name = module[-1][0]
        parent_config = self.index.module_config(tuple(n for n, _ in parent)) or {}
        call = as_object(as_object(parent_config.get("module_calls")).get(call_name))
        expressions = as_object(call.get("expressions"))
        if name in expressions:
            return self.expression(expressions[name], parent, trail, depth + 1)
        config = self.index.module_config(tuple(n for n, _ in module)) or {}
        declared = as_object(config.get("variables")).get(name)
        if isinstance(declared, dict) and "default" in declared:
            return [Const(declared["default"], trail)]
        return [Dead(f"{trail[-1]} has no value in the plan")]

    def _output(
        self,
        call: str,
        key: InstanceKey,
        output: str,
        module: ModuleInstance,
        trail: tuple[str, ...],
        depth: int,
    ) -> list[Target]:
        path = (*(n for n, _ in module), call)
        config = self.index.module_config(path)
        if config is None:
            return [Dead(f"{trail[-1]}: module {call} is not in the plan's configuration")]
        declared = as_object(config.get("outputs")).get(output)
        if not isinstance(declared, dict):
            return [Dead(f"{trail[-1]}: module {call} has no output {output}")]
        children = self._module_instances(module, call, key)
        found: list[Target] = []
        for child in children:
            found.extend(self.expression(declared.get("expression"), child, trail, depth + 1))
        return found

    def _module_instances(
        self, module: ModuleInstance, call: str, key: InstanceKey
    ) -> list[ModuleInstance]:
        """Instances of a module call seen in the document (one, unkeyed, when none are)."""
        depth = len(module)
        seen: dict[ModuleInstance, None] = {}
        for resource in self.index.resources.values():
            path = resource.address.module
            if len(path) > depth and path[:depth] == module and path[depth][0] == call:
                seen.setdefault(path[: depth + 1], None)
        instances = list(seen) or [(*module, (call, key))]
        if key is not None:
            instances = [i for i in instances if i[-1][1] == key]
        return instances

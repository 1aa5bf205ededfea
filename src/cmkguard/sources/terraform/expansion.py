"""How ``count`` and ``for_each`` make a block's instance keys, as Terraform expands them.

``count = N`` gives the indexes ``0..N-1``; ``for_each`` over a map gives its keys (in key
order) with ``each.value``, over a set of strings the strings themselves. When the value is not
known, or is not a whole number or a map or set of strings, the block has one instance without a
key that carries the reason, so that nothing in it is silently dropped. ``dynamic`` blocks
expand the same way into nested blocks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias

from cmkguard.address import render_key
from cmkguard.sources.terraform.ast import Body, Variable
from cmkguard.sources.terraform.evaluated import (
    EvalError,
    as_number,
    data_of,
    items_of,
    unknown_from,
)
from cmkguard.sources.terraform.functions import Pending
from cmkguard.sources.terraform.modules import (
    Expansion,
    Instance,
    ModuleInstance,
    Scope,
    join_address,
)
from cmkguard.values import Data, Known, Step, Trail, Unknown, Value

if TYPE_CHECKING:
    from cmkguard.sources.terraform.expressions import Evaluator


def unknown_expansion(what: str, label: str, why: str, trail: Trail) -> Expansion:
    """One keyless instance of ``label`` standing for all it may have, with the reason."""
    unknown = Unknown(f"{what} of {label} is not known: {why}", trail)
    if what == "count":
        return Expansion((Instance(None, None, unknown),), True, unknown)
    return Expansion((Instance(None, unknown, None),), True, unknown)


MAX_INSTANCES = 1_000
"""Instances one ``count``/``for_each`` may make. Beyond it the block is one UNKNOWN naming the
cap: a pull request must not make the gate judge (and report) millions of notebooks."""


def _over_cap(what: str, label: str, size: int, trail: Trail) -> Expansion | None:
    if size <= MAX_INSTANCES:
        return None
    why = f"{size} instances, over cmkguard's limit of {MAX_INSTANCES:,} per block"
    return unknown_expansion(what, label, why, trail)


def expand_count(value: Value[Data], label: str) -> Expansion:
    """The instances ``count = value`` makes."""
    data = data_of(value)
    if isinstance(data, Pending):
        return unknown_expansion("count", label, unknown_from(data).why, value.trail)
    try:
        number = as_number(data, "count")
    except EvalError as exc:
        return unknown_expansion("count", label, exc.message, value.trail)
    if number < 0 or number != int(number):
        return unknown_expansion(
            "count", label, f"{number} is not a whole number >= 0", value.trail
        )
    capped = _over_cap("count", label, int(number), value.trail)
    if capped is not None:
        return capped
    return Expansion(tuple(Instance(i, None, i) for i in range(int(number))), True)


def expand_for_each(value: Value[Data], label: str) -> Expansion:
    """The instances ``for_each = value`` makes."""
    data = data_of(value)
    if isinstance(data, Pending):
        return unknown_expansion("for_each", label, unknown_from(data).why, value.trail)
    if isinstance(data, dict | list):
        capped = _over_cap("for_each", label, len(data), value.trail)
        if capped is not None:
            return capped
    if isinstance(data, dict):
        items = sorted(data.items())
        return Expansion(tuple(Instance(k, (k, v), None) for k, v in items), True)
    if isinstance(data, list):
        keys: dict[str, None] = {}
        for item in data:
            if isinstance(item, Pending):
                why = unknown_from(item).why
                return unknown_expansion("for_each", label, why, value.trail)
            if not isinstance(item, str):
                return unknown_expansion(
                    "for_each", label, "it is not a map or a set of strings", value.trail
                )
            keys[item] = None
        return Expansion(tuple(Instance(k, (k, k), None) for k in sorted(keys)), True)
    return unknown_expansion("for_each", label, "it is not a map or a set of strings", value.trail)


def nested_blocks(
    ev: Evaluator, body: Body, block_type: str, scope: Scope
) -> list[tuple[Body, Scope]] | Unknown:
    """Nested blocks of one type with the scope each is evaluated in, ``dynamic`` blocks
    expanded; ``Unknown`` when a ``dynamic`` block's ``for_each`` is not known."""
    found: list[tuple[Body, Scope]] = []
    for inner, inner_scope, optional in possible_nested_blocks(ev, body, block_type, scope):
        if optional is not None:
            return optional
        found.append((inner, inner_scope))
    return found


PossibleBlock: TypeAlias = tuple[Body, Scope, Unknown | None]
"""A nested block, its scope, and why it may not be there (``None`` when it certainly is)."""


def possible_nested_blocks(
    ev: Evaluator, body: Body, block_type: str, scope: Scope
) -> list[PossibleBlock]:
    """Nested blocks of one type as ``nested_blocks`` gives them, but a ``dynamic`` block whose
    ``for_each`` is not known gives the blocks it may make: one per element that a ``for … if``
    may or may not keep, or, when nothing of the collection is known, its ``content`` once with
    the iterator unknown, standing for however many blocks it makes. Readers that only add
    (policy statements that can only grant) can still use the certain blocks."""
    found: list[PossibleBlock] = [(b.body, scope, None) for b in body.blocks_of_type(block_type)]
    for dynamic in body.blocks_of_type("dynamic"):
        if not dynamic.labels or dynamic.labels[0] != block_type:
            continue
        contents = dynamic.body.blocks_of_type("content")
        for_each = dynamic.body.attributes.get("for_each")
        if not contents or for_each is None:
            continue
        content = contents[0].body
        iterator = block_type
        iterator_attr = dynamic.body.attributes.get("iterator")
        if iterator_attr is not None and isinstance(iterator_attr.expr, Variable):
            iterator = iterator_attr.expr.name
        collection = ev.value(for_each.expr, scope)
        data = data_of(collection)
        if not isinstance(data, Pending):
            for key, item in items_of(data, "dynamic for_each"):
                entry: Value[Data] = Known({"key": key, "value": item})
                found.append((content, scope.bind(**{iterator: entry}), None))
            continue
        why = Unknown(
            f"for_each of dynamic {block_type} is not known: {unknown_from(data).why}",
            collection.trail,
        )
        if isinstance(data, Unknown) and data.items is not None:
            found.extend(_possible_items(content, scope, iterator, data.items, why))
        else:
            found.append((content, scope.bind(**{iterator: why}), why))
    return found


def _possible_items(
    content: Body,
    scope: Scope,
    iterator: str,
    items: tuple[tuple[Data, bool], ...],
    why: Unknown,
) -> list[PossibleBlock]:
    """The blocks of the elements a list may hold; an index after an element that may be
    missing is not known."""
    found: list[PossibleBlock] = []
    shifted = False
    for index, (item, certain) in enumerate(items):
        key: Data = why if shifted else index
        entry: Value[Data] = Known({"key": key, "value": item})
        found.append((content, scope.bind(**{iterator: entry}), None if certain else why))
        shifted = shifted or not certain
    return found


def module_instances(
    ev: Evaluator, module: ModuleInstance, name: str
) -> tuple[Expansion, tuple[ModuleInstance, ...]] | Unknown:
    """The instances a module call makes (its ``count``/``for_each``), or why the call's source
    cannot be read (a recursive call, a missing or remote module)."""
    call = module.config.modules[name]
    key_path = f"{module.key_path}.{name}" if module.key_path else name
    resolved = ev.call_source(module, name)
    if resolved.dir is None:
        problem = resolved.problem or f"module {name} cannot be read"
        if resolved.is_error:
            ev.tree.report(call.file, call.line, problem)
        step = Step(f"module.{name}", call.file, call.line)
        return Unknown(f"module.{name}: {problem}", (step,))
    ancestor: ModuleInstance | None = module
    while ancestor is not None:
        if ancestor.dir == resolved.dir:
            return Unknown(
                f"module.{name} calls its own module recursively ({call.file}:{call.line})"
            )
        ancestor = ancestor.parent
    config = ev.tree.config(resolved.dir)
    label = join_address(module.address, f"module.{name}")
    expansion = ev.expand(call.body, Scope(module, call.file), label)
    made: list[ModuleInstance] = []
    for inst in expansion.instances:
        address = join_address(module.address, f"module.{name}{render_key(inst.key)}")
        child = ModuleInstance(
            address,
            config,
            module.root_dir,
            module,
            call,
            Scope(module, call.file, inst.each, inst.count),
            key_path,
            expansion.unknown or module.unknown,
        )
        made.append(child)
    return expansion, tuple(made)

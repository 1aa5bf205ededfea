"""Which resources of a template depend on which: CloudFormation rejects a circular dependency
("Circular dependency between resources"), so a notebook caught in one is never created."""

from __future__ import annotations

import re
from graphlib import CycleError, TopologicalSorter

from cmkguard.sources.cloudformation.template import Node, Template

_SUB_NAME = re.compile(r"\$\{(?!!)([^}.]+)")


def _referenced(node: Node, found: set[str]) -> None:
    """Collect the logical IDs a value names through Ref, Fn::GetAtt and Fn::Sub."""
    if isinstance(node, dict):
        for key, child in node.items():
            if key == "Ref" and isinstance(child, str):
                found.add(child)
            elif key == "Fn::GetAtt":
                first = child.split(".", 1)[0] if isinstance(child, str) else None
                if isinstance(child, list) and child and isinstance(child[0], str):
                    first = child[0]
                if first is not None:
                    found.add(first)
            elif key == "Fn::Sub":
                text = child[0] if isinstance(child, list) and child else child
                if isinstance(text, str):
                    found.update(m.strip() for m in _SUB_NAME.findall(text))
            _referenced(child, found)
    elif isinstance(node, list):
        for item in node:
            _referenced(item, found)


def dependency_graph(template: Template) -> dict[str, set[str]]:
    """Logical ID -> the resources it depends on (references and ``DependsOn``)."""
    graph: dict[str, set[str]] = {}
    for logical, resource in template.resources.items():
        found: set[str] = set()
        _referenced(resource.get("Properties"), found)
        depends = resource.get("DependsOn")
        if isinstance(depends, str):
            found.add(depends)
        elif isinstance(depends, list):
            found.update(d for d in depends if isinstance(d, str))
        graph[logical] = {name for name in found if name in template.resources}
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One dependency cycle (first node repeated at the end), or ``None``."""
    try:
        TopologicalSorter(graph).prepare()
    except CycleError as exc:
        cycle: list[str] = list(exc.args[1])
        return cycle
    return None


def reaches(graph: dict[str, set[str]], start: str, targets: set[str]) -> bool:
    """True when ``start`` is in ``targets`` or depends on one of them, directly or not."""
    seen: set[str] = set()
    todo = [start]
    while todo:
        node = todo.pop()
        if node in targets:
            return True
        if node in seen:
            continue
        seen.add(node)
        todo.extend(graph.get(node, ()))
    return False

"""Where the parts of one HCL expression are written, as character offsets.

``positions.py`` locates blocks and attributes; a fix that adds a statement to an inline
``jsonencode({...})`` policy must also find the object's ``Statement`` item and the end of its
list. This reads just one attribute's value with the same tree-sitter grammar as ``hcl.py`` and
returns calls, objects and tuples with their offsets; any other expression is ``OtherSpan``.
Offsets are into the decoded file text (``str`` indices), the currency of ``fix.edits``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias

from tree_sitter import Node

from cmkguard.sources.terraform.positions import parser

__all__ = [
    "CallSpan",
    "ExprSpan",
    "ObjectItemSpan",
    "ObjectSpan",
    "OtherSpan",
    "TupleSpan",
    "expression_span",
]

_PREFIX = b"x = "
"""A value parses as the value of an attribute; its offsets are shifted back by this much."""


@dataclass(frozen=True, slots=True)
class OtherSpan:
    """An expression this module does not look into (a reference, a literal, a template...)."""

    start: int
    end: int


@dataclass(frozen=True, slots=True)
class CallSpan:
    """``name(arg, ...)``."""

    start: int
    end: int
    name: str
    args: tuple[ExprSpan, ...]


@dataclass(frozen=True, slots=True)
class ObjectItemSpan:
    """``key = value`` inside an object."""

    key: str | None
    """A bare identifier or a quoted key without interpolation; ``None`` for ``(expr)`` keys."""
    value: ExprSpan
    start: int
    """Offset of the key."""
    end: int
    """Offset just past the value."""
    key_end: int
    """Offset just past the key (where the spaces before ``=`` begin)."""


@dataclass(frozen=True, slots=True)
class ObjectSpan:
    """``{ key = value ... }``."""

    start: int
    end: int
    items: tuple[ObjectItemSpan, ...]

    def item(self, key: str) -> ObjectItemSpan | None:
        """The first item whose key is ``key``."""
        return next((i for i in self.items if i.key == key), None)


@dataclass(frozen=True, slots=True)
class TupleSpan:
    """``[a, b]``."""

    start: int
    """Offset of ``[``."""
    end: int
    """Offset just past ``]``."""
    items: tuple[ExprSpan, ...]
    trailing_comma: int | None
    """Offset just past a comma after the last item, when there is one."""


ExprSpan: TypeAlias = CallSpan | ObjectSpan | TupleSpan | OtherSpan


def expression_span(text: str, start: int, end: int) -> ExprSpan | None:
    """The parts of the expression written at ``text[start:end]`` (an attribute's value);
    ``None`` when it does not parse on its own."""
    value = text[start:end].encode("utf-8")
    data = _PREFIX + value + b"\n"  # a heredoc ends with a newline
    root = parser().parse(data).root_node
    if root.has_error:
        return None
    attribute = root.children[0].children[0] if root.children else None
    node = attribute.children[-1] if attribute is not None else None
    if node is None or node.type != "expression":
        return None
    return _Reader(data, start).expr(node)


class _Reader:
    """Turns tree-sitter nodes into spans, mapping snippet bytes to file characters."""

    def __init__(self, data: bytes, base: int) -> None:
        self.data = data
        self.base = base

    def offset(self, byte: int) -> int:
        return self.base + len(self.data[len(_PREFIX) : byte].decode("utf-8"))

    def source(self, node: Node) -> str:
        return self.data[node.start_byte : node.end_byte].decode("utf-8")

    def expr(self, node: Node) -> ExprSpan:
        start, end = self.offset(node.start_byte), self.offset(node.end_byte)
        inner = node.named_children[0] if node.named_children else None
        if inner is not None and inner.type == "collection_value":
            inner = inner.named_children[0]
        if inner is None:
            return OtherSpan(start, end)
        if inner.type == "function_call":
            return self.call(inner, start, end)
        if inner.type == "object":
            return ObjectSpan(start, end, tuple(self.item(c) for c in _typed(inner, "object_elem")))
        if inner.type == "tuple":
            return self.tuple(inner, start, end)
        return OtherSpan(start, end)

    def call(self, node: Node, start: int, end: int) -> CallSpan:
        name = self.source(node.named_children[0])
        arguments = next((c for c in node.named_children if c.type == "function_arguments"), None)
        args = () if arguments is None else tuple(self.expr(c) for c in _typed(arguments))
        return CallSpan(start, end, name, args)

    def item(self, node: Node) -> ObjectItemSpan:
        key_node, value_node = _typed(node)
        return ObjectItemSpan(
            _key(self.source(key_node)),
            self.expr(value_node),
            self.offset(node.start_byte),
            self.offset(node.end_byte),
            self.offset(key_node.end_byte),
        )

    def tuple(self, node: Node, start: int, end: int) -> TupleSpan:
        items = _typed(node)
        trailing = None
        if items:
            after = [c for c in node.children if c.start_byte >= items[-1].end_byte]
            if after and after[0].type == ",":
                trailing = self.offset(after[0].end_byte)
        return TupleSpan(start, end, tuple(self.expr(c) for c in items), trailing)


def _typed(node: Node, kind: str = "expression") -> list[Node]:
    return [c for c in node.named_children if c.type == kind]


def _key(text: str) -> str | None:
    """An object key as written: ``Statement`` or ``"Statement"`` (no escapes or templates)."""
    if text.isidentifier():
        return text
    if len(text) >= 2 and text[0] == text[-1] == '"' and not any(c in text[1:-1] for c in '\\"$%'):
        return text[1:-1]
    return None

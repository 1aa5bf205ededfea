"""Where blocks and attributes are written in a native HCL file, as character offsets.

The typed tree of ``ast.py`` keeps lines only, which is all a scan needs. ``cmkguard fix`` edits
the user's text and needs exact ranges, so it re-parses just the files it edits here, with the
same tree-sitter grammar as ``hcl.py`` (kept apart so the scan pays nothing for positions).
Offsets are into the decoded text (``str`` indices), the currency of ``fix.edits.TextEdit``.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import tree_sitter_hcl
from tree_sitter import Language, Node, Parser

__all__ = [
    "AttributeSpan",
    "BlockSpan",
    "FileLayout",
    "layout",
    "parser",
]

_PER_THREAD = threading.local()


def parser() -> Parser:
    """This thread's HCL parser for the files ``fix`` edits (``expression_spans`` uses it too).
    A tree-sitter Parser must not be shared between threads."""
    found: Parser | None = getattr(_PER_THREAD, "parser", None)
    if found is None:
        found = Parser(Language(tree_sitter_hcl.language()))
        _PER_THREAD.parser = found
    return found


@dataclass(frozen=True, slots=True)
class AttributeSpan:
    """``name = value`` in a body."""

    name: str
    start: int
    """Offset of the name."""
    end: int
    """Offset just past the value."""
    value_start: int
    """Offset of the value expression."""
    value_end: int
    """Offset just past the value expression."""
    line: int
    """1-based line of the name."""
    end_line: int
    """1-based line the value ends on (greater than ``line`` for a multi-line value)."""
    value: str
    """The value's source text."""


@dataclass(frozen=True, slots=True)
class BlockSpan:
    """``type "label" ... { body }``."""

    type: str
    labels: tuple[str, ...]
    start: int
    """Offset of the block type keyword."""
    end: int
    """Offset just past the closing brace."""
    line: int
    """1-based line of the block type keyword."""
    end_line: int
    """1-based line of the closing brace."""
    attributes: tuple[AttributeSpan, ...]
    """The body's attributes in source order."""
    blocks: tuple[BlockSpan, ...]
    """The body's nested blocks in source order."""

    def attribute(self, name: str) -> AttributeSpan | None:
        """The first attribute called ``name``."""
        return next((a for a in self.attributes if a.name == name), None)


@dataclass(frozen=True, slots=True)
class FileLayout:
    """The top level of one parsed file."""

    text: str
    """The decoded file."""
    blocks: tuple[BlockSpan, ...]
    """Top-level blocks in source order."""
    attributes: tuple[AttributeSpan, ...]
    """Top-level attributes (a ``.tfvars`` file's assignments)."""

    def find(self, block_type: str, *labels: str) -> BlockSpan | None:
        """The first top-level block with this type and labels."""
        return next((b for b in self.blocks if b.type == block_type and b.labels == labels), None)

    def line_start(self, offset: int) -> int:
        """Offset of the start of the line holding ``offset``."""
        return self.text.rfind("\n", 0, offset) + 1

    def line_end(self, offset: int) -> int:
        """Offset of the line break ending the line holding ``offset`` (``\r\n`` or ``\n``),
        or the text's end."""
        found = self.text.find("\n", offset)
        if found < 0:
            return len(self.text)
        return found - 1 if found > offset and self.text[found - 1] == "\r" else found

    @property
    def newline(self) -> str:
        """The file's line break: ``\r\n`` when its first line ends so, else ``\n``."""
        first = self.text.find("\n")
        return "\r\n" if first > 0 and self.text[first - 1] == "\r" else "\n"


def layout(data: bytes) -> FileLayout | None:
    """The blocks and attributes of native HCL ``data`` with their offsets; ``None`` when the
    file does not parse (or is not UTF-8): such a file is never edited."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    root = parser().parse(data).root_node
    if root.has_error:
        return None
    reader = _Reader(data, text)
    body = next((c for c in root.children if c.type == "body"), None)
    if body is None:
        return FileLayout(text, (), ())
    attributes, blocks = reader.body(body)
    return FileLayout(text, blocks, attributes)


class _Reader:
    """Turns tree-sitter nodes into spans, mapping byte offsets to character offsets."""

    def __init__(self, data: bytes, text: str) -> None:
        self.data = data
        self.ascii = len(data) == len(text)

    def offset(self, byte: int) -> int:
        if self.ascii:
            return byte
        return len(self.data[:byte].decode("utf-8"))

    def source(self, node: Node) -> str:
        return self.data[node.start_byte : node.end_byte].decode("utf-8")

    def body(self, node: Node) -> tuple[tuple[AttributeSpan, ...], tuple[BlockSpan, ...]]:
        attributes: list[AttributeSpan] = []
        blocks: list[BlockSpan] = []
        for child in node.children:
            if child.type == "attribute":
                attributes.append(self.attribute(child))
            elif child.type == "block":
                blocks.append(self.block(child))
        return tuple(attributes), tuple(blocks)

    def attribute(self, node: Node) -> AttributeSpan:
        parts = node.children
        value = next((p for p in reversed(parts) if p.type == "expression"), parts[-1])
        return AttributeSpan(
            name=self.source(parts[0]),
            start=self.offset(node.start_byte),
            end=self.offset(node.end_byte),
            value_start=self.offset(value.start_byte),
            value_end=self.offset(value.end_byte),
            line=node.start_point.row + 1,
            end_line=node.end_point.row + 1,
            value=self.source(value),
        )

    def block(self, node: Node) -> BlockSpan:
        children = node.children
        labels: list[str] = []
        attributes: tuple[AttributeSpan, ...] = ()
        blocks: tuple[BlockSpan, ...] = ()
        for child in children[1:]:
            if child.type == "string_lit":
                # Labels are plain quoted names in Terraform; escapes do not occur in practice
                # and a label with one is simply not matched.
                labels.append(self.source(child)[1:-1])
            elif child.type == "identifier":
                labels.append(self.source(child))
            elif child.type == "body":
                attributes, blocks = self.body(child)
        return BlockSpan(
            type=self.source(children[0]),
            labels=tuple(labels),
            start=self.offset(node.start_byte),
            end=self.offset(node.end_byte),
            line=node.start_point.row + 1,
            end_line=node.end_point.row + 1,
            attributes=attributes,
            blocks=blocks,
        )

"""What a Terraform file with a syntax error still says: one short error at the first bad
token, and the ``resource``/``data`` block headers tree-sitter still sees there (so that a
notebook declared in a broken file is UNKNOWN naming the error, never missing).

Split from ``hcl.py``, which parses; this module only reads the error nodes of its trees.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cmkguard.errors import InputError
from cmkguard.sources.terraform.ast import Block, Body, ConfigFile

if TYPE_CHECKING:
    from tree_sitter import Node

# Names the grammar gives its punctuation nodes, as a user would type them.
_TOKEN_SPELLING = {
    "quoted_template_end": '"',
    "quoted_template_start": '"',
    "template_interpolation_end": "}",
    "template_directive_end": "}",
    "template_interpolation_start": "${",
    "template_directive_start": "%{",
    "heredoc_identifier": "heredoc end marker",
    "identifier": "name",
    "block_end": "}",
    "object_end": "}",
    "tuple_end": "]",
}


def recovered(root: Node, data: bytes, error: InputError) -> ConfigFile | None:
    """The ``resource``/``data`` blocks tree-sitter still sees in a file with a syntax error,
    each marked invalid with that error, or ``None`` when there are none.

    Terraform rejects the file, so none of its code is judged; but a notebook declared there
    must not vanish from the report: it becomes UNKNOWN naming the error, and so does whatever
    refers to a resource of this file."""
    why = f"Terraform rejects {error.path}: {error.message} (line {error.line})"
    blocks: list[Block] = []
    stack = [root]
    while stack:
        node = stack.pop()
        if node.type in ("block", "ERROR"):
            labels = _block_labels(node, data)
            if labels is not None and labels[0] in ("resource", "data") and len(labels) == 3:
                blocks.append(
                    Block(
                        labels[0],
                        labels[1:],
                        Body({}, (), node.start_point.row + 1),
                        node.start_point.row + 1,
                        error.path,
                        invalid=why,
                    )
                )
        stack.extend(reversed(node.children))
    if not blocks:
        return None
    blocks.sort(key=lambda b: b.line)
    return ConfigFile(error.path, Body({}, tuple(blocks), 1))


def _block_labels(node: Node, data: bytes) -> tuple[str, ...] | None:
    """``(type, label, ...)`` of a block head ``type "label" ... {`` at the start of ``node``."""
    words: list[str] = []
    for child in node.children:
        text = data[child.start_byte : child.end_byte].decode(errors="replace")
        if child.type == "identifier":
            words.append(text)
        elif child.type == "string_lit" and words:
            words.append(text.strip('"'))
        else:
            return tuple(words) if child.type == "block_start" and words else None
    return None


def _first_error(node: Node) -> Node | None:
    """The first ERROR or MISSING node in document order."""
    if node.is_error or node.is_missing:
        return node
    for child in node.children:
        if child.has_error or child.is_missing:
            found = _first_error(child)
            if found is not None:
                return found
    return None


def _first_leaf_text(node: Node, data: bytes) -> str:
    """Text of the first non-empty token inside ``node`` (or the node's own first word)."""
    stack = [node]
    while stack:
        current = stack.pop()
        children = current.children
        if not children:
            if current.end_byte > current.start_byte:
                return data[current.start_byte : current.end_byte].decode(errors="replace")
            continue
        stack.extend(reversed(children))
    text = data[node.start_byte : node.end_byte].decode(errors="replace").strip()
    return text.split()[0] if text else ""


def syntax_error(root: Node, data: bytes, path: str, line_base: int) -> InputError:
    """One short error at the first ERROR/MISSING node."""
    bad = _first_error(root)
    if bad is None:  # has_error without a node to show: report the file start
        return InputError(path, line_base + 1, "syntax error")
    line = bad.start_point.row + 1 + line_base
    if bad.is_missing:
        missing = _TOKEN_SPELLING.get(bad.type, bad.type)
        rest = data[bad.start_byte :].lstrip()
        if not rest:
            return InputError(
                path, line, f"syntax error: unexpected end of file, missing '{missing}'"
            )
        if bad.type == "quoted_template_end":
            return InputError(path, line, "syntax error: unterminated string")
        token = rest.split(maxsplit=1)[0][:20].decode(errors="replace")
        return InputError(path, line, f"syntax error: unexpected '{token}', missing '{missing}'")
    token = _first_leaf_text(bad, data)[:20]
    if "\n" in token:
        token = token.split("\n", 1)[0]
    return InputError(path, line, f"syntax error: unexpected '{token}'")

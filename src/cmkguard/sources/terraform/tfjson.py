"""Terraform's JSON configuration syntax (``.tf.json``, e.g. from CDK for Terraform, and
``.tfvars.json``) to the typed syntax tree in ``ast.py``.

It follows Terraform's "JSON Configuration Syntax"
(https://developer.hashicorp.com/terraform/language/syntax/json) with a small position-tracking
JSON reader, so every block and attribute keeps the line of its key. Strings are templates (or,
for a few attributes, expressions) and are parsed by ``hcl.py``.

Bad input is data: every public function returns ``(result, errors)`` and never raises.
"""

from __future__ import annotations

import bisect
import json.decoder
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from json.decoder import JSONDecodeError
from typing import cast

from cmkguard.errors import InputError
from cmkguard.sources.terraform.ast import (
    Attribute,
    Block,
    Body,
    ConfigFile,
    Expr,
    Literal,
    ObjectExpr,
    TupleExpr,
    Unsupported,
    redefined,
)
from cmkguard.sources.terraform.hcl import Result, check_bytes, parse_expression, parse_template

__all__ = ["MAX_NESTING", "parse_json_file", "parse_tfvars_json"]

MAX_NESTING = 200
"""Deeper JSON nesting is rejected."""

# The stdlib's (C-accelerated) JSON string scanner; typeshed does not declare it.
_scanstring = cast(Callable[[str, int, bool], tuple[str, int]], vars(json.decoder)["scanstring"])


def parse_json_file(data: bytes, path: str) -> Result:
    """Parse Terraform JSON configuration syntax (``.tf.json``, e.g. from CDK for Terraform)."""
    return _parse_json(data, path, tfvars=False)


def parse_tfvars_json(data: bytes, path: str) -> Result:
    """Parse a ``.tfvars.json`` file: top-level members are attributes holding literal values.

    Terraform does not interpret ``${`` in variable files, so strings stay ``Literal``.
    """
    return _parse_json(data, path, tfvars=True)


# --------------------------------------------------------------------------------------------
# JSON configuration syntax

_WS = re.compile(r"[ \t\n\r]*")


def _skip(text: str, pos: int) -> int:
    """Offset of the first non-whitespace character at or after ``pos``."""
    match = _WS.match(text, pos)
    return pos if match is None else match.end()


_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?")

# Labels per top-level block type (Terraform JSON syntax); unknown types take none.
_JSON_LABELS = {
    "resource": 2,
    "data": 2,
    "ephemeral": 2,
    "module": 1,
    "provider": 1,
    "variable": 1,
    "output": 1,
    "check": 1,
}
# Nested block types that take one label; every other nested object is read without labels.
_JSON_NESTED_LABELS = {"dynamic": 1, "provisioner": 1, "backend": 1}

# Attributes whose JSON strings are expressions, not templates (Terraform's JSON syntax spec:
# ``type`` constraints, ``depends_on``/``ignore_changes`` traversals, provider references).
_EXPRESSION_ATTRS: dict[str, frozenset[str]] = {
    "variable": frozenset({"type"}),
    "resource": frozenset({"provider", "depends_on"}),
    "data": frozenset({"provider", "depends_on"}),
    "ephemeral": frozenset({"provider", "depends_on"}),
    "module": frozenset({"providers", "depends_on"}),
    "output": frozenset({"depends_on"}),
    "lifecycle": frozenset({"ignore_changes", "replace_triggered_by"}),
    "moved": frozenset({"from", "to"}),
    "removed": frozenset({"from"}),
    "import": frozenset({"to", "provider"}),
}


@dataclass(slots=True)
class _JValue:
    """A JSON value with the line it starts on. ``members`` keeps duplicate keys, in order."""

    kind: str
    """``object``, ``array`` or ``scalar``."""
    line: int
    value: str | int | float | bool | None = None
    items: list[_JValue] | None = None
    members: list[tuple[str, int, _JValue]] | None = None


class _JsonError(Exception):
    """Invalid JSON at a character offset."""

    def __init__(self, message: str, pos: int) -> None:
        super().__init__(message)
        self.pos = pos


class _JsonReader:
    """A small JSON parser that records the line of every value and object key."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.newlines = [m.start() for m in re.finditer("\n", text)]

    def line(self, pos: int) -> int:
        """1-based line of character offset ``pos``."""
        return bisect.bisect_left(self.newlines, pos) + 1

    def document(self) -> _JValue:
        """The single top-level value."""
        pos = _skip(self.text, 0)
        value, pos = self.value(pos, 0)
        pos = _skip(self.text, pos)
        if pos != len(self.text):
            raise _JsonError("extra data after the JSON value", pos)
        return value

    def value(self, pos: int, depth: int) -> tuple[_JValue, int]:
        """The value starting at ``pos`` (whitespace already skipped)."""
        text = self.text
        if depth > MAX_NESTING:
            raise _JsonError(f"nested more than {MAX_NESTING} levels deep", pos)
        if pos >= len(text):
            raise _JsonError("expecting a value", pos)
        char = text[pos]
        line = self.line(pos)
        if char == '"':
            string, end = _scanstring(text, pos + 1, True)
            return _JValue("scalar", line, string), end
        if char == "{":
            return self.object(pos, depth, line)
        if char == "[":
            return self.array(pos, depth, line)
        if text.startswith("true", pos):
            return _JValue("scalar", line, True), pos + 4
        if text.startswith("false", pos):
            return _JValue("scalar", line, False), pos + 5
        if text.startswith("null", pos):
            return _JValue("scalar", line, None), pos + 4
        match = _NUMBER.match(text, pos)
        if match is None:
            raise _JsonError("expecting a value", pos)
        raw = match.group(0)
        number: int | float
        if match.group(1) is None and match.group(2) is None:
            number = int(raw)
        else:
            as_float = float(raw)
            if not math.isfinite(as_float):
                raise _JsonError(f"number {raw} out of range", pos)
            number = int(as_float) if as_float.is_integer() and abs(as_float) < 2**53 else as_float
        return _JValue("scalar", line, number), match.end()

    def object(self, pos: int, depth: int, line: int) -> tuple[_JValue, int]:
        """``{ "key": value, ... }``."""
        text = self.text
        members: list[tuple[str, int, _JValue]] = []
        pos = _skip(text, pos + 1)
        if text.startswith("}", pos):
            return _JValue("object", line, members=members), pos + 1
        while True:
            if not text.startswith('"', pos):
                raise _JsonError("expecting a property name in double quotes", pos)
            key_line = self.line(pos)
            key, pos = _scanstring(text, pos + 1, True)
            pos = _skip(text, pos)
            if not text.startswith(":", pos):
                raise _JsonError("expecting ':' delimiter", pos)
            pos = _skip(text, pos + 1)
            value, pos = self.value(pos, depth + 1)
            members.append((key, key_line, value))
            pos = _skip(text, pos)
            if text.startswith(",", pos):
                pos = _skip(text, pos + 1)
                continue
            if text.startswith("}", pos):
                return _JValue("object", line, members=members), pos + 1
            raise _JsonError("expecting ',' delimiter or '}'", pos)

    def array(self, pos: int, depth: int, line: int) -> tuple[_JValue, int]:
        """``[ value, ... ]``."""
        text = self.text
        items: list[_JValue] = []
        pos = _skip(text, pos + 1)
        if text.startswith("]", pos):
            return _JValue("array", line, items=items), pos + 1
        while True:
            value, pos = self.value(pos, depth + 1)
            items.append(value)
            pos = _skip(text, pos)
            if text.startswith(",", pos):
                pos = _skip(text, pos + 1)
                continue
            if text.startswith("]", pos):
                return _JValue("array", line, items=items), pos + 1
            raise _JsonError("expecting ',' delimiter or ']'", pos)


def _parse_json(data: bytes, path: str, *, tfvars: bool) -> Result:
    """Shared front half of the two JSON readers."""
    data, problem = check_bytes(data, path)
    if problem is not None:
        return None, [problem]
    text = data.decode("utf-8")
    reader = _JsonReader(text)
    try:
        document = reader.document()
    except _JsonError as exc:
        return None, [InputError(path, reader.line(exc.pos), f"invalid JSON: {exc}")]
    except JSONDecodeError as exc:
        return None, [InputError(path, exc.lineno, f"invalid JSON: {exc.msg}")]
    if document.kind != "object" or document.members is None:
        return None, [InputError(path, document.line, "invalid JSON: top level must be an object")]
    conv = _JsonConverter(path)
    try:
        body = conv.tfvars_body(document) if tfvars else conv.config_body(document)
    except RecursionError:
        return None, [InputError(path, None, "JSON nested too deeply")]
    if conv.fatal is not None:
        return None, [conv.fatal]
    return ConfigFile(path, body), conv.errors


def _is_object_list(value: _JValue) -> bool:
    """A non-empty array whose items are all objects (a JSON list of nested blocks)."""
    return (
        value.kind == "array"
        and bool(value.items)
        and all(item.kind == "object" for item in value.items or ())
    )


class _JsonConverter:
    """JSON values to ast nodes per Terraform's JSON configuration syntax."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.errors: list[InputError] = []
        self.fatal: InputError | None = None

    def error(self, line: int, message: str) -> None:
        """A non-fatal problem (the file is still used)."""
        self.errors.append(InputError(self.path, line, message))

    def config_body(self, document: _JValue) -> Body:
        """Top-level keys are block types; ``"//"`` keys are comments."""
        blocks: list[Block] = []
        for key, key_line, value in document.members or ():
            if key == "//":
                continue
            self.blocks(key, value, _JSON_LABELS.get(key, 0), (), key_line, key, blocks)
        return Body({}, tuple(blocks), 1)

    def tfvars_body(self, document: _JValue) -> Body:
        """Top-level members are variable values, taken literally."""
        attributes: dict[str, Attribute] = {}
        for key, key_line, value in document.members or ():
            if key in attributes:
                self.error(key_line, f"duplicate variable {key!r}; the first is used")
                continue
            attributes[key] = Attribute(key, self.expr(value, "literal"), key_line)
        return Body(attributes, (), 1)

    def blocks(
        self,
        block_type: str,
        value: _JValue,
        labels_left: int,
        labels: tuple[str, ...],
        line: int,
        context: str,
        out: list[Block],
    ) -> None:
        """Blocks of one type: labels nest as object keys; a body may be an array of objects."""
        if value.kind == "array":
            if not _is_object_list(value) and value.items:
                self.error(value.line, f"{block_type} block must be an object or list of objects")
                return
            for item in value.items or ():
                self.blocks(block_type, item, labels_left, labels, item.line, context, out)
            return
        if value.kind != "object":
            self.error(value.line, f"{block_type} block must be an object, not a {value.kind}")
            return
        if labels_left == 0:
            body = self.body(value, context)
            out.append(Block(block_type, labels, body, line, self.path))
            return
        for key, key_line, inner in value.members or ():
            if key == "//":
                continue
            self.blocks(block_type, inner, labels_left - 1, (*labels, key), key_line, context, out)

    def body(self, value: _JValue, context: str) -> Body:
        """A block body: every member is an attribute; objects are also nested blocks."""
        attributes: dict[str, Attribute] = {}
        json_objects: dict[str, list[Block]] = {}
        expression_attrs = _EXPRESSION_ATTRS.get(context, frozenset())
        for key, key_line, member in value.members or ():
            if key == "//":
                continue
            blockish = member.kind == "object" or _is_object_list(member)
            if blockish:
                nested: list[Block] = []
                self.blocks(key, member, _JSON_NESTED_LABELS.get(key, 0), (), key_line, key, nested)
                json_objects.setdefault(key, []).extend(nested)
            first = attributes.get(key)
            if first is not None:
                if not blockish:
                    attributes[key], why = redefined(first, key_line)
                    self.error(key_line, why)
                continue
            mode = "expression" if key in expression_attrs else "template"
            attributes[key] = Attribute(key, self.expr(member, mode), key_line)
        return Body(
            attributes,
            (),
            value.line,
            {name: tuple(found) for name, found in json_objects.items()},
        )

    def expr(self, value: _JValue, mode: str) -> Expr:
        """A JSON value as an expression; ``mode`` says how strings are read."""
        line = value.line
        if value.kind == "scalar":
            scalar = value.value
            if not isinstance(scalar, str) or mode == "literal":
                return Literal(scalar, line)
            if mode == "expression":
                parsed, errors = parse_expression(scalar, self.path, line)
            else:
                parsed, errors = parse_template(scalar, self.path, line)
            if parsed is None:
                if self.fatal is None and errors:
                    self.fatal = errors[0]
                return Unsupported("unparsable string", line)
            return parsed
        if value.kind == "array":
            return TupleExpr(tuple(self.expr(item, mode) for item in value.items or ()), line)
        items: list[tuple[Expr, Expr]] = []
        for key, key_line, member in value.members or ():
            key_expr = (
                Literal(key, key_line)
                if mode != "template"
                else self.expr(_JValue("scalar", key_line, key), "template")
            )
            items.append((key_expr, self.expr(member, mode)))
        return ObjectExpr(tuple(items), line)

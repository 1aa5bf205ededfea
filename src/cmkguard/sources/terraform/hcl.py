"""Native HCL Terraform files (``.tf``, ``.tfvars``), expressions and templates to the typed
syntax tree in ``ast.py``.

HCL is parsed with tree-sitter and the tree-sitter-hcl 1.2 grammar; this module is the only place
that touches their untyped surface. JSON syntax (``.tf.json``) is read by ``tfjson.py``, which
parses the expressions and templates its strings hold here; ``parse_file`` in ``readers.py``
picks the reader by file name.

Bad input is data: every public function returns ``(result, errors)`` and never raises. A file
with a syntax error yields ``None`` and exactly one ``InputError`` (the first error), so that a
half-read file is never evaluated.
"""

from __future__ import annotations

import math
import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeAlias

import tree_sitter_hcl
from tree_sitter import Language, Node, Parser, Query, QueryCursor

from cmkguard.errors import InputError
from cmkguard.sources.terraform.ast import (
    Attribute,
    Binary,
    Block,
    Body,
    Call,
    Conditional,
    ConfigFile,
    Expr,
    ForExpr,
    GetAttr,
    Index,
    Literal,
    ObjectExpr,
    Splat,
    SplatItem,
    Template,
    TemplateFor,
    TemplateIf,
    TupleExpr,
    Unary,
    Unsupported,
    Variable,
    redefined,
)
from cmkguard.sources.terraform.syntax_errors import recovered, syntax_error

__all__ = [
    "MAX_FILE_BYTES",
    "check_bytes",
    "parse_block_text",
    "parse_expression",
    "parse_hcl_file",
    "parse_template",
]

MAX_FILE_BYTES = 5 * 1024 * 1024
"""Files larger than this are reported, not parsed (real Terraform files are far smaller)."""


Result: TypeAlias = tuple[ConfigFile | None, list[InputError]]
ExprResult: TypeAlias = tuple[Expr | None, list[InputError]]
Part: TypeAlias = str | Expr | TemplateIf | TemplateFor

_BOM = b"\xef\xbb\xbf"
_BINOPS = frozenset({"*", "/", "%", "+", "-", ">", ">=", "<", "<=", "==", "!=", "&&", "||"})
_TEMPLATE_PART_NODES = frozenset({"template_interpolation", "template_directive"})

_LANGUAGE: Language | None = None
_COMMENTS: Query | None = None
# A tree-sitter Parser must not be shared between threads; each thread builds one, once.
_PER_THREAD = threading.local()


def _parser() -> tuple[Parser, Query]:
    """This thread's parser and the shared comment query, created on first use."""
    global _LANGUAGE, _COMMENTS
    if _LANGUAGE is None or _COMMENTS is None:
        _LANGUAGE = Language(tree_sitter_hcl.language())
        _COMMENTS = Query(_LANGUAGE, "(comment) @c")
    parser: Parser | None = getattr(_PER_THREAD, "parser", None)
    if parser is None:
        parser = Parser(_LANGUAGE)
        _PER_THREAD.parser = parser
    return parser, _COMMENTS


# --------------------------------------------------------------------------------------------
# Public API


def parse_hcl_file(data: bytes, path: str) -> Result:
    """Parse native HCL syntax. A syntax error gives ``(None, [one InputError])``."""
    data, problem = check_bytes(data, path)
    if problem is not None:
        return None, [problem]
    parser, comments_query = _parser()
    tree = parser.parse(_grammar_numbers(data))
    root = tree.root_node
    if root.has_error:
        error = syntax_error(root, data, path, 0)
        return recovered(root, data, error), [error]
    conv = _Converter(data, path, 0)
    try:
        body = conv.config_body(root)
    except RecursionError:
        return None, [InputError(path, None, "expression nested too deeply")]
    if conv.fatal is not None:
        return recovered(root, data, conv.fatal), [conv.fatal]
    comments: tuple[tuple[int, str], ...] = ()
    if b"#" in data or b"//" in data or b"/*" in data:
        nodes = QueryCursor(comments_query).captures(root).get("c", [])
        comments = tuple(
            (n.start_point.row + 1, data[n.start_byte : n.end_byte].decode().rstrip())
            for n in sorted(nodes, key=lambda n: n.start_byte)
        )
    return ConfigFile(path, body, comments), conv.errors


def parse_block_text(data: bytes, path: str, line: int) -> Block | None:
    """Parse ``data``, the text of one top-level block that starts on ``line`` of ``path``, on
    its own; ``None`` unless it is exactly one block with no error of any kind.

    The header index uses this to read the few arguments that name a block (a provider's
    ``alias``, a module's ``source``, the names of ``locals``) without parsing the whole file.
    Errors are not reported here: whoever evaluates the block parses its whole file."""
    parser, _ = _parser()
    root = parser.parse(data).root_node
    if root.has_error:
        return None
    conv = _Converter(data, path, line - 1)
    try:
        body = conv.config_body(root)
    except RecursionError:
        return None
    if conv.fatal is not None or body.attributes or len(body.blocks) != 1:
        return None
    return body.blocks[0]


def parse_expression(text: str, path: str, line: int = 1) -> ExprResult:
    """Parse ``text`` as one HCL expression (``--var`` values, ``.tf.json`` expression strings).

    ``line`` is the line ``text`` starts on, for node lines and errors.
    """
    return _parse_snippet(text, path, line, template=False, pin=None)


def parse_template(text: str, path: str, line: int) -> ExprResult:
    """Parse ``text`` as a string template (the meaning of strings in ``.tf.json``).

    A string without ``${``/``%{`` is a ``Literal``; ``"${x}"`` is a ``Template`` whose only part
    is ``x``. Every node gets ``line``: a JSON string sits on one line of its file.
    """
    if "${" not in text and "%{" not in text:
        return Literal(text, line), []
    return _parse_snippet(text, path, line, template=True, pin=line)


# --------------------------------------------------------------------------------------------
# Bytes checks

# NOTE: tree-sitter-hcl 1.2 takes an exponent only after a fraction (``1.5e3``), but HCL and
# Terraform accept ``1e3``, ``1E3``, ``1e-3``. Identifiers (``a-1e3`` is one) are matched first
# so that only number tokens are touched; inside strings and comments the stand-in is harmless.
_NUMBER_TOKENS = re.compile(rb"[A-Za-z_][\w-]*|(?<![\w.])\d+(?:\.\d+)?(?:[eE][+-]?\d+)?")


def _grammar_numbers(data: bytes) -> bytes:
    """``data`` with each exponent number without a fraction (``1e3``) replaced, for the
    grammar's eyes only, by as many ``0`` digits: every byte offset, line and column stays the
    same, and the converter reads the real text (``1e3``) from ``data`` at those offsets."""

    def one(match: re.Match[bytes]) -> bytes:
        token = match.group()
        if token[0] in b"0123456789" and b"." not in token and token.strip(b"0123456789"):
            return b"0" * len(token)
        return token

    return _NUMBER_TOKENS.sub(one, data) if re.search(rb"\d[eE]", data) else data


def check_bytes(data: bytes, path: str) -> tuple[bytes, InputError | None]:
    """Size, BOM, NUL and UTF-8 checks shared by both syntaxes."""
    if len(data) > MAX_FILE_BYTES:
        mib = len(data) / (1024 * 1024)
        limit = MAX_FILE_BYTES // (1024 * 1024)
        return data, InputError(path, None, f"file is {mib:.1f} MiB, over the {limit} MiB limit")
    if data.startswith(_BOM):
        data = data[len(_BOM) :]
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        return data, InputError(path, line, "binary file: NUL byte, not a Terraform text file")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return data, InputError(
            path, line, f"not valid UTF-8: byte 0x{data[exc.start]:02x} cannot be decoded"
        )
    return data, None


# --------------------------------------------------------------------------------------------
# HCL: tree-sitter nodes to ast nodes

_ESCAPE = re.compile(r"\\(?:u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|(.))|\$\$\{|%%\{", re.DOTALL)
_SIMPLE_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}
_TEMPLATE_ESCAPE = re.compile(r"\$\$\{|%%\{")
_LINE_PIECES = re.compile(r"[^\n]*\n|[^\n]+")


class _EscapeError(Exception):
    """An invalid ``\\`` escape in a quoted string (Terraform rejects the file)."""


def _unescape_quoted(raw: str) -> str:
    """Decode a quoted string's escapes (``\\n \\r \\t \\" \\\\ \\uXXXX \\UXXXXXXXX $${ %%{``)."""
    if "\\" not in raw and "$${" not in raw and "%%{" not in raw:
        return raw

    def one(match: re.Match[str]) -> str:
        text = match.group(0)
        if text == "$${":
            return "${"
        if text == "%%{":
            return "%{"
        hex_code = match.group(1) or match.group(2)
        if hex_code is not None:
            code = int(hex_code, 16)
            if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
                raise _EscapeError(f"invalid unicode escape '{text}'")
            return chr(code)
        simple = _SIMPLE_ESCAPES.get(match.group(3))
        if simple is None:
            raise _EscapeError(f"invalid escape sequence '{text}'")
        return simple

    return _ESCAPE.sub(one, raw)


def _unescape_heredoc(raw: str) -> str:
    """Heredocs and JSON strings decode only the template escapes ``$${`` and ``%%{``."""
    if "$${" not in raw and "%%{" not in raw:
        return raw
    return _TEMPLATE_ESCAPE.sub(lambda m: m.group(0)[1:], raw)


def _number(text: str, line: int) -> Expr:
    """A numeric literal: integral values become ``int`` (Terraform prints ``1.0`` as ``1``)."""
    if text.isdigit():
        return Literal(int(text), line)
    if text.startswith(("0x", "0X")):
        return Unsupported(f"hexadecimal number {text} (not valid Terraform)", line)
    try:
        as_float = float(text)
    except ValueError:
        return Unsupported(f"number {text}", line)
    if not math.isfinite(as_float):
        return Unsupported(f"number {text} out of range", line)
    if as_float.is_integer() and abs(as_float) < 2**63:
        return Literal(int(Decimal(text)), line)
    return Literal(as_float, line)


@dataclass(slots=True)
class _Tok:
    """One item of a flattened template (how HCL itself applies strip markers and flushing)."""

    kind: str
    """``lit``, ``expr``, ``if``, ``else``, ``endif``, ``for`` or ``endfor``."""
    line: int
    text: str = ""
    expr: Expr | None = None
    key_var: str | None = None
    value_var: str = ""
    strip_left: bool = False
    strip_right: bool = False


class _Converter:
    """Walks one tree-sitter tree. Lines are ``row + 1 + line_base`` unless ``pin`` fixes them."""

    def __init__(self, data: bytes, path: str, line_base: int, pin: int | None = None) -> None:
        self.data = data
        self.path = path
        self.base = line_base + 1
        self.pin = pin
        self.errors: list[InputError] = []
        self.fatal: InputError | None = None
        base = self.base
        # The 1-based line of a node; chosen once because it runs for every node.
        self.ln: Callable[[Node], int] = (
            (lambda node: node.start_point.row + base) if pin is None else (lambda node: pin)
        )

    def fail(self, node: Node, message: str) -> None:
        """Record a file-level error (the file is then rejected); keep the first only."""
        if self.fatal is None:
            self.fatal = InputError(self.path, self.ln(node), message)

    # ---- bodies and blocks

    def config_body(self, root: Node) -> Body:
        """The top-level body of a ``config_file`` node."""
        for child in root.children:
            if child.type == "body":
                return self.body(child, 1)
            if child.type == "object":
                self.fail(child, "expected attributes and blocks, found a JSON-style object")
        return Body({}, (), 1)

    def body(self, node: Node, line: int) -> Body:
        """Attributes (first wins on duplicates) and blocks in order."""
        attributes: dict[str, Attribute] = {}
        blocks: list[Block] = []
        previous_end = -1
        for child in node.children:
            kind = child.type
            if kind == "comment":
                continue
            # HCL ends every argument and block at a newline; the grammar does not insist.
            if child.start_point.row == previous_end:
                self.fail(child, "syntax error: each argument and block must start on a new line")
            previous_end = child.end_point.row
            if kind == "attribute":
                parts = child.children
                name = self.text(parts[0])
                value_node = next((p for p in reversed(parts) if p.type == "expression"), None)
                if value_node is None:
                    value: Expr = Unsupported("attribute without value", self.ln(child))
                else:
                    value = self.expr(value_node)
                attr_line = self.ln(child)
                first = attributes.get(name)
                if first is not None:
                    attributes[name], why = redefined(first, attr_line)
                    self.errors.append(InputError(self.path, attr_line, why))
                    continue
                attributes[name] = Attribute(name, value, attr_line)
            elif kind == "block":
                blocks.append(self.block(child))
        return Body(attributes, tuple(blocks), line)

    def block(self, node: Node) -> Block:
        """``type labels... { body }``."""
        children = node.children
        block_type = self.text(children[0])
        labels: list[str] = []
        body: Body | None = None
        body_line = self.ln(node)
        for child in children[1:]:
            kind = child.type
            if kind == "string_lit":
                labels.append(self.string_lit(child))
            elif kind == "identifier":
                labels.append(self.text(child))
            elif kind == "block_start":
                body_line = self.ln(child)
            elif kind == "body":
                body = self.body(child, body_line)
        if body is None:
            body = Body({}, (), body_line)
        return Block(block_type, tuple(labels), body, self.ln(node), self.path)

    def text(self, node: Node) -> str:
        """Source text of ``node``."""
        return self.data[node.start_byte : node.end_byte].decode()

    def string_lit(self, node: Node) -> str:
        """A quoted string with no interpolation (block labels)."""
        children = node.children
        raw = self.data[children[0].end_byte : children[-1].start_byte].decode()
        try:
            return _unescape_quoted(raw)
        except _EscapeError as exc:
            self.fail(node, f"syntax error: {exc}")
            return raw

    # ---- expressions

    def expr(self, node: Node) -> Expr:
        """Any expression node (``expression`` or one of its alternatives)."""
        if node.type == "expression":
            children = node.children
            if len(children) == 1:  # the common case: no traversal steps, no parentheses
                return self.primary(children[0])
            return self.term(children)
        return self.primary(node)

    def term(self, nodes: Sequence[Node]) -> Expr:
        """A primary expression followed by postfix ``.attr``, ``[i]``, ``.0`` and splats."""
        nodes = [n for n in nodes if n.type != "comment"]
        if not nodes:
            return Unsupported("empty expression", 0)
        first = nodes[0]
        if first.type == "(":
            result = self.expr(nodes[1])
            rest = nodes[3:]
        else:
            result = self.primary(first)
            rest = nodes[1:]
        return self.postfix(result, rest)

    def postfix(self, result: Expr, rest: Sequence[Node]) -> Expr:
        """Apply traversal steps in order."""
        for step in rest:
            kind = step.type
            line = self.ln(step)
            if kind == "get_attr":
                result = GetAttr(result, self.text(step.children[-1]), line)
            elif kind == "index":
                result = self.index(result, step.children[0])
            elif kind == "splat":
                result = self.splat(result, step.children[0])
            elif kind != "comment":
                result = Unsupported(f"traversal step {kind}", line)
        return result

    def index(self, obj: Expr, node: Node) -> Expr:
        """``[expr]`` or the legacy ``.0``."""
        line = self.ln(node)
        if node.type == "legacy_index":
            return Index(obj, Literal(int(self.text(node)[1:]), line), line)
        for child in node.children:
            if child.is_named and child.type != "comment":
                return Index(obj, self.expr(child), line)
        return Unsupported("empty index", line)

    def splat(self, source: Expr, node: Node) -> Expr:
        """``[*]`` takes every following step; ``.*`` only attribute and legacy-index steps, as in
        HCL, so ``a.*.b[0]`` indexes the splat's result."""
        line = self.ln(node)
        steps = [c for c in node.children if c.is_named and c.type != "comment"]
        each: Expr = SplatItem(line)
        after: list[Node] = []
        for pos, step in enumerate(steps):
            if (
                node.type == "attr_splat"
                and step.type == "index"
                and step.children[0].type != "legacy_index"
            ):
                after = steps[pos:]
                break
            each = self.postfix(each, [step])
        return self.postfix(Splat(source, each, line), after)

    def primary(self, node: Node) -> Expr:
        """One expression node that is not a traversal step."""
        kind = node.type
        line = self.ln(node)
        if kind == "variable_expr":
            return Variable(self.text(node), line)
        if kind == "literal_value":
            inner = node.children[0]
            inner_kind = inner.type
            if inner_kind == "numeric_lit":
                number = _number(self.text(inner), line)
                if isinstance(number, Unsupported):
                    self.fail(inner, f"syntax error: {number.what}")
                return number
            if inner_kind == "string_lit":
                return Literal(self.string_lit(inner), line)
            if inner_kind == "bool_lit":
                return Literal(self.text(inner) == "true", line)
            if inner_kind == "null_lit":
                return Literal(None, line)
            return Unsupported(f"literal {inner_kind}", line)
        if kind in ("template_expr", "collection_value", "for_expr", "operation"):
            return self.primary(node.children[0])
        if kind == "expression":
            return self.expr(node)
        if kind == "function_call":
            return self.call(node, line)
        if kind == "tuple":
            items = [self.expr(c) for c in node.children if c.type == "expression"]
            return TupleExpr(tuple(items), line)
        if kind == "object":
            return self.object(node, line)
        if kind == "binary_operation":
            return self.binary(node, line)
        if kind == "unary_operation":
            children = node.children
            return Unary(children[0].type, self.term(children[1:]), line)
        if kind == "conditional":
            return self.conditional(node)
        if kind == "quoted_template":
            return self.template(node, heredoc=False)
        if kind == "heredoc_template":
            return self.template(node, heredoc=True)
        if kind in ("for_tuple_expr", "for_object_expr"):
            return self.for_expr(node, line)
        if kind == "string_lit":
            return Literal(self.string_lit(node), line)
        return Unsupported(f"syntax {kind}", line)

    def conditional(self, node: Node) -> Expr:
        """``a ? b : c``, right-associative as in HCL.

        tree-sitter-hcl 1.2 groups ``a ? b : c ? d : e`` as ``(a ? b : c) ? d : e``; the chain of
        unparenthesised conditions is unrolled here and rebuilt as ``a ? b : (c ? d : e)``.
        """
        segments: list[tuple[Node, Node, int]] = []
        current = node
        while True:
            parts = [c for c in current.children if c.type == "expression"]
            if len(parts) != 3:
                return Unsupported("malformed conditional", self.ln(current))
            segments.append((parts[1], parts[2], self.ln(current)))
            inner = [c for c in parts[0].children if c.type != "comment"]
            if len(inner) == 1 and inner[0].type == "conditional":
                current = inner[0]
                continue
            first_condition = parts[0]
            break
        segments.reverse()
        conditions = [first_condition] + [otherwise for _, otherwise, _ in segments[:-1]]
        then_node, final_node, line = segments[-1]
        result = Conditional(
            self.expr(conditions[-1]), self.expr(then_node), self.expr(final_node), line
        )
        for pos in range(len(segments) - 2, -1, -1):
            then_node, _, line = segments[pos]
            result = Conditional(self.expr(conditions[pos]), self.expr(then_node), result, line)
        return result

    def call(self, node: Node, line: int) -> Expr:
        """``name(args...)`` with optional final ``...``."""
        children = node.children
        name = self.text(children[0])
        args: list[Expr] = []
        expand = False
        for child in children:
            if child.type == "function_arguments":
                for arg in child.children:
                    if arg.type == "expression":
                        args.append(self.expr(arg))
                    elif arg.type == "ellipsis":
                        expand = True
        return Call(name, tuple(args), expand, line)

    def object(self, node: Node, line: int) -> Expr:
        """``{ key = value, ... }``: a bare identifier key is a literal string."""
        items: list[tuple[Expr, Expr]] = []
        previous_end = -1
        for elem in node.children:
            kind = elem.type
            if kind == ",":
                previous_end = -1
            if kind != "object_elem":
                continue
            # Items need a comma or a newline between them; the grammar accepts neither.
            if elem.start_point.row == previous_end:
                self.fail(elem, "syntax error: missing comma or newline between object items")
            previous_end = elem.end_point.row
            parts = [c for c in elem.children if c.type == "expression"]
            key_node = parts[0]
            key_children = key_node.children
            if len(key_children) == 1 and key_children[0].type == "variable_expr":
                key: Expr = Literal(self.text(key_children[0]), self.ln(key_node))
            else:
                key = self.expr(key_node)
            items.append((key, self.expr(parts[1])))
        return ObjectExpr(tuple(items), line)

    def binary(self, node: Node, line: int) -> Expr:
        """``left op right``; the grammar already resolved precedence."""
        children = node.children
        for pos, child in enumerate(children):
            if not child.is_named and child.type in _BINOPS:
                left = self.term(children[:pos])
                right = self.term(children[pos + 1 :])
                return Binary(child.type, left, right, line)
        return Unsupported("binary operation", line)

    def for_expr(self, node: Node, line: int) -> Expr:
        """``[for ...]`` and ``{for ...}``."""
        key_var: str | None = None
        value_var = ""
        collection: Expr = Unsupported("for without collection", line)
        exprs: list[Expr] = []
        condition: Expr | None = None
        group = False
        for child in node.children:
            kind = child.type
            if kind == "for_intro":
                names = [self.text(c) for c in child.children if c.type == "identifier"]
                if len(names) == 2:
                    key_var, value_var = names
                elif names:
                    value_var = names[0]
                for sub in child.children:
                    if sub.type == "expression":
                        collection = self.expr(sub)
            elif kind == "expression":
                exprs.append(self.expr(child))
            elif kind == "for_cond":
                for sub in child.children:
                    if sub.type == "expression":
                        condition = self.expr(sub)
            elif kind == "ellipsis":
                group = True
        if node.type == "for_object_expr":
            if len(exprs) != 2:
                return Unsupported("malformed for expression", line)
            return ForExpr(
                key_var, value_var, collection, exprs[0], exprs[1], condition, group, line
            )
        if len(exprs) != 1:
            return Unsupported("malformed for expression", line)
        return ForExpr(key_var, value_var, collection, None, exprs[0], condition, False, line)

    # ---- templates

    def template(self, node: Node, heredoc: bool) -> Expr:
        """A quoted or heredoc template: flatten, unescape, flush, strip, then nest (as HCL)."""
        children = node.children
        line = self.ln(node)
        tokens: list[_Tok] = []
        if heredoc:
            start = children[1].end_byte
            newline = self.data.find(b"\n", start)
            start = len(self.data) if newline < 0 else newline + 1
            end_marker = children[-1]
            end = self.data.rfind(b"\n", 0, end_marker.start_byte) + 1
            end = max(end, start)
            if self.pin is not None:
                # parse_template wraps its text in a heredoc and added this newline
                end = max(end - 1, start)
            self.flatten(children[2:-1], start, end, tokens, unescape=_unescape_heredoc)
            if children[0].text == b"<<-":
                tokens = _flush(tokens)
        else:
            start = children[0].end_byte
            end = children[-1].start_byte
            self.flatten(children[1:-1], start, end, tokens, unescape=_unescape_quoted)
        return _assemble(tokens, line)

    def flatten(
        self,
        children: Sequence[Node],
        start: int,
        end: int,
        out: list[_Tok],
        unescape: Callable[[str], str],
    ) -> None:
        """Turn template children into tokens; literal text is cut from the source bytes because
        the grammar drops whitespace between template nodes."""
        pos = start
        for child in children:
            kind = child.type
            if kind == "template_interpolation":
                self.literal(pos, child.start_byte, out, unescape)
                parts = child.children
                expr_node = next((p for p in parts if p.type == "expression"), None)
                value = (
                    self.expr(expr_node)
                    if expr_node is not None
                    else Unsupported("empty interpolation", self.ln(child))
                )
                left, right = _strip(child)
                out.append(
                    _Tok("expr", self.ln(child), expr=value, strip_left=left, strip_right=right)
                )
                pos = child.end_byte
            elif kind == "template_directive":
                self.literal(pos, child.start_byte, out, unescape)
                self.directive(child.children[0], out, unescape)
                pos = child.end_byte
        self.literal(pos, end, out, unescape)

    def literal(
        self, start: int, end: int, out: list[_Tok], unescape: Callable[[str], str]
    ) -> None:
        """Literal text between template nodes."""
        if end <= start:
            return
        raw = self.data[start:end].decode()
        try:
            text = unescape(raw)
        except _EscapeError as exc:
            line = self.pin or self.data.count(b"\n", 0, start) + self.base
            if self.fatal is None:
                self.fatal = InputError(self.path, line, f"syntax error: {exc}")
            text = raw
        out.append(_Tok("lit", 0, text=text))

    def directive(self, node: Node, out: list[_Tok], unescape: Callable[[str], str]) -> None:
        """``%{if}`` / ``%{for}`` and their bodies."""
        children = node.children
        intro = children[0]
        closing = children[-1]
        line = self.ln(node)
        if node.type == "template_if":
            cond = self.directive_expr(intro)
            left, right = _strip(intro)
            out.append(_Tok("if", line, expr=cond, strip_left=left, strip_right=right))
            else_node = next((c for c in children if c.type == "template_else_intro"), None)
            if else_node is None:
                self.flatten(children[1:-1], intro.end_byte, closing.start_byte, out, unescape)
            else:
                split = children.index(else_node)
                self.flatten(children[1:split], intro.end_byte, else_node.start_byte, out, unescape)
                left, right = _strip(else_node)
                out.append(_Tok("else", line, strip_left=left, strip_right=right))
                self.flatten(
                    children[split + 1 : -1], else_node.end_byte, closing.start_byte, out, unescape
                )
            left, right = _strip(closing)
            out.append(_Tok("endif", line, strip_left=left, strip_right=right))
            return
        if node.type == "template_for":
            names = [self.text(c) for c in intro.children if c.type == "identifier"]
            key_var = names[0] if len(names) == 2 else None
            value_var = names[-1] if names else ""
            coll = self.directive_expr(intro)
            left, right = _strip(intro)
            out.append(
                _Tok(
                    "for",
                    line,
                    expr=coll,
                    key_var=key_var,
                    value_var=value_var,
                    strip_left=left,
                    strip_right=right,
                )
            )
            self.flatten(children[1:-1], intro.end_byte, closing.start_byte, out, unescape)
            left, right = _strip(closing)
            out.append(_Tok("endfor", line, strip_left=left, strip_right=right))
            return
        out.append(_Tok("expr", line, expr=Unsupported(f"template {node.type}", line)))

    def directive_expr(self, intro: Node) -> Expr:
        """The expression inside a directive opener."""
        for child in intro.children:
            if child.type == "expression":
                return self.expr(child)
        return Unsupported("directive without expression", self.ln(intro))


def _strip(node: Node) -> tuple[bool, bool]:
    """Strip markers of an interpolation or directive node: ``{~`` and ``~}``."""
    children = node.children
    if len(children) < 3:
        return False, False
    return children[1].type == "strip_marker", children[-2].type == "strip_marker"


def _flush(tokens: list[_Tok]) -> list[_Tok]:
    """``<<-`` heredocs: remove the longest common leading whitespace of the lines.

    Mirrors hclsyntax ``flushHeredocTemplateParts``: literals are split into lines; a line that
    starts with an interpolation or directive has indent 0; whitespace-only lines do not count.
    """
    pieces: list[_Tok] = []
    for tok in tokens:
        if tok.kind == "lit":
            pieces.extend(_Tok("lit", tok.line, text=p) for p in _LINE_PIECES.findall(tok.text))
        else:
            pieces.append(tok)
    infinite = 1 << 30
    min_spaces = infinite
    newline = True
    adjust: list[_Tok] = []
    for piece in pieces:
        if newline:
            newline = False
            if piece.kind == "lit":
                trimmed = piece.text.lstrip()
                if not trimmed and piece.text.endswith("\n"):
                    spaces = infinite
                else:
                    spaces = len(piece.text) - len(trimmed)
                    adjust.append(piece)
            else:
                spaces = 0
            min_spaces = min(min_spaces, spaces)
        if piece.kind == "lit" and piece.text.endswith("\n"):
            newline = True
    if min_spaces != infinite:
        for piece in adjust:
            piece.text = piece.text[min_spaces:]
    return pieces


def _assemble(tokens: list[_Tok], line: int) -> Expr:
    """Apply strip markers, merge literals and nest directives into ``Template`` parts."""
    for pos, tok in enumerate(tokens):
        if tok.kind == "lit":
            continue
        if tok.strip_left and pos > 0 and tokens[pos - 1].kind == "lit":
            tokens[pos - 1].text = tokens[pos - 1].text.rstrip()
        if tok.strip_right and pos + 1 < len(tokens) and tokens[pos + 1].kind == "lit":
            tokens[pos + 1].text = tokens[pos + 1].text.lstrip()
    parts, _, _ = _nest(tokens, 0)
    if not parts:
        return Literal("", line)
    if len(parts) == 1 and isinstance(parts[0], str):
        return Literal(parts[0], line)
    return Template(tuple(parts), line)


def _tok_expr(tok: _Tok) -> Expr:
    """The expression of an ``expr``/``if``/``for`` token (the converter always sets one)."""
    return tok.expr if tok.expr is not None else Unsupported(f"template {tok.kind}", tok.line)


def _nest(tokens: list[_Tok], pos: int) -> tuple[list[Part], int, str]:
    """Parts up to the next ``else``/``endif``/``endfor`` (returned with the position after it)."""
    parts: list[Part] = []
    while pos < len(tokens):
        tok = tokens[pos]
        kind = tok.kind
        pos += 1
        if kind == "lit":
            if tok.text:
                if parts and isinstance(parts[-1], str):
                    parts[-1] += tok.text
                else:
                    parts.append(tok.text)
        elif kind == "expr":
            parts.append(_tok_expr(tok))
        elif kind == "if":
            then, pos, stop = _nest(tokens, pos)
            otherwise: list[Part] = []
            if stop == "else":
                otherwise, pos, stop = _nest(tokens, pos)
            parts.append(TemplateIf(_tok_expr(tok), tuple(then), tuple(otherwise), tok.line))
        elif kind == "for":
            body, pos, stop = _nest(tokens, pos)
            parts.append(
                TemplateFor(tok.key_var, tok.value_var, _tok_expr(tok), tuple(body), tok.line)
            )
        else:
            return parts, pos, kind
    return parts, pos, ""


def _heredoc_marker(text: str) -> str:
    """A heredoc delimiter that does not occur in ``text``."""
    marker = "CMKGUARD_EOT"
    n = 0
    while marker in text:
        n += 1
        marker = f"CMKGUARD_EOT{n}"
    return marker


def _parse_snippet(
    text: str, path: str, line: int, *, template: bool, pin: int | None
) -> ExprResult:
    """Parse ``text`` as the value of a synthetic attribute and return its expression."""
    if "\x00" in text:
        return None, [InputError(path, line, "NUL character in expression")]
    if template:
        marker = _heredoc_marker(text)
        source = f"x = <<{marker}\n{text}\n{marker}\n"
        line_base = line - 2
    else:
        source = f"x = {text}\n"
        line_base = line - 1
    data = source.encode()
    parser, _ = _parser()
    root = parser.parse(_grammar_numbers(data)).root_node
    if root.has_error:
        if template:
            shown = text if len(text) <= 60 else text[:57] + "..."
            return None, [InputError(path, line, f"syntax error in template string {shown!r}")]
        return None, [syntax_error(root, data, path, line_base)]
    conv = _Converter(data, path, line_base, pin)
    try:
        body = conv.config_body(root)
    except RecursionError:
        return None, [InputError(path, line, "expression nested too deeply")]
    if conv.fatal is not None:
        return None, [conv.fatal]
    if len(body.attributes) != 1 or body.blocks or "x" not in body.attributes:
        return None, [InputError(path, line, "syntax error: expected one expression")]
    return body.attributes["x"].expr, []

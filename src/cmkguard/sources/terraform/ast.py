"""A small typed syntax tree for Terraform configuration, shared by HCL and ``.tf.json``.

``hcl.py`` builds it from tree-sitter nodes and from JSON; ``expressions.py`` evaluates it. Every
node keeps its 1-based ``line`` so findings and evidence chains can point at the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypeAlias

Scalar: TypeAlias = str | int | float | bool | None


@dataclass(frozen=True, slots=True)
class Literal:
    """A number, bool, null or a string with no interpolation."""

    value: Scalar
    line: int


@dataclass(frozen=True, slots=True)
class Template:
    """A quoted string or heredoc with interpolations/directives. ``parts`` alternate freely.

    A template that is exactly one interpolation (``"${x}"``) evaluates to ``x`` unchanged, as in
    Terraform.
    """

    parts: tuple[str | Expr | TemplateIf | TemplateFor, ...]
    line: int


@dataclass(frozen=True, slots=True)
class TemplateIf:
    """``%{ if cond }...%{ else }...%{ endif }``."""

    condition: Expr
    then: tuple[str | Expr | TemplateIf | TemplateFor, ...]
    otherwise: tuple[str | Expr | TemplateIf | TemplateFor, ...]
    line: int


@dataclass(frozen=True, slots=True)
class TemplateFor:
    """``%{ for k, v in coll }...%{ endfor }``."""

    key_var: str | None
    value_var: str
    collection: Expr
    body: tuple[str | Expr | TemplateIf | TemplateFor, ...]
    line: int


@dataclass(frozen=True, slots=True)
class Variable:
    """A root name: ``var``, ``local``, ``aws_kms_key``, ``each``, a ``for`` variable, ..."""

    name: str
    line: int


@dataclass(frozen=True, slots=True)
class GetAttr:
    """``obj.name``."""

    obj: Expr
    name: str
    line: int


@dataclass(frozen=True, slots=True)
class Index:
    """``obj[key]`` (also the legacy ``obj.0``)."""

    obj: Expr
    key: Expr
    line: int


@dataclass(frozen=True, slots=True)
class SplatItem:
    """The element placeholder inside ``Splat.each``."""

    line: int


@dataclass(frozen=True, slots=True)
class Splat:
    """``source[*].a.b`` or ``source.*.a``.

    ``each`` is evaluated with ``SplatItem`` bound to every element of ``source`` (a non-list
    ``source`` becomes a one-element list; null becomes ``[]``).
    """

    source: Expr
    each: Expr
    line: int


@dataclass(frozen=True, slots=True)
class TupleExpr:
    """``[a, b]``."""

    items: tuple[Expr, ...]
    line: int


@dataclass(frozen=True, slots=True)
class ObjectExpr:
    """``{ k = v }``. A bare identifier key is a ``Literal`` string; ``(expr)`` keys are exprs."""

    items: tuple[tuple[Expr, Expr], ...]
    line: int


@dataclass(frozen=True, slots=True)
class Call:
    """``name(args...)``; ``expand_final`` for ``f(list...)``. Provider functions keep their
    ``provider::ns::name`` spelling in ``name``."""

    name: str
    args: tuple[Expr, ...]
    expand_final: bool
    line: int


@dataclass(frozen=True, slots=True)
class Conditional:
    """``cond ? then : otherwise``."""

    condition: Expr
    then: Expr
    otherwise: Expr
    line: int


@dataclass(frozen=True, slots=True)
class Unary:
    """``!x`` or ``-x``."""

    op: str
    operand: Expr
    line: int


@dataclass(frozen=True, slots=True)
class Binary:
    """``a op b`` for ``+ - * / % == != < <= > >= && ||``."""

    op: str
    left: Expr
    right: Expr
    line: int


@dataclass(frozen=True, slots=True)
class ForExpr:
    """``[for k, v in coll : v if c]`` or ``{for k, v in coll : key => value... if c}``."""

    key_var: str | None
    value_var: str
    collection: Expr
    key: Expr | None
    """``None`` for a tuple ``for``; the key expression for an object ``for``."""
    value: Expr
    condition: Expr | None
    group: bool
    """``...`` after the value: group values by key into lists."""
    line: int


@dataclass(frozen=True, slots=True)
class Unsupported:
    """Syntax the evaluator does not model; evaluates to Unknown with ``what``."""

    what: str
    line: int
    rejected: bool = False
    """True when Terraform itself rejects the code: ``what`` is then the whole error."""


Expr: TypeAlias = (
    Literal
    | Template
    | Variable
    | GetAttr
    | Index
    | SplatItem
    | Splat
    | TupleExpr
    | ObjectExpr
    | Call
    | Conditional
    | Unary
    | Binary
    | ForExpr
    | Unsupported
)


@dataclass(frozen=True, slots=True)
class Attribute:
    """``name = expr`` inside a body."""

    name: str
    expr: Expr
    line: int


def redefined(first: Attribute, line: int) -> tuple[Attribute, str]:
    """The attribute that stands for ``first`` set again at ``line``, and the error message.

    Terraform rejects the module ("Attribute redefined"), so neither value is used: whatever
    reads the attribute gets an unknown naming the error."""
    why = (
        f"Attribute redefined: {first.name!r} is set at lines {first.line} and {line}; "
        "Terraform rejects this configuration"
    )
    return Attribute(first.name, Unsupported(why, first.line, rejected=True), first.line), why


@dataclass(frozen=True, slots=True)
class Block:
    """``type "label" ... { body }``."""

    type: str
    labels: tuple[str, ...]
    body: Body
    line: int
    file: str
    """File relative to the scanned root."""
    invalid: str | None = None
    """Why Terraform rejects this block (another block has its address); everything that
    depends on it is unknown, naming that error."""


@dataclass(frozen=True, slots=True)
class Body:
    """Attributes and nested blocks, in source order.

    For ``.tf.json`` the parser cannot know whether ``"x": {...}`` is an attribute or a nested
    block without the schema; it records such members in ``json_objects`` too, and
    ``blocks_of_type`` interprets them as blocks on request (as Terraform does with the schema).
    """

    attributes: dict[str, Attribute]
    blocks: tuple[Block, ...]
    line: int
    json_objects: dict[str, tuple[Block, ...]] = field(default_factory=dict)

    def blocks_of_type(self, block_type: str) -> tuple[Block, ...]:
        """Nested blocks of one type, from HCL blocks or JSON members read as blocks."""
        found = tuple(b for b in self.blocks if b.type == block_type)
        return found + self.json_objects.get(block_type, ())


@dataclass(frozen=True, slots=True)
class ConfigFile:
    """One parsed ``.tf`` / ``.tf.json`` file."""

    path: str
    """Relative to the scanned root, ``/``-separated."""
    body: Body
    comments: tuple[tuple[int, str], ...] = ()
    """``(line, text)`` of every comment, for inline ignores."""

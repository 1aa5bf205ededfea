"""One Terraform module's configuration: the blocks of its files, with override files merged in.

Terraform reads every ``.tf``/``.tf.json`` file of a directory as one module; OpenTofu also reads
``.tofu``/``.tofu.json``, and a ``.tofu`` file replaces the ``.tf`` file of the same name
(https://opentofu.org/docs/language/files/). Files named
``override.tf``, ``*_override.tf`` (and their other forms) are read last and merged into
the blocks they name, as https://developer.hashicorp.com/terraform/language/files/override says:
top-level arguments replace, nested blocks replace all blocks of their type, ``locals`` merge per
name, and an override with no base block is an error.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TypeVar

from cmkguard.errors import InputError
from cmkguard.sources.terraform.ast import Attribute, Block, Body, ConfigFile, Expr, GetAttr
from cmkguard.sources.terraform.ast import Literal as LiteralExpr
from cmkguard.sources.terraform.ast import Variable as VariableExpr

SUFFIXES = (".tf", ".tf.json", ".tofu", ".tofu.json")
"""Configuration files: Terraform's, and OpenTofu's own."""
_TOFU_REPLACES = {".tofu": ".tf", ".tofu.json": ".tf.json"}

K = TypeVar("K", str, tuple[str, str])


def is_config_file(name: str) -> bool:
    """True for a file Terraform reads as configuration (it skips dot, ``~`` and ``#`` files)."""
    if name.startswith((".", "#")) or name.endswith(("~", "#")):
        return False
    return name.endswith(SUFFIXES)


def config_files(names: Sequence[str]) -> list[str]:
    """The configuration files among a directory's ``names``, as OpenTofu picks them: a
    ``NAME.tofu`` (``NAME.tofu.json``) file is read instead of ``NAME.tf`` (``NAME.tf.json``).
    Without ``.tofu`` files this is exactly Terraform's choice."""
    chosen = [n for n in names if is_config_file(n)]
    replaced = {
        name.removesuffix(tofu) + tf
        for name in chosen
        for tofu, tf in _TOFU_REPLACES.items()
        if name.endswith(tofu)
    }
    return [n for n in chosen if n not in replaced]


def is_override_file(name: str) -> bool:
    """True for ``override.tf``, ``*_override.tf`` and their ``.tf.json``/``.tofu``/``.tofu.json``
    forms."""
    # Longest suffixes first: "x_override.tf.json" is not a ".json" file named "x_override.tf".
    for suffix in sorted(SUFFIXES, key=len, reverse=True):
        if name.endswith(suffix):
            stem = name[: -len(suffix)]
            return stem == "override" or stem.endswith("_override")
    return False


@dataclass(frozen=True, slots=True)
class Local:
    """One ``locals`` entry."""

    name: str
    """The local's name."""
    expr: Expr
    """Its expression."""
    file: str
    """The file it is written in."""
    line: int
    """Its 1-based line."""


@dataclass(frozen=True, slots=True)
class ModuleConfig:
    """The merged blocks of one module directory, keyed the way references name them."""

    dir: str
    """The directory, relative to the scanned root (``.`` for the root itself)."""
    variables: Mapping[str, Block] = field(default_factory=dict)
    """``variable`` blocks by name."""
    locals: Mapping[str, Local] = field(default_factory=dict)
    """``locals`` entries by name."""
    outputs: Mapping[str, Block] = field(default_factory=dict)
    """``output`` blocks by name."""
    resources: Mapping[tuple[str, str], Block] = field(default_factory=dict)
    """Managed ``resource`` blocks by (type, name), in source order."""
    data: Mapping[tuple[str, str], Block] = field(default_factory=dict)
    """``data`` blocks by (type, name)."""
    modules: Mapping[str, Block] = field(default_factory=dict)
    """``module`` calls by name."""
    providers: Mapping[str, Block] = field(default_factory=dict)
    """``provider`` blocks by ``NAME`` or ``NAME.ALIAS``."""

    def resources_of_type(self, resource_type: str) -> list[Block]:
        """Managed resources of one type, in source order."""
        return [b for (t, _), b in self.resources.items() if t == resource_type]


def provider_key(block: Block) -> str:
    """``aws`` or ``aws.ALIAS`` for a ``provider`` block (a non-literal alias keeps ``aws``)."""
    alias = block.body.attributes.get("alias")
    if (
        alias is not None
        and isinstance(alias.expr, LiteralExpr)
        and isinstance(alias.expr.value, str)
    ):
        return f"{block.labels[0]}.{alias.expr.value}"
    return block.labels[0]


def traversal_text(expr: Expr) -> str | None:
    """``aws.west`` for the traversal ``aws.west`` or the string ``"aws.west"``; else ``None``.

    Provider references (``provider = aws.west``, ``providers = { aws = aws.west }``) are static
    traversals, never evaluated."""
    if isinstance(expr, VariableExpr):
        return expr.name
    if isinstance(expr, GetAttr):
        inner = traversal_text(expr.obj)
        return None if inner is None else f"{inner}.{expr.name}"
    if isinstance(expr, LiteralExpr) and isinstance(expr.value, str):
        return expr.value
    return None


def _duplicate_why(name: str, first: Block, second: Block) -> str:
    return (
        f"Terraform rejects this configuration: two blocks declare {name} "
        f"({first.file}:{first.line} and {second.file}:{second.line})"
    )


class _Collector:
    """Accumulates blocks of the primary files, then merges override files in."""

    def __init__(self, module_dir: str) -> None:
        self.dir = module_dir
        self.variables: dict[str, Block] = {}
        self.locals: dict[str, Local] = {}
        self.outputs: dict[str, Block] = {}
        self.resources: dict[tuple[str, str], Block] = {}
        self.data: dict[tuple[str, str], Block] = {}
        self.modules: dict[str, Block] = {}
        self.providers: dict[str, Block] = {}
        self.errors: list[InputError] = []

    def _place(self, block: Block, *, merge: bool) -> None:
        """Put a block into its table (or merge an override block into its base)."""
        labels = block.labels
        kind = block.type
        if kind in ("resource", "data") and len(labels) == 2:
            prefix = "data." if kind == "data" else ""
            table = self.data if kind == "data" else self.resources
            name = f"{prefix}{labels[0]}.{labels[1]}"
            self._put(table, (labels[0], labels[1]), name, block, merge=merge)
        elif kind == "provider" and len(labels) == 1:
            key = provider_key(block)
            self._put(self.providers, key, f"provider {key}", block, merge=merge)
        elif kind in ("variable", "output", "module") and len(labels) == 1:
            tables = {"variable": self.variables, "output": self.outputs, "module": self.modules}
            self._put(tables[kind], labels[0], f"{kind} {labels[0]}", block, merge=merge)

    def _put(self, table: dict[K, Block], key: K, name: str, block: Block, *, merge: bool) -> None:
        existing = table.get(key)
        if merge:
            if existing is None:
                self._orphan(name, block.file, block.line)
            else:
                table[key] = merge_override(existing, block)
        elif existing is not None:
            self._duplicate(name, block.file, block.line, existing.file, existing.line)
            # Terraform rejects the whole configuration; keeping the first block would judge
            # code that never deploys, so whatever depends on this address is unknown.
            table[key] = replace(existing, invalid=_duplicate_why(name, existing, block))
        else:
            table[key] = block

    def add(self, config: ConfigFile, *, merge: bool) -> None:
        """Add the blocks of a primary file (duplicates are errors, the first is kept), or merge
        the blocks of an override file into the blocks they name."""
        for block in config.body.blocks:
            if block.type != "locals":
                self._place(block, merge=merge)
                continue
            for attr in block.body.attributes.values():
                first = self.locals.get(attr.name)
                if merge and first is None:
                    self._orphan(f"local.{attr.name}", block.file, attr.line)
                elif not merge and first is not None:
                    self._duplicate(
                        f"local.{attr.name}", block.file, attr.line, first.file, first.line
                    )
                else:
                    self.locals[attr.name] = Local(attr.name, attr.expr, block.file, attr.line)

    def _duplicate(self, name: str, file: str, line: int, first_file: str, first_line: int) -> None:
        self.errors.append(
            InputError(file, line, f"duplicate {name} (first defined at {first_file}:{first_line})")
        )

    def _orphan(self, name: str, file: str, line: int) -> None:
        self.errors.append(InputError(file, line, f"override for {name}, which is not defined"))

    def result(self) -> ModuleConfig:
        return ModuleConfig(
            self.dir,
            self.variables,
            self.locals,
            self.outputs,
            self.resources,
            self.data,
            self.modules,
            self.providers,
        )


def _block_types(body: Body) -> set[str]:
    """The nested block types a body sets, counting ``dynamic "X"`` as ``X``."""
    types = {b.type for b in body.blocks} | set(body.json_objects)
    types |= {b.labels[0] for b in body.blocks_of_type("dynamic") if b.labels}
    types.discard("dynamic")
    return types


def _keeps(block: Block, replaced: set[str]) -> bool:
    if block.type == "dynamic":
        return not (block.labels and block.labels[0] in replaced)
    return block.type not in replaced


def merge_override(base: Block, over: Block) -> Block:
    """``base`` with ``over`` merged in: arguments replace, nested block types replace whole.

    The merged block keeps the base block's file and line: that is where the resource is
    declared, and where findings point."""
    attributes: dict[str, Attribute] = dict(base.body.attributes)
    attributes.update(over.body.attributes)
    replaced = _block_types(over.body)
    blocks = tuple(b for b in base.body.blocks if _keeps(b, replaced)) + over.body.blocks
    json_objects = {k: v for k, v in base.body.json_objects.items() if k not in replaced}
    json_objects.update(over.body.json_objects)
    return replace(base, body=Body(attributes, blocks, base.body.line, json_objects))


def build_config(
    module_dir: str, files: Sequence[ConfigFile]
) -> tuple[ModuleConfig, list[InputError]]:
    """Merge the parsed files of one directory (primary files first, then overrides, each in
    lexical order of their names) into a ``ModuleConfig``."""
    collector = _Collector(module_dir)
    ordered = sorted(files, key=lambda f: f.path)
    primary = [f for f in ordered if not is_override_file(_name(f.path))]
    overrides = [f for f in ordered if is_override_file(_name(f.path))]
    for config in primary:
        collector.add(config, merge=False)
    for config in overrides:
        collector.add(config, merge=True)
    return collector.result(), collector.errors


def _name(path: str) -> str:
    return path.rsplit("/", 1)[-1]

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

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TypeAlias, TypeVar

from cmkguard.errors import InputError
from cmkguard.sources.terraform.ast import Attribute, Block, Body, ConfigFile, Expr, GetAttr
from cmkguard.sources.terraform.ast import Literal as LiteralExpr
from cmkguard.sources.terraform.ast import Variable as VariableExpr

SUFFIXES = (".tf", ".tf.json", ".tofu", ".tofu.json")
"""Configuration files: Terraform's, and OpenTofu's own."""
_TOFU_REPLACES = {".tofu": ".tf", ".tofu.json": ".tf.json"}

K = TypeVar("K", str, tuple[str, str])
ModuleCall: TypeAlias = tuple[str, str, int, str]
"""A module call: its name, literal source, line and file."""


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
    indexed_calls: Callable[[], list[ModuleCall] | None] | None = None
    """The module calls as the text shows them, without parsing (see ``module_calls``)."""

    def module_calls(self) -> list[ModuleCall] | None:
        """(name, literal source, line, file) of every module call, read from the text alone;
        ``None`` when that needs a parse (a source that is not a literal, a file the header
        index cannot read, a file that disagreed with its index)."""
        return None if self.indexed_calls is None else self.indexed_calls()

    def resources_of_type(self, resource_type: str) -> list[Block]:
        """Managed resources of one type, in source order."""
        # Looked up by key so that only these blocks are parsed; twice, because parsing a file
        # that disagrees with its header index (a syntax error) parses the whole module again.
        found: list[Block | None] = []
        for _ in range(2):
            keys = [k for k in self.resources if k[0] == resource_type]
            found = [self.resources.get(k) for k in keys]
        return [b for b in found if b is not None]


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


def _duplicate_why(name: str, first: Entry, second: Entry) -> str:
    return (
        f"Terraform rejects this configuration: two blocks declare {name} "
        f"({first.file}:{first.line} and {second.file}:{second.line})"
    )


@dataclass(frozen=True, slots=True)
class BlockStub:
    """A top-level block known from its header (see ``headers.py``), parsed only when read."""

    type: str
    """The block type."""
    labels: tuple[str, ...]
    """Its labels."""
    file: str
    """The file it is written in."""
    line: int
    """Its 1-based line."""
    position: int
    """Its place among the top-level blocks of its file."""
    names: tuple[tuple[str, int], ...] = ()
    """For ``locals``: each entry's name and line (the first, if a name is set twice)."""
    key: str = ""
    """For ``provider``: ``NAME`` or ``NAME.ALIAS``, as ``provider_key`` gives it."""
    source: str | None = None
    """For ``module``: the literal ``source``, when it is one."""
    invalid: str | None = None
    """As ``Block.invalid``."""


@dataclass(frozen=True, slots=True)
class _Merged:
    """An override block to merge into its base once both are parsed."""

    base: Entry
    over: Entry

    @property
    def file(self) -> str:
        return self.base.file

    @property
    def line(self) -> int:
        return self.base.line


@dataclass(frozen=True, slots=True)
class LocalStub:
    """A ``locals`` entry known from the header index, parsed only when read."""

    name: str
    file: str
    line: int
    position: int
    """The place of its ``locals`` block among the top-level blocks of its file."""


Entry: TypeAlias = Block | BlockStub | _Merged
LocalEntry: TypeAlias = Local | LocalStub


def _entry_provider_key(block: Block | BlockStub) -> str:
    return block.key if isinstance(block, BlockStub) else provider_key(block)


def _local_entries(block: Block | BlockStub) -> list[tuple[str, int, LocalEntry]]:
    """(name, line, entry) of each entry of a ``locals`` block."""
    if isinstance(block, BlockStub):
        return [
            (name, line, LocalStub(name, block.file, line, block.position))
            for name, line in block.names
        ]
    return [
        (attr.name, attr.line, Local(attr.name, attr.expr, block.file, attr.line))
        for attr in block.body.attributes.values()
    ]


def _with_invalid(entry: Entry, why: str) -> Entry:
    if isinstance(entry, _Merged):
        return _Merged(_with_invalid(entry.base, why), entry.over)
    return replace(entry, invalid=why)


class Collector:
    """Accumulates blocks of the primary files, then merges override files in; its tables
    hold blocks, stubs of unparsed blocks, or overrides still to merge."""

    def __init__(self, module_dir: str) -> None:
        self.dir = module_dir
        self.variables: dict[str, Entry] = {}
        self.locals: dict[str, LocalEntry] = {}
        self.outputs: dict[str, Entry] = {}
        self.resources: dict[tuple[str, str], Entry] = {}
        self.data: dict[tuple[str, str], Entry] = {}
        self.modules: dict[str, Entry] = {}
        self.providers: dict[str, Entry] = {}
        self.errors: list[InputError] = []

    def _place(self, block: Block | BlockStub, *, merge: bool) -> None:
        """Put a block into its table (or merge an override block into its base)."""
        labels = block.labels
        kind = block.type
        if kind in ("resource", "data") and len(labels) == 2:
            prefix = "data." if kind == "data" else ""
            table = self.data if kind == "data" else self.resources
            name = f"{prefix}{labels[0]}.{labels[1]}"
            self._put(table, (labels[0], labels[1]), name, block, merge=merge)
        elif kind == "provider" and len(labels) == 1:
            key = _entry_provider_key(block)
            self._put(self.providers, key, f"provider {key}", block, merge=merge)
        elif kind in ("variable", "output", "module") and len(labels) == 1:
            tables = {"variable": self.variables, "output": self.outputs, "module": self.modules}
            self._put(tables[kind], labels[0], f"{kind} {labels[0]}", block, merge=merge)

    def _put(
        self, table: dict[K, Entry], key: K, name: str, block: Block | BlockStub, *, merge: bool
    ) -> None:
        existing = table.get(key)
        if merge:
            if existing is None:
                self._orphan(name, block.file, block.line)
            else:
                table[key] = _Merged(existing, block)
        elif existing is not None:
            self._duplicate(name, block.file, block.line, existing.file, existing.line)
            # Terraform rejects the whole configuration; keeping the first block would judge
            # code that never deploys, so whatever depends on this address is unknown.
            table[key] = _with_invalid(existing, _duplicate_why(name, existing, block))
        else:
            table[key] = block

    def add(self, blocks: Sequence[Block | BlockStub], *, merge: bool) -> None:
        """Add the blocks of a primary file (duplicates are errors, the first is kept), or merge
        the blocks of an override file into the blocks they name."""
        for block in blocks:
            if block.type != "locals":
                self._place(block, merge=merge)
                continue
            for name, line, entry in _local_entries(block):
                first = self.locals.get(name)
                if merge and first is None:
                    self._orphan(f"local.{name}", block.file, line)
                elif not merge and first is not None:
                    self._duplicate(f"local.{name}", block.file, line, first.file, first.line)
                else:
                    self.locals[name] = entry

    def _duplicate(self, name: str, file: str, line: int, first_file: str, first_line: int) -> None:
        self.errors.append(
            InputError(file, line, f"duplicate {name} (first defined at {first_file}:{first_line})")
        )

    def _orphan(self, name: str, file: str, line: int) -> None:
        self.errors.append(InputError(file, line, f"override for {name}, which is not defined"))


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


def _nothing_parsed(path: str) -> Sequence[Block] | None:
    return None


def resolved(
    entry: Entry, parsed: Callable[[str], Sequence[Block] | None] = _nothing_parsed
) -> Block | str:
    """The block an entry stands for, or the file to parse before it is known; ``parsed``
    gives the top-level blocks of a file already parsed."""
    if isinstance(entry, Block):
        return entry
    if isinstance(entry, BlockStub):
        blocks = parsed(entry.file)
        if blocks is None:
            return entry.file
        block = blocks[entry.position]
        return block if entry.invalid is None else replace(block, invalid=entry.invalid)
    base = resolved(entry.base, parsed)
    if isinstance(base, str):
        return base
    over = resolved(entry.over, parsed)
    if isinstance(over, str):
        return over
    return merge_override(base, over)


def resolved_local(
    entry: LocalEntry, parsed: Callable[[str], Sequence[Block] | None] = _nothing_parsed
) -> Local | str:
    """The ``locals`` entry an entry stands for, or the file to parse before it is known."""
    if isinstance(entry, Local):
        return entry
    blocks = parsed(entry.file)
    if blocks is None:
        return entry.file
    attr = blocks[entry.position].body.attributes[entry.name]
    return Local(entry.name, attr.expr, entry.file, attr.line)


def build_config(
    module_dir: str, files: Sequence[ConfigFile]
) -> tuple[ModuleConfig, list[InputError]]:
    """Merge the parsed files of one directory (primary files first, then overrides, each in
    lexical order of their names) into a ``ModuleConfig``."""
    collector = collect(module_dir, {f.path: f.body.blocks for f in files})

    def blocks(table: Mapping[K, Entry]) -> dict[K, Block]:
        return {key: _parsed(entry) for key, entry in table.items()}

    config = ModuleConfig(
        module_dir,
        blocks(collector.variables),
        {name: _parsed_local(entry) for name, entry in collector.locals.items()},
        blocks(collector.outputs),
        blocks(collector.resources),
        blocks(collector.data),
        blocks(collector.modules),
        blocks(collector.providers),
    )
    return config, collector.errors


def _parsed(entry: Entry) -> Block:
    block = resolved(entry)
    if isinstance(block, str):
        raise TypeError(f"{block} is not parsed")  # unreachable: every file here is parsed
    return block


def _parsed_local(entry: LocalEntry) -> Local:
    local = resolved_local(entry)
    if isinstance(local, str):
        raise TypeError(f"{local} is not parsed")  # unreachable: every file here is parsed
    return local


def collect(module_dir: str, files: Mapping[str, Sequence[Block | BlockStub]]) -> Collector:
    """The tables of one directory from the blocks of each of its files (parsed, or known
    from their headers): primary files first, then overrides, each in lexical order."""
    collector = Collector(module_dir)
    ordered = sorted(files)
    for path in ordered:
        if not is_override_file(_name(path)):
            collector.add(files[path], merge=False)
    for path in ordered:
        if is_override_file(_name(path)):
            collector.add(files[path], merge=True)
    return collector


def _name(path: str) -> str:
    return path.rsplit("/", 1)[-1]

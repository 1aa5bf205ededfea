"""One module's configuration, parsed file by file as an evaluation reads it (issue 13).

Every file's top-level block headers are indexed from its text (``headers.py``), so the tables
of a ``ModuleConfig`` know every address of the module (and its duplicates, and the override
files that name them) before anything is parsed. Reading a block parses and converts its whole
file, exactly as a full parse would: a syntax error or a rejected construct anywhere in a file
that is read still makes its blocks invalid. A file the index cannot read (JSON syntax, bad
bytes, text the scanner does not understand) is parsed at once, as before; so is a whole module
when a parsed file turns out to disagree with its index. Files no evaluation reads are never
parsed, so their syntax errors are not reported.
"""

from __future__ import annotations

from collections.abc import (
    Callable,
    ItemsView,
    Iterable,
    Iterator,
    Mapping,
    Sequence,
    ValuesView,
)
from typing import Generic, TypeVar

from cmkguard.errors import InputError
from cmkguard.sources.terraform import hcl
from cmkguard.sources.terraform.ast import Block, Literal
from cmkguard.sources.terraform.config import (
    BlockStub,
    Collector,
    Entry,
    Local,
    LocalEntry,
    ModuleCall,
    ModuleConfig,
    collect,
    provider_key,
    resolved,
    resolved_local,
)
from cmkguard.sources.terraform.headers import index_headers, may_call
from cmkguard.sources.terraform.readers import parse_file

__all__ = ["ModuleText", "index_file"]

K = TypeVar("K", str, tuple[str, str])
E = TypeVar("E", Entry, LocalEntry)
V = TypeVar("V", Block, Local)


def index_file(path: str, data: bytes) -> tuple[BlockStub, ...] | None:
    """The top-level blocks of a native HCL file from its text, or ``None`` when it must be
    parsed to know them. ``locals``, ``provider`` and ``module`` blocks are parsed on their own
    for the names they declare, a provider's alias and a module's source."""
    if path.endswith(".json"):
        return None
    data, problem = hcl.check_bytes(data, path)
    if problem is not None:
        return None
    headers = index_headers(data)
    if headers is None:
        return None
    stubs: list[BlockStub] = []
    for position, header in enumerate(headers):
        stub = BlockStub(header.type, header.labels, path, header.line, position)
        if header.type in ("locals", "provider", "module"):
            block = hcl.parse_block_text(data[header.start : header.end], path, header.line)
            if block is None or (block.type, block.labels) != (header.type, header.labels):
                return None
            named = _named(stub, block)
            if named is None:
                return None
            stub = named
        stubs.append(stub)
    return tuple(stubs)


def _named(stub: BlockStub, block: Block) -> BlockStub | None:
    """``stub`` with what its parsed header block names (``None`` when that needs the file)."""
    attributes = block.body.attributes
    if stub.type == "locals":
        names = tuple((a.name, a.line) for a in attributes.values())
        return BlockStub(stub.type, stub.labels, stub.file, stub.line, stub.position, names)
    if stub.type == "provider":
        if not stub.labels:
            return None
        key = provider_key(block)
        return BlockStub(stub.type, stub.labels, stub.file, stub.line, stub.position, key=key)
    source = attributes.get("source")
    literal = source.expr.value if source is not None and isinstance(source.expr, Literal) else None
    return BlockStub(
        stub.type,
        stub.labels,
        stub.file,
        stub.line,
        stub.position,
        source=literal if isinstance(literal, str) else None,
    )


def _shape(blocks: Sequence[Block | BlockStub]) -> list[tuple[str, tuple[str, ...]]]:
    return [(b.type, b.labels) for b in blocks]


class ModuleText:
    """The files of one module directory, each indexed when a table is first used and parsed
    when a block of it is first read."""

    def __init__(
        self, module_dir: str, files: Sequence[tuple[str, bytes]], errors: list[InputError]
    ) -> None:
        """``errors`` receives parse and configuration errors as they are found."""
        self._dir = module_dir
        self._data = dict(files)
        self._errors = errors
        self._reported: set[InputError] = set()
        self._blocks: dict[str, Sequence[Block | BlockStub]] = {}
        self._parsed: dict[str, Sequence[Block]] = {}
        self._indexed: set[str] = set()
        self._all: Collector | None = None
        self._calls: Collector | None = None
        self._calling_files: list[str] | None = None
        parsed = self._parsed.get

        def block(entry: Entry) -> Block | str:
            return resolved(entry, parsed)

        def local(entry: LocalEntry) -> Local | str:
            return resolved_local(entry, parsed)

        self.config = ModuleConfig(
            module_dir,
            _Table(self, lambda c: c.variables, block),
            _Table(self, lambda c: c.locals, local),
            _Table(self, lambda c: c.outputs, block),
            _Table(self, lambda c: c.resources, block),
            _Table(self, lambda c: c.data, block),
            _Table(self, lambda c: c.modules, block, calls_only=True),
            _Table(self, lambda c: c.providers, block),
            self.module_calls,
        )

    def collector(self, *, calls_only: bool = False) -> Collector:
        """The tables of every file; with ``calls_only``, possibly only of the files whose
        text could hold a ``module`` block (enough for the ``modules`` table, and the module
        call graph is wanted for directories whose other blocks are never read)."""
        if self._all is not None:
            return self._all
        if not calls_only:
            self._all = self._collect(self._data)
            return self._all
        if self._calls is None:
            self._calls = self._collect(self._calling())
        return self._calls

    def _calling(self) -> list[str]:
        if self._calling_files is None:
            self._calling_files = [p for p, data in self._data.items() if may_call(data)]
        return self._calling_files

    def _file_blocks(self, path: str) -> Sequence[Block | BlockStub]:
        found = self._blocks.get(path)
        if found is None:
            stubs = index_file(path, self._data[path])
            if stubs is None:
                found = self._parse(path)
            else:
                found = stubs
                self._indexed.add(path)
            self._blocks[path] = found
        return found

    def _parse(self, path: str) -> tuple[Block, ...]:
        config, errors = parse_file(self._data[path], path)
        self._errors.extend(errors)
        return () if config is None else config.body.blocks

    def _collect(self, paths: Iterable[str]) -> Collector:
        collector = collect(self._dir, {path: self._file_blocks(path) for path in paths})
        for error in collector.errors:
            if error not in self._reported:
                self._reported.add(error)
                self._errors.append(error)
        return collector

    def read(self, path: str) -> None:
        """Parse ``path`` (a file whose blocks are known from its headers only)."""
        blocks = self._parse(path)
        if _shape(blocks) == _shape(self._blocks[path]):
            # The stubs of this file now resolve to its parsed blocks; the tables stand.
            self._parsed[path] = blocks
            return
        # A syntax error, or text the scanner misread: trust nothing indexed in this module.
        self._indexed.discard(path)
        self._blocks[path] = blocks
        for other in sorted(self._data):
            if other in self._parsed:
                self._blocks[other] = self._parsed[other]
            elif other in self._indexed or other not in self._blocks:
                self._blocks[other] = self._parse(other)
        self._indexed.clear()
        if self._all is not None:
            self._all = self._collect(self._data)
        if self._calls is not None:
            self._calls = self._collect(self._calling())

    def module_calls(self) -> list[ModuleCall] | None:
        """(name, literal source, line, file) of every module call, from the text alone;
        ``None`` when a call's source is not a literal or is known only by parsing (the caller
        then parses)."""
        found: list[ModuleCall] = []
        for name, entry in self.collector(calls_only=True).modules.items():
            if not isinstance(entry, BlockStub) or entry.source is None:
                return None
            found.append((name, entry.source, entry.line, entry.file))
        return found


class _Table(Mapping[K, V], Generic[K, E, V]):
    """One table of a module, resolving its entries (parsing their files) when read."""

    def __init__(
        self,
        owner: ModuleText,
        pick: Callable[[Collector], dict[K, E]],
        resolve: Callable[[E], V | str],
        *,
        calls_only: bool = False,
    ) -> None:
        self._owner = owner
        self._calls_only = calls_only
        self._pick: Callable[[Collector], dict[K, E]] = pick
        self._resolve: Callable[[E], V | str] = resolve

    def _table(self) -> dict[K, E]:
        return self._pick(self._owner.collector(calls_only=self._calls_only))

    def __getitem__(self, key: K) -> V:
        while True:
            table = self._table()
            entry = table[key]
            found = self._resolve(entry)
            if not isinstance(found, str):
                table[key] = found  # type: ignore[assignment]  # a resolved entry is an entry
                return found
            self._owner.read(found)

    def __iter__(self) -> Iterator[K]:
        return iter(list(self._table()))

    def __len__(self) -> int:
        return len(self._table())

    def _settled(self) -> dict[K, V]:
        # Twice: a file that disagrees with its index re-parses the module mid-way.
        found: dict[K, V] = {}
        for _ in range(2):
            found = {}
            for key in list(self._table()):
                value = self.get(key)
                if value is not None:
                    found[key] = value
        return found

    def items(self) -> ItemsView[K, V]:
        """Every entry, resolved."""
        return ItemsView(self._settled())

    def values(self) -> ValuesView[V]:
        """Every value, resolved."""
        return ValuesView(self._settled())

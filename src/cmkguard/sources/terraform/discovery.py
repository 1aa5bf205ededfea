"""Which directories of a scanned tree are Terraform modules, which of them are roots, and where
each module call's source lives.

Root modules are directories with configuration files that no other scanned module calls, by a
local ``source = "./x"`` or through ``.terraform/modules/modules.json`` (written by
``terraform init``). Called modules are evaluated only in their callers' context. Only the
insides of ``.git`` and ``.terraform`` are skipped (``.terraform/modules`` is read only through
``modules.json``); other hidden directories (``.infra/``) are scanned.

Local module sources (``../..``) and symbolic links are followed inside the *boundary*: the
version-control root holding the scanned directory (the nearest directory at or above it with a
``.git`` directory or file, or ``.hg``), as Terraform follows ``source = "../.."`` from
``examples/x``; with no version control, the scanned directory itself. A module source or a
configuration file leading beyond the boundary is an input error naming the directory to scan
instead. Paths of files outside the scanned directory stay relative to it (``../../main.tf``).
A module cycle is an input error at the module block that closes it, and the modules in the cycle
are still judged as roots. A remote module that ``terraform init`` has not fetched is an input
error at its module block, unless the run fetches it (``--download-modules``): then its package
is named by its absolute path in the module cache, and read like the tree.

Reading is cheap and parsing is not, so a directory is parsed only when its bytes show it matters:
it declares a notebook, or calls modules (to learn the call graph), or a notebook's evaluation
reaches it.
"""

from __future__ import annotations

import json
import os
import posixpath
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from cmkguard.errors import InputError
from cmkguard.sources.inputs import read_limited
from cmkguard.sources.terraform import hcl
from cmkguard.sources.terraform.ast import Literal as LiteralExpr
from cmkguard.sources.terraform.config import ModuleConfig, config_files
from cmkguard.sources.terraform.headers import may_call
from cmkguard.sources.terraform.module_download import ModuleDownloader
from cmkguard.sources.terraform.ondemand import ModuleText

_LOCAL_SOURCE = re.compile(rb'"?source"?[ \t]*[=:][ \t]*"(\.\.?(?:/[^"\n]*)?)"')
_MODULES_JSON = ".terraform/modules/modules.json"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
VCS_MARKERS = (".git", ".hg")
"""What marks a version-control root: ``.git`` (a directory, or a file in a worktree or
submodule) or Mercurial's ``.hg``."""
SKIPPED_DIRS = frozenset({".git", ".terraform"})
"""Directories whose insides are never Terraform to judge: version control internals, and
``terraform init``'s downloads (read only through ``modules.json``)."""


def _norm(path: str) -> str:
    """A ``/``-separated relative path in normal form (``.`` for the root)."""
    return posixpath.normpath(path) if path else "."


def version_control_root(directory: Path) -> Path | None:
    """The nearest directory at or above ``directory`` (an absolute, resolved path) that holds
    a ``VCS_MARKERS`` entry, or ``None`` outside version control."""
    for candidate in (directory, *directory.parents):
        if any((candidate / marker).exists() for marker in VCS_MARKERS):
            return candidate
    return None


def join(base: str, rel: str) -> str:
    """``rel`` resolved against the directory ``base``, both relative to the scanned root."""
    return _norm(posixpath.join(base, rel))


def source_text(rel: str) -> str:
    """A root-relative directory as a person reads it (``the scanned directory`` for ``.``)."""
    return "the scanned directory" if rel == "." else rel


def _reachable(graph: dict[str, set[str]], start: str) -> set[str]:
    """Every directory ``start`` calls, directly or through others (itself only on a cycle)."""
    seen: set[str] = set()
    stack = [start]
    while stack:
        for target in graph.get(stack.pop(), ()):
            if target not in seen:
                seen.add(target)
                stack.append(target)
    return seen


@dataclass(frozen=True, slots=True)
class ModuleSource:
    """Where a module call's source is, or why it cannot be read."""

    dir: str | None
    """The module's directory relative to the scanned root, when it can be read."""
    problem: str | None = None
    """Why it cannot be read, in words naming the missing input."""
    is_error: bool = False
    """True when the configuration itself is wrong (a missing or escaping local path): an
    ``InputError`` at the module block. A remote module not downloaded is not an error."""


def is_local_source(source: str) -> bool:
    """Terraform treats only ``./`` and ``../`` paths as local module sources."""
    return source.startswith(("./", "../")) or source in (".", "..")


class SourceTree:
    """The files under one scanned directory, read and parsed on demand, each at most once."""

    def __init__(
        self,
        root: Path,
        overlay: Mapping[str, bytes] | None = None,
        downloader: ModuleDownloader | None = None,
    ) -> None:
        self.root = root
        # ``--download-modules``: remote sources ``terraform init`` has not fetched are fetched
        # into packages outside the tree, named by absolute paths and readable like the tree.
        self._downloader = downloader
        self._packages: list[Path] = []
        # ``cmkguard fix`` re-scans its proposals in memory: root-relative paths whose text
        # stands in for the file on disk (or adds a file that does not exist yet).
        self._overlay = dict(overlay or {})
        real_root = root.resolve()
        repository = version_control_root(real_root)
        self.boundary = repository or real_root
        """The directory nothing is read beyond (resolved): see the module docstring."""
        self.boundary_name = (
            f"the repository at {repository}"
            if repository not in (None, real_root)
            else "the scanned directory"
        )
        """The boundary in words, for messages."""
        self.errors: list[InputError] = []
        self._files: dict[str, tuple[tuple[str, bytes], ...]] = {}
        self._configs: dict[str, ModuleConfig] = {}
        self._modules_json: dict[str, dict[str, str]] = {}
        self._inside: dict[str, bool] = {}
        self._entries: dict[str, dict[str, os.DirEntry[str]]] = {}

    # ---- paths

    def path(self, rel: str) -> Path:
        """The filesystem path of a root-relative path."""
        return self.root if rel == "." else self.root / rel

    def inside(self, rel: str) -> bool:
        """True when ``rel`` stays inside the boundary (the scanned directory's repository),
        symbolic links resolved."""
        found = self._inside.get(rel)
        if found is None:
            found = (
                self._in_package(rel)
                if rel.startswith("/")
                else self._under_inside_parent(rel) or self._resolves_inside(rel)
            )
            self._inside[rel] = found
        return found

    def _under_inside_parent(self, rel: str) -> bool:
        # A plain entry of a directory known to be inside is inside: one lstat, where resolving
        # the whole path costs one per level (quadratic in a deep tree).
        # A path climbing out (``../..``) is no entry of its parent: it is resolved.
        parent = posixpath.dirname(rel) or "."
        return (
            rel != "."
            and posixpath.basename(rel) != ".."
            and self._inside.get(parent) is True
            and not self.path(rel).is_symlink()
        )

    def _in_package(self, path: str) -> bool:
        """True when the absolute ``path`` stays inside a package fetched by this run."""
        try:
            real = Path(path).resolve()
        except (OSError, RuntimeError):
            return False
        return any(real.is_relative_to(package) for package in self._packages)

    def package_part(self, rel: str) -> str:
        """``rel`` relative to the fetched package holding it, or ``rel`` itself: the part
        the scanned configuration chose (the cache's own path may hold ``.cache``)."""
        if rel.startswith("/"):
            for package in self._packages:
                if Path(rel).is_relative_to(package):
                    return Path(rel).relative_to(package).as_posix()
        return rel

    def _resolves_inside(self, rel: str) -> bool:
        try:
            self.path(rel).resolve().relative_to(self.boundary)
        except (ValueError, OSError):
            return False
        return True

    def is_dir(self, rel: str) -> bool:
        """True for a directory inside the boundary."""
        return self.inside(rel) and self.path(rel).is_dir()

    def is_file(self, rel: str) -> bool:
        """True for a regular file inside the boundary (or one the overlay adds)."""
        return rel in self._overlay or (self.inside(rel) and self.path(rel).is_file())

    # ---- reading

    def overlaid(self, path: Path) -> bytes | None:
        """The overlay's text for a file named outside the tree's own walk (a ``--var-file``),
        when it stands in for that file."""
        try:
            rel = path.absolute().relative_to(self.root.absolute()).as_posix()
        except ValueError:
            return None
        return self._overlay.get(rel)

    def read(self, rel: str, limit: int = hcl.MAX_FILE_BYTES) -> bytes | str:
        """The bytes of a file inside the boundary, or a sentence saying why not."""
        if not self.inside(rel):
            return f"{rel} is outside {self.boundary_name}"
        if rel in self._overlay:
            return self._overlay[rel]
        path = self.path(rel)
        if not path.exists():
            return f"{rel} does not exist"
        if not path.is_file():
            return f"{rel} is not a regular file"
        return read_limited(path, rel, limit)

    def listdir(self, rel_dir: str) -> list[str]:
        """The names in a directory inside the root, sorted; empty when it cannot be listed."""
        if not self.inside(rel_dir):
            return []
        added = {
            posixpath.basename(r) for r in self._overlay if (posixpath.dirname(r) or ".") == rel_dir
        }
        return sorted(added.union(self._scan(rel_dir)))

    def _scan(self, rel_dir: str) -> dict[str, os.DirEntry[str]]:
        """A directory's entries by sorted name, listed once: the walk and the reads share them,
        and an entry answers ``is_dir``/``is_file``/``is_symlink`` from the listing itself, where
        a ``Path`` costs an object and a system call per question per file (issue 13)."""
        found = self._entries.get(rel_dir)
        if found is None:
            try:
                with os.scandir(self.path(rel_dir)) as listing:
                    found = {e.name: e for e in sorted(listing, key=lambda e: e.name)}
            except OSError:
                found = {}
            self._entries[rel_dir] = found
        return found

    def _entry_inside(self, rel: str, entry: os.DirEntry[str]) -> bool:
        """``inside`` for an entry of a directory known to be inside: only a symbolic link needs
        resolving."""
        if entry.is_symlink():
            return self.inside(rel)
        self._inside[rel] = True
        return True

    def dir_files(self, rel_dir: str) -> tuple[tuple[str, bytes], ...]:
        """The configuration files of a directory as (root-relative path, bytes), by name."""
        found = self._files.get(rel_dir)
        if found is not None:
            return found
        entries = self._scan(rel_dir) if self.inside(rel_dir) else {}
        files: list[tuple[str, bytes]] = []
        for name in config_files(self.listdir(rel_dir)):
            rel = join(rel_dir, name)
            entry = None if rel in self._overlay else entries.get(name)
            data = self._entry_bytes(rel, entry) if entry is not None else self._file_bytes(rel)
            if data is None:
                continue
            if isinstance(data, str):
                self.errors.append(InputError(rel, None, data))
                continue
            files.append((rel, self._utf8(rel, data)))
        result = tuple(files)
        self._files[rel_dir] = result
        return result

    def _entry_bytes(self, rel: str, entry: os.DirEntry[str]) -> bytes | str | None:
        """A listed file's bytes (or why not), read through its directory entry; ``None`` for
        what is no regular file."""
        if not self._entry_inside(rel, entry):
            self._outside_link(rel)
            return None
        try:
            if not entry.is_file():
                return None
        except OSError:
            return None
        return read_limited(entry.path, rel, hcl.MAX_FILE_BYTES)

    def _file_bytes(self, rel: str) -> bytes | str | None:
        """A file's bytes (or why not) by its path: the overlay's files."""
        if not self.inside(rel):
            self._outside_link(rel)
            return None
        if not self.is_file(rel):
            return None
        return self.read(rel)

    def _outside_link(self, rel: str) -> None:
        # A symbolic link to a shared file is followed as Terraform follows it, but only inside
        # the repository: what it points at beyond was not offered.
        self.report(rel, None, f"{rel} is a symbolic link leading outside {self.boundary_name}")

    def _utf8(self, rel: str, data: bytes) -> bytes:
        """UTF-16 text (Windows editors write it) decoded to UTF-8 so its notebooks are still
        judged, and named as an error: Terraform itself reads only UTF-8."""
        if not data.startswith(_UTF16_BOMS):
            return data
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            return data  # the parser names it as binary
        self.report(rel, 1, "UTF-16 text: judged as decoded, but Terraform reads only UTF-8")
        return text.encode("utf-8")

    def contains(self, rel_dir: str, needle: bytes) -> bool:
        """True when any configuration file of the directory contains ``needle``."""
        return any(needle in data for _, data in self.dir_files(rel_dir))

    def has_module_calls(self, rel_dir: str) -> bool:
        """True when the directory's text could hold a ``module`` block."""
        return any(may_call(data) for _, data in self.dir_files(rel_dir))

    def config(self, rel_dir: str) -> ModuleConfig:
        """The override-merged configuration of a directory, each file parsed when a block of it
        is first read (``ondemand.py``). Parse errors are recorded once, when found; a file that
        does not parse contributes nothing."""
        found = self._configs.get(rel_dir)
        if found is not None:
            return found
        # Parsed on demand: a file is parsed when a block of it is first read.
        result = ModuleText(rel_dir, self.dir_files(rel_dir), self.errors).config
        self._configs[rel_dir] = result
        return result

    # ---- module sources

    def modules_json(self, root_dir: str) -> dict[str, str]:
        """``terraform init``'s record for a root module: module key (``a.b``) to directory."""
        found = self._modules_json.get(root_dir)
        if found is not None:
            return found
        records: dict[str, str] = {}
        rel = join(root_dir, _MODULES_JSON)
        if self.inside(rel) and self.path(rel).is_file():
            data = self.read(rel)
            if isinstance(data, str):
                self.errors.append(InputError(rel, None, data))
            else:
                records = self._parse_modules_json(rel, root_dir, data)
        self._modules_json[root_dir] = records
        return records

    def _parse_modules_json(self, rel: str, root_dir: str, data: bytes) -> dict[str, str]:
        try:
            document = json.loads(data)
        except (ValueError, UnicodeDecodeError) as exc:
            self.errors.append(InputError(rel, None, f"invalid JSON: {exc}"))
            return {}
        modules = document.get("Modules") if isinstance(document, dict) else None
        if not isinstance(modules, list):
            self.errors.append(InputError(rel, None, "no Modules list"))
            return {}
        records: dict[str, str] = {}
        for entry in modules:
            if not isinstance(entry, dict):
                continue
            key, directory = entry.get("Key"), entry.get("Dir")
            if isinstance(key, str) and key and isinstance(directory, str):
                records[key] = join(root_dir, directory.replace("\\", "/"))
        return records

    def resolve_source(self, caller_dir: str, source: str, root_dir: str, key: str) -> ModuleSource:
        """Where the module called from ``caller_dir`` with ``source`` lives.

        ``key`` is the dotted module path from the root (``a.b``), the key ``modules.json`` uses.
        """
        if is_local_source(source):
            target = join(caller_dir, source)
            if not self.inside(target):
                return ModuleSource(None, self._beyond(source, target), True)
            if not self.path(target).is_dir():
                return ModuleSource(None, f"module source {source} does not exist", True)
            return ModuleSource(target)
        installed = self.modules_json(root_dir).get(key)
        if installed is not None and self.is_dir(installed):
            return ModuleSource(installed)
        if self._downloader is None:
            return ModuleSource(None, f"remote module {source} not downloaded; run terraform init")
        fetched = self._downloader.fetch(source, self._version(caller_dir, key))
        if isinstance(fetched, str):
            return ModuleSource(None, f"remote source {source} could not be downloaded: {fetched}")
        if fetched.package not in self._packages:
            self._packages.append(fetched.package)
        return ModuleSource(fetched.module.as_posix())

    def _version(self, caller_dir: str, key: str) -> str | None:
        """The literal ``version`` constraint of the module block ``key`` names."""
        block = self.config(caller_dir).modules.get(key.rsplit(".", 1)[-1])
        attribute = block.body.attributes.get("version") if block is not None else None
        if attribute is not None and isinstance(attribute.expr, LiteralExpr):
            value = attribute.expr.value
            return value if isinstance(value, str) else None
        return None

    def _beyond(self, source: str, target: str) -> str:
        """Why a local source leading beyond the boundary is not read, and what to scan so that
        it would be: the nearest directory holding both the boundary and the source."""
        try:
            where = self.path(target).resolve()
        except (OSError, RuntimeError):
            where = Path(os.path.abspath(self.path(target)))
        holder = Path(os.path.commonpath([self.boundary, where]))
        return f"module source {source} leads outside {self.boundary_name}; scan {holder} instead"

    def calls(self, rel_dir: str) -> list[tuple[str, str, int, str]]:
        """The module calls of a directory: (name, source, line, file). Read from the header
        index when every source is a literal there; parses only when the text could hold a
        module block and the index cannot tell."""
        if not self.has_module_calls(rel_dir):
            return []
        indexed = self.config(rel_dir).module_calls()
        if indexed is not None:
            return indexed
        found: list[tuple[str, str, int, str]] = []
        for name, block in self.config(rel_dir).modules.items():
            source = block.body.attributes.get("source")
            if source is not None and isinstance(source.expr, LiteralExpr):
                value = source.expr.value
                if isinstance(value, str):
                    found.append((name, value, block.line, block.file))
                    continue
            self.errors.append(
                InputError(block.file, block.line, f"module {name} has no literal source")
            )
        return found

    # ---- discovery

    def module_dirs(self) -> list[str]:
        """Every directory with configuration files, hidden ones too (``.infra/``), but not the
        internals of ``.git`` and ``.terraform``; symbolic links that stay inside the root are
        followed once. Walked with an explicit stack: the depth of a tree is the scanned
        repository's choice, and must not exhaust Python's recursion limit."""
        return [rel for rel in self._walk() if self.dir_files(rel)]

    def _walk(self) -> Iterator[str]:
        seen: set[tuple[int, int]] = set()
        stack = ["."]
        while stack:
            rel = stack.pop()
            try:
                # The directory's identity, not its resolved path: resolving is one system call
                # per level, quadratic in a deep tree.
                stat = os.stat(self.path(rel))
            except OSError:
                continue
            if (stat.st_dev, stat.st_ino) in seen:
                continue
            seen.add((stat.st_dev, stat.st_ino))
            yield rel
            children: list[str] = []
            for name, entry in self._scan(rel).items():
                if name in SKIPPED_DIRS:
                    continue
                child = join(rel, name)
                try:
                    is_dir = entry.is_dir(follow_symlinks=True)
                except OSError:
                    continue
                if is_dir and self._entry_inside(child, entry):
                    children.append(child)
            # Reversed onto the stack, so directories come out in sorted, depth-first order.
            stack.extend(reversed(children))

    def reaches(self, root_dir: str, rel_dir: str, needle: bytes, key: str = "") -> bool:
        """True when ``rel_dir`` or a module it calls (transitively, as instantiated under the
        root ``root_dir``) contains ``needle``."""
        return self._reaches(root_dir, rel_dir, needle, key, frozenset())

    def _reaches(
        self, root_dir: str, rel_dir: str, needle: bytes, key: str, visiting: frozenset[str]
    ) -> bool:
        if rel_dir in visiting:
            return False
        if self.contains(rel_dir, needle):
            return True
        for name, source, _, _ in self.calls(rel_dir):
            child_key = f"{key}.{name}" if key else name
            target = self.resolve_source(rel_dir, source, root_dir, child_key).dir
            if target is not None and self._reaches(
                root_dir, target, needle, child_key, visiting | {rel_dir}
            ):
                return True
        return False

    def report_unread_remote_calls(self, root_dir: str) -> None:
        """Report every remote module call under the root ``root_dir`` (in it, or in a module it
        calls) that is not downloaded. Such a module may declare notebooks or the keys they use,
        so it is an input that could not be read, never a silent gap (``shared/control.md``,
        "Modules")."""
        self._unread_remote(root_dir, root_dir, "", frozenset())

    def _unread_remote(
        self, root_dir: str, rel_dir: str, key: str, visiting: frozenset[str]
    ) -> None:
        if rel_dir in visiting:
            return
        for name, source, line, file in self.calls(rel_dir):
            child_key = f"{key}.{name}" if key else name
            resolved = self.resolve_source(rel_dir, source, root_dir, child_key)
            if resolved.dir is not None:
                self._unread_remote(root_dir, resolved.dir, child_key, visiting | {rel_dir})
            elif not resolved.is_error:
                self.report(file, line, self._unread_message(name, source, resolved))

    def _unread_message(self, name: str, source: str, resolved: ModuleSource) -> str:
        if self._downloader is None:
            return (
                f"module {name}: remote source {source} is not downloaded, so the notebooks "
                "and keys it may declare cannot be judged; run `terraform init` first "
                "(or scan with --download-modules)"
            )
        return (
            f"module {name}: {resolved.problem}, so the notebooks and keys it may declare "
            "cannot be judged; fix the source or version, or run `terraform init` and scan "
            "without --download-modules"
        )

    def roots(self, dirs: list[str], needle: bytes) -> list[str]:
        """The directories among ``dirs`` that no scanned module calls.

        Only calls that lead to ``needle`` matter (a directory called by nobody who leads there
        is judged on its own), so a directory is parsed only when its text names a local source
        whose tree contains ``needle``. A call that closes a cycle (``source = "./"``, or a
        calling b calling a) is an input error at its module block, and does not count: the
        modules in the cycle are still judged, as roots."""
        called: set[str] = set()
        calls: list[tuple[str, str, str, int]] = []
        for rel in dirs:
            called.update(d for d in self.modules_json(rel).values() if d != rel)
            if not self._may_call(rel, needle):
                continue
            for _, source, line, file in self.calls(rel):
                if is_local_source(source):
                    resolved = self.resolve_source(rel, source, rel, "")
                    if resolved.dir is not None:
                        calls.append((rel, resolved.dir, file, line))
                    elif resolved.problem is not None:
                        self.report(file, line, resolved.problem)
        graph: dict[str, set[str]] = {}
        for caller, target, _, _ in calls:
            graph.setdefault(caller, set()).add(target)
        for caller, target, file, line in calls:
            if caller == target:
                self.report(file, line, "module calls its own directory: a cycle of module calls")
            elif caller in _reachable(graph, target):
                self.report(
                    file,
                    line,
                    f"module call to {target} closes a cycle of module calls "
                    f"back to {source_text(caller)}",
                )
            else:
                called.add(target)
        return [d for d in dirs if d not in called]

    def _may_call(self, rel: str, needle: bytes) -> bool:
        """True when the directory's text has a local module source leading to ``needle``
        (a literal ``source = "./x"``: module sources cannot be expressions)."""
        for _, data in self.dir_files(rel):
            for match in _LOCAL_SOURCE.finditer(data):
                target = join(rel, match.group(1).decode(errors="replace"))
                if not self.inside(target) or not self.path(target).is_dir():
                    return True
                if self.reaches(rel, target, needle):
                    return True
        return False

    def report(self, file: str, line: int | None, message: str) -> None:
        """Record an input error once."""
        error = InputError(file, line, message)
        if error not in self.errors:
            self.errors.append(error)

"""The bundle's integrity records: ``manifest.json`` (canonical JSON) and ``SHA256SUMS``.

``manifest.json`` lists every file of the bundle but itself and ``SHA256SUMS`` with its SHA-256
and size. It is canonical JSON (sorted keys, ``(",", ":")`` separators, UTF-8 with
``ensure_ascii=False``, no trailing newline) so that the same content always hashes the same.
``SHA256SUMS`` lists every file including ``manifest.json`` in GNU coreutils format, so an
auditor can check the bundle with ``sha256sum -c SHA256SUMS`` and no cmkguard at all.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Final

FORMAT: Final = "cmkguard-evidence/1"
"""The ``format`` field of every manifest this version writes and reads."""

MANIFEST_NAME: Final = "manifest.json"
"""The manifest's path relative to the bundle root."""

SUMS_NAME: Final = "SHA256SUMS"
"""The checksum list's path relative to the bundle root."""

_HEX64 = re.compile(r"^[0-9a-f]{64}$")
# GNU sha256sum writes "HASH  NAME" (text mode) or "HASH *NAME" (binary mode).
_SUMS_LINE = re.compile(r"^(?P<hash>[0-9a-fA-F]{64}) [ *](?P<path>.+)$")


class ManifestError(ValueError):
    """``manifest.json`` or ``SHA256SUMS`` cannot be read as what this version writes."""


@dataclass(frozen=True, slots=True)
class FileEntry:
    """One file of the bundle as recorded in the manifest."""

    sha256: str
    """Lower-case hex SHA-256 of the file's bytes."""
    bytes: int
    """The file's size in bytes."""


@dataclass(frozen=True, slots=True)
class Manifest:
    """The parsed ``manifest.json``."""

    tool: Mapping[str, str]
    """``{"name": "cmkguard", "version": ...}`` of the tool that wrote the bundle."""
    created: str
    """UTC time the bundle was written, ISO 8601."""
    files: Mapping[str, FileEntry]
    """Relative path (``/`` separators) to its hash and size; excludes the manifest and sums."""


def canonical_json(value: object) -> bytes:
    """Canonical JSON bytes: sorted keys, no whitespace, UTF-8, no trailing newline."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def pretty_json(value: object) -> bytes:
    """Readable deterministic JSON (sorted keys, indent 2, UTF-8) ending in a newline."""
    text = json.dumps(value, sort_keys=True, indent=2, ensure_ascii=False, allow_nan=False)
    return (text + "\n").encode("utf-8")


def sha256_hex(data: bytes) -> str:
    """Lower-case hex SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def manifest_bytes(manifest: Manifest) -> bytes:
    """The exact bytes of ``manifest.json`` for ``manifest``."""
    return canonical_json(
        {
            "format": FORMAT,
            "tool": dict(manifest.tool),
            "created": manifest.created,
            "files": {
                path: {"sha256": entry.sha256, "bytes": entry.bytes}
                for path, entry in manifest.files.items()
            },
        }
    )


def parse_manifest(data: bytes) -> Manifest:
    """Read ``manifest.json``; raise ``ManifestError`` unless it is exactly what we write.

    Re-encoding must give the same bytes: a manifest that was edited and saved by a tool that
    reformats it is reported rather than trusted silently.
    """
    try:
        raw = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ManifestError(f"{MANIFEST_NAME} is not JSON: {exc}") from None
    except RecursionError:
        raise ManifestError(f"{MANIFEST_NAME} is nested too deeply to be a manifest") from None
    if not isinstance(raw, dict):
        raise ManifestError(f"{MANIFEST_NAME} is not a JSON object")
    if raw.get("format") != FORMAT:
        raise ManifestError(f"{MANIFEST_NAME}: format is {raw.get('format')!r}, not {FORMAT!r}")
    if set(raw) != {"format", "tool", "created", "files"}:
        raise ManifestError(f"{MANIFEST_NAME}: unexpected fields {sorted(raw)}")
    tool, created, files = raw["tool"], raw["created"], raw["files"]
    if not isinstance(tool, dict) or not all(isinstance(v, str) for v in tool.values()):
        raise ManifestError(f"{MANIFEST_NAME}: 'tool' is not an object of strings")
    if not isinstance(created, str):
        raise ManifestError(f"{MANIFEST_NAME}: 'created' is not a string")
    if not isinstance(files, dict):
        raise ManifestError(f"{MANIFEST_NAME}: 'files' is not an object")
    entries: dict[str, FileEntry] = {}
    for path, entry in files.items():
        if not (
            isinstance(entry, dict)
            and set(entry) == {"sha256", "bytes"}
            and isinstance(entry["sha256"], str)
            and _HEX64.match(entry["sha256"])
            and isinstance(entry["bytes"], int)
            and not isinstance(entry["bytes"], bool)
            and entry["bytes"] >= 0
        ):
            raise ManifestError(f"{MANIFEST_NAME}: bad entry for {path!r}")
        entries[path] = FileEntry(entry["sha256"], entry["bytes"])
    manifest = Manifest(tool, created, entries)
    if manifest_bytes(manifest) != data:
        raise ManifestError(f"{MANIFEST_NAME} is not in canonical form")
    return manifest


def sums_text(hashes: Mapping[str, str]) -> str:
    """``SHA256SUMS`` content: ``HASH  PATH`` lines sorted by path (GNU coreutils text mode)."""
    for path in hashes:
        if "\n" in path or "\\" in path or "\r" in path:
            # NOTE: GNU sha256sum escapes such names with a leading backslash; bundle paths are
            # sanitised so this never happens, and we refuse rather than write an odd format.
            raise ValueError(f"path cannot be written to {SUMS_NAME}: {path!r}")
    return "".join(f"{hashes[path]}  {path}\n" for path in sorted(hashes))


def parse_sums(text: str) -> dict[str, str]:
    """Read ``SHA256SUMS`` into path -> hash; raise ``ManifestError`` on any odd line."""
    hashes: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        match = _SUMS_LINE.match(line)
        if match is None:
            raise ManifestError(f"{SUMS_NAME}:{number}: not a 'HASH  PATH' line")
        path = match["path"]
        if path in hashes:
            raise ManifestError(f"{SUMS_NAME}:{number}: {path!r} listed twice")
        hashes[path] = match["hash"].lower()
    return hashes


def is_safe_relpath(path: str) -> bool:
    """True for a relative ``/``-separated path with no ``.``/``..``/empty components, no
    backslash and no control characters: the only paths a bundle may list."""
    if not path or path.startswith("/") or "\\" in path:
        return False
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in path):
        return False
    return all(part not in ("", ".", "..") for part in path.split("/"))


def hash_file_nofollow(path: str | os.PathLike[str]) -> FileEntry:
    """Hash a regular file without following a symlink at its last component."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    digest = hashlib.sha256()
    size = 0
    with os.fdopen(fd, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
            size += len(chunk)
    return FileEntry(digest.hexdigest(), size)


def read_nofollow(path: str | os.PathLike[str], limit: int) -> bytes | None:
    """The bytes of a regular file, read without following a symlink at its last component;
    ``None`` when it holds more than ``limit`` bytes (only ``limit + 1`` are ever read).
    Raises ``OSError`` when it cannot be read."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    with os.fdopen(fd, "rb") as handle:
        data = handle.read(limit + 1)
    return None if len(data) > limit else data


def walk_tree(root: Path, problems: list[str] | None = None) -> list[tuple[str, str]]:
    """Every non-directory entry under ``root`` as (relative path, kind), never following
    symbolic links; kind is ``file``, ``symlink`` or ``special file``.

    Walks iteratively (a bundle may be hostile, and nested 1,000 folders deep). A folder that
    cannot be listed raises ``OSError``, or, when ``problems`` is given, is named there and
    skipped.
    """
    found: list[tuple[str, str]] = []
    folders: list[tuple[str, str]] = [(str(root), "")]
    while folders:
        folder, prefix = folders.pop()
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError as exc:
            if problems is None:
                raise
            problems.append(f"folder {prefix or './'!r} cannot be listed: {exc.strerror or exc}")
            continue
        for entry in entries:
            rel = prefix + entry.name
            if entry.is_symlink():
                found.append((rel, "symlink"))
            elif entry.is_dir(follow_symlinks=False):
                folders.append((entry.path, rel + "/"))
            elif entry.is_file(follow_symlinks=False):
                found.append((rel, "file"))
            else:
                found.append((rel, "special file"))
    return sorted(found)


def entries_for(contents: Iterable[tuple[str, bytes]]) -> dict[str, FileEntry]:
    """Manifest entries for in-memory file contents."""
    return {path: FileEntry(sha256_hex(data), len(data)) for path, data in contents}

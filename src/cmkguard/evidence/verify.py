"""Re-hash an evidence bundle (``cmkguard verify-evidence DIR``).

Fails closed: a file that cannot be read as a regular file counts as changed, a listing that
cannot be trusted makes ``manifest_ok`` false, and symbolic links are never followed inside the
bundle (a link where a file was is reported, not read through). Beyond the hashes, the verdicts
in ``findings.json`` are cross-checked against the raw responses beside them
(``crosscheck.py``), and the bundle's digest against one recorded at collection time.
"""

from __future__ import annotations

import re
import stat
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from cmkguard.errors import UsageError
from cmkguard.evidence import manifest as mf
from cmkguard.evidence.crosscheck import cross_check

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_MAX_LISTING = 256 * 1024 * 1024
"""More than any manifest of a real bundle; a bigger one is reported, not held in memory."""


@dataclass(frozen=True, slots=True)
class VerifyReport:
    """What re-hashing a bundle found. ``ok`` only when nothing at all is wrong."""

    changed: tuple[str, ...]
    """Listed files whose hash or size differs, or that are no longer regular files."""
    missing: tuple[str, ...]
    """Listed files that are absent."""
    extra: tuple[str, ...]
    """Files present but not listed (``manifest.json`` and ``SHA256SUMS`` are expected)."""
    manifest_ok: bool
    """``manifest.json`` is canonical and parses, ``SHA256SUMS`` parses, holds the manifest's
    own hash, and agrees with the manifest on every other file."""
    manifest_problems: tuple[str, ...] = ()
    """Why ``manifest_ok`` is false, one sentence each."""
    verified: int = 0
    """Listed files whose hash and size matched."""
    digest: str | None = None
    """SHA-256 of ``SHA256SUMS``, to compare with a value recorded when the bundle was made."""
    expected_digest: str | None = None
    """The digest the auditor recorded (``--expect-sha256``); ``None`` when none was given."""
    inconsistent: tuple[str, ...] = ()
    """Where ``findings.json`` and the raw API responses of the bundle disagree."""

    @property
    def digest_ok(self) -> bool:
        """True when no digest was expected, or the bundle has exactly that digest."""
        return self.expected_digest is None or self.digest == self.expected_digest

    @property
    def ok(self) -> bool:
        """True when the manifest is sound, every listed file (and only those) is intact, the
        findings agree with the responses and the digest is the one expected."""
        intact = not (self.changed or self.missing or self.extra or self.inconsistent)
        return self.manifest_ok and intact and self.digest_ok

    def lines(self) -> list[str]:
        """One line per problem (``changed: findings.json``), or one ``ok:`` line."""
        lines = []
        if not self.digest_ok:
            lines.append(
                f"digest: sha256 of {mf.SUMS_NAME} is {self.digest or 'not computable'}, "
                f"expected {self.expected_digest}"
            )
        lines += [f"manifest: {_printable(problem)}" for problem in self.manifest_problems]
        lines += [f"changed: {_printable(path)}" for path in self.changed]
        lines += [f"missing: {_printable(path)}" for path in self.missing]
        lines += [f"extra: {_printable(path)}" for path in self.extra]
        lines += [f"findings: {_printable(problem)}" for problem in self.inconsistent]
        if not lines:
            # The manifest itself is one more file SHA256SUMS vouches for.
            lines.append(
                f"ok: {self.verified + 1} files verified (sha256 of {mf.SUMS_NAME}: {self.digest})"
            )
        return lines


def verify_bundle(directory: Path, *, expect_sha256: str | None = None) -> VerifyReport:
    """Re-hash every file of the bundle in ``directory`` against its manifest, cross-check the
    findings against the raw responses, and compare the digest with ``expect_sha256``.

    Raises ``UsageError`` only when ``directory`` is not a directory at all.
    """
    try:
        is_dir = stat.S_ISDIR(directory.stat().st_mode)
    except OSError as exc:
        raise UsageError(f"{directory}: {exc.strerror or exc}") from None
    if not is_dir:
        raise UsageError(f"{directory}: not a directory")
    problems: list[str] = []
    tree = dict(mf.walk_tree(directory, problems))

    manifest = _read_manifest(directory, tree, problems)
    sums = _read_sums(directory, tree, problems)
    digest = _sha256(directory, mf.SUMS_NAME, tree)
    if manifest is not None and sums is not None:
        _cross_check(directory, tree, manifest, sums, problems)

    listing: dict[str, tuple[str, int | None]]
    if manifest is not None:
        listing = {p: (e.sha256, e.bytes) for p, e in manifest.files.items()}
    elif sums is not None:
        # An unreadable manifest still leaves SHA256SUMS to check the files against.
        listing = {p: (h, None) for p, h in sums.items() if p != mf.MANIFEST_NAME}
    else:
        listing = {}
    for path in sorted(listing):
        if not mf.is_safe_relpath(path) or path in (mf.MANIFEST_NAME, mf.SUMS_NAME):
            problems.append(f"unsafe or reserved path listed: {path!r}")
            del listing[path]

    changed: list[str] = []
    missing: list[str] = []
    verified = 0
    for path, (sha256, size) in sorted(listing.items()):
        kind = tree.get(path)
        if kind is None:
            missing.append(path)
            continue
        entry = _entry(directory, path, tree)
        if entry is None or entry.sha256 != sha256 or (size is not None and entry.bytes != size):
            changed.append(path)
        else:
            verified += 1
    expected = {*listing, mf.MANIFEST_NAME, mf.SUMS_NAME}
    extra = sorted(path for path in tree if path not in expected)
    return VerifyReport(
        changed=tuple(changed),
        missing=tuple(missing),
        extra=tuple(extra),
        manifest_ok=not problems,
        manifest_problems=tuple(problems),
        verified=verified,
        digest=digest,
        expected_digest=expect_sha256.lower() if expect_sha256 is not None else None,
        inconsistent=tuple(cross_check(directory, tree)),
    )


def _read_manifest(root: Path, tree: Mapping[str, str], problems: list[str]) -> mf.Manifest | None:
    data = _read_listed(root, mf.MANIFEST_NAME, tree, problems)
    if data is None:
        return None
    try:
        return mf.parse_manifest(data)
    except mf.ManifestError as exc:
        problems.append(str(exc))
        return None


def _read_sums(root: Path, tree: Mapping[str, str], problems: list[str]) -> dict[str, str] | None:
    data = _read_listed(root, mf.SUMS_NAME, tree, problems)
    if data is None:
        return None
    try:
        return mf.parse_sums(data.decode("utf-8"))
    except UnicodeDecodeError:
        problems.append(f"{mf.SUMS_NAME} is not UTF-8")
    except mf.ManifestError as exc:
        problems.append(str(exc))
    return None


def _read_listed(
    root: Path, name: str, tree: Mapping[str, str], problems: list[str]
) -> bytes | None:
    kind = tree.get(name)
    if kind is None:
        problems.append(f"{name} is missing")
        return None
    if kind != "file":
        problems.append(f"{name} is a {kind}, not a file")
        return None
    try:
        data = mf.read_nofollow(root / name, _MAX_LISTING)
    except OSError as exc:
        # An unreadable manifest is a finding about the bundle, not a failure of the tool.
        problems.append(f"{name} cannot be read: {exc.strerror or exc}")
        return None
    if data is None:
        problems.append(f"{name} is larger than {_MAX_LISTING} bytes")
    return data


def _cross_check(
    root: Path,
    tree: Mapping[str, str],
    manifest: mf.Manifest,
    sums: Mapping[str, str],
    problems: list[str],
) -> None:
    """SHA256SUMS must vouch for the manifest and list exactly what the manifest lists."""
    recorded = sums.get(mf.MANIFEST_NAME)
    if recorded is None:
        problems.append(f"{mf.SUMS_NAME} does not list {mf.MANIFEST_NAME}")
    elif _sha256(root, mf.MANIFEST_NAME, tree) != recorded:
        problems.append(f"{mf.MANIFEST_NAME} does not match its hash in {mf.SUMS_NAME}")
    others = {p: h for p, h in sums.items() if p != mf.MANIFEST_NAME}
    problems.extend(
        f"{mf.SUMS_NAME} lists {path!r}, {mf.MANIFEST_NAME} does not"
        for path in sorted(others.keys() - manifest.files.keys())
    )
    problems.extend(
        f"{mf.MANIFEST_NAME} lists {path!r}, {mf.SUMS_NAME} does not"
        for path in sorted(manifest.files.keys() - others.keys())
    )
    problems.extend(
        f"{mf.SUMS_NAME} and {mf.MANIFEST_NAME} disagree on {path!r}"
        for path in sorted(others.keys() & manifest.files.keys())
        if others[path] != manifest.files[path].sha256
    )


def _entry(root: Path, path: str, tree: Mapping[str, str]) -> mf.FileEntry | None:
    """Hash and size of a regular file of the bundle; ``None`` for anything else."""
    if tree.get(path) != "file":
        return None
    try:
        return mf.hash_file_nofollow(root / path)
    except OSError:
        return None


def _sha256(root: Path, path: str, tree: Mapping[str, str]) -> str | None:
    entry = _entry(root, path, tree)
    return None if entry is None else entry.sha256


def _printable(text: str) -> str:
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)

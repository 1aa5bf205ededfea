"""Put the evidence bundle on disk safely, and pin it with one digest.

The bundle is built in memory (``compose.bundle_files``), then written into a fresh staging
directory next to ``DIR`` and renamed into place, so that an interrupted run never leaves half a
bundle and a previous bundle is replaced whole. No symbolic link is ever followed.
"""

from __future__ import annotations

import os
import secrets
import shutil
import stat
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path

from cmkguard.errors import UsageError
from cmkguard.evidence import manifest as mf
from cmkguard.evidence.compose import LiveScanLike, bundle_files


def check_target(directory: Path) -> None:
    """Raise ``UsageError`` unless a bundle could be written to ``directory``.

    Called before a live scan starts, so that a wrong ``--evidence DIR`` is refused at once
    rather than after a scan that may take hours; ``write_bundle`` checks again.
    """
    target = Path(os.path.abspath(directory))
    try:
        _check_target(target)
        _check_writable(target.parent)
    except OSError as exc:
        where = exc.filename or target
        raise UsageError(f"{where}: cannot write evidence: {exc.strerror or exc}") from None


def write_bundle(
    directory: Path, scan: LiveScanLike, argv: Sequence[str], *, created: str | None = None
) -> str:
    """Write the evidence bundle of ``scan`` into ``directory`` and return its digest (the
    SHA-256 of its ``SHA256SUMS``, see ``bundle_digest``).

    ``directory`` must be absent, empty, or a previous cmkguard bundle (which is replaced whole);
    anything else raises ``UsageError`` and nothing is written. ``created`` fixes the manifest
    time (tests); by default it is now.
    """
    target = Path(os.path.abspath(directory))
    try:
        _check_target(target)
        files = bundle_files(scan, argv, created=created or _now())
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = _write_staging(target, files)
        try:
            _swap_into_place(staging, target)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    except OSError as exc:
        # A disk that refuses the bundle is the user's to fix, not an internal error.
        where = exc.filename or target
        raise UsageError(f"{where}: cannot write evidence: {exc.strerror or exc}") from None
    return mf.sha256_hex(files[mf.SUMS_NAME])


def bundle_digest(directory: Path) -> str:
    """SHA-256 of the bundle's ``SHA256SUMS``: one value that pins the whole bundle.

    Record it somewhere the bundle's holder cannot edit (a ticket, a signed message) so that a
    consistent re-hash of edited files cannot pass unnoticed.
    """
    return mf.hash_file_nofollow(directory / mf.SUMS_NAME).sha256


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _check_target(target: Path) -> None:
    """Refuse anything but a missing or empty directory or a previous bundle."""
    cwd = Path.cwd()
    if target == cwd or target in cwd.parents:
        # The bundle is swapped in by renaming; renaming the working directory away would leave
        # the shell that ran us in a deleted folder.
        raise UsageError(f"{target}: is the current directory or holds it; name a new folder")
    try:
        info = target.lstat()
    except FileNotFoundError:
        return
    if stat.S_ISLNK(info.st_mode):
        raise UsageError(f"{target}: evidence directory is a symbolic link; give the real path")
    if not stat.S_ISDIR(info.st_mode):
        raise UsageError(f"{target}: exists and is not a directory")
    if not any(target.iterdir()):
        return
    problem = _previous_bundle_problem(target)
    if problem is not None:
        raise UsageError(
            f"{target}: not empty and not a cmkguard evidence bundle ({problem}); "
            "choose a new or empty directory"
        )


def _check_writable(folder: Path) -> None:
    """The nearest existing folder of ``folder`` must be a folder we may create entries in
    (the bundle is staged beside ``DIR`` and missing parents are created)."""
    existing = folder
    while not os.path.lexists(existing) and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise UsageError(f"{existing}: is not a directory; cannot write evidence under it")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise UsageError(f"{existing}: not writable; cannot write evidence there")


def _previous_bundle_problem(target: Path) -> str | None:
    """Why ``target`` is not a previous bundle we may delete, or ``None`` when it is.

    Every file must be one the old manifest lists (or the manifest and sums themselves), so that
    replacing a bundle can never delete a file someone put there.
    """
    manifest_path = target / mf.MANIFEST_NAME
    if not manifest_path.is_file() or manifest_path.is_symlink():
        return f"no {mf.MANIFEST_NAME}"
    try:
        old = mf.parse_manifest(manifest_path.read_bytes())
    except (OSError, mf.ManifestError) as exc:
        return str(exc)
    expected = {*old.files, mf.MANIFEST_NAME, mf.SUMS_NAME}
    for relpath, kind in mf.walk_tree(target):
        if kind != "file":
            return f"{relpath!r} is a {kind}"
        if relpath not in expected:
            return f"{relpath!r} is not listed in its manifest"
    return None


def _write_staging(target: Path, files: Mapping[str, bytes]) -> Path:
    staging = target.parent / f".{target.name}.cmkguard-new-{secrets.token_hex(6)}"
    staging.mkdir()  # fails if it exists: we only ever write into a directory we just made
    try:
        for relpath, data in files.items():
            if not mf.is_safe_relpath(relpath):
                raise ValueError(f"unsafe bundle path {relpath!r}")  # a bug, never input
            _write_new_file(staging, relpath, data)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return staging


def _write_new_file(root: Path, relpath: str, data: bytes) -> None:
    """Create ``root/relpath`` (and its folders) without following any symbolic link."""
    folder = root
    for part in relpath.split("/")[:-1]:
        folder = folder / part
        try:
            folder.mkdir()
        except FileExistsError:
            if not stat.S_ISDIR(folder.lstat().st_mode):
                raise
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(root / relpath, flags, 0o644)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def _swap_into_place(staging: Path, target: Path) -> None:
    if not target.exists():
        staging.rename(target)
        return
    old = target.parent / f".{target.name}.cmkguard-old-{secrets.token_hex(6)}"
    target.rename(old)
    try:
        staging.rename(target)
    except BaseException:
        old.rename(target)
        raise
    shutil.rmtree(old)

"""Showing and writing the planned changes: unified diffs, and ``--write`` with the check that
nothing changed on disk since the edits were computed."""

from __future__ import annotations

import difflib
import os
from collections.abc import Sequence

from cmkguard.fix.run import FileChange

__all__ = ["stale", "unified_diff", "write_changes"]


def unified_diff(change: FileChange) -> str:
    """``diff -u`` of one file (``/dev/null`` as the old side of a new file)."""
    before = (change.before or "").splitlines(keepends=True)
    after = change.after.splitlines(keepends=True)
    lines = difflib.unified_diff(
        _terminated(before),
        _terminated(after),
        fromfile="/dev/null" if change.before is None else f"a/{change.rel}",
        tofile=f"b/{change.rel}",
    )
    return "".join(lines)


def _terminated(lines: list[str]) -> list[str]:
    # A last line without a newline is marked as diff marks it, so that patch applies the diff.
    if lines and not lines[-1].endswith("\n"):
        return [*lines[:-1], lines[-1] + "\n\\ No newline at end of file\n"]
    return lines


def stale(changes: Sequence[FileChange]) -> list[str]:
    """The changed files that are no longer what the edits were computed on: changed on disk
    since the scan (or a new file that now exists)."""
    found: list[str] = []
    for change in changes:
        try:
            current: str | None = change.path.read_bytes().decode("utf-8")
        except FileNotFoundError:
            # A dangling symbolic link is not "no file": it would be written through.
            current = "\0dangling link" if change.path.is_symlink() else None
        except (OSError, UnicodeDecodeError):
            current = "\0unreadable"
        if current != change.before:
            found.append(change.rel)
    return found


def write_changes(changes: Sequence[FileChange]) -> None:
    """Write every change (the caller has checked ``stale`` first). A new file is created
    exclusively: a name that appeared meanwhile, or a dangling symbolic link a hostile tree left
    there, is never written through."""
    for change in changes:
        data = change.after.encode("utf-8")
        if change.before is not None:
            change.path.write_bytes(data)
            continue
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
        descriptor = os.open(change.path, flags, 0o644)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)

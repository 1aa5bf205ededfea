"""Reading input files named on the command line (plans, state): size-capped, never executed."""

from __future__ import annotations

from pathlib import Path

from cmkguard.errors import InputError

MAX_JSON_BYTES = 512 * 1024 * 1024
"""Plans of very large configurations reach hundreds of MiB; beyond this we refuse to read."""


def read_bytes(path: Path, display: str) -> bytes | InputError:
    """The file's bytes, or an ``InputError`` saying why it could not be read."""
    try:
        size = path.stat().st_size
        if size > MAX_JSON_BYTES:
            return InputError(display, None, f"file is {size // 2**20} MiB, over the limit")
        return path.read_bytes()
    except OSError as exc:
        return InputError(display, None, f"cannot read: {exc.strerror or exc}")


def read_head(path: Path, display: str, size: int) -> bytes | InputError:
    """The first ``size`` bytes of the file (fewer when it is shorter), or why not."""
    try:
        with path.open("rb") as handle:
            return handle.read(size)
    except OSError as exc:
        return InputError(display, None, f"cannot read: {exc.strerror or exc}")

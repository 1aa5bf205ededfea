"""Reading input files (plans, state, variable files, configuration): size-capped, never executed.

Sizes are enforced by reading at most one byte past the limit, never by trusting
``stat().st_size``: a special file (``/dev/zero``, a FIFO) reports size 0 and never ends.
"""

from __future__ import annotations

import os
from pathlib import Path

from cmkguard.errors import InputError

MAX_JSON_BYTES = 512 * 1024 * 1024
"""Plans of very large configurations reach hundreds of MiB; beyond this we refuse to read."""

MAX_SMALL_FILE_BYTES = 5 * 1024 * 1024
"""Variable files and other hand-written inputs: far beyond any real one."""


def read_limited(path: str | os.PathLike[str], display: str, limit: int) -> bytes | str:
    """At most ``limit`` bytes of the file, or a sentence saying why it could not be read."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        return f"cannot read {display}: {exc.strerror or exc}"
    if len(data) > limit:
        return f"{display} is over the {_size(limit)} limit"
    return data


def _size(limit: int) -> str:
    return f"{limit // 2**20} MiB" if limit >= 2**20 else f"{limit} byte"


def read_bytes(path: Path, display: str, limit: int = MAX_JSON_BYTES) -> bytes | InputError:
    """The file's bytes, or an ``InputError`` saying why it could not be read."""
    data = read_limited(path, display, limit)
    return InputError(display, None, data) if isinstance(data, str) else data


def read_head(path: Path, display: str, size: int) -> bytes | InputError:
    """The first ``size`` bytes of the file (fewer when it is shorter), or why not."""
    try:
        with path.open("rb") as handle:
            return handle.read(size)
    except OSError as exc:
        return InputError(display, None, f"cannot read: {exc.strerror or exc}")

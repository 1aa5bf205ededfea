"""Errors. Bad input is data (``InputError`` in ``ScanResult.errors``); only ``cli.main``
catches."""

from __future__ import annotations

from dataclasses import dataclass


class CmkguardError(Exception):
    """Base class of every error cmkguard raises on purpose."""

    def diagnostics(self) -> str:
        """One line for the user, without a traceback."""
        return str(self)


class UsageError(CmkguardError):
    """The command line or settings are wrong (exit status 2)."""


MESSAGE_LIMIT = 1000
"""Characters of an ``InputError`` message: messages quote scanned text (a name, a key), and a
100 kB resource name must not put 100 kB into every log line and report (issue 8, item 2)."""


def bounded(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, naming how many were left out."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}…({len(text) - limit} more)"


@dataclass(frozen=True, slots=True)
class InputError:
    """An input that could not be read or understood. Recorded, never raised past a loader."""

    path: str
    """The file (relative to the scanned root where there is one) or the API scope
    (``aws:ACCOUNT:REGION``)."""
    line: int | None
    """1-based line when known."""
    message: str
    """One line saying what is wrong, cut at ``MESSAGE_LIMIT`` characters."""

    def __post_init__(self) -> None:
        if len(self.message) > MESSAGE_LIMIT:
            # Frozen: the cut is part of making the error, so it bypasses the freeze once.
            object.__setattr__(self, "message", bounded(self.message, MESSAGE_LIMIT))

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.message}"

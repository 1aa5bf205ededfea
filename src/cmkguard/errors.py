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


@dataclass(frozen=True, slots=True)
class InputError:
    """An input that could not be read or understood. Recorded, never raised past a loader."""

    path: str
    """The file (relative to the scanned root where there is one) or the API scope
    (``aws:ACCOUNT:REGION``)."""
    line: int | None
    """1-based line when known."""
    message: str
    """One line saying what is wrong."""

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.message}"

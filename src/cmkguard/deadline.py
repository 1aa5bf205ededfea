"""A whole static scan's time limit (``cmkguard scan --timeout``).

A pull request can make a scan slow without any single bound being hit (thousands of root
modules, each just under the evaluation caps); CI then kills the job and the findings already
made are lost. A ``Deadline`` is checked between inputs, between root modules and inside the
evaluator, so that an expired scan stops starting new work, keeps what it judged, and says what
it did not judge (issue 8, item 2).
"""

from __future__ import annotations

import time
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Deadline:
    """When a scan must stop starting new work; ``Deadline()`` never passes."""

    seconds: float | None = None
    """The limit as given (``--timeout``), for messages; ``None`` for no limit."""
    at: float | None = None
    """``time.monotonic()`` at which the limit is reached."""

    @classmethod
    def after(cls, seconds: float | None) -> Deadline:
        """A deadline ``seconds`` from now (none when ``seconds`` is ``None``)."""
        if seconds is None:
            return cls()
        return cls(seconds, time.monotonic() + seconds)

    def passed(self) -> bool:
        """Whether the limit has been reached."""
        return self.at is not None and time.monotonic() >= self.at

    @property
    def reason(self) -> str:
        """What a message names when the limit stopped work."""
        return f"--timeout of {self.seconds or 0:g} s reached"

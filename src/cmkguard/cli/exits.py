"""The exit statuses of every run, for ``main``, the ``--help`` epilogs and ``docs/cli.md``.

Their own module because each subcommand's help shows the table, and ``cli/__init__`` imports
the subcommands: defined there, they would close an import cycle.
"""

from __future__ import annotations

import textwrap

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2
EXIT_INTERRUPTED = 130
# A reader that stops early (``cmkguard scan . | head``): report what the shell reports for any
# program killed by SIGPIPE (128 + 13), so it is never mistaken for a verdict.
EXIT_BROKEN_PIPE = 141

EXIT_STATUS_TABLE: tuple[tuple[int, str], ...] = (
    (EXIT_OK, "every notebook is PASS"),
    (EXIT_FINDINGS, "at least one notebook is FAIL or UNKNOWN"),
    (
        EXIT_ERROR,
        "usage error, an input that could not be read, or a live scan left incomplete "
        "(the findings that could be made are still reported)",
    ),
)
"""The exit statuses a run reports, for ``--help`` and ``docs/cli.md``."""


def _epilog(table: tuple[tuple[int, str], ...]) -> str:
    """An exit status table as a ``--help`` epilog."""
    return "exit status:\n" + "\n".join(
        textwrap.fill(
            meaning,
            79,
            initial_indent=f"  {code}  ",
            subsequent_indent="     ",
            break_on_hyphens=False,
        )
        for code, meaning in table
    )


EXIT_STATUSES = _epilog(EXIT_STATUS_TABLE)
"""The table as a ``--help`` epilog."""

FIX_EXIT_STATUS_TABLE: tuple[tuple[int, str], ...] = (
    (EXIT_OK, "nothing to fix, or (with --write) every failing notebook fixed"),
    (
        EXIT_FINDINGS,
        "fixes proposed (--diff), or some notebook could not be fixed (the advice says why)",
    ),
    (
        EXIT_ERROR,
        "a refusal (a file that does not parse, .tf.json, outside the scanned tree, changed on "
        "disk since the scan), an input error, or a usage error",
    ),
)
"""The exit statuses of ``cmkguard fix``, for its ``--help`` and ``docs/cli.md``."""

FIX_EXIT_STATUSES = _epilog(FIX_EXIT_STATUS_TABLE)
"""The ``fix`` table as a ``--help`` epilog."""

"""Make scanned text safe for a terminal.

Scanned content is hostile: a resource name or a variable value can carry ANSI escapes that
repaint the screen, hide a FAIL, or forge a PASS line. Everything taken from an input passes
through ``clean`` (or ``clean_line``) before a terminal sees it. JSON output is not cleaned: it
is data, and ``json`` escapes C0 controls itself.
"""

from __future__ import annotations

import re

# ESC-introduced sequences: CSI (``ESC [ ... final``), OSC/DCS/SOS/PM/APC strings (terminated by
# BEL or ``ESC \``) and two-byte escapes. Removed whole, so no parameter bytes are left behind.
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"
    r"|\x1b[\]PX^_][^\x07\x1b]*(?:\x07|\x1b\\)?"
    r"|\x1b[ -/]*[0-~]"
)
# C0 and C1 controls except TAB and LF, DEL, and the Unicode format characters that reorder or
# hide text ("Trojan Source", CVE-2021-42574): bidi embeddings/overrides/isolates and marks.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\u061c]")
_LINE_BREAKS = re.compile(r"[\t\n]")


def clean(text: str) -> str:
    """``text`` without escape sequences and control characters; keeps ``\\n`` and ``\\t``."""
    return _CONTROLS.sub("", _ESCAPES.sub("", text))


def clean_line(text: str) -> str:
    """``clean`` for one-line fields (addresses, paths): tabs and newlines become spaces, so a
    hostile value cannot start a line of its own that looks like a verdict."""
    return _LINE_BREAKS.sub(" ", clean(text))

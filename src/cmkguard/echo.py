"""How scanned text is echoed into reports: bounded, and never a file's content verbatim.

A pull request can point ``kms_key_id`` at ``file("secrets.txt")``; the malformed-identifier
message would then print the file into CI logs and evidence (issue 8, item 4). A value that came
from a file is shown as ``file("x")`` with its length and a SHA-256 prefix, unless it parses as
a KMS key identifier (then it is what the notebook names, and the reader needs it). Any echoed
text is cut at ``LIMIT`` characters, so one large value cannot blow up a report (item 2).
"""

from __future__ import annotations

import hashlib

from cmkguard.kms import parse_key_identifier
from cmkguard.values import Trail

LIMIT = 200
"""Characters of scanned text echoed before the rest is replaced by ``…(N more)``."""

SENTENCE_LIMIT = 1000
"""Characters of a reason or evidence step that may quote scanned text inside its own words."""

_FILE_FUNCTIONS = ("file(", "filebase64(", "templatefile(")


def bounded(text: str, limit: int = LIMIT) -> str:
    """``text`` cut to ``limit`` characters, naming how many were left out."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}…({len(text) - limit} more)"


def _file_source(trail: Trail) -> str | None:
    """``file("x")`` when the value was read from a file by one of the file functions."""
    for step in trail:
        if step.label.startswith(_FILE_FUNCTIONS) and step.label.endswith(")"):
            name, _, path = step.label[:-1].partition("(")
            return f'{name}("{bounded(path)}")'
    return None


def echo(text: str, trail: Trail = ()) -> str:
    """``text`` as a report may show it, quoted: a file's content only as a digest."""
    source = _file_source(trail)
    if source is not None and parse_key_identifier(text).is_malformed:
        digest = hashlib.sha256(text.encode()).hexdigest()[:12]
        return f"{source} ({len(text)} characters, sha256 {digest}…)"
    return f'"{bounded(text)}"'

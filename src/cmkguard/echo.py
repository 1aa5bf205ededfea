"""How scanned text is echoed into reports: bounded, and never a file's content verbatim.

A pull request can point ``kms_key_id`` at ``file("secrets.txt")``; the malformed-identifier
message would then print the file into CI logs and evidence (issue 8, item 4). A value that came
from a file is shown as ``file("x")`` with its length and a SHA-256 prefix, unless it parses as
a KMS key identifier (then it is what the notebook names, and the reader needs it). Any echoed
text is cut at ``LIMIT`` characters, so one large value cannot blow up a report (item 2).
"""

from __future__ import annotations

import hashlib

from cmkguard.errors import bounded
from cmkguard.kms import parse_key_identifier
from cmkguard.values import Trail

__all__ = ["LIMIT", "NAME_LIMIT", "SENTENCE_LIMIT", "bounded", "bounded_name", "echo"]

LIMIT = 200
"""Characters of scanned text echoed before the rest is replaced by ``…(N more)``."""

SENTENCE_LIMIT = 1000
"""Characters of a reason or evidence step that may quote scanned text inside its own words."""

_FILE_FUNCTIONS = ("file(", "filebase64(", "templatefile(")


NAME_LIMIT = 500
"""Characters of an address (or other name from scanned text) that identifies a finding."""


def bounded_name(name: str) -> str:
    """``name`` (a notebook's address) cut at ``NAME_LIMIT`` characters. Unlike ``bounded``, the
    cut keeps a SHA-256 prefix of the whole name, so that two long names sharing a beginning
    stay two findings (and two baseline entries)."""
    if len(name) <= NAME_LIMIT:
        return name
    digest = hashlib.sha256(name.encode()).hexdigest()[:12]
    return f"{name[:NAME_LIMIT]}…({len(name) - NAME_LIMIT} more, sha256 {digest})"


def _file_source(trail: Trail) -> str | None:
    """``file("x")`` when the value was read from a file by one of the file functions."""
    for step in trail:
        if step.label.startswith(_FILE_FUNCTIONS) and step.label.endswith(")"):
            name, _, path = step.label[:-1].partition("(")
            return f'{name}("{bounded(path, LIMIT)}")'
    return None


def echo(text: str, trail: Trail = ()) -> str:
    """``text`` as a report may show it, quoted: a file's content only as a digest."""
    source = _file_source(trail)
    if source is not None and parse_key_identifier(text).is_malformed:
        digest = hashlib.sha256(text.encode()).hexdigest()[:12]
        return f"{source} ({len(text)} characters, sha256 {digest}…)"
    return f'"{bounded(text, LIMIT)}"'

"""Text edits: the one currency every fixer produces and the writer applies.

An edit replaces a character range of one file's text; everything outside the range (comments,
blank lines, formatting) is left byte for byte, which is what keeps a fix reviewable.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path


@dataclass(frozen=True, slots=True)
class TextEdit:
    """Replace ``text[start:end]`` of ``path`` with ``replacement`` (``start == end`` inserts)."""

    path: Path
    """The file to change (absolute)."""
    start: int
    """Offset of the first replaced character in the file's decoded text."""
    end: int
    """Offset just past the last replaced character."""
    replacement: str
    """The new text, already formatted as ``terraform fmt`` would write it."""

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"{self.path}: bad edit range {self.start}..{self.end}")


def apply_edits(text: str, edits: list[TextEdit]) -> str:
    """``text`` with every edit applied; overlapping edits are a bug in the fixer that made them."""
    ordered = sorted(edits, key=lambda edit: (edit.start, edit.end))
    for before, after in pairwise(ordered):
        if after.start < before.end:
            raise ValueError(f"{before.path}: overlapping edits at offset {after.start}")
    pieces: list[str] = []
    position = 0
    for edit in ordered:
        pieces.extend((text[position : edit.start], edit.replacement))
        position = edit.end
    pieces.append(text[position:])
    return "".join(pieces)

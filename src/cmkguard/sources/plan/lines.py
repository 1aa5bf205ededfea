"""Where each resource of a ``terraform show -json`` document or ``.tfstate`` starts: one pass
over the text, so that locating every resource of a document costs one read of it.

Searching the whole text once per resource made large states quadratic (issue 8: 4,000 notebooks
took 12 s, 100,000 never finished).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from cmkguard.sources.plan.document import Document, DocumentKind

_STRING = r'"(?:[^"\\]|\\.)*"'
_ADDRESS = re.compile(rf'"address":\s*({_STRING})')
_TYPE_NAME = re.compile(rf'"type":\s*({_STRING}),\s*"name":\s*({_STRING})')
_Key = str | tuple[str, str]


class LineIndex:
    """The first line of each resource address (plans and ``show -json`` state) or of each
    ``type``/``name`` pair (raw ``.tfstate``, whose resources carry no address)."""

    def __init__(self, document: Document) -> None:
        self._lines: dict[_Key, int] = {}
        self._raw = document.kind is DocumentKind.RAW_STATE
        pattern = _TYPE_NAME if self._raw else _ADDRESS
        for key, line in _first_lines(document.text, pattern):
            self._lines.setdefault(key, line)

    def address_line(self, address: str) -> int | None:
        """The line where ``"address": ADDRESS`` first appears (plans and ``show -json``)."""
        return None if self._raw else self._lines.get(address)

    def type_name_line(self, rtype: str, name: str) -> int | None:
        """The line where ``"type": TYPE, "name": NAME`` first appears (raw state)."""
        return self._lines.get((rtype, name)) if self._raw else None


def _first_lines(
    text: str, pattern: re.Pattern[str]
) -> Iterator[tuple[str | tuple[str, str], int]]:
    """Each match's decoded strings and 1-based line, counting newlines only between matches."""
    line, position = 1, 0
    for match in pattern.finditer(text):
        line += text.count("\n", position, match.start())
        position = match.start()
        try:
            decoded = [json.loads(group) for group in match.groups()]
        except ValueError:  # an escape JSON does not know; the document parsed, so never here
            continue
        if all(isinstance(part, str) for part in decoded):
            yield (decoded[0] if len(decoded) == 1 else (decoded[0], decoded[1])), line

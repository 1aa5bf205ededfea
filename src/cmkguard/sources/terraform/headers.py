"""The top-level block headers of a native HCL file, found from its text without parsing it.

A scan judges one control, so most blocks of a repository are never evaluated; parsing and
converting them is most of a scan's cost (issue 13). This scanner finds each top-level
``type "label" ... {`` header and its matching ``}`` by skipping what can hide braces: quoted
strings (with their ``${ }`` / ``%{ }`` interpolations, which nest), heredocs and comments. It
is deliberately strict: anything it does not understand (a top-level attribute, a label with
an escape or interpolation, a non-ASCII name, an unterminated string, unbalanced braces) makes
it give up on the file, which is then parsed in full as before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Header", "index_headers", "may_call"]


def may_call(data: bytes) -> bool:
    """True when the text could hold a ``module`` block. Deliberately loose: a missed call would
    leave a module unread (and a remote one unreported), while a false match only costs a parse.
    The word anywhere counts (after a BOM or a comment on the same line, in any layout), and so
    does any JSON escape, which can spell the ``"module"`` key without the word."""
    return b"module" in data or b"\\u" in data


@dataclass(frozen=True, slots=True)
class Header:
    """One top-level block as the text shows it."""

    type: str
    """The block type (``resource``, ``locals``, ...)."""
    labels: tuple[str, ...]
    """The labels, unquoted."""
    line: int
    """The 1-based line of the block type, as the parser numbers the block."""
    start: int
    """Byte offset of the block type."""
    end: int
    """Byte offset just past the closing ``}``."""


_IDENT = rb"[A-Za-z_][A-Za-z0-9_-]*"
# Whitespace and comments between top-level blocks.
_GAP = re.compile(rb"(?:\s+|#[^\n]*|//[^\n]*|/\*.*?\*/)*", re.DOTALL)
# A header on one line; labels are identifiers or plain quoted strings (no escapes: an escaped
# label is rare enough to leave to the parser).
_HEADER = re.compile(rb"(" + _IDENT + rb")((?:[ \t]+(?:" + _IDENT + rb'|"[^"\\\n]*"))*)[ \t]*\{')
_LABEL = re.compile(rb'"([^"\\\n]*)"|(' + _IDENT + rb")")
# What can open or close a brace, or hide one, inside a body or an interpolation.
_SIGNIFICANT = re.compile(rb'[{}"#/<]')
# The rest of a quoted string up to its end or its next interpolation; HCL strings do not span
# lines, so a newline means the text is not what this scanner understands.
_STRING_REST = re.compile(rb'(?:[^"\\\n$%]|\\[^\n]|\$\$\{|%%\{|\$(?!\{)|%(?!\{))*')
_HEREDOC = re.compile(rb"<<-?(" + _IDENT + rb")[ \t]*\r?\n")
_LINE_END = re.compile(rb"\n")

_BRACE = 0
_INTERPOLATION = 1


def index_headers(data: bytes) -> tuple[Header, ...] | None:
    """Every top-level block header of ``data`` (UTF-8 native HCL without a BOM), or ``None``
    when the text holds anything this scanner does not understand."""
    headers: list[Header] = []
    pos = 0
    line = 1
    size = len(data)
    while True:
        gap = _GAP.match(data, pos)
        pos = gap.end() if gap is not None else pos
        if pos >= size:
            return tuple(headers)
        header = _HEADER.match(data, pos)
        if header is None or (headers and b"\n" not in data[headers[-1].end : pos]):
            # Not a block, or a block that does not start a line (which Terraform rejects).
            return None
        labels = _labels(header.group(2))
        if labels is None:
            return None
        line += data.count(b"\n", headers[-1].start if headers else 0, pos)
        end = _block_end(data, header.end())
        if end is None:
            return None
        headers.append(Header(header.group(1).decode(), labels, line, pos, end))
        pos = end


def _labels(text: bytes) -> tuple[str, ...] | None:
    if not text:
        return ()
    labels: list[str] = []
    for quoted, bare in _LABEL.findall(text):
        if b"${" in quoted or b"%{" in quoted:
            return None
        labels.append((quoted or bare).decode())
    return tuple(labels)


def _block_end(data: bytes, pos: int) -> int | None:
    """The offset just past the ``}`` that closes the body opened before ``pos``."""
    stack = [_BRACE]
    while True:
        found = _SIGNIFICANT.search(data, pos)
        if found is None:
            return None
        pos = found.start()
        char = data[pos]
        if char == 0x7B:  # {
            stack.append(_BRACE)
            pos += 1
        elif char == 0x7D:  # }
            kind = stack.pop()
            pos += 1
            if kind == _INTERPOLATION:
                after = _string_end(data, pos, stack)
                if after is None:
                    return None
                pos = after
            elif not stack:
                return pos
        elif char == 0x22:  # "
            after = _string_end(data, pos + 1, stack)
            if after is None:
                return None
            pos = after
        else:
            after = _skip_comment_or_heredoc(data, pos)
            if after is None:
                return None
            pos = after


def _string_end(data: bytes, pos: int, stack: list[int]) -> int | None:
    """Scan a quoted string from ``pos`` (inside it): the offset past its closing quote, or
    past the ``${``/``%{`` of its next interpolation (pushed on ``stack``)."""
    rest = _STRING_REST.match(data, pos)
    pos = rest.end() if rest is not None else pos
    if data.startswith(b'"', pos):
        return pos + 1
    if data.startswith((b"${", b"%{"), pos):
        stack.append(_INTERPOLATION)
        return pos + 2
    return None


def _skip_comment_or_heredoc(data: bytes, pos: int) -> int | None:
    """``pos`` is at ``#``, ``/`` or ``<``: the offset past the comment or heredoc starting
    there, or past the character itself when it starts neither."""
    if data.startswith((b"#", b"//"), pos):
        newline = _LINE_END.search(data, pos)
        return len(data) if newline is None else newline.end()
    if data.startswith(b"/*", pos):
        close = data.find(b"*/", pos + 2)
        return None if close < 0 else close + 2
    if data.startswith(b"<<", pos):
        heredoc = _HEREDOC.match(data, pos)
        if heredoc is None:
            return None
        marker = re.escape(heredoc.group(1))
        end = re.compile(rb"(?m)^[ \t]*" + marker + rb"[ \t]*\r?$").search(data, heredoc.end())
        return None if end is None else end.end()
    return pos + 1

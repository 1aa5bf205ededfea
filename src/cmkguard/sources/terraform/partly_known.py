"""What string functions keep of text the scan knows only in part (issue 7 item 12).

``functions.py`` computes on known text; an argument holding a reference (``aws_kms_key.k.arn``,
known only after apply), a symbol (the current account) or an unknown hole makes its result
wholly unknown. Some functions need not lose that much:

- ``format("%s", x)``, ``format("%v", x)`` and ``tostring(x)`` are ``x`` itself, as ``"${x}"`` is.
- ``lower``/``upper`` map each character on its own: known text maps, a symbol stays when every
  value it stands for maps to itself (an account's digits; partitions are lower case), and a hole
  becomes an unknown hole, except a reference to a KMS key's ARN or ID under ``lower`` (KMS
  writes them in lower case, so the text is the same key).
- ``trimspace``/``chomp`` change only the ends: known text is trimmed, symbols and key
  identifiers hold no white space, any other hole at an end becomes unknown.
- ``basename`` of a KMS key's ARN is the key's ID (and so is the second element of
  ``split("/", ...)`` of it); of other text, what follows its last ``/`` when no hole can hold a
  ``/`` after it.

Anything else gives ``None``: the caller falls back to the function table. A function whose
result text equals its configured-string argument returns the argument itself, so the
reference it remembers (``aws_kms_alias.a.name``) survives ``lower()`` of lower-case text.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from cmkguard.sources.terraform.evaluated import (
    AttrStr,
    ObjectRef,
    Partial,
    Piece,
    data_of,
    partial,
    pieces_of,
    unknown_from,
)
from cmkguard.values import Data, Ref, Symbol, SymbolicText, Unknown

IsKeyIdentifier = Callable[[Ref], bool]
"""Whether a reference is a KMS key's ARN or ID (the evaluator knows what it points at)."""

_SAME_TEXT = frozenset(
    {"chomp", "lower", "replace", "title", "trim", "trimprefix", "trimspace", "trimsuffix", "upper"}
)
"""Functions of a text argument first: when the text comes out unchanged, the argument stands."""

# Symbols whose every value maps to itself under each case mapping.
_CASE_STABLE: dict[str, frozenset[Symbol]] = {
    "lower": frozenset({Symbol.CURRENT_ACCOUNT, Symbol.CURRENT_PARTITION}),
    "upper": frozenset({Symbol.CURRENT_ACCOUNT}),
}


def kept(name: str, args: Sequence[Data], is_key: IsKeyIdentifier) -> Data | None:
    """The result of ``name(args...)`` where an argument is only partly known and the function
    keeps part of it; ``None`` when the function table should decide."""
    if name == "format" and len(args) == 2 and args[0] in ("%s", "%v"):
        return _itself(args[1])
    if name == "tostring" and len(args) == 1:
        return _itself(args[0])
    if name == "split" and len(args) == 2 and args[0] == "/":
        return _split_key_arn(args[1], is_key)
    if len(args) != 1 or not _partly_known(args[0]):
        return None
    pieces = pieces_of(args[0])
    if name in _CASE_STABLE:
        return _joined(_case(name, pieces, is_key))
    if name in ("trimspace", "chomp"):
        return _joined(_trim(name, pieces, is_key))
    if name == "basename":
        return _basename(args[0], pieces, is_key)
    return None


def same_text(name: str, args: Sequence[Data], result: Data) -> Data:
    """``result``, or the configured-string argument it equals (keeping its reference)."""
    if name in _SAME_TEXT and args and isinstance(args[0], AttrStr) and result == args[0]:
        return args[0]
    return result


def _itself(value: Data) -> Data | None:
    """``"${value}"``: a string, a reference to an attribute, text with symbols or an unknown."""
    if isinstance(value, ObjectRef):
        return None
    if isinstance(value, str | Ref | SymbolicText | Unknown):
        return value
    return None


def _partly_known(value: Data) -> bool:
    return isinstance(value, Partial | SymbolicText) or (
        isinstance(value, Ref) and not isinstance(value, ObjectRef)
    )


def _hole(piece: Ref | Unknown, name: str) -> Unknown:
    return Unknown(f"{name}() of {unknown_from(piece).why}")


def _case(name: str, pieces: Sequence[Piece], is_key: IsKeyIdentifier) -> list[Piece]:
    out: list[Piece] = []
    for piece in pieces:
        if isinstance(piece, str):
            out.append(piece.lower() if name == "lower" else piece.upper())
        elif isinstance(piece, Symbol):
            stable = piece in _CASE_STABLE[name]
            out.append(piece if stable else Unknown(f"{name}() of {piece}"))
        elif isinstance(piece, Ref) and name == "lower" and is_key(piece):
            out.append(piece)
        else:
            out.append(_hole(piece, name))
    return out


def _trim(name: str, pieces: Sequence[Piece], is_key: IsKeyIdentifier) -> list[Piece]:
    """White space trimmed at the ends (``chomp``: trailing newlines only)."""
    out = list(pieces)
    ends = (len(out) - 1,) if name == "chomp" else (0, len(out) - 1)
    for end in ends:
        if not out:
            break
        piece = out[end]
        if isinstance(piece, str):
            if name == "chomp":
                out[end] = piece.rstrip("\r\n")
            else:
                out[end] = piece.lstrip() if end == 0 else piece.rstrip()
        elif isinstance(piece, Ref | Unknown) and not (isinstance(piece, Ref) and is_key(piece)):
            out[end] = _hole(piece, name)
    return out


def _split_key_arn(value: Data, is_key: IsKeyIdentifier) -> Data | None:
    """``split("/", aws_kms_key.k.arn)``: a key ARN has one ``/``, before the key's ID."""
    if isinstance(value, Ref) and value.attribute == "arn" and is_key(value):
        head = Unknown(f"the text before the key ID in {value} is known only after apply")
        return [head, Ref(value.target, "id")]
    return None


def _basename(value: Data, pieces: Sequence[Piece], is_key: IsKeyIdentifier) -> Data | None:
    if isinstance(value, Ref) and value.attribute == "arn" and is_key(value):
        # A key ARN ends in key/ID: its base name is the key's ID.
        return Ref(value.target, "id")
    last = max((i for i, p in enumerate(pieces) if isinstance(p, str) and "/" in p), default=-1)
    tail = pieces[last + 1 :]
    if any(isinstance(p, Ref | Unknown) for p in tail):
        return None  # a hole after the last known "/" may hold another one
    if last < 0:
        return _joined(list(pieces))
    text = pieces[last]
    if not isinstance(text, str) or (text.endswith("/") and not tail):
        # Go's filepath.Base drops trailing slashes first: rare, left to the function table.
        return None
    return _joined([text.rsplit("/", 1)[1], *tail])


def _joined(pieces: list[Piece]) -> Data:
    """Pieces as a value: known text, text with symbols, one hole itself, or partly known."""
    return data_of(partial(pieces, ()))

"""The Terraform functions cmkguard evaluates statically, over ``values.Data``.

``FUNCTIONS`` is the one registry: an explicit dict from function name to implementation. Each
implementation takes the evaluated arguments and returns a ``Data`` value; a wrong argument
raises ``FunctionError`` (the evaluator turns it into an ``Unknown`` carrying the message).

Unknowns and references:

- an argument the function must inspect that is ``Unknown`` (at the top level or nested inside a
  list/map the function reads) makes the result that ``Unknown``, with its ``why``;
- a ``Ref`` (a value known only after apply) where the function needs its text makes the result
  ``Unknown("<ref> is known only after apply")``;
- functions that only move values around (``element``, ``lookup``, ``coalesce``, ``concat``,
  ``merge``, ``tolist``, ``tostring``, ...) keep ``Ref`` and nested ``Unknown`` parts intact, so
  references still resolve later;
- ``jsonencode(x)`` returns the JSON text when ``x`` is fully known, and ``x`` itself (unchanged)
  when any part of it is ``Unknown`` or ``Ref``: the key-policy reader accepts both a JSON string
  and a structured value, and keeping the structure lets it judge the known statements.

``can`` and ``try`` are not here: they need lazy evaluation and live in the evaluator. Functions
that read files or the clock (``file``, ``templatefile``, ``timestamp``, ``uuid``) are either
absent or return ``Unknown``.
"""

from __future__ import annotations

import base64
import hashlib
import ipaddress
import json
import math
import posixpath
import re
import urllib.parse
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from decimal import InvalidOperation
from types import MappingProxyType
from typing import NoReturn, TypeAlias

from cmkguard.sources.terraform.conversions import (
    ConversionError,
    Number,
    format_number,
    normal,
    to_bool,
    to_number,
    to_string,
    type_name,
)
from cmkguard.values import Data, Ref, SymbolicText, Unknown

__all__ = ["FUNCTIONS", "FunctionError", "equal", "pending_why", "to_text"]

Impl: TypeAlias = Callable[[Sequence[Data]], Data]

MAX_RANGE = 1024
"""Terraform refuses ``range`` results longer than this."""


class FunctionError(Exception):
    """A function was called with arguments Terraform would reject."""


class _Pending(Exception):
    """Raised by argument helpers to make the call's result an ``Unknown``."""

    def __init__(self, unknown: Unknown) -> None:
        super().__init__(unknown.why)
        self.unknown = unknown


def _fail(message: str) -> NoReturn:
    raise FunctionError(message)


Pending: TypeAlias = Unknown | Ref | SymbolicText
"""A value whose text a function cannot read: unknown, known only after apply, or standing for a
symbol (the current account) that a static scan knows only as itself."""


def pending_why(value: Pending) -> Unknown:
    """Why a function's result is unknown when it needs to read ``value``."""
    if isinstance(value, Unknown):
        return value
    if isinstance(value, Ref):
        return Unknown(f"{value} is known only after apply")
    symbols = ", ".join(dict.fromkeys(str(p) for p in value.parts if not isinstance(p, str)))
    return Unknown(f"{value} depends on {symbols}, which a static scan does not know")


def _pending(value: Pending) -> NoReturn:
    raise _Pending(pending_why(value))


# --------------------------------------------------------------------------------------------
# Conversions shared with the evaluator


def to_text(value: Data) -> str | Pending | None:
    """Terraform's automatic conversion to string (``conversions.to_string``): numbers and bools
    become text, strings stay, ``null`` stays ``None``, pending values are returned as they are.
    Lists and maps raise ``FunctionError``."""
    try:
        text = to_string(value)
    except ConversionError as exc:
        _fail(str(exc))
    if text is None or isinstance(text, str | Pending):
        return text
    _fail(f"a string is required, not a {type_name(value)}")


# --------------------------------------------------------------------------------------------
# Argument helpers: each returns a known Python value or raises _Pending / FunctionError


def _arity(args: Sequence[Data], low: int, high: int | None = None) -> None:
    high = low if high is None else high
    if not low <= len(args) <= high:
        if low == high:
            _fail(f"takes {low} argument{'s' if low != 1 else ''}, got {len(args)}")
        if high > 1000:
            _fail(f"takes at least {low} argument{'s' if low != 1 else ''}, got {len(args)}")
        _fail(f"takes {low} to {high} arguments, got {len(args)}")


def _str(value: Data) -> str:
    """A string argument (numbers and bools convert); ``null`` is an error."""
    text = to_text(value)
    if isinstance(text, Pending):
        _pending(text)
    if text is None:
        _fail("argument must not be null")
    return text


def _num(value: Data) -> Number:
    """A number argument (numeric strings convert)."""
    if isinstance(value, Pending):
        _pending(value)
    try:
        number = to_number(value)
    except ConversionError as exc:
        _fail(str(exc))
    if not isinstance(number, int | float):
        _fail(f"a number is required, not a {type_name(value)}")
    return number


def _int(value: Data) -> int:
    number = _num(value)
    if isinstance(number, float):
        if not number.is_integer():
            _fail(f"a whole number is required, not {format_number(number)}")
        return int(number)
    return number


def _bool(value: Data) -> bool:
    if isinstance(value, Pending):
        _pending(value)
    try:
        result = to_bool(value)
    except ConversionError as exc:
        _fail(str(exc))
    if not isinstance(result, bool):
        _fail(f"a bool is required, not a {type_name(value)}")
    return result


def _list(value: Data) -> list[Data]:
    """A list (or set/tuple) argument; its elements are not inspected."""
    if isinstance(value, Pending):
        _pending(value)
    if isinstance(value, list):
        return value
    if value is None:
        _fail("argument must not be null")
    _fail(f"a list is required, not a {type_name(value)}")


def _map(value: Data) -> dict[str, Data]:
    if isinstance(value, Pending):
        _pending(value)
    if isinstance(value, dict):
        return value
    if value is None:
        _fail("argument must not be null")
    _fail(f"a map or object is required, not a {type_name(value)}")


def _known(value: Data) -> Data:
    """``value`` if no part of it is ``Unknown`` or ``Ref``."""
    if isinstance(value, Pending):
        _pending(value)
    if isinstance(value, list):
        for item in value:
            _known(item)
    elif isinstance(value, dict):
        for item in value.values():
            _known(item)
    return value


def _first_pending(value: Data) -> Pending | None:
    """The first unknown, reference or symbolic text inside ``value``, if any."""
    if isinstance(value, Pending):
        return value
    if isinstance(value, list):
        for item in value:
            found = _first_pending(item)
            if found is not None:
                return found
    elif isinstance(value, dict):
        for item in value.values():
            found = _first_pending(item)
            if found is not None:
                return found
    return None


def equal(left: Data, right: Data, *, unify: bool = False) -> bool | None:
    """Terraform equality of two values; ``None`` when unknown or reference parts decide it.

    ``unify=False`` is the ``==`` operator: values of different types are never equal
    (``1 == "1"`` is false). ``unify=True`` is what ``contains``, ``index`` and the set
    functions do: the value is first converted to the collection's element type, so mixed
    scalars compare as strings (``contains(["1"], 1)`` is true). Two identical references are
    equal; a reference and anything else cannot be decided.
    """
    if isinstance(left, Unknown) or isinstance(right, Unknown):
        return None
    if isinstance(left, Ref | SymbolicText) or isinstance(right, Ref | SymbolicText):
        return True if left == right else None
    if isinstance(left, list) and isinstance(right, list):
        if len(left) != len(right):
            return False
        return _all_equal(zip(left, right, strict=True), unify)
    if isinstance(left, dict) and isinstance(right, dict):
        if left.keys() != right.keys():
            return False
        return _all_equal(((left[k], right[k]) for k in left), unify)
    if isinstance(left, list | dict) or isinstance(right, list | dict):
        return False
    if left is None or right is None:
        return left is right
    left_number = isinstance(left, int | float) and not isinstance(left, bool)
    right_number = isinstance(right, int | float) and not isinstance(right, bool)
    # isinstance, not type(): the evaluator's strings carry their origin in a str subclass.
    both_text = isinstance(left, str) and isinstance(right, str)
    if both_text or type(left) is type(right) or (left_number and right_number):
        return left == right
    # Mixed scalars: Terraform converts to the common type, string.
    return unify and to_text(left) == to_text(right)


def _equal(left: Data, right: Data) -> bool | None:
    return equal(left, right, unify=True)


def _all_equal(pairs: Iterable[tuple[Data, Data]], unify: bool) -> bool | None:
    undecided = False
    for left, right in pairs:
        same = equal(left, right, unify=unify)
        if same is False:
            return False
        if same is None:
            undecided = True
    return None if undecided else True


# --------------------------------------------------------------------------------------------
# Strings


_FORMAT_VERB = re.compile(
    r"%(?P<flags>[-+# 0]*)(?:\[(?P<idx1>\d+)\])?(?P<width>\d+)?"
    r"(?:\.(?P<prec>\d*))?(?:\[(?P<idx2>\d+)\])?(?P<verb>[a-zA-Z%])?"
)


def _json_text(value: Data) -> str:
    """Terraform's ``jsonencode`` text: compact, keys sorted, ``<>&`` escaped like Go."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            _fail("cannot encode a non-finite number as JSON")
        return format_number(value)
    if isinstance(value, str):
        return (
            json.dumps(value, ensure_ascii=False)
            .replace("<", "\\u003c")
            .replace(">", "\\u003e")
            .replace("&", "\\u0026")
            .replace("\u2028", "\\u2028")
            .replace("\u2029", "\\u2029")
        )
    if isinstance(value, list):
        return "[" + ",".join(_json_text(item) for item in value) + "]"
    if isinstance(value, dict):
        return (
            "{"
            + ",".join(f"{_json_text(key)}:{_json_text(value[key])}" for key in sorted(value))
            + "}"
        )
    _pending(value)


def _format_one(verb: str, flags: str, width: str, prec: str | None, value: Data) -> str:
    """One ``%`` verb of ``format`` (Go ``fmt`` semantics as cty implements them)."""
    if verb in "vs" and isinstance(value, list | dict):
        if verb == "s":
            _fail("%s cannot format a list or map (use %v or jsonencode)")
        return _pad(_json_text(_known(value)), flags, width)
    if verb == "v" and "#" in flags:
        return _pad(_json_text(_known(value)), flags.replace("#", ""), width)
    if verb == "v" or verb == "s":
        if value is None:
            if verb == "s":
                _fail("%s cannot format null")
            return _pad("null", flags, width)
        text = _str(value)
        if prec is not None and verb == "s":
            text = text[: int(prec or 0)]
        return _pad(text, flags, width)
    if verb == "q":
        return _pad(json.dumps(_str(value), ensure_ascii=False), flags, width)
    if verb == "t":
        return _pad("true" if _bool(value) else "false", flags, width)
    if verb in "bdoxX":
        return format(_int(value), _spec(flags, width, None) + verb)
    if verb in "eEfFgG":
        number = _num(value)
        if verb in "gG" and prec is None:
            text = format_number(number)
            return _pad(text.upper() if verb == "G" else text, flags, width)
        return format(float(number), _spec(flags, width, prec if prec is not None else "6") + verb)
    _fail(f"unsupported format verb %{verb}")


def _spec(flags: str, width: str, prec: str | None) -> str:
    """Python format-spec for Go flags (``-`` left, ``0`` zero pad, ``+``/space sign, ``#``)."""
    spec = ""
    if "-" in flags:
        spec += "<"
    elif "0" in flags:
        spec += "0="
    if "+" in flags:
        spec += "+"
    elif " " in flags:
        spec += " "
    if "#" in flags:
        spec += "#"
    spec += width
    if prec is not None:
        spec += "." + (prec or "0")
    return spec


def _pad(text: str, flags: str, width: str) -> str:
    if not width:
        return text
    size = int(width)
    return text.ljust(size) if "-" in flags else text.rjust(size)


def _format(args: Sequence[Data]) -> Data:
    _arity(args, 1, 1 << 30)
    fmt = _str(args[0])
    values = list(args[1:])
    out: list[str] = []
    pos = 0
    next_arg = 0
    used = 0
    for match in _FORMAT_VERB.finditer(fmt):
        out.append(fmt[pos : match.start()])
        pos = match.end()
        verb = match.group("verb")
        if verb is None:
            _fail("format string ends in the middle of a verb")
        if verb == "%":
            out.append("%")
            continue
        explicit = match.group("idx1") or match.group("idx2")
        if explicit is not None:
            next_arg = int(explicit) - 1
        if not 0 <= next_arg < len(values):
            _fail(f"not enough arguments for format string {fmt!r}")
        value = values[next_arg]
        next_arg += 1
        used = max(used, next_arg)
        out.append(
            _format_one(
                verb, match.group("flags"), match.group("width") or "", match.group("prec"), value
            )
        )
    out.append(fmt[pos:])
    if used < len(values):
        _fail(f"too many arguments; only {used} used by format string")
    return "".join(out)


def _formatlist(args: Sequence[Data]) -> Data:
    _arity(args, 1, 1 << 30)
    length: int | None = None
    for arg in args:
        if isinstance(arg, Pending):
            _pending(arg)
        if isinstance(arg, list):
            if length is not None and len(arg) != length:
                _fail("all list arguments must have the same length")
            length = len(arg)
    if length is None:
        return [_call_soft(_format, list(args))]
    return [
        _call_soft(_format, [arg[i] if isinstance(arg, list) else arg for arg in args])
        for i in range(length)
    ]


def _result_of(pending: _Pending) -> Unknown:
    """The unknown result of a call that met an unknown argument. A list's possible elements
    (``Unknown.items``) are the argument's, not the result's: they are dropped."""
    unknown = pending.unknown
    return unknown if unknown.items is None else replace(unknown, items=None)


def _call_soft(impl: Impl, args: Sequence[Data]) -> Data:
    """Call ``impl`` keeping an unknown result as an element instead of failing the whole call."""
    try:
        return impl(args)
    except _Pending as pending:
        return _result_of(pending)


def _join(args: Sequence[Data]) -> Data:
    _arity(args, 2, 1 << 30)
    sep = _str(args[0])
    parts: list[str] = []
    for arg in args[1:]:
        for item in _list(arg):
            if item is None:
                _fail("cannot join a null element")
            parts.append(_str(item))
    return sep.join(parts)


def _split(args: Sequence[Data]) -> Data:
    _arity(args, 2)
    sep, text = _str(args[0]), _str(args[1])
    if sep == "":
        return list(text)
    return list(text.split(sep))


def _unary_str(fn: Callable[[str], str]) -> Impl:
    def impl(args: Sequence[Data]) -> Data:
        _arity(args, 1)
        return fn(_str(args[0]))

    return impl


def _title(text: str) -> str:
    """Go ``strings.Title``: upper-case the first letter of each word, leave the rest."""
    out: list[str] = []
    previous_is_letter = False
    for char in text:
        out.append(char.upper() if not previous_is_letter else char)
        previous_is_letter = char.isalnum() or char == "_"
    return "".join(out)


_RE2_NAMED_GROUP = re.compile(r"\(\?<(?![=!])")


def _regex_compile(pattern: str) -> re.Pattern[str]:
    """Compile an RE2 pattern with Python ``re`` (the common subset; ``(?<name>`` is accepted)."""
    try:
        return re.compile(_RE2_NAMED_GROUP.sub("(?P<", pattern))
    except re.error as exc:
        _fail(f"invalid regular expression {pattern!r}: {exc}")


_GO_REPLACEMENT = re.compile(r"\$(?:\{(\w+)\}|(\d+)|(\$))")


def _replace(args: Sequence[Data]) -> Data:
    _arity(args, 3)
    text, search, replacement = _str(args[0]), _str(args[1]), _str(args[2])
    if len(search) > 1 and search.startswith("/") and search.endswith("/"):
        pattern = _regex_compile(search[1:-1])

        def expand(match: re.Match[str]) -> str:
            def group(ref: re.Match[str]) -> str:
                if ref.group(3):
                    return "$"
                name = ref.group(1) or ref.group(2)
                try:
                    found = match.group(int(name) if name.isdigit() else name)
                except IndexError:
                    return ""
                return found or ""

            return _GO_REPLACEMENT.sub(group, replacement)

        return pattern.sub(expand, text)
    return text.replace(search, replacement)


def _substr(args: Sequence[Data]) -> Data:
    _arity(args, 3)
    text, offset, length = _str(args[0]), _int(args[1]), _int(args[2])
    if offset < 0:
        offset = max(offset + len(text), 0)
    if offset > len(text):
        _fail("offset is beyond the end of the string")
    rest = text[offset:]
    if length < 0:
        return rest
    return rest[:length]


def _basename(text: str) -> str:
    """Go ``filepath.Base`` (Unix): the last element, trailing slashes dropped."""
    if text == "":
        return "."
    stripped = text.rstrip("/")
    return stripped.rsplit("/", 1)[-1] if stripped else "/"


def _dirname(text: str) -> str:
    """Go ``filepath.Dir`` (Unix): all but the last element, cleaned."""
    cleaned = posixpath.normpath(text[: text.rfind("/") + 1]) if "/" in text else "."
    # POSIX keeps a leading "//"; Go's Clean does not.
    return cleaned[1:] if cleaned.startswith("//") else cleaned


def _two_str(fn: Callable[[str, str], Data]) -> Impl:
    def impl(args: Sequence[Data]) -> Data:
        _arity(args, 2)
        return fn(_str(args[0]), _str(args[1]))

    return impl


def _match_value(pattern: re.Pattern[str], match: re.Match[str]) -> Data:
    """``regex`` result shape: whole match, list of groups, or map of named groups."""
    if pattern.groupindex:
        if len(pattern.groupindex) != pattern.groups:
            _fail("cannot mix named and unnamed capture groups")
        return {name: match.group(name) for name in pattern.groupindex}
    if pattern.groups:
        return list(match.groups())
    return match.group(0)


def _regex(args: Sequence[Data]) -> Data:
    _arity(args, 2)
    pattern = _regex_compile(_str(args[0]))
    match = pattern.search(_str(args[1]))
    if match is None:
        _fail("pattern did not match any part of the given string")
    return _match_value(pattern, match)


def _regexall(args: Sequence[Data]) -> Data:
    _arity(args, 2)
    pattern = _regex_compile(_str(args[0]))
    return [_match_value(pattern, m) for m in pattern.finditer(_str(args[1]))]


def _chomp(text: str) -> str:
    return re.sub(r"(\r\n|\n|\r)+$", "", text)


def _indent(args: Sequence[Data]) -> Data:
    _arity(args, 2)
    spaces, text = _int(args[0]), _str(args[1])
    return text.replace("\n", "\n" + " " * spaces)


# --------------------------------------------------------------------------------------------
# Collections


def _coalesce(args: Sequence[Data]) -> Data:
    _arity(args, 1, 1 << 30)
    for arg in args:
        if isinstance(arg, Unknown):
            raise _Pending(arg)
        if arg is None or arg == "":
            continue
        return arg
    _fail("no non-null, non-empty-string arguments")


def _coalescelist(args: Sequence[Data]) -> Data:
    _arity(args, 1, 1 << 30)
    for arg in args:
        if arg is None:
            continue
        items = _list(arg)
        if items:
            return items
    _fail("no non-empty list arguments")


def _compact(args: Sequence[Data]) -> Data:
    _arity(args, 1)
    result: list[Data] = []
    for item in _list(args[0]):
        if isinstance(item, Unknown):
            raise _Pending(item)
        if item is None or item == "":
            continue
        result.append(item)
    return result


def _concat(args: Sequence[Data]) -> Data:
    if any(isinstance(arg, Unknown) and arg.items is not None for arg in args):
        return _concat_optional(args)
    result: list[Data] = []
    for arg in args:
        result.extend(_list(arg))
    return result


def _concat_optional(args: Sequence[Data]) -> Data:
    """``concat`` of lists some of whose elements may or may not be there: still unknown, but
    with each possible element and its certainty (``values.Unknown.items``)."""
    items: list[tuple[Data, bool]] = []
    first: Unknown | None = None
    for arg in args:
        if isinstance(arg, Unknown) and arg.items is not None:
            items.extend(arg.items)
            first = first or arg
        else:
            items.extend((item, True) for item in _list(arg))
    assert first is not None  # noqa: S101  # only called when some argument has items
    return replace(first, items=tuple(items))


def _contains(args: Sequence[Data]) -> Data:
    _arity(args, 2)
    undecided: Pending | None = None
    items = _list(args[0])
    if isinstance(args[1], Unknown):
        raise _Pending(args[1])
    for item in items:
        same = _equal(item, args[1])
        if same:
            return True
        if same is None and undecided is None:
            undecided = _first_pending(item) or _first_pending(args[1])
    if undecided is not None:
        _pending(undecided)
    return False


def _distinct(args: Sequence[Data]) -> Data:
    _arity(args, 1)
    result: list[Data] = []
    for item in _list(args[0]):
        if isinstance(item, Unknown):
            raise _Pending(item)
        # A Ref and a literal might be equal after apply; they are kept apart (only identical
        # references are merged), which can only over-count, never invent a value.
        if not any(_equal(item, seen) is True for seen in result):
            result.append(item)
    return result


def _element(args: Sequence[Data]) -> Data:
    _arity(args, 2)
    items = _list(args[0])
    index = _int(args[1])
    if not items:
        _fail("cannot use element function with an empty list")
    if index < 0:
        _fail("cannot use element function with a negative index")
    return items[index % len(items)]


def _flatten(args: Sequence[Data]) -> Data:
    _arity(args, 1)
    result: list[Data] = []

    def walk(items: list[Data]) -> None:
        for item in items:
            if isinstance(item, Unknown):
                # Could be a list to splice in or a single value: the shape is unknown.
                raise _Pending(item)
            if isinstance(item, list):
                walk(item)
            else:
                result.append(item)

    walk(_list(args[0]))
    return result


def _index(args: Sequence[Data]) -> Data:
    _arity(args, 2)
    for pos, item in enumerate(_list(args[0])):
        same = _equal(item, args[1])
        if same is None:
            _pending(_first_pending(item) or _first_pending(args[1]) or Unknown("index"))
        if same:
            return pos
    _fail("item not found")


def _keys(args: Sequence[Data]) -> Data:
    _arity(args, 1)
    names: list[Data] = [*sorted(_map(args[0]))]
    return names


def _values(args: Sequence[Data]) -> Data:
    _arity(args, 1)
    mapping = _map(args[0])
    return [mapping[key] for key in sorted(mapping)]


def _length(args: Sequence[Data]) -> Data:
    _arity(args, 1)
    value = args[0]
    if isinstance(value, Pending):
        _pending(value)
    if isinstance(value, list | dict | str):
        return len(value)
    if value is None:
        _fail("argument must not be null")
    _fail(f"a collection or string is required, not a {type_name(value)}")


def _lookup(args: Sequence[Data]) -> Data:
    _arity(args, 2, 3)
    mapping = _map(args[0])
    key = _str(args[1])
    if key in mapping:
        return mapping[key]
    if len(args) == 3:
        return args[2]
    _fail(f"the given key {key!r} does not exist in the map")


def _merge(args: Sequence[Data]) -> Data:
    result: dict[str, Data] = {}
    for arg in args:
        if arg is None:
            continue
        result.update(_map(arg))
    return result


def _one(args: Sequence[Data]) -> Data:
    _arity(args, 1)
    items = _list(args[0])
    if len(items) > 1:
        _fail(f"must be a list with at most one element, got {len(items)}")
    return items[0] if items else None


def _range(args: Sequence[Data]) -> Data:
    _arity(args, 1, 3)
    numbers = [_num(arg) for arg in args]
    start: Number = 0
    step: Number = 1
    if len(numbers) == 1:
        (limit,) = numbers
    elif len(numbers) == 2:
        start, limit = numbers
    else:
        start, limit, step = numbers
        if step == 0:
            _fail("step must not be zero")
    if len(numbers) < 3 and limit < start:
        step = -1
    if (step > 0 and limit < start) or (step < 0 and limit > start):
        _fail("step is in the wrong direction for start and limit")
    count = max(0, math.ceil((limit - start) / step))
    if count > MAX_RANGE:
        _fail(f"more than {MAX_RANGE} values would be produced")
    return [normal(start + i * step) for i in range(count)]


def _reverse(args: Sequence[Data]) -> Data:
    _arity(args, 1)
    return list(reversed(_list(args[0])))


def _slice(args: Sequence[Data]) -> Data:
    _arity(args, 3)
    items = _list(args[0])
    start, end = _int(args[1]), _int(args[2])
    if start < 0 or end > len(items) or start > end:
        _fail(f"invalid slice [{start}:{end}] of a list of {len(items)}")
    return items[start:end]


def _sort(args: Sequence[Data]) -> Data:
    _arity(args, 1)
    ordered: list[Data] = [*sorted(_str(_known(item)) for item in _list(args[0]))]
    return ordered


def _set_order(items: list[Data]) -> list[Data]:
    """Distinct elements in Terraform's set order (numbers numerically, strings lexically,
    mixed scalars as strings); references, of unknown value, follow in their given order."""
    known: list[Data] = []
    refs: list[Data] = []
    for item in items:
        if isinstance(item, Unknown):
            raise _Pending(item)
        if isinstance(item, Ref | SymbolicText):
            if item not in refs:
                refs.append(item)
        elif not any(_equal(item, seen) is True for seen in known):
            known.append(item)
    numbers = [i for i in known if isinstance(i, int | float) and not isinstance(i, bool)]
    if len(numbers) == len(known):
        return [*sorted(numbers), *refs]
    if all(isinstance(i, str | int | float | bool) for i in known):
        # Terraform unifies mixed scalars to string.
        return [*sorted({_str(i) for i in known}), *refs]
    return known + refs


def _pass_through(kind: type, label: str) -> Impl:
    """``tolist``/``tomap``: values of the right shape, null, references and unknowns pass."""

    def impl(args: Sequence[Data]) -> Data:
        _arity(args, 1)
        value = args[0]
        if value is None or isinstance(value, kind | Ref | SymbolicText | Unknown):
            return value
        _fail(f"cannot convert a {type_name(value)} to a {label}")

    return impl


def _nullable(convert: Callable[[Data], Data]) -> Impl:
    """``tonumber``/``tobool``: null stays null, anything else converts."""

    def impl(args: Sequence[Data]) -> Data:
        _arity(args, 1)
        return None if args[0] is None else convert(args[0])

    return impl


def _toset(args: Sequence[Data]) -> Data:
    _arity(args, 1)
    return _set_order(_list(args[0]))


def _tostring(args: Sequence[Data]) -> Data:
    _arity(args, 1)
    return to_text(args[0])


def _zipmap(args: Sequence[Data]) -> Data:
    _arity(args, 2)
    keys = [_str(key) for key in _list(args[0])]
    values = _list(args[1])
    if len(keys) != len(values):
        _fail("keys and values must have the same length")
    return dict(zip(keys, values, strict=True))


def _transpose(args: Sequence[Data]) -> Data:
    _arity(args, 1)
    result: dict[str, list[str]] = {}
    mapping = _map(args[0])
    for key in sorted(mapping):
        for item in _list(mapping[key]):
            result.setdefault(_str(item), []).append(key)
    return {key: list[Data](sorted(result[key])) for key in sorted(result)}


def _setunion(args: Sequence[Data]) -> Data:
    _arity(args, 1, 1 << 30)
    return _set_order([item for arg in args for item in _list(arg)])


def _member(item: Data, members: list[Data]) -> bool:
    """Whether ``item`` is in ``members``; undecidable (a reference) makes the call unknown."""
    found = [_equal(item, candidate) for candidate in members]
    if True in found:
        return True
    if None in found:
        _pending(_first_pending(item) or Unknown("a set element is known only after apply"))
    return False


def _setintersection(args: Sequence[Data]) -> Data:
    _arity(args, 1, 1 << 30)
    others = [_set_order(_list(arg)) for arg in args[1:]]
    return [
        item for item in _set_order(_list(args[0])) if all(_member(item, other) for other in others)
    ]


def _setsubtract(args: Sequence[Data]) -> Data:
    _arity(args, 2)
    other = _set_order(_list(args[1]))
    return [item for item in _set_order(_list(args[0])) if not _member(item, other)]


def _bool_fold(decisive: bool) -> Impl:
    """``alltrue`` (a known ``false`` decides) and ``anytrue`` (a known ``true`` decides); an
    unknown element matters only when no known element decides."""

    def impl(args: Sequence[Data]) -> Data:
        _arity(args, 1)
        pending: Pending | None = None
        for item in _list(args[0]):
            if isinstance(item, Pending):
                pending = pending or item
            elif _bool(item) is decisive:
                return decisive
        if pending is not None:
            _pending(pending)
        return not decisive

    return impl


def _chunklist(args: Sequence[Data]) -> Data:
    _arity(args, 2)
    items = _list(args[0])
    size = _int(args[1])
    if size < 0:
        _fail("the size argument must be positive")
    if size == 0:
        return [list(items)]
    return [items[i : i + size] for i in range(0, len(items), size)]


# --------------------------------------------------------------------------------------------
# Encoding and hashing


def _jsonencode(args: Sequence[Data]) -> Data:
    _arity(args, 1)
    if _first_pending(args[0]) is not None:
        # Documented: a partly unknown value is returned as the structure itself.
        return args[0]
    return _json_text(args[0])


def _from_json(value: object) -> Data:
    """Decoded JSON as Data, integral numbers as ints."""
    if isinstance(value, float):
        return normal(value)
    if isinstance(value, list):
        return [_from_json(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _from_json(item) for key, item in value.items()}
    if value is None or isinstance(value, str | int | bool):
        return value
    _fail("unsupported JSON value")


def _jsondecode(args: Sequence[Data]) -> Data:
    _arity(args, 1)
    text = _str(args[0])
    try:
        decoded = json.loads(text)
    except json.JSONDecodeError as exc:
        _fail(f"invalid JSON: {exc.msg} at line {exc.lineno}")
    except RecursionError:
        _fail("JSON nested too deeply")
    return _from_json(decoded)


def _base64encode(args: Sequence[Data]) -> Data:
    _arity(args, 1)
    return base64.b64encode(_str(args[0]).encode()).decode()


def _base64decode(args: Sequence[Data]) -> Data:
    _arity(args, 1)
    try:
        raw = base64.b64decode(_str(args[0]), validate=True)
    except ValueError:
        _fail("the string is not valid base64")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        _fail("the decoded bytes are not valid UTF-8")


def _hash(algorithm: str, *, b64: bool = False) -> Impl:
    def impl(args: Sequence[Data]) -> Data:
        _arity(args, 1)
        digest = hashlib.new(algorithm, _str(args[0]).encode(), usedforsecurity=False)
        if b64:
            return base64.b64encode(digest.digest()).decode()
        return digest.hexdigest()

    return impl


def _not_static(name: str) -> Impl:
    def impl(args: Sequence[Data]) -> Data:
        raise _Pending(Unknown(f"{name}() is not known until apply"))

    return impl


def _urlencode(args: Sequence[Data]) -> Data:
    _arity(args, 1)
    return urllib.parse.quote(_str(args[0]), safe="-_.~")


def _identity(args: Sequence[Data]) -> Data:
    _arity(args, 1)
    return args[0]


# --------------------------------------------------------------------------------------------
# Numbers


def _unary_num(fn: Callable[[Number], Number]) -> Impl:
    def impl(args: Sequence[Data]) -> Data:
        _arity(args, 1)
        return fn(_num(args[0]))

    return impl


def _max(args: Sequence[Data]) -> Data:
    _arity(args, 1, 1 << 30)
    return max(_num(arg) for arg in args)


def _min(args: Sequence[Data]) -> Data:
    _arity(args, 1, 1 << 30)
    return min(_num(arg) for arg in args)


def _parseint(args: Sequence[Data]) -> Data:
    _arity(args, 2)
    text, base = _str(args[0]), _int(args[1])
    if not 2 <= base <= 62:
        _fail("base must be a whole number between 2 and 62")
    if base > 36:
        _fail("bases above 36 are not supported")
    try:
        return int(text, base)
    except ValueError:
        _fail(f"cannot parse {text!r} as a base {base} integer")


def _pow(args: Sequence[Data]) -> Data:
    _arity(args, 2)
    base, exponent = _num(args[0]), _num(args[1])
    try:
        result = math.pow(base, exponent)
    except (OverflowError, ValueError):
        _fail("result is out of range")
    return normal(result)


def _signum(args: Sequence[Data]) -> Data:
    _arity(args, 1)
    number = _num(args[0])
    return (number > 0) - (number < 0)


def _sum(args: Sequence[Data]) -> Data:
    _arity(args, 1)
    items = _list(args[0])
    if not items:
        _fail("cannot sum an empty list")
    total: Number = 0
    for item in items:
        total += _num(item)
    return normal(total)


def _log(args: Sequence[Data]) -> Data:
    _arity(args, 2)
    try:
        return normal(math.log(_num(args[0]), _num(args[1])))
    except (ValueError, ZeroDivisionError):
        _fail("logarithm is undefined for these arguments")


# --------------------------------------------------------------------------------------------
# Networks


def _cidrsubnet(args: Sequence[Data]) -> Data:
    _arity(args, 3)
    prefix, newbits, netnum = _str(args[0]), _int(args[1]), _int(args[2])
    try:
        network = ipaddress.ip_network(prefix, strict=False)
    except ValueError:
        _fail(f"invalid CIDR address {prefix!r}")
    new_prefix = network.prefixlen + newbits
    if newbits < 0 or new_prefix > network.max_prefixlen:
        _fail(f"insufficient address space to extend prefix of {network.prefixlen} by {newbits}")
    if not 0 <= netnum < (1 << newbits):
        _fail(f"prefix extension of {newbits} does not accommodate a subnet numbered {netnum}")
    base = int(network.network_address) + (netnum << (network.max_prefixlen - new_prefix))
    subnet = ipaddress.ip_network((base, new_prefix))
    return str(subnet)


def _cidrhost(args: Sequence[Data]) -> Data:
    _arity(args, 2)
    prefix, hostnum = _str(args[0]), _int(args[1])
    try:
        network = ipaddress.ip_network(prefix, strict=False)
    except ValueError:
        _fail(f"invalid CIDR address {prefix!r}")
    size = network.num_addresses
    if hostnum < 0:
        hostnum += size
    if not 0 <= hostnum < size:
        _fail(f"prefix of {network.prefixlen} does not accommodate a host numbered {hostnum}")
    return str(network.network_address + hostnum)


# --------------------------------------------------------------------------------------------
# The registry


def _wrap(name: str, impl: Impl) -> Impl:
    """Turn internal unknown signals into ``Unknown`` results and name the function in errors."""

    def call(args: Sequence[Data]) -> Data:
        try:
            return impl(args)
        except _Pending as pending:
            return _result_of(pending)
        except FunctionError as exc:
            raise FunctionError(f"{name}(): {exc}") from None
        except (OverflowError, ZeroDivisionError, InvalidOperation, RecursionError) as exc:
            raise FunctionError(f"{name}(): {exc}") from None

    call.__name__ = name
    call.__doc__ = impl.__doc__
    return call


_IMPLEMENTATIONS: dict[str, Impl] = {
    # strings
    "basename": _unary_str(_basename),
    "chomp": _unary_str(_chomp),
    "dirname": _unary_str(_dirname),
    "endswith": _two_str(str.endswith),
    "format": _format,
    "formatlist": _formatlist,
    "indent": _indent,
    "join": _join,
    "lower": _unary_str(str.lower),
    "regex": _regex,
    "regexall": _regexall,
    "replace": _replace,
    "split": _split,
    "startswith": _two_str(str.startswith),
    "strcontains": _two_str(lambda text, part: part in text),
    "strrev": _unary_str(lambda text: text[::-1]),
    "substr": _substr,
    "title": _unary_str(_title),
    "trim": _two_str(lambda text, cutset: text.strip(cutset)),
    "trimprefix": _two_str(str.removeprefix),
    "trimspace": _unary_str(str.strip),
    "trimsuffix": _two_str(str.removesuffix),
    "upper": _unary_str(str.upper),
    # collections
    "alltrue": _bool_fold(False),
    "anytrue": _bool_fold(True),
    "chunklist": _chunklist,
    "coalesce": _coalesce,
    "coalescelist": _coalescelist,
    "compact": _compact,
    "concat": _concat,
    "contains": _contains,
    "distinct": _distinct,
    "element": _element,
    "flatten": _flatten,
    "index": _index,
    "keys": _keys,
    "length": _length,
    "lookup": _lookup,
    "merge": _merge,
    "one": _one,
    "range": _range,
    "reverse": _reverse,
    "setintersection": _setintersection,
    "setsubtract": _setsubtract,
    "setunion": _setunion,
    "slice": _slice,
    "sort": _sort,
    "transpose": _transpose,
    "values": _values,
    "zipmap": _zipmap,
    # type conversion
    "nonsensitive": _identity,
    "sensitive": _identity,
    "tobool": _nullable(_bool),
    "tolist": _pass_through(list, "list"),
    "tomap": _pass_through(dict, "map"),
    "tonumber": _nullable(_num),
    "toset": _toset,
    "tostring": _tostring,
    # encoding and hashing
    "base64decode": _base64decode,
    "base64encode": _base64encode,
    "base64sha256": _hash("sha256", b64=True),
    "base64sha512": _hash("sha512", b64=True),
    "jsondecode": _jsondecode,
    "jsonencode": _jsonencode,
    "md5": _hash("md5"),
    "sha1": _hash("sha1"),
    "sha256": _hash("sha256"),
    "sha512": _hash("sha512"),
    "urlencode": _urlencode,
    # not static
    "bcrypt": _not_static("bcrypt"),
    "plantimestamp": _not_static("plantimestamp"),
    "timestamp": _not_static("timestamp"),
    "uuid": _not_static("uuid"),
    # numbers
    "abs": _unary_num(abs),
    "ceil": _unary_num(math.ceil),
    "floor": _unary_num(math.floor),
    "log": _log,
    "max": _max,
    "min": _min,
    "parseint": _parseint,
    "pow": _pow,
    "signum": _signum,
    "sum": _sum,
    # networks
    "cidrhost": _cidrhost,
    "cidrsubnet": _cidrsubnet,
}

FUNCTIONS: Mapping[str, Impl] = MappingProxyType(
    {name: _wrap(name, impl) for name, impl in sorted(_IMPLEMENTATIONS.items())}
)
"""Every Terraform function cmkguard evaluates, by name. A name not here evaluates to Unknown."""

"""Terraform resource instance addresses: one type, one renderer, one parser.

``module.team["a"].module.db[0].data.aws_kms_key.k["café"]`` is a module path (each call with
its optional instance key), a mode (a ``data.`` prefix or none), a type, a name and an optional
instance key. ``str()`` renders it exactly as Terraform does (``internal/addrs``): integer keys
bare, string keys in HCL quoting (``\\n``, ``\\r``, ``\\t``, ``\\"``, ``\\\\`` escaped, ``${`` and
``%{`` doubled, characters Go does not print as ``\\uXXXX``/``\\UXXXXXXXX``, everything else as
itself, non-ASCII included). ``parse`` inverts it, so an address a plan document writes and one
the source evaluator builds compare equal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal, TypeAlias

InstanceKey: TypeAlias = int | str
"""A ``count`` index or ``for_each`` key."""
ModulePath: TypeAlias = tuple[tuple[str, InstanceKey | None], ...]
"""The module calls from the root, each with its instance key: ``()`` is the root."""
Mode: TypeAlias = Literal["managed", "data"]
"""``managed`` for a ``resource`` block, ``data`` for a ``data`` block."""

_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t", '"': '\\"', "\\": "\\\\"}
_UNESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_INDEX = re.compile(r"\[(0|[1-9][0-9]*)\]")


def _quoted(text: str) -> str:
    """``text`` as an HCL quoted string, as Terraform's ``toHCLQuotedString`` writes it."""
    out = ['"']
    for index, char in enumerate(text):
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif char in "$%":
            # A template introducer is doubled so that the text stays literal.
            out.append(char * 2 if text[index + 1 : index + 2] == "{" else char)
        elif not char.isprintable():
            # Go's unicode.IsPrint and str.isprintable agree: categories C and Z but space.
            code = ord(char)
            out.append(f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")
        else:
            out.append(char)
    out.append('"')
    return "".join(out)


def render_key(key: InstanceKey | None) -> str:
    """``[0]``, ``["k"]`` or nothing, as Terraform writes an instance key."""
    if key is None:
        return ""
    if isinstance(key, int):
        return f"[{key}]"
    return f"[{_quoted(key)}]"


def render_module(path: ModulePath) -> str:
    """``module.a["x"].module.b`` (empty for the root)."""
    return ".".join(f"module.{name}{render_key(key)}" for name, key in path)


@dataclass(frozen=True, slots=True)
class Address:
    """A resource instance address."""

    module: ModulePath
    """The module instance the resource is declared in."""
    mode: Mode
    """``managed`` or ``data``."""
    type: str
    """The resource type, e.g. ``aws_kms_key``."""
    name: str
    """The resource name."""
    key: InstanceKey | None = None
    """The ``count``/``for_each`` instance key."""

    @property
    def local(self) -> str:
        """The module-relative address without instance key: ``data.aws_kms_alias.sm``."""
        prefix = "data." if self.mode == "data" else ""
        return f"{prefix}{self.type}.{self.name}"

    @property
    def config_path(self) -> tuple[str, ...]:
        """The module call names leading to the resource's configuration."""
        return tuple(name for name, _ in self.module)

    def __str__(self) -> str:
        local = self.local + render_key(self.key)
        module = render_module(self.module)
        return f"{module}.{local}" if module else local


class _Reader:
    """A cursor over address text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def done(self) -> bool:
        return self.pos == len(self.text)

    def take(self, literal: str) -> bool:
        if self.text.startswith(literal, self.pos):
            self.pos += len(literal)
            return True
        return False

    def name(self) -> str | None:
        match = _NAME.match(self.text, self.pos)
        if match is None:
            return None
        self.pos = match.end()
        return match.group()

    def key(self) -> InstanceKey | Literal[False] | None:
        """An instance key, ``None`` when there is none, ``False`` when it is malformed."""
        if not self.text.startswith("[", self.pos):
            return None
        match = _INDEX.match(self.text, self.pos)
        if match is not None:
            self.pos = match.end()
            return int(match.group(1))
        if not self.take('["'):
            return False
        text = self._string()
        if text is None or not self.take("]"):
            return False
        return text

    def _string(self) -> str | None:
        """The rest of an HCL quoted string after its opening quote, unescaped."""
        out: list[str] = []
        text = self.text
        while self.pos < len(text):
            char = text[self.pos]
            self.pos += 1
            if char == '"':
                return "".join(out)
            if char == "\\":
                escaped = self._escape()
                if escaped is None:
                    return None
                out.append(escaped)
            elif char in "$%" and text.startswith(char + "{", self.pos):
                # Terraform doubles "${" and "%{"; a single one would start a template.
                out.append(char)
                self.pos += 1
            elif char in "$%" and text.startswith("{", self.pos):
                return None
            else:
                out.append(char)
        return None

    def _escape(self) -> str | None:
        text = self.text
        if self.pos >= len(text):
            return None
        char = text[self.pos]
        self.pos += 1
        if char in _UNESCAPES:
            return _UNESCAPES[char]
        width = {"u": 4, "U": 8}.get(char)
        digits = text[self.pos : self.pos + width] if width else ""
        if width is None or len(digits) != width or not re.fullmatch(r"[0-9A-Fa-f]+", digits):
            return None
        self.pos += width
        code = int(digits, 16)
        return chr(code) if code <= 0x10FFFF else None


def parse_key(text: str | None) -> InstanceKey | None:
    """An instance key from its rendering: ``[0]`` → 0, ``["a"]`` → "a", empty → ``None``.
    Raises ``ValueError`` when ``text`` is not one."""
    if not text:
        return None
    reader = _Reader(text)
    key = reader.key()
    if key is False or key is None or not reader.done():
        raise ValueError(f"not an instance key: {text}")
    return key


def parse_module(text: str) -> ModulePath | None:
    """Parse a module instance address (``""`` for the root); ``None`` when it is not one."""
    if text == "":
        return ()
    reader = _Reader(text)
    path = _module_steps(reader)
    return path if path is not None and reader.done() and path else None


def _module_steps(reader: _Reader) -> ModulePath | None:
    path: list[tuple[str, InstanceKey | None]] = []
    while True:
        start = reader.pos
        if not reader.take("module."):
            return tuple(path)
        name = reader.name()
        key = reader.key() if name is not None else False
        if name is None or key is False:
            return None
        path.append((name, key))
        if reader.done():
            return tuple(path)
        if not reader.take("."):
            reader.pos = start
            return None


def parse(text: str) -> Address | None:
    """Parse a resource instance address; ``None`` when ``text`` is not one."""
    reader = _Reader(text)
    path = _module_steps(reader)
    if path is None or reader.done():
        return None
    mode: Mode = "data" if reader.take("data.") else "managed"
    rtype = reader.name()
    if rtype is None or not reader.take("."):
        return None
    name = reader.name()
    key = reader.key() if name is not None else False
    if name is None or key is False or not reader.done():
        return None
    if mode == "managed" and rtype == "module":
        return None
    return Address(path, mode, rtype, name, key)

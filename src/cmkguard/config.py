"""The configuration file: ``cmkguard.toml``, or ``[tool.cmkguard]`` in ``pyproject.toml``.

Found by walking up from the scanned path to the repository root (the first directory holding
``.git``), nearest first, ``cmkguard.toml`` before ``pyproject.toml`` in one directory; or named
with ``--config FILE``. Parsed with the standard library's ``tomllib``. Unknown keys and values
of the wrong type are rejected naming the key and the file: a setting silently dropped could
turn a FAIL into a PASS (an allow-list nobody applies).

Every setting also has a flag, and flags win; ``cmkguard config show`` prints where each
effective value came from.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from cmkguard.errors import UsageError
from cmkguard.findings import Suppression, SuppressionKind
from cmkguard.kms import KeyIdKind, is_region_name, parse_key_identifier
from cmkguard.suppressions import parse_date, valid_codes

CONFIG_NAME = "cmkguard.toml"
PYPROJECT = "pyproject.toml"

ALLOWED_KEY_KINDS = (KeyIdKind.KEY_ARN, KeyIdKind.KEY_ID, KeyIdKind.ALIAS_ARN)
"""What ``allowed_keys`` may hold: key ARNs, key IDs and alias ARNs."""


class ConfigError(UsageError):
    """A configuration file that cannot be used (exit status 2, nothing scanned)."""


@dataclass(frozen=True, slots=True)
class FileConfig:
    """The settings one configuration file sets (``None``: not set there)."""

    path: Path | None = None
    """The file, or ``None`` when no configuration file was found."""
    lines: Mapping[str, int] = field(default_factory=dict)
    """Key -> the line that sets it, for ``config show``."""
    allowed_keys: tuple[str, ...] | None = None
    deployer_principals: tuple[str, ...] | None = None
    region: str | None = None
    workspace: str | None = None
    exclude: tuple[str, ...] | None = None
    strict: bool | None = None
    resolve_keys: bool | None = None
    outputs: tuple[str, ...] | None = None
    suppressions: tuple[Suppression, ...] | None = None
    download_modules: bool | None = None
    module_cache: str | None = None
    registry_urls: tuple[str, ...] | None = None

    def origin(self, key: str) -> str:
        """``cmkguard.toml:4`` for a key the file sets."""
        line = self.lines.get(key)
        return f"{self.path}:{line}" if line is not None else str(self.path)


def find_config(start: Path) -> Path | None:
    """The configuration file for a scan of ``start``: walk up to the repository root (the
    nearest directory holding ``.git``). Outside a repository only ``start``'s own directory is
    looked at: a stray ``/tmp/cmkguard.toml`` must not configure every scan below it."""
    directory = (start if start.is_dir() else start.parent).resolve()
    ancestors = (directory, *directory.parents)
    root = next((d for d in ancestors if (d / ".git").exists()), None)
    walk = ancestors[: ancestors.index(root) + 1] if root is not None else (directory,)
    for candidate in walk:
        if (candidate / CONFIG_NAME).is_file():
            return candidate / CONFIG_NAME
        pyproject = candidate / PYPROJECT
        if pyproject.is_file() and _has_tool_table(pyproject):
            return pyproject
    return None


def _has_tool_table(pyproject: Path) -> bool:
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        # A pyproject.toml we cannot read is the Python project's business, not ours; a
        # cmkguard table in it would be reported when named with --config.
        return False
    tool = data.get("tool")
    return isinstance(tool, dict) and "cmkguard" in tool


def load_config(path: Path) -> FileConfig:
    """Read and check one configuration file; raises ``ConfigError`` naming file and key."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or error
        raise ConfigError(f"{path}: cannot read: {reason}") from error
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML: {error}") from error
    if path.name == PYPROJECT:
        tool = data.get("tool", {})
        table = tool.get("cmkguard") if isinstance(tool, dict) else None
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: has no [tool.cmkguard] table")
        data = table
    return _parse(data, path, text)


def _parse(data: dict[str, Any], path: Path, text: str) -> FileConfig:
    unknown = sorted(set(data) - set(_KEYS))
    if unknown:
        key = unknown[0]
        raise ConfigError(
            f"{_at(path, text, key)}: unknown key {key!r}; known keys: {', '.join(_KEYS)}"
        )
    values: dict[str, Any] = {}
    for key, value in data.items():
        values[key] = _KEYS[key](value, f"{_at(path, text, key)}: {key}")
    lines = {key: line for key in data if (line := _line_of(text, key)) is not None}
    if "suppressions" in values:
        values["suppressions"] = tuple(
            _suppression(entry, f"{_at(path, text, 'suppressions')}: suppressions[{i}]", path)
            for i, entry in enumerate(values["suppressions"])
        )
    return FileConfig(path=path, lines=lines, **values)


def _line_of(text: str, key: str) -> int | None:
    """The line setting ``key`` (``key =`` or an ``[[key]]``/``[tool.cmkguard.key]`` table)."""
    pattern = re.compile(
        rf'^\s*(?:"?{re.escape(key)}"?\s*=|\[\[?(?:tool\.cmkguard\.)?{re.escape(key)}\]\]?)'
    )
    for number, line in enumerate(text.splitlines(), start=1):
        if pattern.match(line):
            return number
    return None


def _at(path: Path, text: str, key: str) -> str:
    line = _line_of(text, key)
    return f"{path}:{line}" if line is not None else str(path)


def _strings(value: object, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where} must be a list of strings")
    return tuple(value)


def _string(value: object, where: str) -> str:
    if not isinstance(value, str) or not value:
        raise ConfigError(f"{where} must be a non-empty string")
    return value


def _region(value: object, where: str) -> str:
    region = _string(value, where)
    if not is_region_name(region):
        raise ConfigError(f"{where} must be a region name like us-east-1")
    return region


def _bool(value: object, where: str) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(f"{where} must be true or false")
    return value


def _checked_strings(
    value: object, where: str, problem_of: Callable[[str], str | None]
) -> tuple[str, ...]:
    """A list of strings each of which ``problem_of`` accepts (returns ``None`` for)."""
    entries = _strings(value, where)
    for entry in entries:
        problem = problem_of(entry)
        if problem is not None:
            raise ConfigError(f"{where}: {problem}")
    return entries


def _allowed_keys(value: object, where: str) -> tuple[str, ...]:
    return _checked_strings(value, where, allowed_key_problem)


def allowed_key_problem(text: str) -> str | None:
    """Why ``text`` cannot be on the allow-list, or ``None``."""
    if parse_key_identifier(text).kind not in ALLOWED_KEY_KINDS:
        return (
            f"{text!r} is not a key ARN, key ID or alias ARN "
            "(an alias name has no account or region to pin)"
        )
    return None


def _registry_urls(value: object, where: str) -> tuple[str, ...]:
    return _checked_strings(value, where, registry_url_problem)


def registry_url_problem(text: str) -> str | None:
    """Why ``text`` is not a ``HOST=URL`` registry mapping (``URL`` over http or https), or
    ``None``."""
    host, sep, url = text.partition("=")
    if not sep or not host.strip() or "/" in host or not url.startswith(("https://", "http://")):
        return f"expected HOST=URL with an http(s) URL, got {text!r}"
    return None


def _outputs(value: object, where: str) -> tuple[str, ...]:
    outputs = _strings(value, where)
    for output in outputs:
        fmt, sep, file = output.partition("=")
        if not sep or not fmt or not file:
            raise ConfigError(f"{where}: expected FORMAT=FILE, got {output!r}")
    return outputs


def _tables(value: object, where: str) -> tuple[dict[str, Any], ...]:
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise ConfigError(f"{where} must be an array of tables ([[suppressions]])")
    return tuple(value)


_SUPPRESSION_KEYS = ("address", "codes", "reason", "until")


def _suppression(entry: dict[str, Any], where: str, path: Path) -> Suppression:
    unknown = sorted(set(entry) - set(_SUPPRESSION_KEYS))
    if unknown:
        raise ConfigError(
            f"{where}: unknown key {unknown[0]!r}; known keys: {', '.join(_SUPPRESSION_KEYS)}"
        )
    for key in ("address", "codes", "reason"):
        if key not in entry:
            raise ConfigError(f"{where}: {key} is required")
    address = _string(entry["address"], f"{where}.address")
    codes = _strings(entry["codes"], f"{where}.codes")
    if not codes:
        raise ConfigError(f"{where}.codes: name at least one reason code")
    for code in codes:
        if code not in valid_codes():
            raise ConfigError(f"{where}.codes: unknown reason code {code!r}")
    reason = _string(entry["reason"], f"{where}.reason").strip()
    if not reason:
        raise ConfigError(f"{where}.reason must be a non-empty string")
    until = _until(entry.get("until"), f"{where}.until")
    return Suppression(SuppressionKind.CONFIG, codes, reason, until, str(path), None, address)


def _until(value: object, where: str) -> date | None:
    if value is None:
        return None
    if isinstance(value, date) and not hasattr(value, "hour"):
        return value
    parsed = parse_date(value) if isinstance(value, str) else None
    if parsed is None:
        raise ConfigError(f"{where} must be a date (until = 2026-12-31)")
    return parsed


_KEYS: dict[str, Callable[[object, str], Any]] = {
    "allowed_keys": _allowed_keys,
    "deployer_principals": _strings,
    "region": _region,
    "workspace": _string,
    "exclude": _strings,
    "strict": _bool,
    "resolve_keys": _bool,
    "outputs": _outputs,
    "suppressions": _tables,
    "download_modules": _bool,
    "module_cache": _string,
    "registry_urls": _registry_urls,
}
"""Every key the file may set, with its type check."""

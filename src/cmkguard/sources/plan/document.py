"""Reading a ``terraform show -json`` document: encoding, JSON, and which kind it is.

Plans saved on Windows by PowerShell's ``>`` are UTF-16 with a byte order mark, and many editors
add a UTF-8 BOM: the encoding is taken from the BOM. Every problem becomes one ``InputError``.
"""

from __future__ import annotations

import codecs
import json
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from cmkguard.errors import InputError

NOT_TERRAFORM = "not a Terraform plan or state (terraform show -json output)"
SNIFF_BYTES = 4096
"""How much of a file ``looks_like_terraform_json`` reads."""

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_FIRST_KEY = re.compile(r'^\{\s*"(format_version|version|terraform_version)"\s*:')
_MARKERS = ('"format_version"', '"terraform_version"')


class DocumentKind(StrEnum):
    """What a Terraform JSON document is."""

    PLAN = "plan"
    """``terraform show -json PLANFILE``."""
    STATE = "state"
    """``terraform show -json`` of a state."""
    RAW_STATE = "raw state"
    """A ``terraform.tfstate`` file (state format version 4)."""


@dataclass(frozen=True, slots=True)
class Document:
    """A parsed document of a known kind."""

    kind: DocumentKind
    """Plan, state or raw state."""
    data: dict[str, Any]
    """The parsed JSON object."""
    text: str
    """The decoded text, for finding the line of a resource."""


def decode(data: bytes) -> str | None:
    """The text of ``data``: BOM-marked UTF-8/UTF-16, else UTF-8 (UTF-16 without a BOM is
    recognised by its zero bytes). ``None`` when it is not text in any of these."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                return None
    encoding = "utf-8"
    if len(data) >= 2 and data[0] != 0 and data[1] == 0:
        encoding = "utf-16-le"
    elif len(data) >= 2 and data[0] == 0 and data[1] != 0:
        encoding = "utf-16-be"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def looks_like_terraform_json(data: bytes) -> bool:
    """Cheap sniff: does this look like ``terraform show -json`` output or a ``.tfstate``?

    Only the start of the file is read; ``load_plan`` decides for real (and reports JSON that
    is not Terraform's with a clear error)."""
    head = data[:SNIFF_BYTES]
    if head[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE) or (len(head) > 1 and 0 in head[:2]):
        # Cut on an even byte count so that the UTF-16 decoder does not fail on a half character.
        head = head[: len(head) - len(head) % 2]
    text = decode(head)
    if text is None:
        text = head.decode("utf-8", errors="ignore")
    text = text.lstrip("\ufeff \t\r\n")
    if not text.startswith("{"):
        return False
    return bool(_FIRST_KEY.match(text)) or any(m in text for m in _MARKERS)


def read_document(data: bytes, path: str) -> Document | InputError:
    """Decode, parse and classify ``data``."""
    text = decode(data)
    if text is None:
        return InputError(path, None, "not UTF-8 or UTF-16 text; " + NOT_TERRAFORM)
    text = text.removeprefix("\ufeff")
    if not text.strip():
        return InputError(path, None, "empty file; " + NOT_TERRAFORM)
    try:
        parsed = json.loads(text)
    except json.JSONDecodeError as exc:
        # A string left open always runs to the end of the text: the file was cut short.
        if exc.pos >= len(text.rstrip()) or exc.msg.startswith("Unterminated string"):
            return InputError(path, exc.lineno, f"invalid JSON: the file ends early ({exc.msg})")
        return InputError(path, exc.lineno, f"invalid JSON: {exc.msg} (column {exc.colno})")
    except RecursionError:
        return InputError(path, None, "invalid JSON: nested too deeply")
    if not isinstance(parsed, dict):
        return InputError(path, 1, NOT_TERRAFORM)
    kind = classify(parsed)
    if not isinstance(kind, DocumentKind):
        return InputError(path, 1, kind)
    return Document(kind, parsed, text)


def classify(data: dict[str, Any]) -> DocumentKind | str:
    """The kind of a parsed document, or the error message saying why it is not one we read."""
    if "format_version" in data:
        is_plan = "planned_values" in data or "resource_changes" in data
        empty_state = set(data) <= {"format_version", "terraform_version"}
        if not is_plan and "values" not in data and not empty_state:
            return NOT_TERRAFORM
        version = data["format_version"]
        what = "plan" if is_plan else "state"
        if not isinstance(version, str) or version.split(".")[0] != "1":
            return f"unsupported {what} format_version {version} (cmkguard reads 1.x)"
        return DocumentKind.PLAN if is_plan else DocumentKind.STATE
    if "version" in data and "resources" in data and "terraform_version" in data:
        if data["version"] != 4:
            return f"unsupported state file version {data['version']} (cmkguard reads version 4)"
        return DocumentKind.RAW_STATE
    return NOT_TERRAFORM

"""Where a value is set: the place an edit must go when a notebook's (or a key's) setting comes
through a variable or a module input.

The evaluator records how it reached every value as a trail of steps (``values.Step``): the
attribute, then ``var.NAME`` and the step saying what gave the variable its value (an entry of a
variables file, a module call's argument, the default), then possibly the parent's ``var.NAME``
and so on. The value is set at the last of these places; a ``local``, a resource or anything
else after it is where the value is *computed*, which an edit must not change for every other
user of it. The edit then replaces the value written at that place.

A place inside a module that more than one module call evaluates (a shared module) is never
edited: every other caller would change too. Variables files and defaults take only constants,
so an expression such as ``aws_kms_key.k.arn`` is never written there.

How fixers use it (``fix/kms_key_id.py`` for ``kms_key_id``, ``fix/key_enable.py`` for
``is_enabled``): ``value_origin(trail, finding, result)`` gives an ``Origin`` (or the reason no
place may be edited), and ``edit_at(files, origin, expression)`` the edit that writes the new
value there (or advice when the place cannot take it).
"""

from __future__ import annotations

import json
import posixpath
import re
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from cmkguard.address import parse
from cmkguard.findings import Finding, ScanResult
from cmkguard.fix.context import Advice, SourceFiles
from cmkguard.fix.edits import TextEdit
from cmkguard.sources.terraform.positions import AttributeSpan, BlockSpan, FileLayout
from cmkguard.values import Step, Trail

__all__ = ["Origin", "OriginKind", "edit_at", "is_constant", "value_origin"]

_VAR = re.compile(r"var\.(?P<name>[A-Za-z_][\w-]*)")
_IN_FILE = re.compile(r"(?P<name>[A-Za-z_][\w-]*) in (?P<file>.+)")
_DEFAULT = re.compile(r"default of var\.(?P<name>[A-Za-z_][\w-]*)")
_MODULE_INPUT = re.compile(r"module\.(?P<call>[A-Za-z_][\w-]*) input (?P<name>[A-Za-z_][\w-]*)")
_OUTSIDE = re.compile(r"(?P<how>environment TF_VAR_|--var )")


class OriginKind(StrEnum):
    """What kind of place sets the value."""

    ATTRIBUTE = "attribute"
    """Written on the resource itself (``kms_key_id = "..."``, ``is_enabled = false``)."""
    VARS_FILE = "variables file"
    """An entry of ``terraform.tfvars``, ``*.auto.tfvars`` or a ``--var-file``."""
    MODULE_ARGUMENT = "module argument"
    """An argument of the module call (``module "nb" { kms = ... }``)."""
    DEFAULT = "variable default"
    """The ``default`` of the variable, nothing setting it."""


@dataclass(frozen=True, slots=True)
class Origin:
    """The place a value is written."""

    kind: OriginKind
    file: str
    """Relative to the scanned root (a ``--var-file`` as it was given)."""
    line: int
    name: str
    """The attribute written there: the argument, the variable's name, or ``default``."""
    what: str
    """The value's name in summaries: ``kms_key_id``, ``var.kms``, ``module.nb input key``."""

    @property
    def constant_only(self) -> bool:
        """True when the place takes only a constant (variables files and defaults)."""
        return self.kind in (OriginKind.VARS_FILE, OriginKind.DEFAULT)

    @property
    def where(self) -> str:
        """``terraform.tfvars:3``."""
        return f"{self.file}:{self.line}"


def _place(kind: OriginKind, step: Step, name: str, what: str) -> Origin | str:
    if step.file is None or step.line is None:
        return f"{what} is set outside the files ({step.label})"
    return Origin(kind, step.file, step.line, name, what)


def value_origin(trail: Trail, finding: Finding, result: ScanResult) -> Origin | str:
    """Where the value reached through ``trail`` (its first step the attribute) is set, or why no
    place may be edited. ``finding`` and ``result`` tell whether a place in a module is shared."""
    if not trail:
        return "the value's trail is empty"
    first = trail[0]
    place = _place(OriginKind.ATTRIBUTE, first, first.label, first.label)
    index = 1
    while not isinstance(place, str) and index + 1 < len(trail):
        variable = _VAR.fullmatch(trail[index].label)
        if variable is None:
            break
        given = trail[index + 1]
        place = _given(given, trail[index], finding)
        index += 2
    if isinstance(place, str):
        return place
    if _shared(place, finding, result):
        return (
            f"{place.what} is set at {place.where}, in a module that several module calls "
            "use; editing it there would change every caller"
        )
    return place


def _given(given: Step, variable: Step, finding: Finding) -> Origin | str:
    """The place the step after ``var.NAME`` names."""
    what = variable.label
    in_file = _IN_FILE.fullmatch(given.label)
    if in_file is not None:
        return _place(OriginKind.VARS_FILE, given, in_file["name"], what)
    default = _DEFAULT.fullmatch(given.label)
    if default is not None:
        return _place(OriginKind.DEFAULT, given, "default", what)
    module_input = _MODULE_INPUT.fullmatch(given.label)
    if module_input is not None:
        return _place(OriginKind.MODULE_ARGUMENT, given, module_input["name"], given.label)
    if _OUTSIDE.match(given.label):
        return f"{what} is set by {given.label}: change it there"
    return f"{what} is set in a way cmkguard does not edit ({given.label})"


def _root_dir(finding: Finding) -> str:
    return finding.root_module or "."


def _shared(place: Origin, finding: Finding, result: ScanResult) -> bool:
    """True when ``place`` lies in a module directory that the scan evaluated through more than
    one module path (the same file, several callers)."""
    directory = posixpath.dirname(place.file) or "."
    if directory == _root_dir(finding):
        return False
    return len(_module_paths(result, finding.root_module, place, directory)) > 1


def _module_paths(
    result: ScanResult, root_module: str | None, place: Origin, directory: str
) -> set[tuple[str, ...]]:
    """The module paths (call names) that evaluate ``directory``, as far as the findings of
    the root module show: resources written there (notebooks, keys) and steps through
    ``place`` itself."""
    paths: set[tuple[str, ...]] = set()
    for other in result.findings:
        if other.root_module != root_module:
            continue
        located = [(other.address, other.file)] + [
            (s.label, s.file) for chain in other.evidence for s in chain.steps
        ]
        for label, file in located:
            address = parse(label)
            if address is not None and file is not None and posixpath.dirname(file) == directory:
                paths.add(address.config_path)
        own = parse(other.address)
        if own is not None and any(
            s.file == place.file and s.line == place.line
            for chain in other.evidence
            for s in chain.steps
        ):
            paths.add(own.config_path)
    return paths


_NUMBER = re.compile(r"-?\d+(\.\d+)?([eE][+-]?\d+)?")


def is_constant(expression: str) -> bool:
    """True for an HCL constant a variables file or default may hold: a quoted string without
    interpolation, a number, ``true``, ``false`` or ``null``."""
    text = expression.strip()
    if text in ("true", "false", "null") or _NUMBER.fullmatch(text):
        return True
    if len(text) >= 2 and text[0] == text[-1] == '"':
        try:
            value = json.loads(text)
        except ValueError:
            return False
        return isinstance(value, str) and "${" not in value and "%{" not in value
    return False


def _attribute_at(layout: FileLayout, name: str, line: int) -> AttributeSpan | None:
    """The attribute ``name`` written at ``line``, at the top level or in any block."""
    pending: list[BlockSpan] = list(layout.blocks)
    found = [a for a in layout.attributes if a.name == name and a.line == line]
    while pending and not found:
        block = pending.pop()
        found = [a for a in block.attributes if a.name == name and a.line == line]
        pending.extend(block.blocks)
    return found[0] if found else None


def edit_at(files: SourceFiles, origin: Origin, expression: str) -> TextEdit | Advice:
    """The edit that writes ``expression`` as the value at ``origin``, or advice saying what to
    change by hand when it cannot be written there."""
    by_hand = f"set {origin.name} = {expression} at {origin.where} by hand"
    if origin.constant_only and not is_constant(expression):
        return Advice(
            f"{origin.what} is set at {origin.where} ({origin.kind.value}), which takes only "
            f"constants, not {expression}: write the key's ARN there, or set the attribute "
            "itself to the expression"
        )
    rel = _relative(files, origin.file)
    if rel is None:
        return Advice(f"{origin.what} is set in {origin.file}, outside the scanned directory")
    why = files.editable(rel)
    if why is not None:
        return Advice(f"{why}; {by_hand}")
    if rel.endswith(".json"):
        return Advice(f"{rel} is JSON syntax, which cmkguard fix does not rewrite; {by_hand}")
    layout = files.layout(rel)
    if layout is None:
        return Advice(f"{rel} does not parse: fix its syntax first", refusal=True)
    attribute = _attribute_at(layout, origin.name, origin.line)
    if attribute is None:
        return Advice(f"{rel}:{origin.line}: {origin.name} not found (changed since the scan?)")
    return TextEdit(files.path(rel), attribute.value_start, attribute.value_end, expression)


def _relative(files: SourceFiles, file: str) -> str | None:
    """``file`` relative to the scanned root: finding paths are; a ``--var-file`` is named as
    given on the command line (relative to the working directory, or absolute)."""
    if not Path(file).is_absolute() and files.path(file).is_file():
        return file
    given = Path(file).absolute()
    try:
        return given.relative_to(files.root.absolute()).as_posix()
    except ValueError:
        return None

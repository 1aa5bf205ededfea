"""Values of root module variables from outside the configuration, and type conversion.

Precedence, lowest first, as Terraform documents it
(https://developer.hashicorp.com/terraform/language/values/variables#variable-definition-precedence):
the variable's ``default`` < ``TF_VAR_name`` environment variables < ``terraform.tfvars`` <
``terraform.tfvars.json`` < ``*.auto.tfvars`` / ``*.auto.tfvars.json`` in lexical order of their
names < ``--var-file`` and ``--var`` in the order given. Child modules get their values from the
module call instead.

``TF_VAR_`` and ``--var`` values are raw text: for a variable declared without a type, or with a
primitive type (``string``, ``number``, ``bool``), the text is the value (then converted to the
type); for other types it is parsed as an HCL expression, as Terraform does. The type constraint
itself is applied by ``conversions.convert_to``, whatever the value's source.
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from dataclasses import dataclass, field

from cmkguard.errors import InputError
from cmkguard.sources.inputs import MAX_SMALL_FILE_BYTES, read_limited
from cmkguard.sources.terraform import hcl
from cmkguard.sources.terraform.ast import ConfigFile, Expr
from cmkguard.sources.terraform.conversions import Type, is_primitive
from cmkguard.sources.terraform.discovery import SourceTree
from cmkguard.sources.terraform.tfjson import parse_tfvars_json
from cmkguard.tfinputs import VarArg, VarFile
from cmkguard.values import Step


@dataclass(frozen=True, slots=True)
class VariableInputs:
    """Variable values given from outside the configuration (root modules only)."""

    command_line: tuple[VarFile | VarArg, ...] = ()
    """``--var-file`` and ``--var`` in the order given: Terraform applies them in that order,
    after the files it loads itself, so a later one wins."""
    env: Mapping[str, str] = field(default_factory=dict)
    """The environment, for ``TF_VAR_name``."""


@dataclass(frozen=True, slots=True)
class Assignment:
    """One value assigned to a root variable from outside the configuration."""

    step: Step
    """Where it comes from, for the evidence trail (``terraform.tfvars:3``, ``--var key``)."""
    raw: str | None = None
    """Raw text (``TF_VAR_``, ``--var``), parsed according to the variable's type."""
    expr: Expr | None = None
    """An expression from a variables file, evaluated without references."""


def parses_as_expression(type_expr: Expr | None, kind: Type) -> bool:
    """True when raw text for a variable declared with ``type_expr`` (parsed to ``kind``) is an
    HCL expression rather than the value itself: a declared type that is not primitive."""
    return type_expr is not None and not is_primitive(kind)


def _file_assignments(config: ConfigFile, display: str, found: dict[str, Assignment]) -> None:
    for name, attr in config.body.attributes.items():
        found[name] = Assignment(Step(f"{name} in {display}", display, attr.line), expr=attr.expr)


def _read_var_file(
    data: bytes,
    display: str,
    errors: list[InputError],
    found: dict[str, Assignment],
    *,
    is_json: bool = False,
) -> None:
    if is_json or display.endswith(".json"):
        config, problems = parse_tfvars_json(data, display)
    else:
        config, problems = hcl.parse_hcl_file(data, display)
    errors.extend(problems)
    if config is not None:
        if config.body.blocks:
            first = config.body.blocks[0]
            errors.append(
                InputError(
                    display,
                    first.line,
                    f"blocks are not allowed in a variables file ({first.type})",
                )
            )
        _file_assignments(config, display, found)


def root_assignments(
    tree: SourceTree, root_dir: str, inputs: VariableInputs, errors: list[InputError]
) -> dict[str, Assignment]:
    """Every variable value assigned from outside the configuration for the root module in
    ``root_dir``; a later source replaces an earlier one."""
    found: dict[str, Assignment] = {}
    for key, raw in sorted(inputs.env.items()):
        if key.startswith("TF_VAR_") and len(key) > len("TF_VAR_"):
            name = key[len("TF_VAR_") :]
            found[name] = Assignment(Step(f"environment {key}"), raw=raw)
    auto = sorted(
        n for n in tree.listdir(root_dir) if n.endswith((".auto.tfvars", ".auto.tfvars.json"))
    )
    for name in ("terraform.tfvars", "terraform.tfvars.json", *auto):
        rel = posixpath.join(root_dir, name) if root_dir != "." else name
        if not tree.is_file(rel):
            continue
        data = tree.read(rel)
        if isinstance(data, str):
            errors.append(InputError(rel, None, data))
            continue
        _read_var_file(data, rel, errors, found)
    for given in inputs.command_line:
        if isinstance(given, VarArg):
            found[given.name] = Assignment(Step(f"--var {given.name}"), raw=given.raw)
            continue
        display = str(given.path)
        if given.json_content is not None:
            _read_var_file(given.json_content, display, errors, found, is_json=True)
            continue
        # ``cmkguard fix`` re-scans an edited variables file from its overlay.
        overlaid = tree.overlaid(given.path)
        data = (
            overlaid
            if overlaid is not None
            else read_limited(given.path, display, MAX_SMALL_FILE_BYTES)
        )
        if isinstance(data, str):
            errors.append(InputError(display, None, f"--var-file: {data}"))
            continue
        _read_var_file(data, display, errors, found)
    return found

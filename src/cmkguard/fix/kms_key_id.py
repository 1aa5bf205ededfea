"""``missing`` / ``empty`` / ``aws-managed-key`` / ``malformed``: point ``kms_key_id`` at the key
the user chose (``--key EXPR``) or at a new one (``--create-key``, see ``new_key``).

The edit is made on the notebook's own block, never in a module that several module calls
share (each caller would get the key). A ``kms_key_id`` that comes through a variable is set
where the value is set (``fix/origin.py``): the module call's argument, the variables file entry
or the default, when that place can take the key.
"""

from __future__ import annotations

import json
import re

from cmkguard.errors import UsageError
from cmkguard.findings import ChainKind
from cmkguard.fix import new_key
from cmkguard.fix.attributes import set_attribute
from cmkguard.fix.context import Advice, FixContext, Outcome, Proposal
from cmkguard.fix.edits import TextEdit
from cmkguard.fix.key_target import target_block
from cmkguard.fix.origin import OriginKind, edit_at, value_origin
from cmkguard.kms import parse_key_identifier
from cmkguard.sources.terraform.hcl import parse_expression
from cmkguard.subject import KEY_ARGUMENT, NOTEBOOK_TYPE

__all__ = ["key_expression", "set_key"]


def key_expression(raw: str) -> str:
    """``--key`` as HCL: a key identifier (ID, ARN, alias) becomes a quoted string, anything
    else (``aws_kms_key.k.arn``, ``var.kms``, ``"..."``) is taken as the expression it is.
    Raises ``UsageError`` when that is not one single-line HCL expression."""
    if not parse_key_identifier(raw).is_malformed:
        return json.dumps(raw)
    text = raw.strip()
    parsed, errors = parse_expression(text, "--key")
    if parsed is None or errors or "\n" in text:
        why = errors[0].message if errors else "not one expression on one line"
        raise UsageError(f"--key {text!r} is not an HCL expression: {why}")
    return text


def set_key(context: FixContext) -> Outcome:
    """Set the notebook's ``kms_key_id`` to the chosen key."""
    block = target_block(context)
    if isinstance(block, Advice):
        return _json_advice(context) if context.file.endswith(".json") else block
    attribute = block.attribute(KEY_ARGUMENT)
    if attribute is not None and _VARIABLE.fullmatch(attribute.value):
        placed = _at_origin(context)
        if placed is not None:
            return placed
    chosen = _chosen(context)
    if isinstance(chosen, Advice):
        return chosen
    expression, extra = chosen
    layout = context.files.layout(context.file)
    if layout is None:  # notebook_block parsed it already
        return Advice(f"{context.file} does not parse", refusal=True)
    edits = set_attribute(context.files.path(context.file), layout, block, KEY_ARGUMENT, expression)
    if edits is None:
        return Advice(
            f"{context.label()}: the block is written on one line; set "
            f"{KEY_ARGUMENT} = {expression} by hand"
        )
    verb = "changed" if attribute is not None else "added"
    return Proposal(
        (*edits, *extra),
        f"{context.label()}: {KEY_ARGUMENT} {verb}: {expression}",
        sets_key=True,
    )


_VARIABLE = re.compile(r"var\.[A-Za-z_][\w-]*")


def _at_origin(context: FixContext) -> Outcome | None:
    """For ``kms_key_id = var.x``: the edit where the value is set (a module call's argument, a
    variables file entry, the default; ``fix/origin.py``), when ``--key`` names the key.
    ``None`` lets the notebook's own attribute be set instead: in a root module, when the
    place takes only constants and the key is an expression, or the value comes from outside
    the files; and with ``--create-key``, whose key is declared beside the notebook."""
    expression = context.choice.expression
    address = context.address
    in_module = address is not None and bool(address.module)
    chain = next((c for c in context.finding.evidence if c.kind is ChainKind.KEY), None)
    if expression is None or chain is None:
        return None
    origin = value_origin(chain.steps, context.finding, context.result)
    if isinstance(origin, str):
        return Advice(f"{context.label()}: {origin}") if in_module else None
    if origin.kind is OriginKind.ATTRIBUTE:
        return None
    edit = edit_at(context.files, origin, expression)
    if isinstance(edit, Advice):
        return edit if in_module else None
    return Proposal(
        (edit,),
        f"{origin.where} {origin.what}: set to {expression} ({KEY_ARGUMENT} of {context.label()})",
        sets_key=True,
    )


def _chosen(context: FixContext) -> tuple[str, tuple[TextEdit, ...]] | Advice:
    """The expression to set, and any edits it needs (the new key's file)."""
    if context.choice.expression is not None:
        return context.choice.expression, ()
    if context.choice.create:
        return new_key.planned(context)
    return Advice(
        f"{context.label()}: choose the key: run `cmkguard fix` with --key EXPR "
        "(aws_kms_key.NAME.arn, var.NAME or a key ARN) or with --create-key"
    )


def _json_advice(context: FixContext) -> Advice:
    """The exact change for a ``.tf.json`` file, which fix does not rewrite."""
    address = context.address
    name = address.name if address is not None else "?"
    expression = context.choice.expression
    if expression is None:
        value = "${aws_kms_key.NAME.arn}"
    elif expression.startswith('"'):
        value = json.loads(expression)  # a key identifier, quoted by key_expression
    else:
        value = "${" + expression + "}"
    return Advice(
        f'{context.file}: JSON syntax is not rewritten; in "resource" > "{NOTEBOOK_TYPE}" > '
        f'"{name}" set "{KEY_ARGUMENT}": {json.dumps(value)}'
        + ("" if expression else " after declaring a customer managed key"),
        refusal=True,
    )

"""``missing`` / ``empty`` / ``aws-managed-key`` / ``malformed``: point ``kms_key_id`` at the key
the user chose (``--key EXPR``) or at a new one (``--create-key``, see ``new_key``).

The edit is made on the notebook's own block, never in a module that several module calls
share (each caller would get the key). A notebook inside a module whose ``kms_key_id`` comes in
through a module variable is fixed where the value is set, by the origin fixer; until then it
gets advice naming the module call.
"""

from __future__ import annotations

import json

from cmkguard.errors import UsageError
from cmkguard.fix import new_key
from cmkguard.fix.attributes import set_attribute
from cmkguard.fix.context import Advice, FixContext, Outcome, Proposal
from cmkguard.fix.edits import TextEdit
from cmkguard.fix.key_target import target_block
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

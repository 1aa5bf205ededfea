"""Whether a notebook's own block is the place to set its ``kms_key_id``.

It is, when the block is declared in a root module or in a module only one call uses, and the
value is not a module input. A module that several calls (or root modules) use is never edited:
each caller would get the key. A module input (``var.x`` inside a called module) is set by the
module call, so the edit belongs there, not in the module.
"""

from __future__ import annotations

from cmkguard.fix.context import Advice, FixContext
from cmkguard.sources.terraform.positions import BlockSpan
from cmkguard.subject import KEY_ARGUMENT

__all__ = ["target_block"]


def target_block(context: FixContext) -> BlockSpan | Advice:
    """The notebook's block, when its ``kms_key_id`` may be set there; else why not."""
    block = context.notebook_block()
    if isinstance(block, Advice):
        return block
    if context.block_is_shared():
        return Advice(
            f"{context.label()}: the notebook is declared in a module that several module calls "
            f"or root modules use ({context.file}); editing it would change every caller. "
            f"Give the module a variable for {KEY_ARGUMENT} and set it in each call."
        )
    address = context.address
    attribute = block.attribute(KEY_ARGUMENT)
    if (
        address is not None
        and address.module
        and attribute is not None
        and attribute.value.startswith("var.")
    ):
        call = ".".join(f"module.{name}" for name in address.config_path)
        return Advice(
            f"{context.label()}: {KEY_ARGUMENT} comes from the module input "
            f"{attribute.value.removeprefix('var.')}; set it to a customer managed key in the "
            f"call {call}"
        )
    return block

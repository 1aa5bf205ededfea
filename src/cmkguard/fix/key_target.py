"""Whether a notebook's own block is the place to set its ``kms_key_id``.

It is, when the block is declared in a root module or in a module only one call uses. A module
that several calls (or root modules) use is never edited: each caller would get the key. (A value
that comes through a variable is set where ``fix/origin.py`` finds it: ``kms_key_id.py``.)
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
    return block

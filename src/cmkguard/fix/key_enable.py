"""``key-disabled``: enable the notebook's key where its enabled flag is set.

``is_enabled = false`` (``enabled`` on replica and external keys) written on the key becomes
``true``. When the flag comes through a variable or a module input, the edit goes where the value
is set (``fix/origin.py``): the variables file entry, the module call's argument or the
variable's default, never a shared module. A key defined outside the scanned files, or disabled
only in AWS, gets advice: ``aws kms enable-key``.
"""

from __future__ import annotations

from cmkguard.fix.context import Advice, FixContext, Outcome, Proposal
from cmkguard.fix.key_facts import key_of, notebook_key
from cmkguard.fix.origin import edit_at, value_origin
from cmkguard.sources.kms_resources import enabled_argument
from cmkguard.values import Known

__all__ = ["enable_key"]


def enable_key(context: FixContext) -> Outcome:
    """Set the key's enabled flag to ``true`` where it is set."""
    found = key_of(context.finding)
    if found is None:
        return Advice(
            f"{context.label()}: the key is not defined in the scanned files; enable it with "
            "`aws kms enable-key --key-id KEY` or where it is managed"
        )
    _, key = found
    flag = enabled_argument(key.type)
    described = notebook_key(context)
    state = described.state if described is not None else None
    if not isinstance(state, Known) or not state.trail or state.trail[0].label != flag:
        now = f"in state {state.value}" if isinstance(state, Known) else "not enabled"
        return Advice(
            f"{context.label()}: {key} is {now}, and not because of its {flag} argument: "
            "enable it where it is managed (`aws kms enable-key`, or import its key material)"
        )
    origin = value_origin(state.trail, context.finding, context.result)
    if isinstance(origin, str):
        return Advice(f"{context.label()}: {key} is disabled: {origin}; set it to true")
    edit = edit_at(context.files, origin, "true")
    if isinstance(edit, Advice):
        return edit
    return Proposal(
        (edit,),
        f"{origin.where} {origin.what}: set to true ({key} was disabled)",
    )

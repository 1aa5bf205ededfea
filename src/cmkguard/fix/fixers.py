"""The fixers, one per reason code: the registry ``cmkguard fix`` consults.

A fixer is a function ``(FixContext) -> Proposal | Advice``: the edits that should make the
notebook PASS with a one-line summary, or the advice to print when no safe edit exists. A reason
with no entry gets the catalogue's advice (``cmkguard explain CODE``). Adding a fixer is one
module and one line here; nothing registers itself on import.
"""

from __future__ import annotations

from typing import Protocol

from cmkguard.catalogue.codes import Reason
from cmkguard.fix import explain_only, key_enable, kms_key_id, policy_grants
from cmkguard.fix.context import KEY_REPLACING, FixContext, Outcome

__all__ = ["FIXERS", "KEY_REPLACING", "Fixer"]


class Fixer(Protocol):
    """Proposes the edits for one reason of one failing notebook."""

    def __call__(self, context: FixContext, /) -> Outcome:
        """A proposal of text edits, or advice when no safe edit exists. Never writes."""
        ...


FIXERS: dict[Reason, Fixer] = {
    Reason.MISSING: kms_key_id.set_key,
    Reason.EMPTY: kms_key_id.set_key,
    Reason.AWS_MANAGED_KEY: kms_key_id.set_key,
    Reason.MALFORMED: kms_key_id.set_key,
    Reason.KEY_POLICY_MISSING_GRANTS: policy_grants.add_grants,
    Reason.KEY_DISABLED: key_enable.enable_key,
    Reason.KEY_NOT_SYMMETRIC: explain_only.not_symmetric,
    Reason.CROSS_REGION: explain_only.cross_region,
}
"""Reason code → its fixer."""

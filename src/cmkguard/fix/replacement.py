"""The force-replacement warning: changing ``kms_key_id`` replaces an existing notebook.

SageMaker cannot change the key of a notebook instance, so the AWS provider destroys and
recreates it and the ML storage volume is lost (``destructive-replacement`` in
``shared/control.md``). Every fix that sets the key says so, with the backup steps; given
``--plan`` or ``--state`` it says per notebook whether it exists (a notebook the plan only
creates loses nothing).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cmkguard.catalogue.codes import WarningCode
from cmkguard.catalogue.entries import lookup
from cmkguard.errors import InputError
from cmkguard.sources.inputs import read_bytes
from cmkguard.sources.plan.document import DocumentKind, read_document
from cmkguard.sources.plan.model import build_index

__all__ = ["BACKUP_STEPS", "Existing", "existing_notebooks", "warning"]

_ENTRY = lookup(WarningCode.DESTRUCTIVE_REPLACEMENT.value)
BACKUP_STEPS = (
    _ENTRY.fix
    if _ENTRY is not None
    else "Back the notebook up to S3 first (a lifecycle configuration that syncs "
    "/home/ec2-user/SageMaker to S3 on stop), stop it, then apply."
)
"""What to do before applying a key change to an existing notebook."""


@dataclass(frozen=True, slots=True)
class Existing:
    """Which notebooks a plan or state says exist."""

    origin: str
    """``plan FILE`` or ``state FILE``, for messages."""
    addresses: frozenset[str]
    """Addresses of resource instances that exist before the plan is applied."""


def existing_notebooks(plan: Path | None, state: Path | None) -> Existing | str | None:
    """What ``--plan`` or ``--state`` says exists; ``None`` when neither is given, a message
    when the file cannot be read as what it was given as."""
    given, wanted = (plan, "plan") if plan is not None else (state, "state")
    if given is None:
        return None
    data = read_bytes(given, str(given))
    if not isinstance(data, bytes):
        return str(data)
    document = read_document(data, str(given))
    if isinstance(document, InputError):
        return str(document)
    is_plan = document.kind is DocumentKind.PLAN
    if is_plan != (wanted == "plan"):
        return f"{given}: --{wanted} expects a {wanted}, this is a {'plan' if is_plan else 'state'}"
    index = build_index(document)
    if is_plan:
        found = set(index.prior) | {
            address
            for address, resource in index.resources.items()
            if resource.actions and resource.actions not in (("create",), ("read",))
        }
    else:
        found = set(index.resources)
    return Existing(f"{wanted} {given}", frozenset(found))


def warning(address: str, existing: Existing | None) -> str | None:
    """The warning for a fix that sets ``address``'s key; ``None`` when the notebook is known
    not to exist yet."""
    if existing is None:
        return (
            f"{address}: if this notebook already exists, applying replaces it and its storage "
            f"volume is lost. {BACKUP_STEPS}"
        )
    if address in existing.addresses:
        return (
            f"{address} exists ({existing.origin}): applying replaces it and its storage volume "
            f"is lost. {BACKUP_STEPS}"
        )
    return None

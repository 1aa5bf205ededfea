"""What fixers of a key's properties need to know about the key behind a finding.

A finding names its key in the key chain of its evidence (``aws_kms_key.k (kms.tf:3)``); the
trails of the key's own properties (how ``is_enabled`` got its value) are not part of a finding,
so they are read from the inventory the scan is made of, loaded once per ``fix`` run.
"""

from __future__ import annotations

from cmkguard.address import Address, parse
from cmkguard.findings import ChainKind, Finding
from cmkguard.fix.context import FixContext
from cmkguard.inventory import Inventory, Key, KeyRef
from cmkguard.sources.kms_resources import KEY_TYPES
from cmkguard.sources.terraform.source import TerraformSource
from cmkguard.values import Known, Step

__all__ = ["key_of", "notebook_key"]

_INVENTORY = "inventory"
"""``FixContext.shared`` entry holding the loaded inventory."""


def key_of(finding: Finding) -> tuple[Step, Address] | None:
    """The key's own step in the finding's key chain (``aws_kms_key.k (kms.tf:3)``) and its
    address; ``None`` when the key is not defined in the scanned files."""
    for chain in finding.evidence:
        if chain.kind is not ChainKind.KEY:
            continue
        for step in reversed(chain.steps):
            address = parse(step.label)
            if address is not None and address.type in KEY_TYPES and step.file is not None:
                return step, address
    return None


def _inventory(context: FixContext) -> Inventory:
    found = context.shared.get(_INVENTORY)
    if not isinstance(found, Inventory):
        source = TerraformSource(context.files.root, context.options.request())
        found = context.shared[_INVENTORY] = source.load().inventory
    return found


def notebook_key(context: FixContext) -> Key | None:
    """The key the finding's notebook uses, as the scan described it."""
    finding = context.finding
    for notebook in _inventory(context).notebooks:
        if notebook.address != finding.address or notebook.root_module != finding.root_module:
            continue
        setting = notebook.kms_key
        if isinstance(setting, Known) and isinstance(setting.value, KeyRef):
            return setting.value.key
    return None

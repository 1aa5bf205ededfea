"""The plan/state source: ``load_plan`` behind the ``Source`` face, with what the Terraform
source trees of the same run say about the plan's addresses."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from cmkguard.errors import InputError
from cmkguard.inventory import InputKind, Inventory, SourceLocation
from cmkguard.sources.inputs import read_bytes
from cmkguard.sources.interface import FileRequest, Loaded
from cmkguard.sources.plan import load_plan, looks_like_terraform_json
from cmkguard.values import Data, Known, Unknown, Value


def is_plan(path: Path, head: bytes) -> bool:
    """Whether ``path`` is a file that starts like ``terraform show -json`` output or a
    ``.tfstate`` (``load_plan`` decides for real and names what is wrong)."""
    return path.is_file() and looks_like_terraform_json(head)


@dataclass(frozen=True, slots=True)
class PlanSource:
    """One ``terraform show -json`` plan or state file (or ``terraform.tfstate``)."""

    path: Path
    """The file."""
    request: FileRequest = field(default_factory=FileRequest)
    """Only ``earlier`` is read: the Terraform source trees loaded before it."""

    def load(self) -> Loaded:
        """The plan's notebooks, pointing at their source ``file:line`` when a source tree of
        the same run writes them."""
        display = str(self.path)
        data = read_bytes(self.path, display)
        if isinstance(data, InputError):
            return Loaded(Inventory(), InputKind.PLAN, (data,), (display,))
        context = SourceContext.of(self.request.earlier)
        try:
            inventory, kind, errors = load_plan(data, display, context.locations, context.policies)
        except Exception as error:
            # A crafted document that trips a bug in the reader must not end the whole scan
            # and lose the other inputs' findings: this file alone becomes an error (exit 2),
            # as a Terraform root module does.
            detail = f"{type(error).__name__}: {error}"
            problem = InputError(
                display, None, f"internal error reading {display}: {detail}; please report"
            )
            return Loaded(Inventory(), InputKind.PLAN, (problem,), (display,))
        return Loaded(inventory, kind, tuple(errors), (display,))


@dataclass(slots=True)
class SourceContext:
    """What the source trees of a run say about the addresses a plan of them contains."""

    locations: dict[str, SourceLocation] = field(default_factory=dict)
    """Notebook address -> where it is written."""
    policies: dict[str, Value[Data]] = field(default_factory=dict)
    """Key address -> its effective policy as the source evaluates it."""

    @classmethod
    def of(cls, earlier: Iterable[Loaded]) -> SourceContext:
        """The context of the Terraform source inventories among ``earlier``."""
        context = cls()
        for loaded in earlier:
            if loaded.kind is InputKind.TERRAFORM:
                context.add(loaded.inventory)
        return context

    def add(self, inventory: Inventory) -> None:
        """Record the notebooks and keys of one source inventory."""
        for nb in inventory.notebooks:
            if isinstance(nb.location, SourceLocation):
                self.locations[nb.address] = nb.location
            ref = nb.kms_key.value if isinstance(nb.kms_key, Known) else None
            if ref is not None and ref.key is not None and ref.key.location is not None:
                self.add_policy(ref.key.label, ref.key.policy)

    def add_policy(self, address: str, policy: Value[Data]) -> None:
        """Record a key's source policy; conflicting ones for one address become Unknown."""
        # Two root modules may define a key at the same address with different policies; a
        # plan cannot say which root it was made from, so neither may stand in for it.
        seen = self.policies.get(address)
        if seen is None or seen == policy:
            self.policies[address] = policy
        else:
            self.policies[address] = Unknown(
                f"the scanned source trees define {address} in several root modules with "
                "different policies"
            )

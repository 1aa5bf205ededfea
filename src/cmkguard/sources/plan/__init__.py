"""Plans and state: ``terraform show -json`` output (and ``terraform.tfstate``) → ``Inventory``.

The public surface is ``load_plan`` and ``looks_like_terraform_json``; ``docs/plans.md`` says
what is read and how unknown values are followed.
"""

from __future__ import annotations

from collections.abc import Mapping

from cmkguard.errors import InputError
from cmkguard.inventory import InputKind, Inventory, SourceLocation
from cmkguard.sources.plan.document import DocumentKind, looks_like_terraform_json, read_document
from cmkguard.values import Data, Value

__all__ = ["load_plan", "looks_like_terraform_json", "plan_variables"]


def load_plan(
    data: bytes,
    display_path: str,
    source_locations: Mapping[str, SourceLocation] | None = None,
    source_policies: Mapping[str, Value[Data]] | None = None,
) -> tuple[Inventory, InputKind, list[InputError]]:
    """Read a plan or state document into an inventory of notebooks.

    ``display_path`` names the file in findings and errors. ``source_locations`` maps notebook
    addresses to their source ``file:line`` when the source tree is scanned in the same run;
    otherwise findings point at the resource's line in the JSON. ``source_policies`` maps key
    addresses to their effective policy as the source tree evaluates it: a policy the plan
    knows only after apply is then taken from there. A document that is not a
    Terraform plan or state gives an empty inventory and one ``InputError``.
    """
    # The reader proper is imported when a plan is read, not when a directory scan imports this
    # package to route its inputs (issue 13: start-up follows what is scanned).
    from cmkguard.sources.plan.build import Builder
    from cmkguard.sources.plan.model import build_index

    document = read_document(data, display_path)
    if isinstance(document, InputError):
        return Inventory(), InputKind.PLAN, [document]
    kind = InputKind.PLAN if document.kind is DocumentKind.PLAN else InputKind.STATE
    builder = Builder(build_index(document), display_path, source_locations, source_policies)
    return builder.inventory(), kind, []


def plan_variables(data: bytes, display_path: str) -> bytes | None:
    """A plan's root variable values (its ``variables`` block) as a ``.tfvars.json`` document,
    to evaluate the source tree the plan was made from with them; ``None`` for state or a file
    that is not a plan."""
    import json

    document = read_document(data, display_path)
    if isinstance(document, InputError) or document.kind is not DocumentKind.PLAN:
        return None
    declared = document.data.get("variables")
    if not isinstance(declared, dict):
        declared = {}  # a configuration without root variables
    values = {
        name: entry["value"]
        for name, entry in declared.items()
        if isinstance(entry, dict) and "value" in entry
    }
    return json.dumps(values).encode()

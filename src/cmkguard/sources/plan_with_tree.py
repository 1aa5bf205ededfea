"""A plan scanned with the source tree it was made from: what the plan leaves unknown is settled
by the tree's evaluation run on the plan's own variable values.

``terraform show -json`` drops local values and the results of ``for`` expressions, so a
``kms_key_id`` picked from a local map or a module output built by ``for`` is unknown in the plan
alone. The Terraform source evaluates them, and given the values the plan was made with (its
``variables`` block, applied after every other variable input) it follows them to the key the
plan would use.

How the two are matched: the plan's configuration root module is the scanned tree's root module
(a directory of the tree, ``Notebook.root_module``) whose notebooks include every notebook of the
plan, addresses compared without instance keys. When no root module or several qualify, the plan
is judged alone and a notice says why.

What wins: the plan. Only facts the plan leaves unknown (``kms_key_id``, a key's property or
policy known only after apply, the region, the role) are taken from the source, per notebook
address; every fact the plan knows stays. A notebook whose ``kms_key_id`` is unknown in the plan
cannot FAIL there, and filling an unknown key property only adds what the source knows, so no
notebook the plan alone FAILs can PASS.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import fields, replace
from pathlib import Path

from cmkguard.inventory import InputKind, Key, KeyRef, Notebook
from cmkguard.sources.inputs import read_bytes
from cmkguard.sources.interface import FileRequest, Loaded
from cmkguard.sources.plan import plan_variables
from cmkguard.sources.terraform.source import TerraformSource
from cmkguard.tfinputs import VarFile
from cmkguard.values import Known, Step, Unknown, Value

_INSTANCE_KEY = re.compile(r"\[[^\]]*\]")

_KEY_FACTS = tuple(
    f.name for f in fields(Key) if f.name not in ("label", "location", "policy_trail")
)
"""The ``Key`` fields that are facts (``Known``/``Unknown``) the source may settle."""


def settle_with_trees(plan: Loaded, trees: Sequence[Loaded], request: FileRequest) -> Loaded:
    """``plan`` with what it leaves unknown settled by the tree it was made from, evaluated with
    the plan's variables; ``plan`` itself when there is nothing to settle or no tree matches."""
    if plan.kind is not InputKind.PLAN or not plan.inputs:
        return plan
    if not any(_unsettled(nb) for nb in plan.inventory.notebooks):
        return plan
    found = _plan_root(plan, trees)
    display = plan.inputs[0]
    if isinstance(found, str):
        return replace(plan, notices=(*plan.notices, f"{display}: judged alone: {found}"))
    root, root_name = found
    data = read_bytes(Path(display), display)
    variables = plan_variables(data, display) if isinstance(data, bytes) else None
    if variables is None:
        return plan
    given = VarFile(Path(display), json_content=variables)
    evaluated = TerraformSource(
        root, replace(request, command_line=(*request.command_line, given), earlier=())
    ).load()
    source = {
        nb.address: nb for nb in evaluated.inventory.notebooks if nb.root_module in (None, ".")
    }
    # Named relative to the scanned tree and by the plan's file name: the evidence must not
    # depend on where the checkout is.
    step = Step(
        f"settled by the source (root module {root_name}) evaluated with the variables of "
        f"{Path(display).name}"
    )
    notebooks = tuple(_settled(nb, source.get(nb.address), step) for nb in plan.inventory.notebooks)
    return replace(plan, inventory=replace(plan.inventory, notebooks=notebooks))


def _unsettled(notebook: Notebook) -> bool:
    """Whether the plan leaves a fact of the notebook unknown that the source may know."""
    setting = notebook.kms_key
    if isinstance(setting, Unknown) or isinstance(notebook.region, Unknown):
        return True
    ref = setting.value
    if ref is None or ref.key is None:
        return False
    return any(isinstance(getattr(ref.key, name), Unknown) for name in _KEY_FACTS)


def _unkeyed(address: str) -> str:
    return _INSTANCE_KEY.sub("", address)


def _plan_root(plan: Loaded, trees: Sequence[Loaded]) -> tuple[Path, str] | str:
    """The scanned root module the plan was made from, or why none is taken."""
    wanted = {_unkeyed(nb.address) for nb in plan.inventory.notebooks}
    declared: dict[tuple[Path, str], set[str]] = {}
    for tree in trees:
        if tree.kind is not InputKind.TERRAFORM or tree.root is None:
            continue
        for nb in tree.inventory.notebooks:
            name = nb.root_module or "."
            declared.setdefault((tree.root / name, name), set()).add(_unkeyed(nb.address))
    matches = sorted(d for d, found in declared.items() if wanted <= found)
    if not matches:
        return "no scanned root module declares all of its notebooks"
    if len(matches) > 1:
        names = ", ".join(name for _, name in matches)
        return (
            f"several scanned root modules declare its notebooks ({names}); scan the plan "
            "with its own root module"
        )
    return matches[0]


def _settled(plan: Notebook, source: Notebook | None, step: Step) -> Notebook:
    """The plan's notebook with its unknown facts taken from the source's, when it has them."""
    if source is None:
        return plan
    settled = plan
    if isinstance(plan.kms_key, Unknown) and isinstance(source.kms_key, Known):
        settled = replace(settled, kms_key=_after(source.kms_key, plan.kms_key, step))
    elif isinstance(plan.kms_key, Known) and isinstance(source.kms_key, Known):
        settled = replace(settled, kms_key=_filled(plan.kms_key, source.kms_key, step))
    if isinstance(plan.region, Unknown) and isinstance(source.region, Known):
        settled = replace(settled, region=source.region)
    if isinstance(plan.role, Unknown) and isinstance(source.role, Known):
        settled = replace(settled, role=source.role)
    return settled


def _after(source: Known[KeyRef | None], plan: Unknown, step: Step) -> Value[KeyRef | None]:
    why = Step(f"the plan: {plan.why}")
    return Known(source.value, (why, step, *source.trail))


def _filled(
    plan: Known[KeyRef | None], source: Known[KeyRef | None], step: Step
) -> Value[KeyRef | None]:
    """A planned key's unknown properties taken from the same key (same address) in the
    source."""
    planned, evaluated = plan.value, source.value
    if planned is None or planned.key is None or evaluated is None or evaluated.key is None:
        return plan
    if planned.key.label != evaluated.key.label:
        return plan
    changes: dict[str, object] = {}
    for name in _KEY_FACTS:
        mine, theirs = getattr(planned.key, name), getattr(evaluated.key, name)
        if isinstance(mine, Unknown) and isinstance(theirs, Known):
            changes[name] = theirs
    if "policy" in changes:
        changes["policy_trail"] = (step, *evaluated.key.policy_trail)
    if not changes:
        return plan
    key = replace(planned.key, **changes)  # type: ignore[arg-type]  # fields checked by name
    return Known(replace(planned, key=key), plan.trail)

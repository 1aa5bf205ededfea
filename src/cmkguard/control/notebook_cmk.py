"""The verdict for one notebook: run every check, collect every reason, PASS only at the end."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import TypeVar

from cmkguard.catalogue.codes import STRICT_PROMOTED, Reason
from cmkguard.catalogue.mappings import CONTROL_ID
from cmkguard.control.check import Facts, Outcome
from cmkguard.control.checks import CHECKS
from cmkguard.echo import SENTENCE_LIMIT, bounded, bounded_name, echo
from cmkguard.findings import ChainKind, EvidenceChain, Finding, InputKind, Status
from cmkguard.inventory import Inventory, KeyRef, LiveLocation, Notebook
from cmkguard.settings import Settings
from cmkguard.values import Known, Step

_T = TypeVar("_T")


def evaluate(notebook: Notebook, settings: Settings, kind: InputKind) -> Finding:
    """Judge one notebook. Pure: no I/O. Every reason that holds is reported, not just the
    first; any undecidable fact that could change the verdict makes it UNKNOWN."""
    outcomes = _outcomes(Facts.of(notebook, settings))
    reasons = _unique(r for o in outcomes for r, _ in o.reasons)
    warnings = _unique(w for o in outcomes for w, _ in o.warnings)
    # An unknown's reason can quote scanned text (a map key, an EvalError's value): bounded.
    unknowns = _unique(bounded(u, SENTENCE_LIMIT) for o in outcomes for u in o.unknowns)
    sentences = [s for o in outcomes for _, s in o.reasons]
    notes = [n for o in outcomes for n in o.notes]
    warning_sentences = [s for o in outcomes for _, s in o.warnings]

    if reasons:
        status = Status.FAIL
        if unknowns:
            notes.append("Also undecided: " + "; ".join(unknowns) + ".")
    elif unknowns:
        status = Status.UNKNOWN
        reasons = (Reason.UNRESOLVED,)
        sentences = ["Cannot decide " + "; ".join(unknowns) + "."]
    elif settings.strict and STRICT_PROMOTED.intersection(warnings):
        status = Status.UNKNOWN
        reasons = (Reason.UNRESOLVED,)
        sentences = [
            "--strict: the key is not defined in the scanned input, so it could not be verified."
        ]
    else:
        status = Status.PASS
        sentences = [_pass_sentence(notebook)]

    return Finding(
        control=CONTROL_ID,
        address=bounded_name(notebook.address),
        status=status,
        reasons=reasons,
        warnings=warnings,
        message=" ".join(sentences + warning_sentences),
        location=notebook.location,
        input=kind,
        evidence=_evidence(notebook),
        notes=tuple(notes),
        region=_known_str(notebook.region),
        account=_account(notebook),
        root_module=notebook.root_module,
    )


def judge(inventory: Inventory, settings: Settings, kind: InputKind) -> tuple[Finding, ...]:
    """Judge every notebook of an inventory, in order."""
    return tuple(evaluate(nb, settings, kind) for nb in inventory.notebooks)


def _outcomes(facts: Facts) -> list[Outcome]:
    """Run every check of the facts' scope, in order."""
    ran = [(check, check(facts)) for check in CHECKS if facts.scope in check.scopes]
    if any(r is Reason.AWS_MANAGED_KEY for _, o in ran for r, _ in o.reasons):
        # The key's own properties do not matter once it is AWS managed.
        return [o for check, o in ran if not check.moot_if_aws_managed]
    return [o for _, o in ran]


def _pass_sentence(notebook: Notebook) -> str:
    setting = notebook.kms_key
    # PASS is only reached with a known, set key: anything else is an internal error, never a PASS.
    if not isinstance(setting, Known) or setting.value is None:
        raise AssertionError(f"{notebook.address}: PASS without a known key")
    ref: KeyRef = setting.value
    if ref.key is not None:
        return f"Encrypted with the customer managed key {ref.key.label}."
    if not isinstance(ref.text, Known):
        raise AssertionError(f"{notebook.address}: PASS without a known key identifier")
    return f'Encrypted with the key "{ref.text.value}".'


def _evidence(notebook: Notebook) -> tuple[EvidenceChain, ...]:
    """The context, key and policy chains of ``notebook``; empty ones are left out."""
    setting = notebook.kms_key
    key_steps = list(setting.trail)
    policy_steps: list[Step] = []
    if isinstance(setting, Known) and setting.value is not None:
        ref = setting.value
        if isinstance(ref.text, Known) and not ref.key:
            key_steps.append(Step(echo(str(ref.text.value), ref.text.trail)))
        if ref.key is not None:
            key = ref.key
            loc = key.location
            if not key_steps or key_steps[-1].label != key.label:
                key_steps.append(
                    Step(key.label, loc.file if loc else None, loc.line if loc else None)
                )
            policy_steps.extend(key.policy_trail)
    elif isinstance(setting, Known):
        key_steps.append(Step("null"))
    chains = (
        (ChainKind.CONTEXT, list(notebook.extra_trail)),
        (ChainKind.KEY, key_steps),
        (ChainKind.POLICY, policy_steps),
    )
    return tuple(EvidenceChain(kind, _dedupe(steps)) for kind, steps in chains if steps)


def _dedupe(steps: list[Step]) -> tuple[Step, ...]:
    out: list[Step] = []
    for step in (replace(s, label=bounded(s.label, SENTENCE_LIMIT)) for s in steps):
        if not out or out[-1] != step:
            out.append(step)
    return tuple(out)


def _known_str(value: object) -> str | None:
    if isinstance(value, Known) and isinstance(value.value, str):
        return value.value
    return None


def _account(notebook: Notebook) -> str | None:
    if isinstance(notebook.location, LiveLocation):
        return notebook.location.account
    return None


def _unique(items: Iterable[_T]) -> tuple[_T, ...]:
    return tuple(dict.fromkeys(items))

"""Small views of a finding that several formats show the same way."""

from __future__ import annotations

import hashlib

from cmkguard.findings import ChainKind, EvidenceChain, Finding
from cmkguard.inventory import LiveLocation, SourceLocation

PROJECT_URL = "https://github.com/cmkguard/cmkguard"
"""The project's home page (SARIF ``informationUri``)."""
DOCS_URL = f"{PROJECT_URL}/blob/main/docs"
"""Where ``docs/`` is published; SARIF ``helpUri`` points at ``reasons.md`` below it."""

EVIDENCE_ARROW = " → "
"""Joins the steps of an evidence chain on one line."""


def where(finding: Finding) -> str:
    """``main.tf:12`` for source and plan findings, ``111122223333/eu-west-1`` for live ones."""
    match finding.location:
        case SourceLocation(file=file, line=line):
            return f"{file}:{line}"
        case LiveLocation(account=account, region=region):
            return f"{account}/{region}"


def group(finding: Finding) -> str:
    """What a summary chart groups by: account and region (live), the root module (source),
    the file (plans and state)."""
    match finding.location:
        case LiveLocation(account=account, region=region):
            return f"{account} {region}"
        case SourceLocation(file=file):
            return finding.root_module if finding.root_module is not None else file


def key_label(finding: Finding) -> str:
    """The key the notebook's ``kms_key_id`` leads to as far as the key path shows: its last
    step, or ``""`` when there is no key path."""
    for chain in finding.evidence:
        if chain.kind is ChainKind.KEY:
            return chain.steps[-1].label
    return ""


def chain_line(chain: EvidenceChain) -> str:
    """``key path: a (main.tf:3) → b``: one chain on one line, each step with its place."""
    return f"{chain.kind.heading}: " + EVIDENCE_ARROW.join(str(step) for step in chain.steps)


def evidence_line(finding: Finding) -> str:
    """Every evidence chain of ``finding`` on one line, chains separated by ``; ``."""
    return "; ".join(chain_line(chain) for chain in finding.evidence)


def identity(finding: Finding) -> str:
    """What tells one finding from another across runs: input kind, root module and address
    (never the line, so that moving a block does not make a new finding)."""
    return "\0".join((finding.input.value, finding.root_module or "", finding.address))


def digest(*parts: str, length: int = 32) -> str:
    """A stable hex digest of ``parts`` (SHA-256, truncated to ``length`` characters)."""
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()[:length]


def acceptance(finding: Finding) -> str:
    """Why a FAIL/UNKNOWN does not count: ``suppressed [missing] at main.tf:3 until
    2026-12-31: reason`` or ``baselined``; ``""`` for a finding that counts (or a PASS)."""
    if finding.suppressed is not None:
        return f"suppressed {finding.suppressed.label}"
    return "baselined" if finding.baselined else ""

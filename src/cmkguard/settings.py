"""Settings that change how the control judges: ``--strict``, key allow-list, deployers."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Settings:
    """How strictly to judge. Built by the CLI from flags (and later ``cmkguard.toml``)."""

    strict: bool = False
    """Turn ``key-manager-unverified``/``key-properties-unverified`` into UNKNOWN."""
    allowed_key_arns: frozenset[str] = frozenset()
    """When non-empty, keys not on this list FAIL with ``key-not-allowed`` (like the Config
    rule's ``kmsKeyArns``)."""
    deployer_principals: tuple[str, ...] = ()
    """Principal ARNs that create notebooks (CI roles): they can act for the notebook."""

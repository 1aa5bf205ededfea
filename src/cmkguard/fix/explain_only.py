"""``key-not-symmetric`` and ``cross-region``: explained, never edited.

Both mean the notebook names the wrong key, and the right one is the user's choice: changing a
key's spec or region replaces the key (its data can no longer be decrypted), and pointing the
notebook at another key replaces the notebook. So ``fix`` says what is wrong and how to choose,
and makes no edit (``--key`` / ``--create-key`` apply to reasons that replace the key setting).
"""

from __future__ import annotations

from cmkguard.fix.context import Advice, FixContext, Outcome
from cmkguard.fix.key_facts import key_of

__all__ = ["cross_region", "not_symmetric"]


def _key_name(context: FixContext) -> str:
    found = key_of(context.finding)
    if found is None:
        return "its key"
    step, key = found
    return f"{key} ({step.file}:{step.line})"


def not_symmetric(context: FixContext) -> Outcome:
    """Advice for a key whose spec or usage cannot encrypt a volume."""
    return Advice(
        f"{context.label()}: not changed automatically: {_key_name(context)} is not a "
        "symmetric encryption key (customer_master_key_spec SYMMETRIC_DEFAULT, key_usage "
        "ENCRYPT_DECRYPT), and a key's spec cannot change without replacing the key. Point "
        "kms_key_id at a symmetric key (`cmkguard fix --key EXPR`) or declare a new one "
        "(`--create-key`); the notebook is then replaced."
    )


def cross_region(context: FixContext) -> Outcome:
    """Advice for a key in another region than the notebook."""
    region = context.finding.region
    where = f" in {region}" if region is not None else " in the notebook's region"
    return Advice(
        f"{context.label()}: not changed automatically: {_key_name(context)} is in another "
        f"region than the notebook, and KMS keys are regional. Use a key{where} (a key on the "
        "notebook's provider, or a multi-Region replica there): `cmkguard fix --key EXPR` or "
        "`--create-key`; the notebook is then replaced."
    )

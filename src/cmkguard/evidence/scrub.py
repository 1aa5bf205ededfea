"""Keep credentials out of the bundle: drop secret-looking fields and flag values.

The rule is by field name, because values cannot be recognised reliably. It errs on dropping:
a field named like a secret is never needed to judge notebook encryption. Pagination and
idempotency tokens (``NextToken``, ``ClientToken``) are not secrets and stay, since they show
that a listing was followed to its end.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

from cmkguard.records import Json

REDACTED: Final = "[redacted]"
"""What replaces the value of a secret-looking command-line flag."""

_SECRET_PARTS: Final = (
    "secret",
    "password",
    "passwd",
    "passphrase",
    "credential",
    "privatekey",
    "sessiontoken",
    "securitytoken",
    "accesstoken",
    "authtoken",
    "refreshtoken",
    "idtoken",
    "bearertoken",
    "apikey",
    "authorization",
)
_SECRET_EXACT: Final = frozenset({"token"})
_SECRET_FLAG = re.compile(r"^--?[^=]*(secret|token|password|passwd|credential)", re.IGNORECASE)


def is_secret_key(name: str) -> bool:
    """True when a field named ``name`` may hold a credential (``SecretAccessKey``,
    ``SessionToken``, ``Credentials``, ``x-amz-security-token``, ...)."""
    folded = re.sub(r"[^a-z0-9]", "", name.lower())
    return folded in _SECRET_EXACT or any(part in folded for part in _SECRET_PARTS)


def scrub(value: Json) -> Json:
    """``value`` with every secret-looking object key removed, at any depth."""
    if isinstance(value, dict):
        return {k: scrub(v) for k, v in value.items() if not is_secret_key(k)}
    if isinstance(value, list):
        return [scrub(item) for item in value]
    return value


def redact_argv(argv: Sequence[str]) -> tuple[str, ...]:
    """``argv`` with the values of ``--*secret*``/``--*token*``-like flags replaced."""
    out: list[str] = []
    redact_next = False
    for arg in argv:
        if redact_next:
            out.append(REDACTED)
            redact_next = False
        elif _SECRET_FLAG.match(arg):
            flag, equals, _ = arg.partition("=")
            if equals:
                out.append(f"{flag}={REDACTED}")
            else:
                out.append(arg)
                redact_next = True
        else:
            out.append(arg)
    return tuple(out)

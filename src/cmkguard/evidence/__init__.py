"""The auditor's evidence bundle of a live scan: writing it and verifying it.

``write_bundle`` (``writer.py``) writes the folder ``docs/evidence.md`` describes, as
``compose.py`` builds it (with the notes of ``notes.py``); ``verify_bundle`` (``verify.py``)
re-hashes it. This package never calls AWS: it is handed the
``ApiRecord`` of every call the live source made.
"""

from cmkguard.evidence.compose import LiveScanLike
from cmkguard.evidence.verify import VerifyReport, verify_bundle
from cmkguard.evidence.writer import bundle_digest, check_target, write_bundle

__all__ = [
    "LiveScanLike",
    "VerifyReport",
    "bundle_digest",
    "check_target",
    "verify_bundle",
    "write_bundle",
]

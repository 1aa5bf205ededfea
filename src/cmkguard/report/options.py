"""What a renderer may be told besides the result: facts of the run, never of the findings.

Renderers are pure: the command line reads the clock, the environment and the file system and
passes what it learnt here, so that the same result and options always give the same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime


@dataclass(frozen=True, slots=True)
class RenderOptions:
    """Settings shared by every output format; each format reads the ones it needs."""

    color: bool = False
    """ANSI styling (text report only)."""
    include_pass: bool = False
    """SARIF: also report PASS notebooks, as ``kind: pass`` results (``--sarif-include-pass``)."""
    generated_at: datetime | None = None
    """When the report was made (HTML, ASFF); ``None`` means now. Tests fix it."""
    source_root: str | None = None
    """SARIF: absolute ``file://`` URI of the scanned directory, for ``originalUriBaseIds``
    (only when one directory was scanned; finding paths are relative to it)."""
    link_base: str | None = None
    """Markdown: URL that finding paths are appended to for links (e.g.
    ``https://github.com/OWNER/REPO/blob/SHA/``); ``None`` leaves paths as plain text."""
    aws_account: str | None = None
    """ASFF: the account to file findings under when a finding has none (source and plans)."""
    aws_region: str | None = None
    """ASFF: the region to file findings under when a finding has none."""
    aws_partition: str = "aws"
    """ASFF: the partition of the Security Hub that imports the findings."""
    evidence_digest: str | None = None
    """HTML: the evidence bundle digest (SHA-256 of its ``SHA256SUMS``), live ``--evidence``."""

    def timestamp(self) -> datetime:
        """``generated_at``, or the current UTC time."""
        return self.generated_at or datetime.now(UTC)

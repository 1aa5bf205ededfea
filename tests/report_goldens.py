"""Golden files for the report formats (syrupy), one readable file per format and input.

Goldens pin the *shape* of each format on real findings; verdicts are pinned by tests/cases and
tests/plans. Paths, the tool version and random identifiers are replaced by ``@@NAME@@``
placeholders (zizmor's ``@@INPUT@@``) so that goldens do not depend on the checkout or the run.
Update with ``pytest tests/test_report_goldens.py tests/live/test_report_formats.py
--snapshot-update``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path

from syrupy.extensions.single_file import SingleFileSnapshotExtension, WriteMode
from syrupy.location import PyTestLocation

from cmkguard import __version__
from cmkguard.report import OutputFormat

SNAPSHOTS = Path(__file__).parent / "snapshots"

GOLDEN_FORMATS = (
    OutputFormat.SARIF,
    OutputFormat.JUNIT,
    OutputFormat.MARKDOWN,
    OutputFormat.HTML,
    OutputFormat.ASFF,
    OutputFormat.CSV,
)
"""The formats with goldens here (text and JSON have theirs in tests/unit/report)."""

_EXTENSIONS = {
    OutputFormat.SARIF: "sarif",
    OutputFormat.JUNIT: "xml",
    OutputFormat.MARKDOWN: "md",
    OutputFormat.HTML: "html",
    OutputFormat.ASFF: "json",
    OutputFormat.CSV: "csv",
}


class _Golden(SingleFileSnapshotExtension):
    _write_mode = WriteMode.TEXT

    @classmethod
    def dirname(cls, *, test_location: PyTestLocation) -> str:
        return str(SNAPSHOTS / test_location.basename)


GOLDENS: Mapping[OutputFormat, type[SingleFileSnapshotExtension]] = {
    fmt: type(f"_{fmt.name.title()}Golden", (_Golden,), {"file_extension": ext})
    for fmt, ext in _EXTENSIONS.items()
}
"""The syrupy extension for each format: ``snapshot.use_extension(GOLDENS[fmt])``."""


def catalogue_texts_elided(sarif: str) -> str:
    """A SARIF log with each rule's texts (from the catalogue) replaced by ``@@CATALOGUE@@``.

    The rules are checked against the catalogue by the SARIF unit tests; eliding them here keeps
    a change of wording in ``catalogue/entries.py`` from rewriting every SARIF golden."""
    document = json.loads(sarif)
    for run in document["runs"]:
        for rule in run["tool"]["driver"]["rules"]:
            for field in ("shortDescription", "fullDescription", "help"):
                if field in rule:
                    rule[field] = dict.fromkeys(rule[field], "@@CATALOGUE@@")
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def normalised(text: str, replacements: Mapping[str, str]) -> str:
    """``text`` with each key of ``replacements`` (longest first) and the version replaced."""
    for old in sorted(replacements, key=len, reverse=True):
        text = text.replace(old, replacements[old])
    text = text.replace(f"cmkguard {__version__}", "cmkguard @@VERSION@@")
    return re.sub(r'("(?:version|semanticVersion)": )"[^"]*"', r'\1"@@VERSION@@"', text)

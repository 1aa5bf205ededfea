"""docs/evidence.md describes the bundle cmkguard writes."""

from __future__ import annotations

import re
from pathlib import Path

from evidence_fixtures import typical_scan

from cmkguard.catalogue.mappings import (
    CONTROL_ID,
    CONTROL_TITLE,
    FRAMEWORK_LABEL,
    FRAMEWORK_REFERENCES,
    TOOL_MAPPINGS,
)
from cmkguard.evidence.compose import bundle_files
from cmkguard.evidence.layout import NAMING, RULE_IDS
from cmkguard.report.json import FORMAT_VERSION

DOC = Path(__file__).parents[3] / "docs" / "evidence.md"


def test_docs_name_every_top_level_file_and_operation() -> None:
    text = DOC.read_text(encoding="utf-8")
    files = bundle_files(typical_scan(), ["cmkguard"], created="2026-01-02T03:06:00Z")
    for name in {path.split("/")[0] for path in files}:
        assert name in text, name
    for service, operation in NAMING:
        if service in {"sagemaker", "config", "cloudtrail"} or operation == "GetCallerIdentity":
            assert f"{service}/{operation}" in text, operation
    for rule in RULE_IDS:
        assert rule in text
    assert "sha256sum --strict -c SHA256SUMS" in text
    assert "cmkguard-evidence/1" in text


def test_bundle_readme_names_every_kind_of_file() -> None:
    files = bundle_files(typical_scan(), ["cmkguard"], created="2026-01-02T03:06:00Z")
    readme = files["README.txt"].decode("utf-8")
    for path in files:
        top = path.split("/")[0]
        assert top in readme, top
        leaf = re.sub(r"(-page)?-\d{4}\.json$", "", path.rsplit("/", 1)[-1])
        if path.endswith(".txt"):
            assert leaf in readme, leaf


def test_both_config_rules_are_looked_for() -> None:
    assert RULE_IDS == (
        "SAGEMAKER_NOTEBOOK_INSTANCE_KMS_KEY_CONFIGURED",
        "SAGEMAKER_NOTEBOOK_INSTANCE_STORAGE_VOL_KMS_ENCRYPTED",
    )


def test_bundle_readme_states_the_control_identity_from_the_catalogue() -> None:
    files = bundle_files(typical_scan(), ["cmkguard"], created="2026-01-02T03:06:00Z")
    readme = " ".join(files["README.txt"].decode("utf-8").split())
    assert CONTROL_ID in readme
    assert CONTROL_TITLE in readme
    for tool in TOOL_MAPPINGS:
        assert tool.identifier in readme, tool
    assert f"Framework references ({FRAMEWORK_LABEL})" in readme
    for ref in FRAMEWORK_REFERENCES:
        assert ref.framework in readme, ref
        assert ref.identifier in readme, ref
    assert f"format_version {FORMAT_VERSION}" in readme

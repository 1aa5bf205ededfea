"""Validate reports against the schemas vendored in tests/schemas/ (offline)."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import jsonschema
import xmlschema

SCHEMAS = Path(__file__).parent / "schemas"


@functools.cache
def _sarif_validator() -> jsonschema.Draft4Validator:
    schema = json.loads((SCHEMAS / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.Draft4Validator.check_schema(schema)
    return jsonschema.Draft4Validator(
        schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER
    )


@functools.cache
def _junit_schema() -> xmlschema.XMLSchema10:
    return xmlschema.XMLSchema10(SCHEMAS / "junit-10.xsd")


def validate_sarif(text: str) -> dict[str, Any]:
    """Parse a SARIF log and fail with every schema violation; returns the document."""
    document: dict[str, Any] = json.loads(text)
    errors = [
        f"{list(e.absolute_path)}: {e.message}" for e in _sarif_validator().iter_errors(document)
    ]
    assert not errors, "\n".join(errors)
    return document


def validate_junit(text: str) -> None:
    """Fail with every violation of the Jenkins JUnit XSD."""
    errors = [str(e) for e in _junit_schema().iter_errors(text)]
    assert not errors, "\n".join(errors)

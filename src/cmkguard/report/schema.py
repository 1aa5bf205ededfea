"""The JSON Schema of ``--format json`` (format version 1.x): the contract, field by field.

It is the one description of the output: ``docs/findings.schema.json`` and the field tables of
``docs/output-formats.md`` are generated from it, and the tests validate real output against it.
"""

from __future__ import annotations

from cmkguard.catalogue.codes import Reason, WarningCode
from cmkguard.catalogue.mappings import CONTROL_ID
from cmkguard.findings import ChainKind, InputKind, Status, SuppressionKind
from cmkguard.records import Json
from cmkguard.report.json import FORMAT_VERSION

SCHEMA_ID = "https://cmkguard.invalid/schemas/findings-1.json"
"""A stable identifier, not a download location: nothing fetches the schema at run time."""


def _obj(description: str, properties: dict[str, Json]) -> dict[str, Json]:
    """A closed object whose every property is required: consumers can rely on each key."""
    return {
        "type": "object",
        "description": description,
        "additionalProperties": False,
        "required": list(properties),
        "properties": properties,
    }


def _field(description: str, type_: str | list[str], **extra: Json) -> dict[str, Json]:
    schema: dict[str, Json] = {"type": list(type_) if isinstance(type_, list) else type_}
    schema["description"] = description
    schema.update(extra)
    return schema


def _list(description: str, items: Json) -> dict[str, Json]:
    return {"type": "array", "description": description, "items": items}


_LINE = _field("1-based line number, or null when not known.", ["integer", "null"], minimum=1)

_SOURCE_LOCATION = _obj(
    "Where a source or plan finding's notebook is written.",
    {
        "file": _field(
            "Path relative to the scanned root, with / separators (the plan file for plans); "
            "a file outside the scanned root but in its repository starts with ../.",
            "string",
        ),
        "line": _field("1-based line of the notebook resource block.", "integer", minimum=1),
    },
)

_LIVE_LOCATION = _obj(
    "Where a live notebook lives.",
    {
        "account": _field("12-digit AWS account ID.", "string"),
        "region": _field("AWS region.", "string"),
        "arn": _field("The notebook instance ARN.", "string"),
    },
)

_STEP = _obj(
    "One link of an evidence chain.",
    {
        "label": _field(
            "What was followed: an attribute, a reference, a resource address, a literal value "
            "or an API call.",
            "string",
        ),
        "file": _field(
            "File of the step, relative to the scanned root, or null.", ["string", "null"]
        ),
        "line": _LINE,
        "chain": _field(
            "The chain the step belongs to: the plan context, the key path from kms_key_id to "
            "the key, or the policy path from the key to its policy (added in 1.1).",
            "string",
            enum=[k.value for k in ChainKind],
        ),
    },
)

_SUPPRESSION = _obj(
    "An accepted exception (inline comment, Checkov skip or configuration entry).",
    {
        "kind": _field("Where it is written.", "string", enum=[k.value for k in SuppressionKind]),
        "codes": _list(
            "Reason codes it covers (a Checkov skip names its check ID and covers every reason).",
            {"type": "string"},
        ),
        "reason": _field(
            "The justification; null only for a Checkov skip without one (flagged in notes).",
            ["string", "null"],
        ),
        "until": _field(
            "Last day it holds (YYYY-MM-DD), or null for no expiry.",
            ["string", "null"],
            format="date",
        ),
        "file": _field(
            "The source file (relative to the scanned root) or the configuration file.", "string"
        ),
        "line": _LINE,
        "address": _field(
            "Configuration entries: the address glob (* and ? are wildcards); null otherwise.",
            ["string", "null"],
        ),
    },
)

_BASELINE_ENTRY = _obj(
    "A baseline entry (no line numbers: edits above a notebook do not make it new).",
    {
        "address": _field("The finding's address.", "string"),
        "root_module": _field("The root module it was evaluated in, or null.", ["string", "null"]),
        "reasons": _list("Its reason codes, sorted.", {"type": "string"}),
        "fingerprint": _field("sha256: of control, root module, address and reasons.", "string"),
    },
)

_NOTE: dict[str, Json] = _field("Extra words on the mapping, or null.", ["string", "null"])

_MAPPINGS = _obj(
    "The identifiers of this control in other tools and frameworks (the same on every finding).",
    {
        "tools": _list(
            "Checks in other tools that cover the same resource (they only test that some key is "
            "set).",
            _obj(
                "One check in another tool.",
                {
                    "system": _field("The tool or service, e.g. Checkov.", "string"),
                    "identifier": _field("Its identifier, e.g. CKV_AWS_22.", "string"),
                    "note": _NOTE,
                },
            ),
        ),
        "frameworks": _obj(
            "Framework requirements published for the weaker presence rule.",
            {
                "label": _field(
                    "Always the words to show with the references.",
                    "string",
                    const="published for the presence rule",
                ),
                "references": _list(
                    "Framework requirements, e.g. NIST SP 800-53 Rev. 5 SC-28(1).",
                    _obj(
                        "One framework requirement.",
                        {
                            "framework": _field("Framework and version.", "string"),
                            "identifier": _field("Requirement within the framework.", "string"),
                            "note": _NOTE,
                        },
                    ),
                ),
            },
        ),
    },
)

_FINDING = _obj(
    "The verdict on one notebook instance.",
    {
        "control": _field("The control identifier.", "string", const=CONTROL_ID),
        "address": _field(
            'Terraform address (module.a.aws_sagemaker_notebook_instance.nb["k"]), or the '
            "notebook ARN for live findings.",
            "string",
        ),
        "status": _field("The verdict.", "string", enum=[s.value for s in Status]),
        "reasons": _list(
            "Every reason code that holds; empty exactly when PASS, only unresolved when UNKNOWN. "
            "See docs/reasons.md.",
            {"type": "string", "enum": [r.value for r in Reason]},
        ),
        "warnings": _list(
            "Advisory codes that did not change the verdict. See docs/reasons.md.",
            {"type": "string", "enum": [w.value for w in WarningCode]},
        ),
        "message": _field(
            "Sentences for people; for UNKNOWN it names the missing input.", "string"
        ),
        "location": {
            "description": "File and line for source and plan inputs; account, region and ARN "
            "for live ones.",
            "oneOf": [_SOURCE_LOCATION, _LIVE_LOCATION],
        },
        "region": _field("The notebook's region, or null when not known.", ["string", "null"]),
        "account": _field(
            "The owning account, or null when not known (live findings always have it).",
            ["string", "null"],
        ),
        "input": _field(
            "Which input the finding comes from.", "string", enum=[k.value for k in InputKind]
        ),
        "root_module": _field(
            "Terraform source findings: the root module directory (relative to the scanned "
            "root, . for the root itself) the notebook was evaluated in; two roots calling one "
            "shared module give the same address and file, and differ here. Null otherwise.",
            ["string", "null"],
        ),
        "evidence": _list(
            "The evidence chains, each outermost first, one after the other: context, then the "
            "key path, then the policy path; the steps of one chain share `chain`.",
            _STEP,
        ),
        "notes": _list("Further details, e.g. conditional policy statements.", {"type": "string"}),
        "mappings": _MAPPINGS,
        "suppression": {
            "description": "The accepted exception covering every reason of this FAIL/UNKNOWN "
            "finding, or null. A suppressed finding does not count in the exit status.",
            "oneOf": [_SUPPRESSION, {"type": "null"}],
        },
        "baselined": _field(
            "True when --baseline lists this finding; it does not count in the exit status.",
            "boolean",
        ),
    },
)

_ERROR = _obj(
    "An input that could not be read, or a live scope that could not be listed.",
    {
        "file": _field(
            "The file (relative to the scanned root where there is one) or the API scope "
            "(aws:ACCOUNT:REGION).",
            "string",
        ),
        "line": _LINE,
        "message": _field("One line saying what is wrong.", "string"),
    },
)


def _count(description: str) -> dict[str, Json]:
    return _field(description, "integer", minimum=0)


SCHEMA: dict[str, Json] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": SCHEMA_ID,
    "title": "cmkguard findings",
    **_obj(
        "The whole output of `cmkguard scan --format json`.",
        {
            "format_version": _field(
                "The contract version; changes only when a consumer could break.",
                "string",
                const=FORMAT_VERSION,
            ),
            "tool": _obj(
                "The program that wrote the report.",
                {
                    "name": _field("Always cmkguard.", "string", const="cmkguard"),
                    "version": _field("The cmkguard version.", "string"),
                },
            ),
            "findings": _list("One finding per notebook instance, in input order.", _FINDING),
            "errors": _list("Inputs that could not be read; any makes the exit status 2.", _ERROR),
            "unused_suppressions": _list(
                "Suppressions that matched no FAIL/UNKNOWN finding (errors too with "
                "--fail-on-unused-suppressions).",
                _SUPPRESSION,
            ),
            "baseline_fixed": _list(
                "--baseline entries no finding matches any more: the baseline can be tightened.",
                _BASELINE_ENTRY,
            ),
            "summary": _obj(
                "Counts.",
                {
                    "total": _count("Number of findings."),
                    "passed": _count("Findings with status PASS."),
                    "failed": _count("Findings with status FAIL."),
                    "unknown": _count("Findings with status UNKNOWN."),
                    "errors": _count("Number of errors."),
                    "suppressed": _count(
                        "FAIL/UNKNOWN findings a suppression accepts (also counted above)."
                    ),
                    "baselined": _count(
                        "FAIL/UNKNOWN findings the baseline lists (also counted above)."
                    ),
                },
            ),
        },
    ),
}
"""JSON Schema (draft 2020-12) of the report document."""

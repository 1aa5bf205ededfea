"""Stack parameter values: template defaults < a parameters file < ``--parameter NAME=VALUE``.

Parameters files come in the two shapes AWS tools write: the AWS CLI's
``[{"ParameterKey": "K", "ParameterValue": "V"}, ...]`` (``aws cloudformation create-stack
--parameters file://...``) and the CodePipeline template configuration file
``{"Parameters": {"K": "V"}, "Tags": {...}}``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path

from cmkguard.cfninputs import ParameterArg, StackInput
from cmkguard.errors import InputError
from cmkguard.sources.inputs import read_bytes
from cmkguard.values import Unknown


def given_values(
    inputs: Sequence[StackInput],
) -> tuple[dict[str, str | Unknown], list[InputError]]:
    """The parameter values the command line gives, the later winning, and the errors of
    unreadable files."""
    values: dict[str, str | Unknown] = {}
    errors: list[InputError] = []
    for given in inputs:
        if isinstance(given, ParameterArg):
            values[given.name] = given.value
            continue
        read = read_parameters_file(given.path)
        if isinstance(read, InputError):
            errors.append(read)
        else:
            values.update(read)
    return values, errors


def read_parameters_file(path: Path) -> dict[str, str | Unknown] | InputError:
    """Parameter values from one file, or why it could not be read."""
    display = str(path)
    data = read_bytes(path, display)
    if isinstance(data, InputError):
        return data
    try:
        document = json.loads(data)
    except (ValueError, UnicodeDecodeError) as exc:
        line = exc.lineno if isinstance(exc, json.JSONDecodeError) else None
        return InputError(display, line, f"not a valid parameters JSON file: {exc}")
    if isinstance(document, list):
        return _cli_entries(document, display)
    if isinstance(document, dict) and isinstance(document.get("Parameters"), dict):
        return _pipeline_entries(document["Parameters"], display)
    return InputError(
        display,
        None,
        "not a parameters file: expected [{ParameterKey, ParameterValue}] (AWS CLI) or "
        '{"Parameters": {...}} (CodePipeline template configuration)',
    )


def _cli_entries(entries: list[object], display: str) -> dict[str, str | Unknown] | InputError:
    values: dict[str, str | Unknown] = {}
    for entry in entries:
        if not isinstance(entry, dict) or not isinstance(entry.get("ParameterKey"), str):
            return InputError(display, None, "every entry needs a ParameterKey string")
        name = entry["ParameterKey"]
        if entry.get("UsePreviousValue") is True:
            # The deployed stack's value: not in any file we can read.
            values[name] = Unknown(f"parameter {name} uses the deployed stack's previous value")
        elif isinstance(entry.get("ParameterValue"), str):
            values[name] = entry["ParameterValue"]
        else:
            return InputError(display, None, f"parameter {name} has no ParameterValue string")
    return values


def _pipeline_entries(
    entries: Mapping[str, object], display: str
) -> dict[str, str | Unknown] | InputError:
    values: dict[str, str | Unknown] = {}
    for name, value in entries.items():
        if not isinstance(value, str):
            return InputError(display, None, f"parameter {name} is not a string")
        values[name] = value
    return values

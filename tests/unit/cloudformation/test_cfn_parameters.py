"""Parameters files in the shapes AWS tools write, and the command line's order."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cmkguard.cfninputs import ParameterArg, ParametersFile
from cmkguard.errors import InputError
from cmkguard.sources.cloudformation.parameters import given_values, read_parameters_file
from cmkguard.values import Unknown


def write(tmp_path: Path, document: object) -> Path:
    path = tmp_path / "params.json"
    path.write_text(json.dumps(document))
    return path


def test_aws_cli_shape(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        [
            {"ParameterKey": "Key", "ParameterValue": "alias/nb"},
            {"ParameterKey": "Old", "UsePreviousValue": True},
        ],
    )
    values = read_parameters_file(path)
    assert isinstance(values, dict)
    assert values["Key"] == "alias/nb"
    old = values["Old"]
    assert isinstance(old, Unknown)
    assert "previous value" in old.why


def test_codepipeline_template_configuration(tmp_path: Path) -> None:
    path = write(tmp_path, {"Parameters": {"Key": "alias/nb"}, "Tags": {"team": "ml"}})
    assert read_parameters_file(path) == {"Key": "alias/nb"}


@pytest.mark.parametrize(
    "document",
    [
        {"Key": "alias/nb"},
        [{"ParameterValue": "x"}],
        [{"ParameterKey": "K"}],
        {"Parameters": {"K": 1}},
    ],
)
def test_other_shapes_are_input_errors(tmp_path: Path, document: object) -> None:
    error = read_parameters_file(write(tmp_path, document))
    assert isinstance(error, InputError)
    assert error.path == str(tmp_path / "params.json")


def test_invalid_json_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "params.json"
    path.write_text('[\n  {"ParameterKey": "K",\n')
    error = read_parameters_file(path)
    assert isinstance(error, InputError)
    assert error.line == 3


def test_later_inputs_win_and_unreadable_files_are_errors(tmp_path: Path) -> None:
    path = write(tmp_path, {"Parameters": {"A": "file", "B": "file"}})
    values, errors = given_values(
        [
            ParameterArg("A", "cli"),
            ParametersFile(path),
            ParameterArg("B", "cli"),
            ParametersFile(tmp_path / "missing.json"),
        ]
    )
    assert values == {"A": "file", "B": "cli"}
    assert len(errors) == 1
    assert "missing.json" in errors[0].path

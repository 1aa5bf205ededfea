"""Issue 8, item 3: odd numbers. HCL's exponent numbers without a fraction (``1e3``) parse as
Terraform parses them, and the numbers Python's ``float()`` takes but Terraform does not
(``"inf"``, ``"NaN"``, ``"1e400"``) never crash the scan: the notebook they touch is UNKNOWN or
FAIL, and the other notebooks are still judged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hardening_hcl import KEY_AND_ROLE as BASE
from hardening_hcl import NOTEBOOK

from cmkguard import cli
from cmkguard.findings import Status
from cmkguard.scan import ScanOptions, VarArg, scan_paths

KEY_AND_ROLE = (
    BASE
    + """
locals {
  keys = ["alias/aws/sagemaker", aws_kms_key.k.arn]
}
"""
)


def _statuses(tmp_path: Path, text: str, options: ScanOptions | None = None) -> dict[str, Status]:
    (tmp_path / "main.tf").write_text(text)
    result = scan_paths([tmp_path], options or ScanOptions())
    return {finding.address: finding.status for finding in result.findings}


@pytest.mark.parametrize(
    ("count", "index", "expected"),
    [
        ("1e0", "1e0", Status.PASS),
        ("1E0", "1E0", Status.PASS),
        ("10e-1", "0.1e1", Status.PASS),
        ("1.0e+0", "1e-0", Status.PASS),
        # The index really is evaluated: 0e0 picks the AWS managed alias.
        ("1e0", "0e0", Status.FAIL),
    ],
)
def test_exponent_numbers_parse_in_hcl(
    tmp_path: Path, count: str, index: str, expected: Status
) -> None:
    text = KEY_AND_ROLE + NOTEBOOK.format(
        name="nb", meta=f"count = {count}", key=f"local.keys[{index}]"
    )
    assert _statuses(tmp_path, text) == {"aws_sagemaker_notebook_instance.nb[0]": expected}


def test_exponent_numbers_keep_lines_and_columns_of_errors(tmp_path: Path) -> None:
    # The number stand-in must not move anything: an error after it is still reported where
    # it is, with the text the user wrote.
    text = "locals {\n  a = 1e3 + 2E-1\n  b = 1e3 1E4\n}\n"
    text += NOTEBOOK.format(name="nb", meta="", key="local.a")
    (tmp_path / "main.tf").write_text(text)
    result = scan_paths([tmp_path], ScanOptions())
    [error] = result.errors
    assert (error.path, error.line) == ("main.tf", 3)
    assert error.message in ("syntax error: unexpected '1e3'", "syntax error: unexpected '1E4'")


def test_exponent_in_an_identifier_stays_an_identifier(tmp_path: Path) -> None:
    # HCL identifiers take hyphens and digits: ``local.a-1e3`` names the local ``a-1e3``.
    text = KEY_AND_ROLE + "locals {\n  a-1e3 = aws_kms_key.k.arn\n}\n"
    text += NOTEBOOK.format(name="nb", meta="", key="local.a-1e3")
    assert _statuses(tmp_path, text) == {"aws_sagemaker_notebook_instance.nb": Status.PASS}


def test_exponent_numbers_in_tf_json(tmp_path: Path) -> None:
    config = {
        "provider": {"aws": {"region": "eu-west-1"}},
        "resource": {
            "aws_iam_role": {"nb": {"name": "notebook", "assume_role_policy": "{}"}},
            "aws_kms_key": {"k": {"enable_key_rotation": True}},
            "aws_sagemaker_notebook_instance": {
                "nb": {
                    "count": 1e0,
                    "name": "nb",
                    "role_arn": "${aws_iam_role.nb.arn}",
                    "instance_type": "ml.t3.medium",
                    "kms_key_id": '${["alias/aws/sagemaker", aws_kms_key.k.arn][1e0]}',
                },
                "aws_managed": {
                    "count": "${1E0}",
                    "name": "aws-managed",
                    "role_arn": "${aws_iam_role.nb.arn}",
                    "instance_type": "ml.t3.medium",
                    "kms_key_id": '${["alias/aws/sagemaker", aws_kms_key.k.arn][0e0]}',
                },
            },
        },
    }
    # json.dumps writes 1.0; the file must hold the exponent form a generator may write.
    text = json.dumps(config, indent=2).replace('"count": 1.0', '"count": 1e0')
    assert '"count": 1e0' in text
    (tmp_path / "main.tf.json").write_text(text)
    result = scan_paths([tmp_path], ScanOptions())
    assert result.errors == ()
    assert {f.address: f.status for f in result.findings} == {
        "aws_sagemaker_notebook_instance.nb[0]": Status.PASS,
        "aws_sagemaker_notebook_instance.aws_managed[0]": Status.FAIL,
    }


GOOD = NOTEBOOK.format(name="good", meta="", key="aws_kms_key.k.arn")


@pytest.mark.parametrize("count", ['"inf"', '"-inf"', '"NaN"', '"1e400"', '"Infinity"'])
def test_odd_count_strings_touch_only_their_notebook(tmp_path: Path, count: str) -> None:
    text = KEY_AND_ROLE + GOOD + NOTEBOOK.format(name="odd", meta=f"count = {count}", key="null")
    statuses = _statuses(tmp_path, text)
    assert statuses.pop("aws_sagemaker_notebook_instance.good") is Status.PASS
    assert set(statuses.values()) == {Status.UNKNOWN}


@pytest.mark.parametrize("key", ['"inf"', '"nan"', '"1e400"'])
def test_odd_map_keys_do_not_crash(tmp_path: Path, key: str) -> None:
    text = KEY_AND_ROLE + f"locals {{\n  l = {{ {key} = aws_kms_key.k.arn }}\n}}\n"
    text += GOOD + NOTEBOOK.format(name="odd", meta="", key=f"local.l[{key}]")
    assert _statuses(tmp_path, text) == {
        "aws_sagemaker_notebook_instance.good": Status.PASS,
        # A map key is a string: "inf" is just a name, and the key is found.
        "aws_sagemaker_notebook_instance.odd": Status.PASS,
    }


@pytest.mark.parametrize("index", ['"inf"', '"nan"', '"1e400"'])
def test_odd_list_indexes_are_unknown_not_a_crash(tmp_path: Path, index: str) -> None:
    text = KEY_AND_ROLE + GOOD + NOTEBOOK.format(name="odd", meta="", key=f"local.keys[{index}]")
    assert _statuses(tmp_path, text) == {
        "aws_sagemaker_notebook_instance.good": Status.PASS,
        "aws_sagemaker_notebook_instance.odd": Status.UNKNOWN,
    }


@pytest.mark.parametrize("value", ["inf", "-inf", "nan", "NaN", "1e400"])
def test_odd_var_values_touch_only_their_notebook(tmp_path: Path, value: str) -> None:
    text = KEY_AND_ROLE + 'variable "i" {\n  type = number\n}\n'
    text += GOOD + NOTEBOOK.format(name="odd", meta="count = var.i", key="aws_kms_key.k.arn")
    options = ScanOptions(command_line=(VarArg("i", value),))
    statuses = _statuses(tmp_path, text, options)
    assert statuses.pop("aws_sagemaker_notebook_instance.good") is Status.PASS
    assert set(statuses.values()) == {Status.UNKNOWN}


@pytest.mark.parametrize("value", ["inf", "nan", "1e400"])
def test_odd_var_without_type_through_the_cli(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], value: str
) -> None:
    text = KEY_AND_ROLE + 'variable "i" {}\n'
    text += GOOD + NOTEBOOK.format(name="odd", meta="count = var.i", key="aws_kms_key.k.arn")
    (tmp_path / "main.tf").write_text(text)
    status = cli.main(["scan", str(tmp_path), "--format", "json", "--var", f"i={value}"])
    out, err = capsys.readouterr()
    assert "internal error" not in err
    report = json.loads(out)
    statuses = {f["address"]: f["status"] for f in report["findings"]}
    assert statuses.pop("aws_sagemaker_notebook_instance.good") == "PASS"
    assert set(statuses.values()) == {"UNKNOWN"}
    assert status == 1

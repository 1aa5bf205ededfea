"""A module's files are parsed when an evaluation reads a block of them, and never give a
different verdict for it: a file that is read is read whole (its syntax errors still make its
notebooks UNKNOWN), and every header of the module is seen (duplicates, override files)."""

from __future__ import annotations

from pathlib import Path

import pytest
from tfeval import notebooks, write

from cmkguard.sources.terraform import ondemand
from cmkguard.sources.terraform.discovery import SourceTree
from cmkguard.sources.terraform.hcl import Result
from cmkguard.sources.terraform.readers import parse_file
from cmkguard.values import Known, Unknown

PROVIDER = 'provider "aws" {\n  region = "eu-west-1"\n}\n'
ROLE = 'resource "aws_iam_role" "r" {\n  name = "nb"\n}\n'
KEY = 'resource "aws_kms_key" "k" {}\n'
NOTEBOOK = """
resource "aws_sagemaker_notebook_instance" "nb" {
  name          = "nb"
  role_arn      = aws_iam_role.r.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = aws_kms_key.k.arn
}
"""
BROKEN = 'resource "aws_s3_bucket" "broken" {\n  bucket = \n}\n'
NB = "aws_sagemaker_notebook_instance.nb"


def _parsed_files(monkeypatch: pytest.MonkeyPatch, seen: list[str]) -> None:
    """Record the path of every file the module loader parses (the real parser still runs)."""

    def recording(data: bytes, path: str) -> Result:
        seen.append(path)
        return parse_file(data, path)

    monkeypatch.setattr(ondemand, "parse_file", recording)


def test_only_the_files_an_evaluation_reads_are_parsed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[str] = []
    _parsed_files(monkeypatch, seen)
    found, errors = notebooks(
        tmp_path,
        {
            "providers.tf": PROVIDER,
            "iam.tf": ROLE,
            "kms.tf": KEY,
            "notebook.tf": NOTEBOOK,
            "buckets.tf": 'resource "aws_s3_bucket" "b" {\n  bucket = "b"\n}\n',
            "unread.tf": BROKEN,
        },
    )
    assert isinstance(found[NB].kms_key, Known)
    assert sorted(set(seen)) == ["iam.tf", "kms.tf", "notebook.tf", "providers.tf"]
    # The syntax error is in a file no evaluation reads: the scan does not report it.
    assert errors == []


def test_a_syntax_error_in_a_read_file_still_makes_the_notebook_unknown(tmp_path: Path) -> None:
    found, errors = notebooks(
        tmp_path,
        {"main.tf": PROVIDER + ROLE + KEY + BROKEN, "notebook.tf": NOTEBOOK},
    )
    assert isinstance(found[NB].kms_key, Unknown)
    assert [e.path for e in errors] == ["main.tf"]


def test_a_syntax_error_beside_the_notebook_makes_it_unknown(tmp_path: Path) -> None:
    # The notebook's own block parses on its own; its file does not.
    found, errors = notebooks(tmp_path, {"main.tf": PROVIDER + ROLE + KEY + NOTEBOOK + BROKEN})
    assert isinstance(found[NB].kms_key, Unknown)
    assert "syntax error" in errors[0].message


def test_a_duplicate_in_an_unread_file_is_still_seen(tmp_path: Path) -> None:
    found, errors = notebooks(
        tmp_path,
        {"main.tf": PROVIDER + ROLE + KEY + NOTEBOOK, "other.tf": KEY},
    )
    assert isinstance(found[NB].kms_key, Unknown)
    assert [str(e) for e in errors] == [
        "other.tf:1: duplicate aws_kms_key.k (first defined at main.tf:7)"
    ]


def test_a_duplicate_local_in_an_unread_file_is_still_seen(tmp_path: Path) -> None:
    _, errors = notebooks(
        tmp_path,
        {
            "main.tf": PROVIDER + ROLE + KEY + NOTEBOOK + "locals {\n  a = 1\n}\n",
            "other.tf": "locals {\n  b = 2\n  a = 3\n}\n",
        },
    )
    assert [str(e) for e in errors] == [
        "other.tf:3: duplicate local.a (first defined at main.tf:16)"
    ]


def test_an_override_file_is_merged_into_a_block_read_on_demand(tmp_path: Path) -> None:
    found, errors = notebooks(
        tmp_path,
        {
            "main.tf": PROVIDER + ROLE + KEY + NOTEBOOK,
            "notebook_override.tf": (
                'resource "aws_sagemaker_notebook_instance" "nb" {\n  kms_key_id = "nope"\n}\n'
            ),
        },
    )
    assert errors == []
    kms = found[NB].kms_key
    assert isinstance(kms, Known)
    assert kms.value is not None
    assert kms.value.key is None  # the override's literal, not aws_kms_key.k


def test_a_file_the_index_misreads_is_caught_when_read(tmp_path: Path) -> None:
    # Two blocks on one line: the parser reads both, Terraform rejects the file; the index
    # gives up on it, so it is parsed in full and the error is reported.
    found, errors = notebooks(
        tmp_path,
        {
            "main.tf": PROVIDER + ROLE + NOTEBOOK,
            "kms.tf": 'resource "aws_kms_key" "k" {} resource "aws_kms_alias" "a" {}\n',
        },
    )
    assert isinstance(found[NB].kms_key, Unknown)
    assert [e.path for e in errors] == ["kms.tf"]


def test_module_calls_are_known_without_parsing_the_caller(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[str] = []
    _parsed_files(monkeypatch, seen)
    write(
        tmp_path,
        {
            "main.tf": 'module "a" {\n  source = "./a"\n}\n' + BROKEN,
            "a/main.tf": 'resource "aws_s3_bucket" "b" {}\n',
        },
    )
    tree = SourceTree(tmp_path)
    assert not tree.reaches(".", ".", b"aws_sagemaker_notebook_instance")
    assert tree.calls(".") == [("a", "./a", 1, "main.tf")]
    assert seen == []
    assert tree.errors == []


def test_a_module_source_that_is_not_a_literal_is_left_to_the_parser(tmp_path: Path) -> None:
    write(tmp_path, {"main.tf": 'module "a" {\n  source = "./${var.x}"\n}\n'})
    tree = SourceTree(tmp_path)
    assert tree.calls(".") == []
    assert [str(e) for e in tree.errors] == ["main.tf:1: module a has no literal source"]

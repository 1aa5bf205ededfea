"""Discovery: module directories, roots, module sources, modules.json, what gets parsed."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from tfeval import notebooks, write

from cmkguard.inventory import SourceLocation
from cmkguard.sources.terraform.config import is_config_file, is_override_file
from cmkguard.sources.terraform.discovery import SourceTree
from cmkguard.subject import NOTEBOOK_TYPE

NB = 'resource "aws_sagemaker_notebook_instance" "nb" {\n  role_arn = "r"\n}\n'


@pytest.mark.parametrize(
    ("name", "config", "override"),
    [
        ("main.tf", True, False),
        ("main.tf.json", True, False),
        ("override.tf", True, True),
        ("x_override.tf.json", True, True),
        ("override_x.tf", True, False),
        (".hidden.tf", False, False),
        ("main.tf~", False, False),
        ("#main.tf#", False, False),
        ("main.tfvars", False, False),
        ("main.tf.bak", False, False),
    ],
)
def test_file_names(name: str, config: bool, override: bool) -> None:
    assert is_config_file(name) is config
    assert is_override_file(name) is override


def test_roots_are_directories_nobody_calls(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "env/prod/main.tf": 'module "app" {\n  source = "../../modules/app"\n}\n',
            "env/dev/main.tf": 'module "app" {\n  source = "registry/app/aws"\n}\n',
            "env/dev/.terraform/modules/modules.json": json.dumps(
                {"Modules": [{"Key": "", "Dir": "."}, {"Key": "app", "Dir": "../../vendored/app"}]}
            ),
            "modules/app/main.tf": NB,
            "vendored/app/main.tf": NB,
            "standalone/main.tf": NB,
            ".hidden/main.tf": NB,
            ".git/x/main.tf": NB,
        },
    )
    tree = SourceTree(tmp_path)
    dirs = tree.module_dirs()
    # Hidden directories hold Terraform too (issue 8); only .git and .terraform are skipped.
    assert ".hidden" in dirs
    assert ".git/x" not in dirs
    assert "env/dev/.terraform/modules" not in dirs
    assert tree.roots(dirs, NOTEBOOK_TYPE.encode()) == [
        ".hidden",
        "env/dev",
        "env/prod",
        "standalone",
    ]


def test_reaches_follows_local_and_installed_calls(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "main.tf": 'module "a" {\n  source = "./a"\n}\nmodule "r" {\n  source = "x/y/aws"\n}\n',
            "a/main.tf": 'module "b" {\n  source = "../b"\n}\n',
            "b/main.tf": NB,
            ".terraform/modules/modules.json": json.dumps(
                {"Modules": [{"Key": "r", "Dir": ".terraform/modules/r"}]}
            ),
            ".terraform/modules/r/main.tf": "# nothing\n",
        },
    )
    tree = SourceTree(tmp_path)
    needle = NOTEBOOK_TYPE.encode()
    assert tree.reaches(".", ".", needle)
    assert tree.reaches(".", "a", needle, "a")
    assert not tree.reaches(".", ".terraform/modules/r", needle, "r")


def test_module_sources(tmp_path: Path) -> None:
    write(tmp_path, {"root/main.tf": "", "root/m/main.tf": ""})
    tree = SourceTree(tmp_path / "root")
    assert tree.resolve_source(".", "./m", ".", "m").dir == "m"
    missing = tree.resolve_source(".", "./nope", ".", "nope")
    assert (missing.dir, missing.problem, missing.is_error) == (
        None,
        "module source ./nope does not exist",
        True,
    )
    outside = tree.resolve_source(".", "../", ".", "up")
    assert outside.is_error
    assert outside.problem == (
        f"module source ../ leads outside the scanned directory; scan {tmp_path.resolve()} instead"
    )
    remote = tree.resolve_source(".", "hashicorp/consul/aws", ".", "consul")
    assert not remote.is_error
    assert remote.problem == "remote module hashicorp/consul/aws not downloaded; run terraform init"


def test_symlinks_leaving_the_root_are_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    write(outside, {"main.tf": NB})
    root = tmp_path / "root"
    write(root, {"inside/main.tf": NB})
    os.symlink(outside, root / "escape")
    os.symlink(root / "inside", root / "again")
    dirs = SourceTree(root).module_dirs()
    assert "escape" not in dirs
    assert ("inside" in dirs) != ("again" in dirs)


def test_directories_without_notebooks_are_not_parsed(tmp_path: Path) -> None:
    found, errors = notebooks(
        tmp_path,
        {"app/main.tf": NB, "unrelated/broken.tf": 'resource "x" {\n', "unrelated/ok.tf": ""},
    )
    assert list(found) == ["aws_sagemaker_notebook_instance.nb"]
    assert errors == []


def test_called_modules_are_not_reported_standalone(tmp_path: Path) -> None:
    found, errors = notebooks(
        tmp_path,
        {
            "live/main.tf": 'module "nb" {\n  source = "../modules/nb"\n  count = 2\n}\n',
            "modules/nb/main.tf": NB,
        },
    )
    assert sorted(found) == [
        "module.nb[0].aws_sagemaker_notebook_instance.nb",
        "module.nb[1].aws_sagemaker_notebook_instance.nb",
    ]
    assert errors == []


def test_a_module_that_calls_a_notebook_module_is_parsed(tmp_path: Path) -> None:
    found, _ = notebooks(
        tmp_path,
        {
            "main.tf": 'module "outer" {\n  source = "./outer"\n}\n',
            "outer/main.tf": 'module "inner" {\n  source = "../inner"\n}\n',
            "inner/main.tf": NB,
        },
    )
    assert list(found) == ["module.outer.module.inner.aws_sagemaker_notebook_instance.nb"]


def test_parse_errors_are_reported_relative_to_the_scanned_path(tmp_path: Path) -> None:
    _, errors = notebooks(tmp_path, {"app/main.tf": NB, "app/bad.tf": 'resource "x" "y" {\n'})
    assert [e.path for e in errors] == ["app/bad.tf"]


@pytest.mark.parametrize("marker", [".git", ".hg", ".git-file"])
def test_local_sources_are_followed_up_to_the_version_control_root(
    tmp_path: Path, marker: str
) -> None:
    repo = tmp_path / "repo"
    write(repo, {"main.tf": NB, "examples/x/main.tf": 'module "m" {\n  source = "../.."\n}\n'})
    if marker == ".git-file":  # a worktree or submodule: .git is a file naming the real one
        (repo / ".git").write_text("gitdir: /elsewhere\n")
    else:
        (repo / marker).mkdir()
    tree = SourceTree(repo / "examples/x")
    assert tree.boundary == repo.resolve()
    assert tree.resolve_source(".", "../..", ".", "m").dir == "../.."
    beyond = tree.resolve_source(".", "../../..", ".", "up")
    assert beyond.is_error
    assert beyond.problem == (
        f"module source ../../.. leads outside the repository at {repo.resolve()}; "
        f"scan {tmp_path.resolve()} instead"
    )
    found, errors = notebooks(repo / "examples/x", {})
    assert errors == []
    location = found["module.m.aws_sagemaker_notebook_instance.nb"].location
    assert isinstance(location, SourceLocation)
    assert location.file == "../../main.tf"


def test_without_version_control_the_scanned_directory_is_the_boundary(tmp_path: Path) -> None:
    write(tmp_path, {"main.tf": NB, "examples/x/main.tf": 'module "m" {\n  source = "../.."\n}\n'})
    if SourceTree(tmp_path).boundary != tmp_path.resolve():
        pytest.skip("the temporary directory is inside a repository")
    found, errors = notebooks(tmp_path / "examples/x", {})
    assert found == {}
    [error] = errors
    assert (error.path, error.line) == ("main.tf", 1)
    assert error.message.startswith("module source ../.. leads outside the scanned directory")


def test_symlinked_directories_are_followed_up_to_the_version_control_root(
    tmp_path: Path,
) -> None:
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    write(repo, {"shared/main.tf": NB, "env/main.tf": ""})
    write(tmp_path, {"elsewhere/main.tf": NB})
    os.symlink(repo / "shared", repo / "env/shared")
    os.symlink(tmp_path / "elsewhere", repo / "env/escape")
    dirs = SourceTree(repo / "env").module_dirs()
    assert "shared" in dirs
    assert "escape" not in dirs

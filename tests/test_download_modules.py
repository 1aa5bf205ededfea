"""``--download-modules`` end to end: a registry module from a local registry server and a git
module from a local repository, both made by the test; unsafe archives and failures are errors
at the module block (exit status 2), never a silent gap."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from dulwich import porcelain
from dulwich.repo import Repo
from module_registry import Registry, serving, tar_gz

from cmkguard import cli

NOTEBOOK = """
variable "key_arn" {
  type = string
}
resource "aws_sagemaker_notebook_instance" "this" {
  name          = "nb"
  role_arn      = "arn:aws:iam::111122223333:role/nb"
  instance_type = "ml.t3.medium"
  kms_key_id    = var.key_arn
}
"""
ROOT = """
provider "aws" {
  region = "eu-west-1"
}
module "notebook" {
  source  = "%s"
  %s
  key_arn = "alias/aws/sagemaker"
}
"""
HOST = "registry.example"


def _scan(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, Any], str]:
    status = cli.main(["scan", "--format", "json", *args])
    out, err = capsys.readouterr()
    return status, json.loads(out), err


def _root(tmp_path: Path, source: str, version: str | None = None) -> Path:
    root = tmp_path / "infra"
    root.mkdir()
    line = f'version = "{version}"' if version is not None else ""
    (root / "main.tf").write_text(ROOT % (source, line))
    return root


def _download(registry: Registry, cache: Path) -> list[str]:
    return [
        "--download-modules",
        "--module-cache",
        str(cache),
        "--registry-url",
        f"{HOST}={registry.url}",
    ]


@pytest.fixture
def registry() -> Any:
    with serving() as running:
        yield running


def test_registry_module_is_fetched_at_the_newest_matching_version(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], registry: Registry
) -> None:
    registry.module(
        "acme/notebook/aws",
        {
            "1.0.0": tar_gz({"main.tf": "# no notebook in 1.0.0\n"}),
            "1.4.0": tar_gz({"main.tf": NOTEBOOK}),
            "2.0.0": tar_gz({"main.tf": "# no notebook in 2.0.0\n"}),
        },
    )
    root = _root(tmp_path, f"{HOST}/acme/notebook/aws", "~> 1.2")
    cache = tmp_path / "cache"
    status, report, _ = _scan(capsys, str(root), *_download(registry, cache))
    assert report["errors"] == []
    [finding] = report["findings"]
    assert finding["address"] == "module.notebook.aws_sagemaker_notebook_instance.this"
    assert finding["status"] == "FAIL"
    assert finding["reasons"] == ["aws-managed-key"]
    # The file is the module's own, named by its absolute path in the cache.
    file = Path(finding["location"]["file"])
    assert file.is_absolute()
    assert file.is_relative_to(cache.resolve())
    assert file.name == "main.tf"
    assert status == 1
    # A second scan reuses the package in the cache.
    assert len([p for p in cache.iterdir() if not p.name.startswith(".")]) == 1
    assert _scan(capsys, str(root), *_download(registry, cache))[1]["findings"] == [finding]


def test_without_the_flag_the_module_call_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _root(tmp_path, f"{HOST}/acme/notebook/aws", "~> 1.2")
    status, report, _ = _scan(capsys, str(root))
    assert status == 2
    [error] = report["errors"]
    assert (error["file"], error["line"]) == ("main.tf", 5)
    assert "terraform init" in error["message"]


@pytest.mark.parametrize(
    ("versions", "constraint", "words"),
    [
        ({"1.0.0": tar_gz({"main.tf": NOTEBOOK})}, "~> 2.0", "no version of"),
        ({"1.0.0": tar_gz({"main.tf": NOTEBOOK})}, ">= one", "invalid version constraint"),
        ({"1.0.0": b"not an archive"}, "1.0.0", "not a usable tar archive"),
        # An archive that escapes its directory, or links out of it, is refused whole.
        (
            {"1.0.0": tar_gz({"main.tf": NOTEBOOK, "../../evil.tf": NOTEBOOK})},
            "1.0.0",
            "leads outside the archive",
        ),
        (
            {"1.0.0": tar_gz({"main.tf": NOTEBOOK}, {"keys.tf": "../../../etc/passwd"})},
            "1.0.0",
            "points outside the archive",
        ),
        (
            {"1.0.0": tar_gz({"main.tf": NOTEBOOK}, {"abs.tf": "/etc/passwd"})},
            "1.0.0",
            "points outside the archive",
        ),
    ],
)
def test_fool_download_failures_are_errors_at_the_module_block(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    registry: Registry,
    versions: dict[str, bytes],
    constraint: str,
    words: str,
) -> None:
    registry.module("acme/notebook/aws", versions)
    root = _root(tmp_path, f"{HOST}/acme/notebook/aws", constraint)
    status, report, _ = _scan(capsys, str(root), *_download(registry, tmp_path / "cache"))
    assert status == 2
    assert report["findings"] == []
    [error] = report["errors"]
    assert (error["file"], error["line"]) == ("main.tf", 5)
    assert words in error["message"]
    assert "module notebook" in error["message"]
    assert not (tmp_path / "evil.tf").exists()
    assert not list((tmp_path / "cache").glob("*/*.tf"))


def test_an_unreachable_registry_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with serving() as stopped:
        url = stopped.url
    root = _root(tmp_path, f"{HOST}/acme/notebook/aws", "1.0.0")
    args = ["--download-modules", "--module-cache", str(tmp_path / "c")]
    status, report, _ = _scan(capsys, str(root), *args, "--registry-url", f"{HOST}={url}")
    assert status == 2
    [error] = report["errors"]
    assert url in error["message"]


def _git_repository(path: Path, files: dict[str, str], tag: str) -> None:
    Repo.init(str(path), mkdir=True).close()
    for name, text in files.items():
        (path / name).parent.mkdir(parents=True, exist_ok=True)
        (path / name).write_text(text)
    porcelain.add(str(path), [str(path / name) for name in files])
    porcelain.commit(str(path), message=b"module", author=b"t <t@t>", committer=b"t <t@t>")
    porcelain.tag_create(str(path), tag.encode(), annotated=True, message=b"t", author=b"t <t@t>")


def test_git_module_is_fetched_at_its_ref_without_running_git(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    repository = tmp_path / "repo"
    _git_repository(repository, {"modules/nb/main.tf": NOTEBOOK, "README.md": "x"}, "v1.0.0")
    # Nothing may be executed: a hook in the repository and no git on PATH.
    hook = repository / ".git/hooks/post-checkout"
    hook.parent.mkdir(parents=True, exist_ok=True)
    hook.write_text(f"#!/bin/sh\ntouch {tmp_path / 'ran'}\n")
    hook.chmod(0o755)
    monkeypatch.setenv("PATH", "")
    source = f"git::{repository.as_uri()}//modules/nb?ref=v1.0.0"
    root = _root(tmp_path, source)
    cache = tmp_path / "cache"
    status, report, _ = _scan(capsys, str(root), "--download-modules", "--module-cache", str(cache))
    assert report["errors"] == []
    [finding] = report["findings"]
    assert finding["address"] == "module.notebook.aws_sagemaker_notebook_instance.this"
    assert finding["location"]["file"].endswith("/modules/nb/main.tf")
    assert status == 1
    assert not (tmp_path / "ran").exists()
    assert not list(cache.glob("*/.git"))


def test_git_module_with_an_unknown_ref_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repository = tmp_path / "repo"
    _git_repository(repository, {"main.tf": NOTEBOOK}, "v1.0.0")
    root = _root(tmp_path, f"git::{repository.as_uri()}?ref=v9")
    status, report, _ = _scan(
        capsys, str(root), "--download-modules", "--module-cache", str(tmp_path / "c")
    )
    assert status == 2
    [error] = report["errors"]
    assert "no tag or branch 'v9'" in error["message"]


def test_fool_git_symlink_out_of_the_module_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repository = tmp_path / "repo"
    _git_repository(repository, {"main.tf": NOTEBOOK}, "v0")
    os.symlink("../../secret.tf", repository / "keys.tf")
    porcelain.add(str(repository), [str(repository / "keys.tf")])
    porcelain.commit(str(repository), message=b"link", author=b"t <t@t>", committer=b"t <t@t>")
    root = _root(tmp_path, f"git::{repository.as_uri()}")
    status, report, _ = _scan(
        capsys, str(root), "--download-modules", "--module-cache", str(tmp_path / "c")
    )
    assert status == 2
    assert report["findings"] == []
    [error] = report["errors"]
    assert "symbolic link keys.tf points outside the module" in error["message"]


def test_archive_url_with_its_single_top_directory(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], registry: Registry
) -> None:
    registry.routes["/m.tar.gz"] = (200, {}, tar_gz({"nb-1.0/main.tf": NOTEBOOK}))
    root = _root(tmp_path, f"{registry.url}/m.tar.gz//*")
    status, report, _ = _scan(
        capsys, str(root), "--download-modules", "--module-cache", str(tmp_path / "c")
    )
    assert report["errors"] == []
    [finding] = report["findings"]
    assert finding["location"]["file"].endswith("/nb-1.0/main.tf")
    assert status == 1

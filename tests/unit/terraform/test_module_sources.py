"""Module source addresses for ``--download-modules``, and archives unpacked safely."""

from __future__ import annotations

import io
import stat
import zipfile
from pathlib import Path

import pytest

from cmkguard.sources.terraform.module_download.archives import unpack
from cmkguard.sources.terraform.module_download.http import DownloadError, get
from cmkguard.sources.terraform.module_download.sources import (
    ArchiveSource,
    GitSource,
    RegistrySource,
    parse_source,
)


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        (
            "hashicorp/consul/aws",
            RegistrySource("registry.terraform.io", "hashicorp", "consul", "aws", ""),
        ),
        (
            "app.terraform.io/acme/nb/aws//modules/x",
            RegistrySource("app.terraform.io", "acme", "nb", "aws", "modules/x"),
        ),
        ("127.0.0.1:8080/acme/nb/aws", RegistrySource("127.0.0.1:8080", "acme", "nb", "aws", "")),
        ("localhost:8080/acme/nb/aws", RegistrySource("localhost:8080", "acme", "nb", "aws", "")),
        (
            "git::https://example.com/infra.git//modules/nb?ref=v1.2.0",
            GitSource("https://example.com/infra.git", "v1.2.0", "modules/nb"),
        ),
        ("git::file:///srv/repo", GitSource("file:///srv/repo", None, "")),
        (
            "github.com/acme/terraform-nb?ref=v1",
            GitSource("https://github.com/acme/terraform-nb.git", "v1", ""),
        ),
        (
            "https://example.com/m.tar.gz//sub",
            ArchiveSource("https://example.com/m.tar.gz", "tar.gz", "sub"),
        ),
        (
            "https://example.com/get?archive=zip&v=1",
            ArchiveSource("https://example.com/get?v=1", "zip", ""),
        ),
        (
            "git::ssh://git@example.com/infra.git",
            "git over ssh is not fetched by --download-modules",
        ),
        ("git@github.com:acme/nb.git", "ssh sources are not fetched by --download-modules"),
        (
            "s3::https://s3.amazonaws.com/b/m.zip",
            "s3:: sources are not fetched by --download-modules",
        ),
        (
            "https://example.com/page",
            "an http source must name an archive (.tar.gz, .tgz, .tar, .zip or ?archive=)",
        ),
        ("hashicorp/consul/aws//../..", "subdirectory '../..' leads outside the module package"),
        (
            "git::https://example.com/r.git?ref=v1&sshkey=x",
            "git source options sshkey are not supported",
        ),
        (
            "just-a-name",
            "not a registry address (HOST/NAMESPACE/NAME/SYSTEM), git:: or archive URL",
        ),
    ],
)
def test_parse_source(text: str, parsed: object) -> None:
    assert parse_source(text) == parsed


def _zip(entries: dict[str, str], links: dict[str, str] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in entries.items():
            archive.writestr(name, text)
        for name, target in (links or {}).items():
            info = zipfile.ZipInfo(name)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, target)
    return buffer.getvalue()


def test_zip_is_unpacked(tmp_path: Path) -> None:
    unpack(_zip({"main.tf": "x", "m/a.tf": "y"}, {"m/b.tf": "a.tf"}), "zip", tmp_path, "z")
    assert (tmp_path / "m/a.tf").read_text() == "y"
    assert (tmp_path / "m/b.tf").is_symlink()
    assert (tmp_path / "m/b.tf").read_text() == "y"


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (_zip({"../evil.tf": "x"}), "leads outside the archive"),
        (_zip({"/abs.tf": "x"}), "leads outside the archive"),
        (_zip({"main.tf": "x"}, {"keys.tf": "../../secret"}), "points outside the archive"),
        (b"PK not really", "not a usable zip archive"),
    ],
)
def test_fool_unsafe_zip_is_refused(tmp_path: Path, data: bytes, words: str) -> None:
    destination = tmp_path / "out"
    destination.mkdir()
    with pytest.raises(DownloadError, match=words):
        unpack(data, "zip", destination, "z")
    assert not (tmp_path / "evil.tf").exists()


def test_fool_zip_writing_through_its_own_links_is_refused(tmp_path: Path) -> None:
    """Each link alone stays inside; together they would lead a later member outside."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, target in (("x", "."), ("x/y", "..")):
            info = zipfile.ZipInfo(name)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, target)
        archive.writestr("x/y/escaped.tf", "x")
    destination = tmp_path / "out"
    destination.mkdir()
    with pytest.raises(DownloadError, match="through a link"):
        unpack(buffer.getvalue(), "zip", destination, "z")
    assert not (tmp_path / "escaped.tf").exists()


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.com/x"])
def test_only_http_is_fetched(url: str) -> None:
    with pytest.raises(DownloadError, match="not an http"):
        get(url, 100)

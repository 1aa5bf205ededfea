"""Canonical manifest bytes, SHA256SUMS format, safe names and secret scrubbing."""

from __future__ import annotations

import json
import re

import pytest

from cmkguard.evidence.layout import safe_component
from cmkguard.evidence.manifest import (
    FileEntry,
    Manifest,
    ManifestError,
    is_safe_relpath,
    manifest_bytes,
    parse_manifest,
    parse_sums,
    sums_text,
)
from cmkguard.evidence.scrub import REDACTED, is_secret_key, redact_argv, scrub
from cmkguard.records import Json

H1 = "a" * 64
H2 = "0123456789abcdef" * 4

MANIFEST = Manifest(
    {"name": "cmkguard", "version": "0.1.0"},
    "2026-01-02T03:04:05Z",
    {"z.json": FileEntry(H1, 3), "api/é.json": FileEntry(H2, 0)},
)
GOLDEN = (
    '{"created":"2026-01-02T03:04:05Z","files":{"api/é.json":{"bytes":0,"sha256":"'
    + H2
    + '"},"z.json":{"bytes":3,"sha256":"'
    + H1
    + '"}},"format":"cmkguard-evidence/1","tool":{"name":"cmkguard","version":"0.1.0"}}'
).encode()


def test_manifest_bytes_are_canonical_golden() -> None:
    data = manifest_bytes(MANIFEST)
    assert data == GOLDEN
    assert not data.endswith(b"\n")
    assert "é".encode() in data  # UTF-8, not \u escapes


def test_manifest_round_trips() -> None:
    parsed = parse_manifest(GOLDEN)
    assert dict(parsed.files) == dict(MANIFEST.files)
    assert parsed.created == MANIFEST.created
    assert manifest_bytes(parsed) == GOLDEN


@pytest.mark.parametrize(
    ("data", "complaint"),
    [
        (GOLDEN + b"\n", "canonical"),
        (json.dumps(json.loads(GOLDEN), indent=2).encode(), "canonical"),
        (json.dumps(json.loads(GOLDEN), sort_keys=True).encode(), "canonical"),
        (b"{not json", "not JSON"),
        (b"\xff", "not JSON"),
        (b"[]", "not a JSON object"),
        (GOLDEN.replace(b"cmkguard-evidence/1", b"cmkguard-evidence/9"), "format"),
        (GOLDEN.replace(b'"bytes":3', b'"bytes":-3'), "bad entry"),
        (GOLDEN.replace(b'"bytes":3', b'"bytes":true'), "bad entry"),
        (GOLDEN.replace(H1.encode(), b"A" * 64), "bad entry"),
        (GOLDEN.replace(b'"created"', b'"extra":1,"created"'), "unexpected fields"),
    ],
)
def test_bad_manifests_are_refused(data: bytes, complaint: str) -> None:
    with pytest.raises(ManifestError, match=complaint):
        parse_manifest(data)


def test_sums_are_gnu_format_sorted() -> None:
    text = sums_text({"b": H1, "a/x.json": H2})
    assert text == f"{H2}  a/x.json\n{H1}  b\n"
    assert parse_sums(text) == {"a/x.json": H2, "b": H1}
    assert parse_sums(f"{H1} *binary-mode\n") == {"binary-mode": H1}


@pytest.mark.parametrize(
    "text", [f"{H1} b\n", f"{H1[:-1]}  b\n", "garbage\n", f"{H1}  b\n{H2}  b\n"]
)
def test_bad_sums_are_refused(text: str) -> None:
    with pytest.raises(ManifestError):
        parse_sums(text)


def test_sums_refuse_names_gnu_would_escape() -> None:
    with pytest.raises(ValueError, match="cannot be written"):
        sums_text({"a\nb": H1})


@pytest.mark.parametrize(
    ("path", "safe"),
    [
        ("findings.json", True),
        ("api/111122223333/eu-west-1/kms/DescribeKey/k.json", True),
        ("", False),
        ("/etc/passwd", False),
        ("../x", False),
        ("a/../x", False),
        ("a//x", False),
        ("./x", False),
        ("a\\x", False),
        ("a\x1bx", False),
    ],
)
def test_safe_relpaths(path: str, safe: bool) -> None:
    assert is_safe_relpath(path) is safe


@pytest.mark.parametrize(
    ("name", "kept"),
    [
        ("prod-notebook", True),
        ("1234abcd-12ab-34cd-56ef-1234567890ab", True),
        ("page_1.x", True),
        ("..", False),
        (".", False),
        (".hidden", False),
        ("-rf", False),
        ("a/b", False),
        ("../../etc/passwd", False),
        ("alias/my-key", False),
        ("\x1b[31mred", False),
        ("", False),
        ("x" * 101, False),
        ("with~tilde", False),
    ],
)
def test_safe_component(name: str, kept: bool) -> None:
    got = safe_component(name)
    assert (got == name) is kept
    assert got
    assert got not in (".", "..")
    assert all(ch.isalnum() or ch in "._-~" for ch in got)
    assert not got.startswith((".", "-"))
    assert len(got) <= 100


_WINDOWS_DEVICE = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\\.|$)", re.IGNORECASE)


@pytest.mark.parametrize(
    "name",
    ["con", "CON", "aux", "nul", "prn", "com1", "COM9", "lpt1", "nul.json", "Com1.tar.gz", "x."],
)
def test_windows_device_names_are_escaped(name: str) -> None:
    """A notebook called ``con`` must not make the bundle impossible to unpack on Windows."""
    got = safe_component(name)
    assert got != name
    assert "~" in got
    assert not _WINDOWS_DEVICE.match(got)
    assert not _WINDOWS_DEVICE.match(f"{got}.json")
    assert not got.endswith(".")


@pytest.mark.parametrize("name", ["console", "auxiliary", "com10", "lpt", "nullable", "icon"])
def test_names_merely_like_devices_are_kept(name: str) -> None:
    assert safe_component(name) == name


def test_safe_component_never_merges_two_names() -> None:
    names = ["a/b", "a_b~", "a:b", "a b", "a\nb", "alias/x", "alias_x"]
    assert len({safe_component(n) for n in names}) == len(names)


@pytest.mark.parametrize(
    ("key", "secret"),
    [
        ("SecretAccessKey", True),
        ("SessionToken", True),
        ("Credentials", True),
        ("x-amz-security-token", True),
        ("Password", True),
        ("token", True),
        ("NextToken", False),
        ("ClientToken", False),
        ("KmsKeyId", False),
        ("AccessKeyId", False),
        ("accessKeyId", False),
        ("KeyManager", False),
    ],
)
def test_secret_keys(key: str, secret: bool) -> None:
    assert is_secret_key(key) is secret


def test_scrub_drops_secrets_at_any_depth() -> None:
    value: Json = {
        "Credentials": {"SecretAccessKey": "s"},
        "List": [{"SessionToken": "t", "Keep": 1}],
        "NextToken": "n",
    }
    assert scrub(value) == {"List": [{"Keep": 1}], "NextToken": "n"}


def test_redact_argv() -> None:
    argv = ["live", "--api-token", "abc", "--client-secret=xyz", "--profile", "p", "--format=json"]
    assert redact_argv(argv) == (
        "live",
        "--api-token",
        REDACTED,
        f"--client-secret={REDACTED}",
        "--profile",
        "p",
        "--format=json",
    )

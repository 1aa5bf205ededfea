"""Verifying a bundle: intact, then tampered every way we know."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from evidence_fixtures import ACCOUNT, REGION, typical_scan

from cmkguard.errors import UsageError
from cmkguard.evidence import VerifyReport, bundle_digest, verify_bundle, write_bundle
from cmkguard.evidence.manifest import (
    FileEntry,
    manifest_bytes,
    parse_manifest,
    parse_sums,
    sums_text,
)

FINDINGS = "findings.json"
RECORD = f"api/{ACCOUNT}/{REGION}/kms/DescribeKey/1234abcd-12ab-34cd-56ef-1234567890ab.json"


@pytest.fixture
def bundle(tmp_path: Path) -> Path:
    """A freshly written bundle."""
    target = tmp_path / "evidence"
    write_bundle(target, typical_scan(), ["cmkguard", "live"])
    return target


def test_intact_bundle_verifies(bundle: Path) -> None:
    report = verify_bundle(bundle)
    assert report.ok
    assert report.manifest_ok
    assert (report.changed, report.missing, report.extra) == ((), (), ())
    files = sum(1 for p in bundle.rglob("*") if p.is_file())
    assert report.verified == files - 2  # all but manifest.json and SHA256SUMS
    assert report.digest == bundle_digest(bundle)
    assert report.lines() == [
        f"ok: {files - 1} files verified (sha256 of SHA256SUMS: {report.digest})"
    ]


def test_edited_file_is_changed(bundle: Path) -> None:
    path = bundle / RECORD
    path.write_text(path.read_text(encoding="utf-8").replace("CUSTOMER", "AWS"), encoding="utf-8")
    report = verify_bundle(bundle)
    assert report.changed == (RECORD,)
    assert report.manifest_ok
    assert not report.ok
    assert report.lines() == [f"changed: {RECORD}"]


def test_same_size_edit_is_changed(bundle: Path) -> None:
    data = bytearray((bundle / FINDINGS).read_bytes())
    data[10] ^= 1
    (bundle / FINDINGS).write_bytes(bytes(data))
    assert verify_bundle(bundle).changed == (FINDINGS,)


def test_deleted_file_is_missing(bundle: Path) -> None:
    (bundle / RECORD).unlink()
    report = verify_bundle(bundle)
    assert report.missing == (RECORD,)
    assert report.lines() == [f"missing: {RECORD}"]


def test_added_files_are_extra(bundle: Path) -> None:
    (bundle / "api" / "planted.json").write_text("{}", encoding="utf-8")
    (bundle / "zz.txt").write_text("", encoding="utf-8")
    report = verify_bundle(bundle)
    assert report.extra == ("api/planted.json", "zz.txt")
    assert report.lines() == ["extra: api/planted.json", "extra: zz.txt"]


def test_empty_directories_are_not_extra(bundle: Path) -> None:
    (bundle / "api" / "empty").mkdir()
    assert verify_bundle(bundle).ok


def test_file_replaced_by_symlink_is_changed_not_followed(bundle: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.json"
    copy.write_bytes((bundle / FINDINGS).read_bytes())
    (bundle / FINDINGS).unlink()
    (bundle / FINDINGS).symlink_to(copy)
    assert verify_bundle(bundle).changed == (FINDINGS,)


def test_folder_replaced_by_symlink(bundle: Path, tmp_path: Path) -> None:
    moved = tmp_path / "moved"
    (bundle / "api").rename(moved)
    (bundle / "api").symlink_to(moved)
    report = verify_bundle(bundle)
    assert report.extra == ("api",)
    assert RECORD in report.missing


def test_edited_manifest_is_caught(bundle: Path) -> None:
    manifest = parse_manifest((bundle / "manifest.json").read_bytes())
    files = dict(manifest.files)
    files["findings.json"] = FileEntry("0" * 64, 1)
    (bundle / "manifest.json").write_bytes(
        manifest_bytes(type(manifest)(manifest.tool, manifest.created, files))
    )
    report = verify_bundle(bundle)
    assert not report.manifest_ok
    assert "manifest: manifest.json does not match its hash in SHA256SUMS" in report.lines()
    assert report.changed == (FINDINGS,)


def test_reformatted_manifest_is_caught(bundle: Path) -> None:
    (bundle / "manifest.json").write_bytes((bundle / "manifest.json").read_bytes() + b"\n")
    report = verify_bundle(bundle)
    assert not report.manifest_ok
    assert any("canonical" in line for line in report.lines())


def test_missing_manifest_still_checks_files_against_sums(bundle: Path) -> None:
    (bundle / "manifest.json").unlink()
    (bundle / RECORD).write_text("{}", encoding="utf-8")
    report = verify_bundle(bundle)
    assert not report.manifest_ok
    assert report.changed == (RECORD,)
    assert report.lines()[0] == "manifest: manifest.json is missing"


def test_edited_sums_are_caught(bundle: Path) -> None:
    sums = parse_sums((bundle / "SHA256SUMS").read_text(encoding="utf-8"))
    sums[FINDINGS] = "f" * 64
    (bundle / "SHA256SUMS").write_text(sums_text(sums), encoding="utf-8")
    report = verify_bundle(bundle)
    assert not report.manifest_ok
    assert report.lines() == ["manifest: SHA256SUMS and manifest.json disagree on 'findings.json'"]


def test_missing_sums(bundle: Path) -> None:
    (bundle / "SHA256SUMS").unlink()
    report = verify_bundle(bundle)
    assert not report.ok
    assert report.lines() == ["manifest: SHA256SUMS is missing"]


def test_consistent_rehash_passes_but_changes_the_digest(bundle: Path) -> None:
    """The limit of hashes: who can rewrite all three files can pass; the digest shows it."""
    before = bundle_digest(bundle)
    (bundle / FINDINGS).write_text("{}\n", encoding="utf-8")
    manifest = parse_manifest((bundle / "manifest.json").read_bytes())
    files = dict(manifest.files)
    files[FINDINGS] = FileEntry(hashlib.sha256(b"{}\n").hexdigest(), 3)
    data = manifest_bytes(type(manifest)(manifest.tool, manifest.created, files))
    (bundle / "manifest.json").write_bytes(data)
    sums = parse_sums((bundle / "SHA256SUMS").read_text(encoding="utf-8"))
    sums[FINDINGS] = files[FINDINGS].sha256
    sums["manifest.json"] = hashlib.sha256(data).hexdigest()
    (bundle / "SHA256SUMS").write_text(sums_text(sums), encoding="utf-8")
    report = verify_bundle(bundle)
    assert report.ok
    assert report.digest != before


def test_manifest_listing_outside_paths_is_refused(bundle: Path, tmp_path: Path) -> None:
    (tmp_path / "secret.txt").write_text("x", encoding="utf-8")
    manifest = parse_manifest((bundle / "manifest.json").read_bytes())
    files = {**manifest.files, "../secret.txt": FileEntry("0" * 64, 1)}
    data = manifest_bytes(type(manifest)(manifest.tool, manifest.created, files))
    (bundle / "manifest.json").write_bytes(data)
    report = verify_bundle(bundle)
    assert not report.manifest_ok
    assert "../secret.txt" not in report.changed + report.missing
    assert any("unsafe or reserved path" in line for line in report.lines())


def test_control_characters_in_names_are_escaped(bundle: Path) -> None:
    (bundle / "evil\x1b[2J.txt").write_text("", encoding="utf-8")
    assert verify_bundle(bundle).lines() == ["extra: evil\\x1b[2J.txt"]


def test_not_a_directory(tmp_path: Path) -> None:
    with pytest.raises(UsageError):
        verify_bundle(tmp_path / "absent")
    (tmp_path / "f").write_text("", encoding="utf-8")
    with pytest.raises(UsageError, match="not a directory"):
        verify_bundle(tmp_path / "f")


def test_report_ok_needs_everything() -> None:
    assert VerifyReport((), (), (), True).ok
    assert not VerifyReport((), (), (), False).ok
    assert not VerifyReport(("a",), (), (), True).ok
    assert not VerifyReport((), ("a",), (), True).ok
    assert not VerifyReport((), (), ("a",), True).ok

"""Verifying a bundle: intact, then tampered every way we know."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from evidence_fixtures import (
    ACCOUNT,
    KEY_ARN,
    KEY_ID,
    NB_ARN,
    REGION,
    customer_key,
    notebook_arn,
    typical_scan,
)

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
    assert report.lines() == [
        f"changed: {RECORD}",
        # The edit also leaves the PASS unsupported by what DescribeKey now says.
        f"findings: findings.json says PASS for {NB_ARN}, but DescribeKey of {KEY_ID} "
        "shows KeyManager 'AWS'",
    ]


def test_same_size_edit_is_changed(bundle: Path) -> None:
    data = bytearray((bundle / FINDINGS).read_bytes())
    data[10] ^= 1
    (bundle / FINDINGS).write_bytes(bytes(data))
    assert verify_bundle(bundle).changed == (FINDINGS,)


def test_deleted_file_is_missing(bundle: Path) -> None:
    (bundle / RECORD).unlink()
    report = verify_bundle(bundle)
    assert report.missing == (RECORD,)
    assert report.lines() == [
        f"missing: {RECORD}",
        f"findings: findings.json says PASS for {NB_ARN}, but no successful DescribeKey of "
        f"{KEY_ID} in account {ACCOUNT}",
    ]


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


def _forge(bundle: Path, path: str, data: bytes) -> None:
    """Replace ``path`` and re-hash ``manifest.json`` and ``SHA256SUMS`` consistently."""
    (bundle / path).write_bytes(data)
    manifest = parse_manifest((bundle / "manifest.json").read_bytes())
    files = {**manifest.files, path: FileEntry(hashlib.sha256(data).hexdigest(), len(data))}
    manifest_data = manifest_bytes(type(manifest)(manifest.tool, manifest.created, files))
    (bundle / "manifest.json").write_bytes(manifest_data)
    sums = parse_sums((bundle / "SHA256SUMS").read_text(encoding="utf-8"))
    sums[path] = files[path].sha256
    sums["manifest.json"] = hashlib.sha256(manifest_data).hexdigest()
    (bundle / "SHA256SUMS").write_text(sums_text(sums), encoding="utf-8")


def _forge_findings(bundle: Path, edit: Callable[[dict[str, Any]], None]) -> None:
    report = json.loads((bundle / FINDINGS).read_text(encoding="utf-8"))
    edit(report)
    _forge(bundle, FINDINGS, json.dumps(report, indent=2).encode("utf-8"))


def test_consistent_rehash_passes_but_changes_the_digest(bundle: Path) -> None:
    """The limit of hashes: who can rewrite all three files can pass; the digest shows it."""
    before = bundle_digest(bundle)
    _forge(bundle, "summary.txt", b"all fine\n")
    report = verify_bundle(bundle)
    assert report.ok
    assert report.digest != before


def test_expected_digest_catches_a_consistent_rehash(bundle: Path) -> None:
    """An auditor who recorded the digest at collection time sees any re-hashed forgery."""
    recorded = bundle_digest(bundle)
    assert verify_bundle(bundle, expect_sha256=recorded).ok
    assert verify_bundle(bundle, expect_sha256=recorded.upper()).ok
    _forge(bundle, "summary.txt", b"all fine\n")
    report = verify_bundle(bundle, expect_sha256=recorded)
    assert not report.ok
    assert report.lines() == [
        f"digest: sha256 of SHA256SUMS is {report.digest}, expected {recorded}"
    ]


def test_rehashed_unknown_turned_pass_is_caught(bundle: Path) -> None:
    """The refused notebook forged to PASS: no DescribeNotebookInstance answer backs it."""

    def to_pass(report: dict[str, Any]) -> None:
        report["findings"][1].update(status="PASS", reasons=[])
        report["summary"].update(passed=2, unknown=0)

    _forge_findings(bundle, to_pass)
    report = verify_bundle(bundle)
    assert report.manifest_ok
    assert (report.changed, report.missing, report.extra) == ((), (), ())
    assert not report.ok
    assert report.lines() == [
        f"findings: findings.json says PASS for {notebook_arn('denied')}, "
        "but no successful DescribeNotebookInstance shows it"
    ]


def test_rehashed_dropped_finding_is_caught(bundle: Path) -> None:
    def drop(report: dict[str, Any]) -> None:
        del report["findings"][1]
        report["summary"].update(total=1, unknown=0)

    _forge_findings(bundle, drop)
    assert verify_bundle(bundle).lines() == [
        f"findings: {notebook_arn('denied')} is in the API responses but has no finding in "
        "findings.json"
    ]


def test_rehashed_invented_and_doubled_findings_are_caught(bundle: Path) -> None:
    def invent(report: dict[str, Any]) -> None:
        report["findings"].append(dict(report["findings"][0]))
        report["findings"].append({**report["findings"][0], "address": "arn:x"})
        report["summary"].update(total=4, passed=3)

    _forge_findings(bundle, invent)
    assert verify_bundle(bundle).lines() == [
        "findings: findings.json has 2 findings for " + NB_ARN,
        "findings: findings.json has a finding for arn:x, which no API response names",
        "findings: findings.json says PASS for arn:x, but no successful "
        "DescribeNotebookInstance shows it",
    ]


def test_rehashed_summary_is_caught(bundle: Path) -> None:
    _forge_findings(bundle, lambda report: report["summary"].update(unknown=0, passed=2))
    assert verify_bundle(bundle).lines() == [
        "findings: findings.json summary says passed 2, its findings 1",
        "findings: findings.json summary says unknown 0, its findings 1",
    ]


@pytest.mark.parametrize(
    ("field", "value", "shown"),
    [
        ("KeyState", "Disabled", "KeyState 'Disabled'"),
        ("KeyUsage", "SIGN_VERIFY", "KeyUsage 'SIGN_VERIFY'"),
        ("KeySpec", "RSA_2048", "KeySpec 'RSA_2048'"),
        ("Arn", KEY_ARN.replace(REGION, "us-east-1"), "not a key in " + REGION),
    ],
)
def test_pass_on_a_key_the_responses_disqualify_is_caught(
    tmp_path: Path, field: str, value: str, shown: str
) -> None:
    """A bundle whose raw DescribeKey contradicts its PASS (however it came about)."""
    scan = typical_scan()
    records = [
        replace(r, response={"KeyMetadata": {**customer_key(), field: value}})
        if r.operation == "DescribeKey"
        else r
        for r in scan.records
    ]
    write_bundle(tmp_path / "b", replace(scan, records=records), ["cmkguard", "live"])
    (line,) = verify_bundle(tmp_path / "b").lines()
    assert line.startswith(f"findings: findings.json says PASS for {NB_ARN}, but ")
    assert shown in line


def test_findings_that_are_not_a_report(bundle: Path) -> None:
    _forge(bundle, FINDINGS, b"[" * 100_000)
    assert verify_bundle(bundle).lines() == ["findings: findings.json is not JSON"]
    _forge(bundle, FINDINGS, b'{"findings": 3}')
    assert verify_bundle(bundle).lines() == [
        "findings: findings.json is not a cmkguard JSON report"
    ]


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


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"[" * 100_000, "manifest: manifest.json is nested too deeply to be a manifest"),
        (b"\xff\xfe", "manifest: manifest.json is not JSON"),
    ],
)
def test_unreadable_manifest_is_a_problem_line(bundle: Path, content: bytes, problem: str) -> None:
    """A hostile manifest is a finding about the bundle, never an internal error."""
    (bundle / "manifest.json").write_bytes(content)
    report = verify_bundle(bundle)
    assert not report.ok
    assert any(line.startswith(problem) for line in report.lines())


def test_manifest_that_is_a_fifo_is_not_read(bundle: Path) -> None:
    (bundle / "manifest.json").unlink()
    os.mkfifo(bundle / "manifest.json")
    report = verify_bundle(bundle)  # must not block on the pipe
    assert "manifest: manifest.json is a special file, not a file" in report.lines()


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_manifest_without_read_permission_is_a_problem_line(bundle: Path) -> None:
    (bundle / "manifest.json").chmod(0)
    try:
        lines = verify_bundle(bundle).lines()
    finally:
        (bundle / "manifest.json").chmod(0o644)
    assert "manifest: manifest.json cannot be read: Permission denied" in lines


def test_deeply_nested_bundle_folders_do_not_crash(bundle: Path) -> None:
    folders = [bundle / "/".join(["d"] * depth) for depth in range(1, 1_201)]
    for folder in folders:  # deeper than Python's recursion limit
        folder.mkdir()
    (folders[-1] / "x").write_bytes(b"")
    try:
        report = verify_bundle(bundle)
    finally:
        # shutil.rmtree (pytest's clean-up) recurses too: take the tree down bottom-up.
        (folders[-1] / "x").unlink()
        for folder in reversed(folders):
            folder.rmdir()
    assert report.extra == ("/".join(["d"] * 1_200) + "/x",)

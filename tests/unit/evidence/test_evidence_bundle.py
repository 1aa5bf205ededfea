"""Writing the bundle: layout, contents, secrets, hostile names, where it may write."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from evidence_fixtures import (
    ACCOUNT,
    IDENTITY,
    KEY_ID,
    REGION,
    FakeScan,
    call,
    typical_records,
    typical_scan,
)

from cmkguard.errors import UsageError
from cmkguard.evidence import bundle_digest, check_target, verify_bundle, write_bundle
from cmkguard.evidence.compose import bundle_files
from cmkguard.evidence.layout import safe_component
from cmkguard.evidence.manifest import parse_manifest, parse_sums
from cmkguard.findings import ScanResult
from cmkguard.report import OutputFormat, render

ARGV = ["cmkguard", "live", "--regions", REGION, "--evidence", "out"]
API = f"api/{ACCOUNT}/{REGION}"


def _files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if not p.is_dir()}


def _load(root: Path, relpath: str) -> Any:
    return json.loads((root / relpath).read_text(encoding="utf-8"))


@pytest.fixture
def bundle(tmp_path: Path) -> Path:
    """A bundle of the typical scan."""
    target = tmp_path / "evidence"
    write_bundle(target, typical_scan(), ARGV)
    return target


def test_layout(bundle: Path) -> None:
    assert _files(bundle) == {
        "README.txt",
        "findings.json",
        "summary.txt",
        "run.json",
        "errors.json",
        "manifest.json",
        "SHA256SUMS",
        f"api/{ACCOUNT}/global/sts/GetCallerIdentity.json",
        f"{API}/sagemaker/ListNotebookInstances/page-0001.json",
        f"{API}/sagemaker/ListNotebookInstances/page-0002.json",
        f"{API}/sagemaker/DescribeNotebookInstance/prod.json",
        f"{API}/sagemaker/DescribeNotebookInstance/denied.json",
        f"{API}/kms/DescribeKey/{KEY_ID}.json",
        f"{API}/kms/GetKeyPolicy/{KEY_ID}.json",
        f"{API}/config/DescribeConfigRules/page-0001.json",
        f"{API}/config/GetComplianceDetailsByConfigRule/sm-kms-page-0001.json",
        f"{API}/config/RULES-NOT-PRESENT.txt",
        f"{API}/cloudtrail/LookupEvents/CreateNotebookInstance-page-0001.json",
        f"{API}/cloudtrail/LookupEvents/UpdateNotebookInstance-page-0001.json",
    }
    assert not list(bundle.parent.glob(".evidence.cmkguard-*")), "no staging left behind"


def test_reports_are_the_renderers_output(bundle: Path) -> None:
    result = typical_scan().result
    for name, fmt in (("findings.json", OutputFormat.JSON), ("summary.txt", OutputFormat.TEXT)):
        out = io.StringIO()
        render(result, fmt, out, color=False)
        assert (bundle / name).read_text(encoding="utf-8") == out.getvalue()
    assert "\x1b[" not in (bundle / "summary.txt").read_text(encoding="utf-8")


def test_record_file(bundle: Path) -> None:
    path = f"{API}/sagemaker/DescribeNotebookInstance/prod.json"
    text = (bundle / path).read_text(encoding="utf-8")
    document = json.loads(text)
    assert list(document) == sorted(document), "sorted keys"
    assert text.startswith('{\n  "account"')
    assert text.endswith("}\n")
    assert document == {
        "account": ACCOUNT,
        "region": REGION,
        "service": "sagemaker",
        "operation": "DescribeNotebookInstance",
        "request": {"NotebookInstanceName": "prod"},
        "response": {
            "NotebookInstanceArn": f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:notebook-instance/prod",
            "KmsKeyId": KEY_ID,
        },
        "error": None,
        "at": "2026-01-02T03:04:05Z",
    }
    refused = _load(bundle, f"{API}/sagemaker/DescribeNotebookInstance/denied.json")
    assert refused["response"] is None
    assert refused["error"].startswith("AccessDeniedException")


def test_cloudtrail_events_are_parsed(bundle: Path) -> None:
    document = _load(bundle, f"{API}/cloudtrail/LookupEvents/CreateNotebookInstance-page-0001.json")
    (event,) = document["response"]["Events"]
    assert event["CloudTrailEvent"]["requestParameters"]["kmsKeyId"] == KEY_ID
    assert event["CloudTrailEvent"]["userIdentity"]["accessKeyId"] == "ASIAEXAMPLE"


def test_unparseable_cloudtrail_event_is_kept_as_text(tmp_path: Path) -> None:
    record = call("cloudtrail", "LookupEvents", {}, {"Events": [{"CloudTrailEvent": "{oops"}]})
    write_bundle(tmp_path / "b", FakeScan(ScanResult(), [record]), ARGV)
    document = _load(tmp_path / "b", f"{API}/cloudtrail/LookupEvents/page-0001.json")
    assert document["response"]["Events"] == [{"CloudTrailEvent": "{oops"}]


def test_config_rule_absent_is_named(bundle: Path) -> None:
    text = (bundle / API / "config/RULES-NOT-PRESENT.txt").read_text(encoding="utf-8")
    assert "SAGEMAKER_NOTEBOOK_INSTANCE_STORAGE_VOL_KMS_ENCRYPTED" in text
    assert "SAGEMAKER_NOTEBOOK_INSTANCE_KMS_KEY_CONFIGURED" not in text
    assert f"{ACCOUNT}, region {REGION}" in text


def test_config_rules_not_present_by_name_and_not_determined(tmp_path: Path) -> None:
    records = [
        call("sagemaker", "ListNotebookInstances", {}, {"NotebookInstances": []}),
        call(
            "config",
            "DescribeConfigRules",
            {"ConfigRuleNames": ["x"]},
            None,
            "NoSuchConfigRuleException: x",
        ),
        call(
            "sagemaker", "ListNotebookInstances", {}, {"NotebookInstances": []}, region="us-east-1"
        ),
        call(
            "config",
            "DescribeConfigRules",
            {},
            None,
            "AccessDeniedException: no",
            region="us-east-1",
        ),
    ]
    write_bundle(tmp_path / "b", FakeScan(ScanResult(), records), ARGV)
    absent = (tmp_path / "b" / API / "config/RULES-NOT-PRESENT.txt").read_text(encoding="utf-8")
    assert "SAGEMAKER_NOTEBOOK_INSTANCE_KMS_KEY_CONFIGURED" in absent
    assert "SAGEMAKER_NOTEBOOK_INSTANCE_STORAGE_VOL_KMS_ENCRYPTED" in absent
    east = tmp_path / "b" / f"api/{ACCOUNT}/us-east-1/config"
    assert not (east / "RULES-NOT-PRESENT.txt").exists(), "a failed listing proves no absence"
    assert "AccessDeniedException" in (east / "RULES-NOT-DETERMINED.txt").read_text(
        encoding="utf-8"
    )


def test_services_not_queried_are_said(tmp_path: Path) -> None:
    records = [call("sagemaker", "ListNotebookInstances", {}, {"NotebookInstances": []})]
    write_bundle(tmp_path / "b", FakeScan(ScanResult(), records), ARGV)
    for service in ("config", "cloudtrail"):
        text = (tmp_path / "b" / API / service / "NOT-QUERIED.txt").read_text(encoding="utf-8")
        assert "not queried" in text


def test_errors_json(bundle: Path) -> None:
    document = _load(bundle, "errors.json")
    assert document["failed_calls"] == [
        {
            "file": f"{API}/sagemaker/DescribeNotebookInstance/denied.json",
            "account": ACCOUNT,
            "region": REGION,
            "service": "sagemaker",
            "operation": "DescribeNotebookInstance",
            "error": "AccessDeniedException: not authorised",
            "at": "2026-01-02T03:04:05Z",
        }
    ]
    assert document["scan_errors"] == [
        {
            "path": f"aws:{ACCOUNT}:us-west-2",
            "line": None,
            "message": "ListNotebookInstances: AccessDenied",
        }
    ]


def test_run_json(bundle: Path) -> None:
    document = _load(bundle, "run.json")
    assert document["tool"]["name"] == "cmkguard"
    assert document["argv"] == ARGV
    assert document["started_at"] == "2026-01-02T03:04:00Z"
    assert document["finished_at"] == "2026-01-02T03:05:00Z"
    assert document["identities"] == [IDENTITY]
    assert document["scanned"] == [f"aws:{ACCOUNT}:{REGION}"]
    assert document["runtime"]["python"].count(".") == 2
    assert document["runtime"]["botocore"]


def test_manifest_and_sums_cover_every_file(bundle: Path) -> None:
    manifest = parse_manifest((bundle / "manifest.json").read_bytes())
    sums = parse_sums((bundle / "SHA256SUMS").read_text(encoding="utf-8"))
    files = _files(bundle)
    assert set(manifest.files) == files - {"manifest.json", "SHA256SUMS"}
    assert set(sums) == files - {"SHA256SUMS"}
    lines = (bundle / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    assert lines == sorted(lines, key=lambda line: line[66:])


@pytest.mark.skipif(shutil.which("sha256sum") is None, reason="GNU sha256sum not installed")
def test_gnu_sha256sum_checks_the_bundle(bundle: Path) -> None:
    done = subprocess.run(
        ["sha256sum", "--strict", "-c", "SHA256SUMS"],
        cwd=bundle,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_same_scan_same_bytes() -> None:
    first = bundle_files(typical_scan(), ARGV, created="2026-01-02T03:06:00Z")
    second = bundle_files(typical_scan(), ARGV, created="2026-01-02T03:06:00Z")
    assert first == second


def test_secrets_are_never_written(tmp_path: Path) -> None:
    secret_values = ["wJalrXUtnFEMI/SECRET", "FwoGZXIvYXdzEXAMPLESESSION", "hunter2", "tok-9"]
    records = [
        *typical_records(),
        call(
            "sts",
            "AssumeRole",
            {"RoleArn": f"arn:aws:iam::{ACCOUNT}:role/audit", "x-amz-security-token": "tok-9"},
            {
                "Credentials": {
                    "AccessKeyId": "ASIAEXAMPLE",
                    "SecretAccessKey": "wJalrXUtnFEMI/SECRET",
                    "SessionToken": "FwoGZXIvYXdzEXAMPLESESSION",
                },
                "AssumedRoleUser": {"Arn": f"arn:aws:sts::{ACCOUNT}:assumed-role/audit/x"},
            },
        ),
        call(
            "cloudtrail",
            "LookupEvents",
            {},
            {
                "Events": [
                    {"CloudTrailEvent": json.dumps({"responseElements": {"password": "hunter2"}})}
                ]
            },
        ),
    ]
    identities = [{**IDENTITY, "SessionToken": "FwoGZXIvYXdzEXAMPLESESSION"}]
    scan = FakeScan(typical_scan().result, records, identities)
    argv = [*ARGV, "--mfa-token", "tok-9", "--client-secret=hunter2"]
    write_bundle(tmp_path / "b", scan, argv)
    for path in (tmp_path / "b").rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            for value in secret_values:
                assert value.encode() not in data, f"{value} written to {path}"
    assume = _load(tmp_path / "b", f"api/{ACCOUNT}/global/sts/AssumeRole/{_role_file(tmp_path)}")
    assert "Credentials" not in assume["response"]
    assert assume["response"]["AssumedRoleUser"]


def _role_file(tmp_path: Path) -> str:
    (name,) = [p.name for p in (tmp_path / "b" / f"api/{ACCOUNT}/global/sts/AssumeRole").iterdir()]
    return name


HOSTILE = ["../../../escape", "a/b", "\x1b[31mred", "..", ".", "", "-rf", "Prod", "prod", "x" * 300]


def test_hostile_names_are_sanitised(tmp_path: Path) -> None:
    records = [
        call("sagemaker", "DescribeNotebookInstance", {"NotebookInstanceName": name}, {})
        for name in HOSTILE
    ]
    records.append(
        call("kms", "DescribeKey", {"KeyId": "alias/../../x"}, {}, account="../a", region="/")
    )
    records.append(call("../svc", "../Op", {}, {}))
    target = tmp_path / "deep" / "b"
    write_bundle(target, FakeScan(ScanResult(), records), ARGV)
    outside = {p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()}
    assert all(path.startswith("deep/b/") for path in outside)
    folder = target / API / "sagemaker" / "DescribeNotebookInstance"
    names = sorted(p.name for p in folder.iterdir())
    assert len(names) == len(HOSTILE), "every notebook gets its own file"
    assert len({n.casefold() for n in names}) == len(names), "distinct on case-insensitive disks"
    assert {"Prod.json", "prod-2.json"} <= set(names)
    for path in target.rglob("*"):
        assert all(ch.isprintable() for ch in path.name)
        assert not path.is_symlink()
    by_request = {
        json.loads(p.read_text(encoding="utf-8"))["request"]["NotebookInstanceName"]
        for p in folder.iterdir()
    }
    assert by_request == set(HOSTILE), "the original name is kept inside the file"
    assert verify_bundle(target).ok


def test_refuses_a_non_empty_directory_that_is_not_a_bundle(tmp_path: Path) -> None:
    target = tmp_path / "home"
    target.mkdir()
    (target / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(UsageError, match="not a cmkguard evidence bundle"):
        write_bundle(target, typical_scan(), ARGV)
    assert _files(target) == {"notes.txt"}
    assert [p.name for p in tmp_path.iterdir()] == ["home"], "no staging left behind"


def test_refuses_a_bundle_with_a_file_someone_added(bundle: Path) -> None:
    (bundle / "api" / "mine.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(UsageError, match="not listed"):
        write_bundle(bundle, typical_scan(), ARGV)
    assert (bundle / "api" / "mine.txt").exists()


def test_refuses_symlinks_and_files(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    link = tmp_path / "link"
    link.symlink_to(real)
    with pytest.raises(UsageError, match="symbolic link"):
        write_bundle(link, typical_scan(), ARGV)
    assert not any(real.iterdir())
    afile = tmp_path / "file"
    afile.write_text("x", encoding="utf-8")
    with pytest.raises(UsageError, match="not a directory"):
        write_bundle(afile, typical_scan(), ARGV)


def test_refuses_a_bundle_holding_a_symlink(bundle: Path, tmp_path: Path) -> None:
    (bundle / "findings.json").unlink()
    (bundle / "findings.json").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(UsageError, match="symlink"):
        write_bundle(bundle, typical_scan(), ARGV)


def test_writes_into_an_empty_directory(tmp_path: Path) -> None:
    target = tmp_path / "empty"
    target.mkdir()
    write_bundle(target, typical_scan(), ARGV)
    assert verify_bundle(target).ok


def test_replaces_a_previous_bundle_whole(bundle: Path) -> None:
    before = bundle_digest(bundle)
    small = FakeScan(ScanResult(), [call("sagemaker", "ListNotebookInstances", {}, {})])
    write_bundle(bundle, small, ARGV)
    assert not (bundle / API / "kms").exists(), "files of the old bundle are gone"
    assert (bundle / API / "sagemaker/ListNotebookInstances/page-0001.json").exists()
    assert verify_bundle(bundle).ok
    assert bundle_digest(bundle) != before
    assert sorted(p.name for p in bundle.parent.iterdir()) == ["evidence"]


def test_identity_calls_made_before_the_account_is_known_are_filed_by_account(
    tmp_path: Path,
) -> None:
    role = "arn:aws:iam::444455556666:role/audit"
    records = [
        call("sts", "GetCallerIdentity", {}, dict(IDENTITY), account="unknown"),
        call("sts", "AssumeRole", {"RoleArn": role}, {}, account="unknown"),
        call("sts", "AssumeRole", {"RoleArn": "not-an-arn"}, None, "Bad", account="unknown"),
    ]
    write_bundle(tmp_path / "b", FakeScan(ScanResult(), records), ARGV)
    assert _files(tmp_path / "b") >= {
        f"api/{ACCOUNT}/global/sts/GetCallerIdentity.json",
        "api/444455556666/global/sts/AssumeRole/arn_aws_iam_444455556666_role_audit~"
        + safe_component(role).split("~")[1]
        + ".json",
        f"api/unknown/global/sts/AssumeRole/{safe_component('not-an-arn')}.json",
    }
    document = _load(tmp_path / "b", f"api/{ACCOUNT}/global/sts/GetCallerIdentity.json")
    assert document["account"] == "unknown", "the record itself is kept as made"


def test_unwritable_parent_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("", encoding="utf-8")
    with pytest.raises(UsageError, match="cannot write evidence"):
        write_bundle(tmp_path / "file" / "b", typical_scan(), ARGV)


def test_refuses_the_current_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    for target in (Path(), tmp_path):
        with pytest.raises(UsageError, match="current directory"):
            write_bundle(target, typical_scan(), ARGV)
    assert here.is_dir()
    assert not any(here.iterdir())


def test_write_bundle_returns_its_digest(tmp_path: Path) -> None:
    digest = write_bundle(tmp_path / "b", typical_scan(), ARGV)
    assert digest == bundle_digest(tmp_path / "b")
    assert verify_bundle(tmp_path / "b", expect_sha256=digest).ok


def test_check_target_refuses_before_anything_is_scanned(tmp_path: Path) -> None:
    """What ``write_bundle`` would refuse, ``check_target`` refuses up front, writing nothing."""
    (tmp_path / "home").mkdir()
    (tmp_path / "home" / "notes.txt").write_text("mine", encoding="utf-8")
    (tmp_path / "file").write_text("", encoding="utf-8")
    (tmp_path / "link").symlink_to(tmp_path / "home")
    for target, problem in [
        (tmp_path / "home", "not a cmkguard evidence bundle"),
        (tmp_path / "file", "not a directory"),
        (tmp_path / "file" / "b", "(?i)not a directory"),
        (tmp_path / "link", "symbolic link"),
    ]:
        with pytest.raises(UsageError, match=problem):
            check_target(target)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file", "home", "link"]
    check_target(tmp_path / "new" / "deeper")  # missing folders are fine: they will be made
    assert not (tmp_path / "new").exists()


def test_windows_device_names_never_become_bundle_file_names(tmp_path: Path) -> None:
    names = ["con", "AUX", "nul", "com1", "lpt9", "prn"]
    records = [
        call("sagemaker", "DescribeNotebookInstance", {"NotebookInstanceName": name}, {})
        for name in names
    ]
    write_bundle(tmp_path / "b", FakeScan(ScanResult(), records), ARGV)
    folder = tmp_path / "b" / API / "sagemaker" / "DescribeNotebookInstance"
    stems = {p.name.split(".")[0].casefold() for p in folder.iterdir()}
    assert len(stems) == len(names)
    assert not stems & {"con", "aux", "nul", "com1", "lpt9", "prn"}
    assert verify_bundle(tmp_path / "b").ok

"""Every spelling of a module call Terraform accepts is seen: a call missed by the cheap text
test would leave its module unread and unreported (a silent gap, so a possible false PASS)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cmkguard.scan import ScanOptions, scan_terraform

SOURCE = "terraform-aws-modules/x/aws"


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("main.tf", b'\xef\xbb\xbfmodule "m" {\n  source = "' + SOURCE.encode() + b'"\n}\n'),
        ("main.tf", b'/**/ module "m" {\n  source = "' + SOURCE.encode() + b'"\n}\n'),
        ("main.tf.json", b'{"modul\\u0065": {"m": {"source": "' + SOURCE.encode() + b'"}}}'),
    ],
    ids=["byte-order-mark", "comment-before-block", "json-escaped-key"],
)
def test_remote_call_is_reported_however_spelled(tmp_path: Path, name: str, data: bytes) -> None:
    (tmp_path / name).write_bytes(data)
    result = scan_terraform(tmp_path, ScanOptions())
    assert [(e.path, e.line) for e in result.errors] == [(name, 1)]
    assert SOURCE in result.errors[0].message

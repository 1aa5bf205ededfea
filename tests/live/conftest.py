"""The live-mode fixtures: one moto server (with the fault proxy) per session, reset per test."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from awsharness import DEFAULT_ACCOUNT, MotoStack

from cmkguard.findings import Finding
from cmkguard.live import LiveOptions, LiveScan, scan_live
from cmkguard.records import ApiRecord


@pytest.fixture(scope="session")
def moto_stack() -> Iterator[MotoStack]:
    """moto in-process on 127.0.0.1 (free port) behind the fault proxy."""
    stack = MotoStack.start()
    yield stack
    stack.stop()


@pytest.fixture
def aws(moto_stack: MotoStack, monkeypatch: pytest.MonkeyPatch) -> Iterator[MotoStack]:
    """A fresh, empty AWS for one test; boto3 in this process points at the proxy with fake
    credentials (never real ones)."""
    moto_stack.reset()
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "MOTO_ACCOUNT_ID"):
        monkeypatch.delenv(name, raising=False)
    for name, value in moto_stack.env().items():
        monkeypatch.setenv(name, value)
    yield moto_stack
    moto_stack.reset()


def scan(**options: Any) -> LiveScan:
    """``scan_live`` with ``LiveOptions(**options)`` against the stack (defaults: us-east-1)."""
    options.setdefault("regions", ("us-east-1",))
    return scan_live(LiveOptions(**options))


def finding(
    result: LiveScan, name: str, region: str = "us-east-1", account: str = DEFAULT_ACCOUNT
) -> Finding:
    """The finding of notebook ``name``."""
    arn = f"arn:aws:sagemaker:{region}:{account}:notebook-instance/{name}"
    matches = [f for f in result.result.findings if f.address == arn]
    assert len(matches) == 1, [f.address for f in result.result.findings]
    return matches[0]


def verdicts(result: LiveScan) -> dict[str, tuple[str, tuple[str, ...]]]:
    """Notebook name -> (status, reasons), for exact comparisons."""
    return {
        f.address.rsplit("/", 1)[-1]: (f.status.value, tuple(r.value for r in f.reasons))
        for f in result.result.findings
    }


def calls(result: LiveScan, operation: str) -> list[ApiRecord]:
    """The records of ``operation``."""
    return [r for r in result.records if r.operation == operation]

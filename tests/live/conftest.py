"""The live-mode fixtures: one moto server (with the fault proxy) per session, reset per test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from awsharness import MotoStack


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

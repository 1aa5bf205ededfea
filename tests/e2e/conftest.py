"""What the end-to-end tests share: the Terraform driver of ``scripts/regen_plan_fixtures.py``
and a moto stack of their own."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from awsharness import MotoStack

ROOT = Path(__file__).parent.parent.parent
REGION = "eu-west-1"
"""The region the end-to-end tests deploy to."""


@pytest.fixture(scope="session")
def regen() -> ModuleType:
    """``scripts/regen_plan_fixtures.py`` as a module: finding Terraform and its provider mirror,
    the moto provider override, running Terraform."""
    spec = importlib.util.spec_from_file_location(
        "regen_plan_fixtures_e2e", ROOT / "scripts" / "regen_plan_fixtures.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    # dataclasses look their module up in sys.modules while the class body runs.
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def stack(monkeypatch: pytest.MonkeyPatch) -> Iterator[MotoStack]:
    """A moto stack of our own; boto3 in this process (a live scan) and Terraform's provider
    point at it."""
    moto = MotoStack.start()
    moto.reset()
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "MOTO_ACCOUNT_ID", "TF_WORKSPACE"):
        monkeypatch.delenv(name, raising=False)
    for name, value in moto.env(REGION).items():
        monkeypatch.setenv(name, value)
    yield moto
    moto.reset()
    moto.stop()

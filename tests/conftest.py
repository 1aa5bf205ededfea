"""Shared pytest helpers. Live-mode fixtures (moto server) live in tests/live/conftest.py."""

from __future__ import annotations

from pathlib import Path

import pytest

TESTS = Path(__file__).parent
CASES = TESTS / "cases"


@pytest.fixture
def case_dir() -> Path:
    """The folder holding the per-behaviour case directories."""
    return CASES

"""Every case directory under tests/cases/, compared with its expected.json in both directions."""

from __future__ import annotations

from pathlib import Path

import pytest
from case_runner import compare

CASES = sorted(
    p for p in (Path(__file__).parent / "cases").iterdir() if (p / "expected.json").exists()
)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case(case: Path) -> None:
    problems = compare(case)
    assert not problems, "\n".join(problems)

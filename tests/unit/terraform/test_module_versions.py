"""Terraform's version constraints for registry modules: which listed version is chosen."""

from __future__ import annotations

import pytest

from cmkguard.sources.terraform.module_download.constraints import (
    newest_matching,
    parse_constraints,
)

LISTED = ["0.9.0", "1.0.0", "1.2.0", "1.2.5", "1.3.0", "2.0.0-rc1", "2.0.0", "2.1.0-beta.2"]


@pytest.mark.parametrize(
    ("constraint", "chosen"),
    [
        (None, "2.0.0"),  # no constraint: the newest release, never a prerelease
        ("1.2.0", "1.2.0"),
        ("= 1.2.5", "1.2.5"),
        ("!= 2.0.0", "1.3.0"),
        ("> 1.2.5", "2.0.0"),
        (">= 1.3", "2.0.0"),
        ("< 1.2.5", "1.2.0"),
        ("<= 1.2.5", "1.2.5"),
        ("~> 1.2", "1.3.0"),  # >= 1.2, < 2.0
        ("~> 1.2.0", "1.2.5"),  # >= 1.2.0, < 1.3.0
        ("~> 1", "1.3.0"),
        ("~> 0.9", "0.9.0"),
        (">= 1.0, < 1.3", "1.2.5"),  # comma means and
        (">= 1.0,!= 1.3.0, < 2.0.0", "1.2.5"),
        ("2.0.0-rc1", "2.0.0-rc1"),  # a prerelease only when named exactly
        ("= 2.1.0-beta.2", "2.1.0-beta.2"),
        (">= 2.0.0-rc1", "2.0.0"),
        ("> 2.0.0", None),  # 2.1.0-beta.2 is newer but not named exactly
        ("~> 3.0", None),
        ("v1.2.0", "1.2.0"),
    ],
)
def test_newest_matching_version(constraint: str | None, chosen: str | None) -> None:
    constraints = parse_constraints(constraint) if constraint is not None else ()
    assert not isinstance(constraints, str)
    assert newest_matching(LISTED, constraints) == chosen


def test_prerelease_order_follows_semver() -> None:
    listed = ["1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1"]
    constraints = parse_constraints(">= 1.0.0-alpha, = 1.0.0-beta.11")
    assert not isinstance(constraints, str)
    assert newest_matching(listed, constraints) == "1.0.0-beta.11"


@pytest.mark.parametrize("text", ["", "~>", ">= one", "1.2.3.4", "=> 1.0", ">= 1.0,"])
def test_invalid_constraints_are_named(text: str) -> None:
    assert parse_constraints(text) == f"invalid version constraint {text!r}"

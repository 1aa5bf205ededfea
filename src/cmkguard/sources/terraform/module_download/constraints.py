"""Terraform's module version constraints (``version = "~> 1.2"``): parsing them and picking the
newest version a registry lists that satisfies them.

The syntax is Terraform's (https://developer.hashicorp.com/terraform/language/expressions/version-constraints):
comma-separated constraints that must all hold, each an operator (``=``, ``!=``, ``>``, ``>=``,
``<``, ``<=``, ``~>``; none means ``=``) and a version of one to three numbers with an optional
``-prerelease``. ``~> 1.2`` allows ``>= 1.2, < 2.0``; ``~> 1.2.3`` allows ``>= 1.2.3, < 1.3``.
A prerelease (``2.0.0-rc1``) is chosen only when a constraint names exactly it, as Terraform's
module installer does; build metadata (``+build``) does not take part in comparisons.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

_VERSION = re.compile(
    r"v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z.-]+)?"
)
_CONSTRAINT = re.compile(r"\s*(~>|>=|<=|!=|=|>|<)?\s*(\S+)\s*")


@dataclass(frozen=True, slots=True)
class Version:
    """A semantic version as Terraform reads one."""

    numbers: tuple[int, int, int]
    """Major, minor and patch (missing ones are 0)."""
    prerelease: tuple[str, ...]
    """The dot-separated prerelease identifiers; empty for a release."""
    given: int
    """How many numbers were written (``~>`` depends on it)."""

    def order(self) -> tuple[tuple[int, int, int], int, tuple[tuple[int, int, str], ...]]:
        """The semantic-versioning precedence: a prerelease sorts before its release, numeric
        identifiers before alphanumeric ones."""
        parts = tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in self.prerelease)
        return self.numbers, 0 if self.prerelease else 1, parts

    def __str__(self) -> str:
        text = ".".join(str(n) for n in self.numbers)
        return f"{text}-{'.'.join(self.prerelease)}" if self.prerelease else text


def parse_version(text: str) -> Version | None:
    """The version ``text`` names, or ``None`` when it is not one."""
    match = _VERSION.fullmatch(text.strip())
    if match is None:
        return None
    major, minor, patch, pre = match.groups()
    given = 1 + (minor is not None) + (patch is not None)
    numbers = (int(major), int(minor or 0), int(patch or 0))
    return Version(numbers, tuple(pre.split(".")) if pre else (), given)


@dataclass(frozen=True, slots=True)
class Constraint:
    """One operator and version of a constraint string."""

    operator: str
    version: Version

    def allows(self, candidate: Version) -> bool:
        """True when ``candidate`` satisfies this constraint."""
        have, want = candidate.order(), self.version.order()
        if self.operator == "=":
            return have == want
        if self.operator == "!=":
            return have != want
        if self.operator == ">":
            return have > want
        if self.operator == ">=":
            return have >= want
        if self.operator == "<":
            return have < want
        if self.operator == "<=":
            return have <= want
        return have >= want and candidate.numbers < _pessimistic_limit(self.version)


def _pessimistic_limit(version: Version) -> tuple[int, int, int]:
    """The first version ``~> version`` excludes: the last written number may grow, the one
    before it may not (``~> 1`` and ``~> 1.2`` stop at 2.0.0, ``~> 1.2.3`` at 1.3.0)."""
    major, minor, _ = version.numbers
    if version.given == 3:
        return (major, minor + 1, 0)
    return (major + 1, 0, 0)


def parse_constraints(text: str) -> tuple[Constraint, ...] | str:
    """The constraints of a ``version`` argument, or a sentence saying what is wrong."""
    found: list[Constraint] = []
    for part in text.split(","):
        match = _CONSTRAINT.fullmatch(part)
        version = parse_version(match.group(2)) if match is not None else None
        if match is None or version is None:
            return f"invalid version constraint {text!r}"
        found.append(Constraint(match.group(1) or "=", version))
    return tuple(found)


def newest_matching(available: Iterable[str], constraints: tuple[Constraint, ...]) -> str | None:
    """The newest of ``available`` (version strings, as the registry lists them) that every
    constraint allows, or ``None``. A prerelease is a candidate only when an ``=`` constraint
    names exactly it."""
    exact = {c.version.order() for c in constraints if c.operator == "="}
    best: tuple[Version, str] | None = None
    for text in available:
        version = parse_version(text)
        if version is None or (version.prerelease and version.order() not in exact):
            continue
        if all(c.allows(version) for c in constraints) and (
            best is None or version.order() > best[0].order()
        ):
            best = (version, text)
    return None if best is None else best[1]

"""Terraform variable values given on the command line, in the order given, and the request to
fetch remote module sources (``--download-modules``).

A bottom-layer model: the CLI builds these and the Terraform source applies them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, slots=True)
class VarFile:
    """``--var-file FILE``."""

    path: Path
    """The variables file (``.tfvars`` or ``.tfvars.json``)."""
    json_content: bytes | None = None
    """A ``.tfvars.json`` document held in memory instead of read from ``path``: the values of
    a plan's ``variables``, given to the source tree the plan was made from (``path`` is then
    the plan, named in the evidence)."""


@dataclass(frozen=True, slots=True)
class VarArg:
    """``--var NAME=VALUE``."""

    name: str
    """The root variable's name."""
    raw: str
    """The value as written: a string, or an HCL expression for complex types."""


@dataclass(frozen=True, slots=True)
class ModuleDownloads:
    """``--download-modules``: fetch remote module sources that ``terraform init`` has not."""

    cache: Path
    """``--module-cache``: where fetched packages are kept, one directory each."""
    registries: Mapping[str, str] = field(default_factory=dict)
    """``--registry-url HOST=URL``: registry hosts reached at another base URL than
    ``https://HOST`` (a mirror, or a test server over http)."""

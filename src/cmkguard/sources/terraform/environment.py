"""What a Terraform run takes from its surroundings besides variables: the workspace
(``terraform.workspace``), the AWS provider's default region, and whether remote modules are
fetched.

Terraform picks the workspace from ``TF_WORKSPACE``, else the root module's
``.terraform/environment`` (written by ``terraform workspace select``); a scan adds
``--workspace`` below both, then ``"default"`` (``shared/control.md``, "Workspace"). The AWS
provider takes a configuration without ``region`` from ``AWS_REGION``, else
``AWS_DEFAULT_REGION``; a scan's ``--region`` is said explicitly and wins over both.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeGuard

from cmkguard.deadline import Deadline
from cmkguard.sources.interface import REGION_VARIABLES, given_region
from cmkguard.tfinputs import ModuleDownloads
from cmkguard.values import Known, Step

WORKSPACE_FILE = Path(".terraform") / "environment"
DEFAULT_WORKSPACE = "default"
ENVIRONMENT_NAMES = ("TF_WORKSPACE", *REGION_VARIABLES)
"""The environment variables a static scan reads besides ``TF_VAR_name``."""

# Terraform refuses workspace names with path separators or other URL-unsafe characters; a file
# that holds anything else (or is huge) is not a workspace selection and is ignored.
_MAX_NAME = 90
_UNSAFE = frozenset("/\\%?#&=\"'<>` \t\r\n")


@dataclass(frozen=True, slots=True)
class TerraformEnvironment:
    """The workspace and default region a run gives every root module."""

    env: Mapping[str, str] = field(default_factory=dict)
    """The process environment (only ``ENVIRONMENT_NAMES`` are read here)."""
    workspace: str | None = None
    """``--workspace``: used when neither ``TF_WORKSPACE`` nor ``.terraform/environment`` is."""
    region: str | None = None
    """``--region``: the region of provider configurations that set none."""
    deadline: Deadline = field(default_factory=Deadline)
    """The scan's ``--timeout``: evaluation stops, leaving values unknown, once it passes."""
    modules: ModuleDownloads | None = None
    """``--download-modules``: fetch remote modules ``terraform init`` has not (else ``None``)."""

    def workspace_of(self, root: Path) -> Known[str]:
        """``terraform.workspace`` in the root module at ``root``, with where it came from."""
        name = self.env.get("TF_WORKSPACE")
        if _valid(name):
            return _workspace(name, "TF_WORKSPACE")
        name = _read_selection(root / WORKSPACE_FILE)
        if _valid(name):
            return _workspace(name, WORKSPACE_FILE.as_posix())
        if _valid(self.workspace):
            return _workspace(self.workspace, "--workspace")
        return _workspace(DEFAULT_WORKSPACE, "no TF_WORKSPACE, .terraform/environment, --workspace")

    def default_region(self) -> Known[str] | None:
        """The region of a provider configuration without ``region``, or ``None`` when the run
        gives none (then that region is unknown)."""
        found = given_region(self.env, self.region)
        return None if found is None else _region(*found)


def _workspace(name: str, origin: str) -> Known[str]:
    return Known(name, (Step(f'terraform.workspace = "{name}" ({origin})'),))


def _region(name: str, origin: str) -> Known[str]:
    return Known(name, (Step(f'provider region "{name}" ({origin})'),))


def _valid(name: str | None) -> TypeGuard[str]:
    return name is not None and 0 < len(name) <= _MAX_NAME and not _UNSAFE.intersection(name)


def _read_selection(path: Path) -> str | None:
    # Only a regular file inside the tree: a link could point anywhere, and a FIFO would block.
    if path.is_symlink() or not path.is_file():
        return None
    try:
        with path.open("rb") as handle:
            head = handle.read(_MAX_NAME + 2)
    except OSError:
        return None
    try:
        return head.decode("utf-8").strip()
    except UnicodeDecodeError:
        return None

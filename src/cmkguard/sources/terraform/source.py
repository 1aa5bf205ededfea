"""The Terraform source: ``load_terraform`` behind the ``Source`` face."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from cmkguard.inventory import InputKind
from cmkguard.sources.interface import FileRequest, Loaded
from cmkguard.sources.terraform.config import SUFFIXES
from cmkguard.sources.terraform.loader import TerraformEnvironment, VariableInputs, load_terraform


def is_terraform_source(path: Path, head: bytes) -> bool:
    """Whether ``path`` is a source tree (any directory) or a ``.tf``/``.tf.json`` file (or
    OpenTofu's ``.tofu``/``.tofu.json``)."""
    return path.is_dir() or (path.is_file() and path.name.endswith(SUFFIXES))


@dataclass(frozen=True, slots=True)
class TerraformSource:
    """One Terraform source tree (a directory) or one ``.tf``/``.tf.json`` file."""

    path: Path
    """The directory or file."""
    request: FileRequest = field(default_factory=FileRequest)
    """The root variable values (``command_line``, ``env``), the workspace and the region."""
    overlay: Mapping[Path, bytes] = field(default_factory=dict)
    """Files (absolute paths) read from here instead of the disk: ``cmkguard fix`` re-scans
    its proposed edits in memory."""

    def load(self) -> Loaded:
        """The notebooks of every root module under ``path`` (or the file's)."""
        inputs = VariableInputs(self.request.command_line, dict(self.request.env))
        environment = TerraformEnvironment(
            self.request.env,
            self.request.workspace,
            self.request.region,
            self.request.deadline,
            self.request.modules,
        )
        inventory, errors, notices = load_terraform([self.path], inputs, environment, self.overlay)
        root = self.path if self.path.is_dir() else self.path.parent
        return Loaded(
            inventory, InputKind.TERRAFORM, tuple(errors), (str(self.path),), root, notices
        )

"""The CloudFormation source: ``load_cloudformation`` behind the ``Source`` face."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from cmkguard.inventory import InputKind
from cmkguard.sources.cloudformation.loader import load_cloudformation
from cmkguard.sources.cloudformation.template import TEMPLATE_SUFFIXES
from cmkguard.sources.interface import FileRequest, Loaded

# A template names its format version, or its resources, near the start; a plan does neither.
_HEAD_MARKS = (b"AWSTemplateFormatVersion", b"Resources", b"AWS::")


def is_cloudformation(path: Path, head: bytes) -> bool:
    """Whether ``path`` is a tree to search for templates (any directory) or a file that starts
    like a CloudFormation template (the loader parses it and says what is wrong)."""
    if path.is_dir():
        return True
    if not path.is_file() or not path.name.endswith(TEMPLATE_SUFFIXES):
        return False
    return any(mark in head for mark in _HEAD_MARKS)


@dataclass(frozen=True, slots=True)
class CloudFormationSource:
    """The templates of a tree (a directory) or one template file."""

    path: Path
    """The directory or file."""
    request: FileRequest = field(default_factory=FileRequest)
    """``parameters`` (``--parameter``, ``--parameters-file``), ``region`` (``--region``) and
    ``env`` (``AWS_REGION``)."""

    def load(self) -> Loaded:
        """The notebooks of every stack under ``path`` (or of the file)."""
        inventory, errors = load_cloudformation(
            [self.path], self.request.parameters, self.request.env, self.request.region
        )
        root = self.path if self.path.is_dir() else self.path.parent
        return Loaded(inventory, InputKind.CLOUDFORMATION, tuple(errors), (str(self.path),), root)

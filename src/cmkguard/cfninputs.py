"""CloudFormation parameter values given on the command line, in the order given.

A bottom-layer model, like ``tfinputs``: the CLI builds these and the CloudFormation source
applies them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class ParameterArg:
    """``--parameter NAME=VALUE``."""

    name: str
    """The parameter's logical name."""
    value: str
    """The value as a string, as CloudFormation receives it."""


@dataclass(frozen=True, slots=True)
class ParametersFile:
    """``--parameters-file FILE``."""

    path: Path
    """An AWS CLI parameters JSON file or a CodePipeline template configuration file."""


StackInput = ParameterArg | ParametersFile
"""One command-line source of parameter values; later ones win."""

"""What every source takes and gives: the face Terraform source, plans/state and live AWS share.

A source is made with everything it needs and ``load``-ed once. It never raises on bad input
and never decides a verdict: it returns a ``Loaded`` inventory with the input errors it met,
and the judge takes it from there (pip-audit's ``interface.py`` beside its implementations).

File inputs are routed by content in one place, ``sources.registry``: each ``FileSource`` there
says cheaply whether it recognises a path (and the file's first bytes) and opens a ``Source``
for it. Adding an input format is one module implementing ``Source`` and one registry entry.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from cmkguard.cfninputs import StackInput
from cmkguard.deadline import Deadline
from cmkguard.errors import InputError
from cmkguard.inventory import InputKind, Inventory
from cmkguard.tfinputs import ModuleDownloads, VarArg, VarFile


@dataclass(frozen=True, slots=True)
class Loaded:
    """What one source found in one input."""

    inventory: Inventory
    """The notebooks (and the keys they point at) the input describes."""
    kind: InputKind
    """Which kind of input it was (a plan and a state differ only here)."""
    errors: tuple[InputError, ...] = ()
    """Every problem met while reading it; the rest of the input is still in ``inventory``."""
    inputs: tuple[str, ...] = ()
    """What was scanned (paths, or ``aws:ACCOUNT:REGION``), for reports and evidence."""
    root: Path | None = None
    """The directory the findings' file paths are relative to, where suppression comments are
    read (a scanned tree, or a scanned file's directory); ``None`` for inputs whose locations
    are not files of one tree (plans, live)."""
    notices: tuple[str, ...] = ()
    """Warnings for standard error that change no verdict and no exit status (a ``--var`` no
    root module declares)."""


class Source(Protocol):
    """One input, ready to load."""

    def load(self) -> Loaded:
        """Read the input into an inventory. Never raises on bad input: problems are
        ``Loaded.errors``."""
        ...


@dataclass(frozen=True, slots=True)
class FileRequest:
    """What a file source is given besides its path."""

    command_line: tuple[VarFile | VarArg, ...] = ()
    """``--var-file`` and ``--var`` in the order given (a later one wins, as in Terraform)."""
    env: Mapping[str, str] = field(default_factory=dict)
    """The environment, for ``TF_VAR_name``, ``TF_WORKSPACE``, ``AWS_REGION`` and
    ``AWS_DEFAULT_REGION``."""
    parameters: tuple[StackInput, ...] = ()
    """``--parameters-file`` and ``--parameter`` in the order given (a later one wins)."""
    workspace: str | None = None
    """``--workspace``: the Terraform workspace when the environment selects none."""
    region: str | None = None
    """``--region``: the region of provider configurations (and stacks) that set none."""
    modules: ModuleDownloads | None = None
    """``--download-modules``: fetch remote Terraform modules ``terraform init`` has not."""
    earlier: tuple[Loaded, ...] = ()
    """What the sources before this one loaded in the same run (registry order): a plan
    scanned with its source tree points at the source and reads policies from it."""
    deadline: Deadline = field(default_factory=Deadline)
    """The scan's ``--timeout``: inputs not started by then are not read, and Terraform
    evaluation stops when it passes."""


@dataclass(frozen=True, slots=True)
class FileSource:
    """A kind of file input: an entry of ``sources.registry.FILE_SOURCES``."""

    name: str
    """Short name for people (``terraform``, ``plan``)."""
    recognises: Callable[[Path, bytes], bool]
    """Whether an existing path is this kind of input, given its first ``HEAD_BYTES`` (empty
    for a directory). Cheap: never parses the whole file."""
    open: Callable[[Path, FileRequest], Source]
    """The source that loads a recognised path."""


HEAD_BYTES = 4096
"""How much of a file the router reads for ``FileSource.recognises``."""


REGION_VARIABLES = ("AWS_REGION", "AWS_DEFAULT_REGION")
"""Where the AWS provider, CLI and SAM take the region from when nothing else names it."""


def given_region(env: Mapping[str, str], flag: str | None) -> tuple[str, str] | None:
    """The region the run gives inputs that name none, and where it came from: ``--region``
    (``flag``), else ``AWS_REGION``, else ``AWS_DEFAULT_REGION``; ``None`` when none is set."""
    if flag:
        return flag, "--region"
    for name in REGION_VARIABLES:
        value = env.get(name)
        if value:
            return value, name
    return None

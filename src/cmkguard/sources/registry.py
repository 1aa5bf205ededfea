"""The one place file inputs are routed: every kind of file cmkguard reads, in load order.

Routing is by content, not by the name alone: each source's ``recognises`` looks at the path
and the file's first bytes. A path nothing recognises is an input error, never a guess.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from cmkguard.errors import InputError
from cmkguard.inventory import InputKind
from cmkguard.sources.cloudformation.source import CloudFormationSource, is_cloudformation
from cmkguard.sources.inputs import read_head
from cmkguard.sources.interface import HEAD_BYTES, FileRequest, FileSource, Loaded
from cmkguard.sources.plan.source import PlanSource, is_plan
from cmkguard.sources.plan_with_tree import settle_with_trees
from cmkguard.sources.terraform.source import TerraformSource, is_terraform_source

FILE_SOURCES: tuple[FileSource, ...] = (
    # Terraform source first: a plan scanned with its tree points at the source file:line and
    # reads the key policies the plan knows only after apply from it (``FileRequest.earlier``).
    FileSource("terraform", is_terraform_source, TerraformSource),
    FileSource("plan", is_plan, PlanSource),
    FileSource("cloudformation", is_cloudformation, CloudFormationSource),
)
"""Every kind of file input. The first that recognises a file gets it; a directory goes to every
source that recognises it (a repository holds Terraform and CloudFormation side by side).
Sources load in this order, each seeing what the ones before it loaded."""

UNRECOGNISED = (
    "neither Terraform source (a directory, .tf or .tf.json), a Terraform plan/state JSON "
    "(terraform show -json output) nor a CloudFormation template"
)


def route(path: Path) -> tuple[FileSource, ...] | InputError:
    """The sources that take ``path`` (a file: the first that recognises it; a directory: all
    that do), or the input error saying why none does."""
    display = str(path)
    if not path.exists():
        return InputError(display, None, "no such file or directory")
    head = b""
    if not path.is_dir():
        read = read_head(path, display, HEAD_BYTES)
        if isinstance(read, InputError):
            return read
        head = read
    takers = tuple(source for source in FILE_SOURCES if source.recognises(path, head))
    if not takers:
        return InputError(display, None, UNRECOGNISED)
    return takers if path.is_dir() else takers[:1]


def load_files(
    paths: Sequence[Path], request: FileRequest
) -> tuple[tuple[Loaded, ...], tuple[InputError, ...]]:
    """Load every path with the source that recognises it, in ``FILE_SOURCES`` order (paths of
    one source in the order given). Also returns the paths no source took, and those not
    started before the request's deadline."""
    routed: list[tuple[FileSource, Path]] = []
    unrouted: list[InputError] = []
    for path in paths:
        found = route(path)
        if isinstance(found, InputError):
            unrouted.append(found)
        else:
            routed.extend((source, path) for source in found)
    loaded: list[Loaded] = []
    for source in FILE_SOURCES:
        for taker, path in routed:
            if taker is not source:
                continue
            if request.deadline.passed():
                # Never silence: the path is named, and the error makes the scan exit 2.
                reason = request.deadline.reason
                unrouted.append(InputError(str(path), None, f"not scanned: {reason}"))
                continue
            opened = source.open(path, replace(request, earlier=tuple(loaded)))
            loaded.append(opened.load())
    # A plan scanned with its source tree: the tree, evaluated with the plan's variables,
    # settles what the plan leaves unknown (sources/plan_with_tree.py says how they match).
    trees = [each for each in loaded if each.kind is InputKind.TERRAFORM]
    if trees:
        loaded = [settle_with_trees(each, trees, request) for each in loaded]
    return tuple(loaded), tuple(unrouted)

"""Finding templates in a tree: by content, with CDK's ``manifest.json`` for stack names.

Hidden directories (``.aws-sam`` build copies, ``.git``) and ``node_modules`` are skipped; any
``.yaml``/``.yml``/``.json``/``.template`` file whose content is a CloudFormation template is
one, whatever its name (``.tf.json`` is Terraform's).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from cmkguard.errors import InputError
from cmkguard.sources.cloudformation.template import (
    TEMPLATE_SUFFIXES,
    Template,
    may_be_template,
    parse_template,
)
from cmkguard.sources.inputs import read_bytes

MAX_TEMPLATE_BYTES = 16 * 2**20
"""CloudFormation accepts templates up to 1 MB (S3); larger files are not templates."""
_SKIPPED_DIRS = frozenset({"node_modules"})
_NOT_TEMPLATES = (".tf.json", ".tofu.json", ".tfvars.json")


@dataclass(frozen=True, slots=True)
class CdkStack:
    """What a CDK cloud assembly's ``manifest.json`` says about one stack template."""

    name: str
    """The stack name (``properties.stackName``, else the artifact ID)."""
    account: str | None
    """The environment's account, when the app fixes one."""
    region: str | None
    """The environment's region, when the app fixes one."""


def template_files(root: Path) -> list[Path]:
    """Candidate template files under ``root``, sorted."""
    found: list[Path] = []
    # An explicit stack, not os.walk: os.walk recurses, and a tree 1,100 levels deep (the
    # scanned repository's choice) would exhaust Python's recursion limit.
    stack = [root]
    while stack:
        directory = stack.pop()
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError:
            continue
        dirs: list[Path] = []
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                if not entry.name.startswith(".") and entry.name not in _SKIPPED_DIRS:
                    dirs.append(Path(entry.path))
            elif (
                entry.name.endswith(TEMPLATE_SUFFIXES)
                and not entry.name.endswith(_NOT_TEMPLATES)
                and entry.is_file()  # never a FIFO or device: opening one may never return
            ):
                found.append(Path(entry.path))
        stack.extend(reversed(dirs))
    return sorted(found)


def read_template(path: Path, display: str) -> Template | InputError | None:
    """The template a file holds, ``None`` when it holds none, or why it could not be read."""
    try:
        if path.stat().st_size > MAX_TEMPLATE_BYTES:
            return None
    except OSError as exc:
        return InputError(display, None, f"cannot read: {exc.strerror or exc}")
    data = read_bytes(path, display, MAX_TEMPLATE_BYTES)
    if isinstance(data, InputError):
        return data
    if not may_be_template(data):
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return InputError(display, None, "not UTF-8 text")
    return parse_template(text, display)


def cdk_stacks(directory: Path) -> dict[str, CdkStack]:
    """Template file name -> stack, from a cloud assembly's ``manifest.json`` (empty when the
    directory has none or it cannot be read: the templates are still scanned)."""
    manifest = directory / "manifest.json"
    # A regular file only (a FIFO would block the scan), read within the JSON size limit.
    data = read_bytes(manifest, str(manifest)) if manifest.is_file() else None
    if not isinstance(data, bytes):
        return {}
    try:
        document = json.loads(data)
    except (ValueError, RecursionError):
        return {}
    artifacts = document.get("artifacts") if isinstance(document, dict) else None
    if not isinstance(artifacts, dict):
        return {}
    stacks: dict[str, CdkStack] = {}
    for artifact_id, artifact in artifacts.items():
        if not isinstance(artifact, dict) or artifact.get("type") != "aws:cloudformation:stack":
            continue
        properties = artifact.get("properties")
        properties = properties if isinstance(properties, dict) else {}
        template_file = properties.get("templateFile")
        if not isinstance(template_file, str):
            continue
        name = properties.get("stackName")
        account, region = _environment(artifact.get("environment"))
        stacks[template_file] = CdkStack(
            name if isinstance(name, str) else artifact_id, account, region
        )
    return stacks


def _environment(text: object) -> tuple[str | None, str | None]:
    """``aws://ACCOUNT/REGION``; CDK writes ``unknown-account``/``unknown-region`` for
    environment-agnostic stacks."""
    if not isinstance(text, str) or not text.startswith("aws://"):
        return None, None
    account, _, region = text.removeprefix("aws://").partition("/")
    return (
        account if account.isdigit() and len(account) == 12 else None,
        region if region and not region.startswith("unknown") else None,
    )

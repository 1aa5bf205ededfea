"""``--create-key``: one new customer managed key per directory and provider, shared by the
failing notebooks declared there, in a new file beside them.

The key is symmetric (the default spec) with rotation on, and its policy (``jsonencode``) keeps
the account's IAM delegation (as the AWS default policy does) and lets the notebooks' roles and
SageMaker use it: ``kms:CreateGrant`` only for AWS resources (``kms:GrantIsForAWSResource``),
``kms:Decrypt``, ``kms:GenerateDataKey*`` and ``kms:DescribeKey``. An ``aws_kms_alias`` with a
``name_prefix`` names it (a fixed alias name would clash between module instances). Key, alias
and the two data sources take the notebooks' ``provider`` (and AWS provider v6 ``region``), so the
key lives in the notebooks' region.
"""

from __future__ import annotations

import os
import posixpath
import re
from dataclasses import dataclass, replace

from cmkguard.fix.context import KEY_REPLACING, Advice, FixContext
from cmkguard.fix.edits import TextEdit
from cmkguard.fix.grant_statements import names_one_role
from cmkguard.fix.key_target import target_block
from cmkguard.sources.terraform.positions import BlockSpan
from cmkguard.subject import ROLE_ARGUMENT

__all__ = ["FILE_NAME", "planned"]

FILE_NAME = "notebook_kms.tf"
"""The new file's name (``notebook_kms_2.tf`` ... when taken)."""

_STATE = "new_key"


@dataclass(frozen=True, slots=True)
class _Group:
    """The notebooks of one directory that share a provider (and resource-level region)."""

    provider: str | None
    region: str | None


@dataclass(slots=True)
class _Planned:
    """The keys planned for one directory: their file and each group's key name."""

    edits: tuple[TextEdit, ...]
    names: dict[_Group, str]


def planned(context: FixContext) -> tuple[str, tuple[TextEdit, ...]] | Advice:
    """The new key's ARN expression for the context's notebook and the edit creating the file
    that declares it (identical for every notebook of the directory)."""
    block = target_block(context)
    if isinstance(block, Advice):
        return block
    directory = posixpath.dirname(context.file) or "."
    plans: dict[str, _Planned] = context.shared.setdefault(_STATE, {})  # type: ignore[assignment]  # scratch space is untyped by design
    plan = plans.get(directory)
    if plan is None:
        plan = plans[directory] = _plan(context, directory)
    name = plan.names.get(_group(block))
    if name is None:
        return Advice(f"{context.label()}: no key planned for its provider")
    return f"aws_kms_key.{name}.arn", plan.edits


def _group(block: BlockSpan) -> _Group:
    provider = block.attribute("provider")
    region = block.attribute("region")
    return _Group(
        provider.value if provider is not None else None,
        region.value if region is not None else None,
    )


def _plan(context: FixContext, directory: str) -> _Planned:
    """Every key the directory's failing notebooks need, in one new file."""
    roles: dict[_Group, set[str]] = {}
    for finding in context.result.findings:
        if finding.file is None or (posixpath.dirname(finding.file) or ".") != directory:
            continue
        if not finding.live or not KEY_REPLACING.intersection(finding.reasons):
            continue
        # Only notebooks whose own block takes the key: no key for a shared module.
        block = target_block(replace(context, finding=finding))
        if isinstance(block, Advice):
            continue
        found = roles.setdefault(_group(block), set())
        role = block.attribute(ROLE_ARGUMENT)
        if role is not None and names_one_role(role.value):
            found.add(role.value)
    declared = _declared(context, directory)
    names: dict[_Group, str] = {}
    pieces = [_HEADER]
    for group in sorted(roles, key=lambda g: (g.provider or "", g.region or "")):
        suffix = _suffix(group)
        name = _free(f"notebooks{suffix}", declared.taken["aws_kms_key"])
        declared.taken["aws_kms_key"].add(name)
        names[group] = name
        data: dict[str, str] = {}
        for kind in _DATA_SOURCES:
            existing = declared.existing.get((kind, group.provider))
            if existing is None:
                existing = _free(
                    f"notebook_kms{_suffix(_Group(group.provider, None))}", declared.taken[kind]
                )
                declared.taken[kind].add(existing)
                # Account and partition do not depend on the region: one per provider.
                declared.existing[(kind, group.provider)] = existing
                pieces.append(_data_text(kind, existing, group))
            data[kind] = existing
        pieces.append(_key_text(name, group, sorted(roles[group]), data))
    file = _free_file(context, directory)
    context.files.new_file(file)
    text = "\n".join(pieces)
    return _Planned((TextEdit(context.files.path(file), 0, 0, text),), names)


def _suffix(group: _Group) -> str:
    """``_west`` for ``provider = aws.west``, ``_us_west_2`` for ``region = "us-west-2"``."""
    parts = []
    if group.provider is not None:
        parts.append(group.provider.rsplit(".", 1)[-1])
    if group.region is not None:
        parts.append(group.region.strip('"') if _LITERAL.fullmatch(group.region) else "region")
    return "".join("_" + re.sub(r"[^A-Za-z0-9_]", "_", part) for part in parts)


_LITERAL = re.compile(r'"[a-z0-9-]+"')


_DATA_SOURCES = ("aws_caller_identity", "aws_partition")
"""What the policy names the deploying account and partition with (symbols no scanned text can
forge, ``shared/control.md``)."""


@dataclass(frozen=True, slots=True)
class _Declared:
    """What the directory already declares."""

    taken: dict[str, set[str]]
    """Resource or data source type → names in use (a new block must not take one)."""
    existing: dict[tuple[str, str | None], str]
    """(data source type, provider) → the name of one to reuse."""


def _declared(context: FixContext, directory: str) -> _Declared:
    taken: dict[str, set[str]] = {t: set() for t in ("aws_kms_key", *_DATA_SOURCES)}
    existing: dict[tuple[str, str | None], str] = {}
    for path in sorted(context.files.path(directory).glob("*.tf")):
        layout = context.files.layout(context.files.rel(path))
        for block in layout.blocks if layout is not None else ():
            if block.type not in ("resource", "data") or len(block.labels) != 2:
                continue
            kind, name = block.labels
            if kind in ("aws_kms_key", "aws_kms_alias"):
                # One name for both: the alias is named like its key.
                taken["aws_kms_key"].add(name)
            elif block.type == "data" and kind in _DATA_SOURCES:
                taken[kind].add(name)
                provider = block.attribute("provider")
                existing.setdefault((kind, provider.value if provider else None), name)
    return _Declared(taken, existing)


def _free(base: str, taken: set[str]) -> str:
    name, number = base, 1
    while name in taken:
        number += 1
        name = f"{base}_{number}"
    return name


def _free_file(context: FixContext, directory: str) -> str:
    stem, number = FILE_NAME.removesuffix(".tf"), 1
    while True:
        name = FILE_NAME if number == 1 else f"{stem}_{number}.tf"
        rel = name if directory == "." else f"{directory}/{name}"
        if not os.path.lexists(context.files.path(rel)):
            return rel
        number += 1


_HEADER = (
    "# Customer managed KMS keys for the SageMaker notebook instances in this directory, added\n"
    "# by `cmkguard fix --create-key`: symmetric, rotated yearly, and a key policy that keeps\n"
    "# the account's IAM delegation and lets the notebooks' role and SageMaker use the key.\n"
)


def _aligned(indent: str, pairs: list[tuple[str, str]]) -> str:
    """``name = value`` lines with the ``=`` aligned, as ``terraform fmt`` writes them."""
    width = max(len(name) for name, _ in pairs)
    return "".join(f"{indent}{name.ljust(width)} = {value}\n" for name, value in pairs)


def _data_text(kind: str, name: str, group: _Group) -> str:
    if group.provider is None:
        return f'data "{kind}" "{name}" {{}}\n'
    return f'data "{kind}" "{name}" {{\n  provider = {group.provider}\n}}\n'


def _key_text(name: str, group: _Group, roles: list[str], data: dict[str, str]) -> str:
    """The key and its alias."""
    placement = [("provider", group.provider), ("region", group.region)]
    where = [(n, v) for n, v in placement if v is not None]
    account = (
        f'"arn:${{data.aws_partition.{data["aws_partition"]}.partition}}:iam::'
        f'${{data.aws_caller_identity.{data["aws_caller_identity"]}.account_id}}:root"'
    )
    users = (
        f"{{ AWS = [{', '.join(roles)}], Service = {_SAGEMAKER} }}"
        if roles
        else (f"{{ Service = {_SAGEMAKER} }}")
    )
    statements = [
        [
            ("Sid", '"AccountIAMDelegation"'),
            ("Effect", '"Allow"'),
            ("Principal", f"{{ AWS = {account} }}"),
            ("Action", '"kms:*"'),
            ("Resource", '"*"'),
        ],
        [
            ("Sid", '"NotebookGrants"'),
            ("Effect", '"Allow"'),
            ("Principal", users),
            ("Action", '"kms:CreateGrant"'),
            ("Resource", '"*"'),
            ("Condition", '{ Bool = { "kms:GrantIsForAWSResource" = "true" } }'),
        ],
        [
            ("Sid", '"NotebookUse"'),
            ("Effect", '"Allow"'),
            ("Principal", users),
            ("Action", '["kms:Decrypt", "kms:GenerateDataKey*", "kms:DescribeKey"]'),
            ("Resource", '"*"'),
        ],
    ]
    body = "".join(f"      {{\n{_aligned(' ' * 8, s)}      }},\n" for s in statements)
    key = (
        f'resource "aws_kms_key" "{name}" {{\n'
        + _aligned(
            "  ",
            [
                *where,
                ("description", '"SageMaker notebook instances"'),
                ("enable_key_rotation", "true"),
            ],
        )
        + "  policy = jsonencode({\n"
        + '    Version = "2012-10-17"\n'
        + "    Statement = [\n"
        + body
        + "    ]\n  })\n}\n"
    )
    alias = (
        f'resource "aws_kms_alias" "{name}" {{\n'
        + _aligned(
            "  ",
            [
                *where,
                ("name_prefix", '"alias/sagemaker-notebooks-"'),
                ("target_key_id", f"aws_kms_key.{name}.key_id"),
            ],
        )
        + "}\n"
    )
    return key + "\n" + alias


_SAGEMAKER = '"sagemaker.amazonaws.com"'

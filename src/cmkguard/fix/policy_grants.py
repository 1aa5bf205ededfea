"""``key-policy-missing-grants``: add the statements that give the notebook's principal the
actions the finding says are missing, where the key policy is written.

- an inline ``jsonencode({... Statement = [...] ...})`` on ``aws_kms_key.policy`` or
  ``aws_kms_key_policy.policy``: new objects at the end of the ``Statement`` list;
- ``policy = data.aws_iam_policy_document.NAME.json``: new ``statement`` blocks at the end of
  that data block;
- anything else (heredoc JSON, ``file()``, ``templatefile()``, a variable, a local, JSON syntax):
  advice naming the file and line and giving the statements as JSON.

The principal is the notebook's role when its ``role_arn`` expression means the same where the
policy is written (the same module, or a literal ARN); otherwise the SageMaker service. Nothing
else in the file changes. Whether the statements are enough (an explicit Deny still wins) is
decided by the re-scan every proposal goes through: a proposal that leaves the notebook failing
is not offered, and the re-scan's finding says which statement denies.
"""

from __future__ import annotations

import contextlib
import itertools
import posixpath
import re
from dataclasses import dataclass, replace
from pathlib import Path

from cmkguard.address import Address, parse
from cmkguard.findings import ChainKind, Finding
from cmkguard.fix.context import Advice, FixContext, Outcome, Proposal
from cmkguard.fix.edits import TextEdit
from cmkguard.fix.grant_statements import (
    LITERAL_ROLE_ARN,
    GrantStatement,
    Principal,
    PrincipalKind,
    grant_statements,
    missing_actions,
    names_one_role,
    render_block,
    render_json,
    render_object,
)
from cmkguard.fix.key_facts import key_of
from cmkguard.sources.kms_resources import KEY_POLICY
from cmkguard.sources.terraform.expression_spans import (
    CallSpan,
    ObjectItemSpan,
    ObjectSpan,
    TupleSpan,
    expression_span,
)
from cmkguard.sources.terraform.positions import AttributeSpan, BlockSpan, FileLayout
from cmkguard.subject import ROLE_ARGUMENT
from cmkguard.values import Step

__all__ = ["add_grants"]

POLICY_ARGUMENT = "policy"
DOCUMENT = "aws_iam_policy_document"
SAGEMAKER = Principal(PrincipalKind.SERVICE, '"sagemaker.amazonaws.com"', "the SageMaker service")

_DOCUMENT_REF = re.compile(rf"data\.{DOCUMENT}\.(?P<name>[A-Za-z_][\w-]*)(\[[^\]]*\])?\.json")
"""Names that mean something else in another block (its own instances)."""


@dataclass(frozen=True, slots=True)
class _Site:
    """Where the key policy is written: the block holding ``policy`` and the attribute."""

    file: str
    layout: FileLayout
    block: BlockSpan
    attribute: AttributeSpan
    key: Address
    """The key whose policy it is."""
    key_file: str
    """Where the key's own block is."""


def add_grants(context: FixContext) -> Outcome:
    """Add statements allowing the missing actions to the notebook's key policy."""
    finding = context.finding
    missing = missing_actions(finding.message)
    if not missing:
        return Advice(f"{context.label()}: {finding.message}")
    site = _site(context)
    if isinstance(site, Advice):
        return site
    principal = _principal(context, site)
    if principal is None:
        statements = grant_statements(missing, SAGEMAKER, site.layout.text)
        how = (
            f"{site.key} is declared in a module that several module calls use, and the "
            "statement would reach every caller's key (give the module a variable for the "
            "principals and set it in this notebook's call, or add the statement by hand)"
        )
        return _advice(context, site, statements, how)
    statements = grant_statements(missing, principal, site.layout.text)
    where = f"{site.file}:{site.attribute.line}"
    value = site.attribute.value.strip()
    document = _DOCUMENT_REF.fullmatch(value)
    if document is not None:
        return _into_document(context, site, document["name"], statements)
    if value.startswith("jsonencode("):
        edits = _into_jsonencode(context.files.path(site.file), site, statements)
        if isinstance(edits, str):
            return _advice(context, site, statements, edits)
        return Proposal(
            _line_breaks(edits, site.layout),
            f"{where} {site.key}: policy statements added allowing "
            f"{_actions(statements)} to {principal.description}",
        )
    return _advice(context, site, statements, _built_how(value, finding))


def _line_breaks(edits: tuple[TextEdit, ...], layout: FileLayout) -> tuple[TextEdit, ...]:
    """``edits`` with the file's own line breaks: a CRLF file gets CRLF in the added lines."""
    if layout.newline == "\n":
        return edits
    return tuple(replace(e, replacement=e.replacement.replace("\n", layout.newline)) for e in edits)


def _actions(statements: tuple[GrantStatement, ...]) -> str:
    return ", ".join(a for s in statements for a in s.actions)


# ---------------------------------------------------------------- where the policy is


def _policy_steps(finding: Finding) -> tuple[Step, ...]:
    return next((c.steps for c in finding.evidence if c.kind is ChainKind.POLICY), ())


def _site(context: FixContext) -> _Site | Advice:
    """The ``policy`` attribute that sets the key's policy, in the file that holds it."""
    found = key_of(context.finding)
    if found is None:
        return Advice(
            f"{context.label()}: the key is not defined in the scanned files; add the "
            "statements to its key policy where it is managed"
        )
    key_step, key = found
    file, block_type, name = key_step.file or "", key.type, key.name
    for step in _policy_steps(context.finding):
        standalone = parse(step.label.split(" ", 1)[0])
        if standalone is not None and standalone.type == KEY_POLICY and step.file:
            file, block_type, name = step.file, KEY_POLICY, standalone.name
    why = context.files.editable(file)
    if why is not None:
        return Advice(f"{context.label()}: {why}", refusal=True)
    if file.endswith(".json"):
        return Advice(
            f"{context.label()}: the policy of {key} is in {file}, JSON syntax, which cmkguard "
            "fix does not rewrite; add the statements of `cmkguard fix` on a .tf copy by hand"
        )
    layout = context.files.layout(file)
    if layout is None:
        return Advice(f"{file} does not parse: fix its syntax first", refusal=True)
    block = layout.find("resource", block_type, name)
    attribute = block.attribute(POLICY_ARGUMENT) if block is not None else None
    if block is None or attribute is None:
        return Advice(
            f"{context.label()}: the policy of {key} was not found in {file} "
            "(the file changed since the scan?)"
        )
    return _Site(file, layout, block, attribute, key, key_step.file or "")


# ---------------------------------------------------------------- who gets the grant


def _principal(context: FixContext, site: _Site) -> Principal | None:
    """The notebook's role when its expression names it where the policy is written, else the
    SageMaker service; ``None`` when the policy is in a module that several module calls use and
    the statement would not be the module's own (a literal role or the service would reach every
    caller's key)."""
    notebook = context.notebook_block()
    role = notebook.attribute(ROLE_ARGUMENT) if isinstance(notebook, BlockSpan) else None
    expression = role.value.strip() if role is not None else ""
    description = f"the notebook's role ({expression})"
    address = context.address
    same_module = (
        address is not None
        and address.config_path == site.key.config_path
        and posixpath.dirname(context.file) == posixpath.dirname(site.file)
    )
    if role is not None and same_module and names_one_role(expression):
        return Principal(PrincipalKind.AWS, expression, description)
    if _key_shared(context, site):
        return None
    if LITERAL_ROLE_ARN.fullmatch(expression):
        return Principal(PrincipalKind.AWS, expression, description)
    return SAGEMAKER


def _key_shared(context: FixContext, site: _Site) -> bool:
    """True when the scan reaches the key's block through more than one module path."""
    for other in context.result.findings:
        found = key_of(other)
        if found is None:
            continue
        step, key = found
        same_block = (step.file, key.type, key.name) == (
            site.key_file,
            site.key.type,
            site.key.name,
        )
        if same_block and key.config_path != site.key.config_path:
            return True
    return False


# ---------------------------------------------------------------- inline jsonencode


def _indent(text: str, offset: int) -> str:
    """The leading whitespace of the line holding ``offset``."""
    start = text.rfind("\n", 0, offset) + 1
    line = text[start:offset]
    return line[: len(line) - len(line.lstrip())]


def _alone(text: str, offset: int) -> bool:
    """True when only whitespace precedes ``offset`` on its line."""
    start = text.rfind("\n", 0, offset) + 1
    return not text[start:offset].strip()


def _into_jsonencode(
    path: Path, site: _Site, statements: tuple[GrantStatement, ...]
) -> tuple[TextEdit, ...] | str:
    """Edits appending the statements to the ``Statement`` list, or why it cannot be done."""
    text = site.layout.text
    span = expression_span(text, site.attribute.value_start, site.attribute.value_end)
    if not (
        isinstance(span, CallSpan) and len(span.args) == 1 and isinstance(span.args[0], ObjectSpan)
    ):
        return "its jsonencode() argument is not an object written in place"
    item = span.args[0].item("Statement")
    if item is None or not isinstance(item.value, TupleSpan):
        return "its Statement is not a list written in place"
    listed = item.value
    if not listed.items:
        indent = _indent(text, listed.start)
        objects = f",\n{indent}  ".join(render_object(s, indent + "  ") for s in statements)
        inside = f"\n{indent}  {objects}\n{indent}"
        expanded = TextEdit(path, listed.start + 1, listed.end - 1, inside)
        return (expanded, *_realigned(path, text, span.args[0], item))
    last = listed.items[-1]
    if not _alone(text, last.start):
        return _compact(path, text, listed, last.end, statements)
    return _after_last(path, text, listed, last.start, last.end, statements)


def _realigned(
    path: Path, text: str, document: ObjectSpan, expanded: ObjectItemSpan
) -> list[TextEdit]:
    """``terraform fmt`` aligns the ``=`` of consecutive one-line items; ``expanded`` now spans
    several lines, which splits its run: the items around it are padded to their own runs."""
    runs: list[list[ObjectItemSpan]] = []
    previous: ObjectItemSpan | None = None
    for each in document.items:
        one_line = each is not expanded and "\n" not in text[each.start : each.end]
        if not (one_line and _alone(text, each.start)):
            previous = None
            continue
        follows = previous is not None and text.count("\n", previous.end, each.start) == 1
        if follows:
            runs[-1].append(each)
        else:
            runs.append([each])
        previous = each
    edits = []
    for run in runs:
        width = max(each.key_end - each.start for each in run)
        for each in run:
            equals = text.index("=", each.key_end)
            padding = " " * (width - (each.key_end - each.start) + 1)
            if text[each.key_end : equals] != padding:
                edits.append(TextEdit(path, each.key_end, equals, padding))
    return edits


def _compact(
    path: Path, text: str, listed: TupleSpan, end: int, statements: tuple[GrantStatement, ...]
) -> tuple[TextEdit, ...]:
    """``[{ ... }]``: the new objects follow as ``}, {``; ``terraform fmt`` then indents every
    ``}, {`` line like the objects' items, and only the last ``}]`` at the list's indent."""
    close = _indent(text, end - 1)
    inner = close + "  "
    edits: list[TextEdit] = []
    brace = end - 1
    if _alone(text, brace) and close != inner:
        edits.append(TextEdit(path, text.rfind("\n", 0, brace) + 1, brace, inner))
    last = len(statements) - 1
    joined = "".join(
        ", " + render_object(s, close, None if i == last else inner)
        for i, s in enumerate(statements)
    )
    at = listed.trailing_comma if listed.trailing_comma is not None else end
    if listed.trailing_comma is not None:
        joined = joined[1:]
    edits.append(TextEdit(path, at, at, joined))
    return tuple(edits)


def _after_last(
    path: Path,
    text: str,
    listed: TupleSpan,
    start: int,
    end: int,
    statements: tuple[GrantStatement, ...],
) -> tuple[TextEdit, ...]:
    """New objects each on their own lines after the last one (at ``start``..``end``), with a
    comma after each when the list already ends with one."""
    close = _indent(text, end - 1 if "\n" in text[start:end] else start)
    joined = ",".join(f"\n{close}{render_object(s, close)}" for s in statements)
    trailing = listed.trailing_comma
    at = trailing if trailing is not None else end
    line_end = text.find("\n", at)
    rest = text[at : len(text) if line_end < 0 else line_end].removesuffix("\r")
    edits: list[TextEdit] = []
    if rest.strip().startswith(("#", "//")):
        # A comment ends the last object's line: the comma goes before it, the objects after.
        if trailing is None:
            edits.append(TextEdit(path, end, end, ","))
        at += len(rest)
    elif trailing is None:
        joined = "," + joined
    if trailing is not None:
        joined += ","
    edits.append(TextEdit(path, at, at, joined))
    return tuple(edits)


# ---------------------------------------------------------------- aws_iam_policy_document


def _document_block(
    context: FixContext, site: _Site, name: str
) -> tuple[str, FileLayout, BlockSpan] | None:
    """The ``data "aws_iam_policy_document" NAME`` block of the key's module."""
    directory = posixpath.dirname(site.file)
    candidates = [
        s.file
        for s in _policy_steps(context.finding)
        if s.file is not None and s.label.startswith(f"data.{DOCUMENT}.{name}")
    ]
    folder = context.files.path(directory or ".")
    with contextlib.suppress(OSError):
        candidates += sorted(
            posixpath.join(directory, p.name) if directory else p.name
            for p in folder.iterdir()
            if p.name.endswith(".tf") and p.is_file()
        )
    for file in dict.fromkeys(candidates):
        if (posixpath.dirname(file)) != directory or context.files.editable(file) is not None:
            continue
        layout = context.files.layout(file)
        block = layout.find("data", DOCUMENT, name) if layout is not None else None
        if layout is not None and block is not None:
            return file, layout, block
    return None


def _spaced(layout: FileLayout, blocks: list[BlockSpan]) -> bool:
    """True when consecutive ``blocks`` are separated by blank lines."""
    return any(
        not layout.text[layout.line_end(a.end) + 1 : layout.line_start(b.start)].strip()
        and b.line > a.end_line + 1
        for a, b in itertools.pairwise(blocks)
    )


def _into_document(
    context: FixContext, site: _Site, name: str, statements: tuple[GrantStatement, ...]
) -> Outcome:
    found = _document_block(context, site, name)
    if found is None:
        return _advice(context, site, statements, f"data.{DOCUMENT}.{name} was not found beside it")
    file, layout, block = found
    text = layout.text
    closing = block.end - 1
    if block.line == block.end_line or not _alone(text, closing):
        return _advice(context, site, statements, f"data.{DOCUMENT}.{name} is written on one line")
    indent = _indent(text, block.start) + "  "
    gap = "\n" if _spaced(layout, [b for b in block.blocks if b.type == "statement"]) else ""
    body = "".join(f"{gap}{indent}{render_block(s, indent)}\n" for s in statements)
    position = layout.line_start(closing)
    (edit,) = _line_breaks((TextEdit(context.files.path(file), position, position, body),), layout)
    principal = statements[0].principal.description
    return Proposal(
        (edit,),
        f"{file}:{block.line} data.{DOCUMENT}.{name}: statements added allowing "
        f"{_actions(statements)} to {principal} "
        f"(the policy of {site.key})",
    )


# ---------------------------------------------------------------- advice


def _built_how(value: str, finding: Finding) -> str:
    """How the policy is built, in words, for the advice."""
    read = next(
        (
            s
            for s in _policy_steps(finding)
            if s.file is not None and s.label.startswith(("file(", "templatefile("))
        ),
        None,
    )
    if read is not None:
        return f"it is read from {read.file} by {read.label.split('(', 1)[0]}()"
    if value.startswith("<<"):
        return "it is heredoc JSON"
    if value.startswith(("var.", "local.")):
        return f"it comes from {value.split('[', 1)[0]}"
    return "it is built by an expression cmkguard does not rewrite"


def _advice(
    context: FixContext, site: _Site, statements: tuple[GrantStatement, ...], how: str
) -> Advice:
    return Advice(
        f"{context.label()}: the policy of {site.key} ({site.file}:{site.attribute.line}) is not "
        f"edited automatically: {how}. Add these statements to its Statement list:\n"
        + render_json(statements)
    )

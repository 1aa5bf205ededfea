"""The key policy statements that give a notebook's principal the key use a finding says is
missing, written three ways: an HCL object for a ``jsonencode({...})`` policy, a ``statement``
block for ``data "aws_iam_policy_document"``, and JSON for advice.

``kms:CreateGrant`` gets its own statement, limited to grants for AWS resources
(``kms:GrantIsForAWSResource``), which is how SageMaker asks for it; the same condition on
``kms:Decrypt`` would never hold, so the other actions go in a second statement. Each layout is
what ``terraform fmt`` writes: ``=`` aligned over a run of single-line attributes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "CREATE_GRANT",
    "GrantStatement",
    "Principal",
    "PrincipalKind",
    "grant_statements",
    "missing_actions",
    "names_one_role",
    "render_block",
    "render_json",
    "render_object",
]

CREATE_GRANT = "kms:CreateGrant"
GRANT_CONDITION = ("Bool", "kms:GrantIsForAWSResource", "true")
"""SageMaker creates its grant for the notebook's volume: a grant for an AWS resource."""

_AS_WRITTEN = {"kms:GenerateDataKey": "kms:GenerateDataKey*"}
"""The control names ``kms:GenerateDataKey*`` (the family SageMaker's volume encryption calls);
the judge checks it with the concrete action, so the finding names that one."""

_PER_INSTANCE = re.compile(r"\b(each|count|self)\.")
"""A role expression that differs per instance cannot be listed once in a shared policy."""
LITERAL_ROLE_ARN = re.compile(r'"arn:[a-z0-9-]+:iam::\d{12}:role/[\w+=,.@/-]+"')
"""A quoted IAM role ARN with its account: a principal a policy may name as written."""
_REFERENCE = re.compile(r"[A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*|\[[^\]\n]*\])+")
"""A reference such as ``aws_iam_role.nb.arn`` or ``var.roles["a"]``."""


def names_one_role(expression: str) -> bool:
    """Whether a notebook's ``role_arn`` expression may be written as a key policy principal: a
    reference or a literal role ARN, the same for every instance. Free text (``"*"``, another
    principal kind) would make the added statement grant what the notebook's role is not."""
    text = expression.strip()
    if _PER_INSTANCE.search(text):
        return False
    return bool(LITERAL_ROLE_ARN.fullmatch(text) or _REFERENCE.fullmatch(text))


_NOT_ALLOWED = re.compile(r"does not allow (?P<actions>kms:[A-Za-z*]+(?:, kms:[A-Za-z*]+)*) to ")


class PrincipalKind(StrEnum):
    """The IAM principal element type of a statement."""

    AWS = "AWS"
    SERVICE = "Service"


@dataclass(frozen=True, slots=True)
class Principal:
    """Who the statements allow: the notebook's role, or the SageMaker service."""

    kind: PrincipalKind
    """``AWS`` for a role, ``Service`` for ``sagemaker.amazonaws.com``."""
    expression: str
    """The HCL expression naming it (``aws_iam_role.nb.arn``, or a quoted string)."""
    description: str
    """How summaries name it: ``the notebook's role aws_iam_role.nb.arn``."""

    @property
    def json_value(self) -> str:
        """The principal as a JSON string value: a quoted literal as it is, a reference as a
        template interpolation (``${aws_iam_role.nb.arn}``), valid in heredoc and templates."""
        literal = _literal(self.expression)
        return literal if literal is not None else "${" + self.expression + "}"


@dataclass(frozen=True, slots=True)
class GrantStatement:
    """One Allow statement to add."""

    sid: str
    """A ``Sid`` not yet used in the file."""
    principal: Principal
    actions: tuple[str, ...]
    """As the policy should spell them (``kms:GenerateDataKey*``)."""
    grant_condition: bool
    """True for the ``kms:CreateGrant`` statement: only grants for AWS resources."""


def missing_actions(message: str) -> tuple[str, ...]:
    """The actions a ``key-policy-missing-grants`` finding says no principal acting for the
    notebook is allowed (``control/checks.py`` writes "does not allow A, B to ...")."""
    found = _NOT_ALLOWED.search(message)
    return () if found is None else tuple(found["actions"].split(", "))


def grant_statements(
    missing: Sequence[str], principal: Principal, taken: str
) -> tuple[GrantStatement, ...]:
    """The statements allowing ``missing`` to ``principal``, with ``Sid``s that do not occur in
    ``taken`` (the text of the file they go into)."""
    use = tuple(_AS_WRITTEN.get(a, a) for a in missing if a != CREATE_GRANT)
    statements: list[GrantStatement] = []
    if use:
        statements.append(GrantStatement(_free_sid("NotebookKeyUse", taken), principal, use, False))
    if CREATE_GRANT in missing:
        sid = _free_sid("NotebookKeyGrants", taken)
        statements.append(GrantStatement(sid, principal, (CREATE_GRANT,), True))
    return tuple(statements)


def _free_sid(base: str, taken: str) -> str:
    sid, number = base, 1
    while f'"{sid}"' in taken:
        number += 1
        sid = f"{base}{number}"
    return sid


def _literal(expression: str) -> str | None:
    """The string a quoted HCL literal without escapes or templates holds."""
    text = expression.strip()
    if len(text) >= 2 and text[0] == text[-1] == '"' and not any(c in text[1:-1] for c in '\\"$%'):
        return text[1:-1]
    return None


def _quote(text: str) -> str:
    """``text`` as an HCL quoted string (only the characters the statements use occur)."""
    return json.dumps(text).replace("${", "$${").replace("%{", "%%{")


def _aligned(pairs: Sequence[tuple[str, str]], indent: str) -> list[str]:
    """``name = value`` lines with the ``=`` aligned, as ``terraform fmt`` aligns a run."""
    width = max(len(name) for name, _ in pairs)
    return [f"{indent}{name.ljust(width)} = {value}" for name, value in pairs]


def _hcl_list(values: Sequence[str]) -> str:
    return "[" + ", ".join(values) + "]"


def render_object(statement: GrantStatement, indent: str, closing: str | None = None) -> str:
    """The statement as an HCL object for a ``jsonencode`` policy: ``{``, its items indented by
    ``indent`` plus two spaces, and ``}`` at ``closing`` (default ``indent``; the first line is
    not indented)."""
    actions = [_quote(a) for a in statement.actions]
    pairs = [
        ("Sid", _quote(statement.sid)),
        ("Effect", '"Allow"'),
        ("Principal", f"{{ {statement.principal.kind.value} = {statement.principal.expression} }}"),
        ("Action", actions[0] if len(actions) == 1 else _hcl_list(actions)),
        ("Resource", '"*"'),
    ]
    if statement.grant_condition:
        test, variable, value = GRANT_CONDITION
        pairs.append(("Condition", f"{{ {test} = {{ {_quote(variable)} = {_quote(value)} }} }}"))
    lines = _aligned(pairs, indent + "  ")
    return "{\n" + "\n".join(lines) + f"\n{indent if closing is None else closing}}}"


def render_block(statement: GrantStatement, indent: str) -> str:
    """The statement as a ``statement`` block of ``aws_iam_policy_document``, at ``indent`` (the
    first line is not indented)."""
    inner = indent + "  "
    lines = _aligned(
        [
            ("sid", _quote(statement.sid)),
            ("effect", '"Allow"'),
            ("actions", _hcl_list([_quote(a) for a in statement.actions])),
            ("resources", '["*"]'),
        ],
        inner,
    )
    lines += ["", f"{inner}principals {{"]
    lines += _aligned(
        [
            ("type", _quote(statement.principal.kind.value)),
            ("identifiers", f"[{statement.principal.expression}]"),
        ],
        inner + "  ",
    )
    lines.append(f"{inner}}}")
    if statement.grant_condition:
        test, variable, value = GRANT_CONDITION
        lines += ["", f"{inner}condition {{"]
        lines += _aligned(
            [
                ("test", _quote(test)),
                ("variable", _quote(variable)),
                ("values", f"[{_quote(value)}]"),
            ],
            inner + "  ",
        )
        lines.append(f"{inner}}}")
    return "statement {\n" + "\n".join(lines) + f"\n{indent}}}"


def render_json(statements: Sequence[GrantStatement]) -> str:
    """The statements as JSON objects for a policy's ``Statement`` list, for advice."""
    objects = []
    for statement in statements:
        actions = list(statement.actions)
        item: dict[str, object] = {
            "Sid": statement.sid,
            "Effect": "Allow",
            "Principal": {statement.principal.kind.value: statement.principal.json_value},
            "Action": actions[0] if len(actions) == 1 else actions,
            "Resource": "*",
        }
        if statement.grant_condition:
            test, variable, value = GRANT_CONDITION
            item["Condition"] = {test: {variable: value}}
        objects.append(json.dumps(item, indent=2))
    return ",\n".join(objects)

"""``data "aws_iam_policy_document"`` to the policy document the AWS provider renders, and policy
strings (heredoc JSON, ``file()``, ``templatefile()``, partly unknown templates) to documents.

The provider's merge order (``internal/service/iam/policy_document.go``): statements of
``source_policy_documents`` first (their sids must be unique), then this document's own
``statement`` blocks, each replacing a statement with the same ``sid`` or appended, then every
``override_policy_documents`` entry the same way. Unknown parts stay in place: the result is a
JSON string when fully known, else the structured document (key-policy readers take both).
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

from cmkguard.sources.terraform.ast import Body
from cmkguard.sources.terraform.evaluated import (
    Partial,
    Piece,
    ResourceInstance,
    data_of,
    first_unknown,
    unknown_from,
)
from cmkguard.sources.terraform.expansion import nested_blocks, possible_nested_blocks
from cmkguard.sources.terraform.modules import Scope
from cmkguard.values import Data, Known, Ref, Symbol, SymbolicText, Trail, Unknown, Value, symbolic

if TYPE_CHECKING:
    from cmkguard.sources.terraform.expressions import Evaluator

_HOLE = "@@cmkguard-hole"


class InvalidJson(ValueError):
    """A fully known policy string that is not JSON."""


def document_data(data: Data) -> Data:
    """A policy document from a JSON string, a structured value or a partly unknown string.

    A ``Partial`` string, or text with symbols in it, is parsed with placeholders for its holes,
    which are put back in place (so ``"Principal": {"AWS": "${aws_iam_role.r.arn}"}`` keeps the
    reference). Raises ``InvalidJson`` for a fully known string that is not JSON."""
    if isinstance(data, Partial):
        filled = _from_parts(data.parts)
        return Unknown(data.why, data.trail) if filled is None else filled
    if isinstance(data, SymbolicText):
        filled = _from_parts(data.parts)
        if filled is None:
            raise InvalidJson(f"{data} is not JSON")
        return filled
    if isinstance(data, Unknown):
        return data
    if isinstance(data, Ref):
        return unknown_from(data)
    if isinstance(data, str):
        try:
            parsed: Data = json.loads(data)
        except ValueError as exc:
            raise InvalidJson(str(exc)) from None
        except RecursionError:
            # 5,000 nested brackets in a pull request's policy must not end the whole scan.
            raise InvalidJson("nested too deeply") from None
        return parsed
    return data


def _from_parts(parts: tuple[Piece, ...]) -> Data | None:
    """JSON text with holes parsed, the holes put back; ``None`` when it is not JSON."""
    texts = [p for p in parts if isinstance(p, str)]
    # The placeholder must be text the input does not contain, or literal text could pose as a
    # reference or a symbol.
    marker = _HOLE
    while any(marker in text for text in texts):
        marker += "@"
    holes: list[Symbol | Ref | Unknown] = []
    text: list[str] = []
    for part in parts:
        if isinstance(part, str):
            text.append(part)
        else:
            text.append(f"{marker}-{len(holes)}-")
            holes.append(part)
    try:
        parsed: Data = json.loads("".join(text))
    except (ValueError, RecursionError):
        return None
    return _fill(parsed, holes, re.compile(re.escape(marker) + r"-(\d+)-"))


def _hole_why(hole: Symbol | Ref | Unknown) -> Unknown:
    return unknown_from(SymbolicText((hole,)) if isinstance(hole, Symbol) else hole)


def _fill(data: Data, holes: list[Symbol | Ref | Unknown], marker: re.Pattern[str]) -> Data:
    if isinstance(data, str):
        whole = marker.fullmatch(data)
        if whole is not None:
            hole = holes[int(whole.group(1))]
            return SymbolicText((hole,)) if isinstance(hole, Symbol) else hole
        found = [holes[int(m.group(1))] for m in marker.finditer(data)]
        if not found:
            return data
        unknown = [h for h in found if not isinstance(h, Symbol)]
        if unknown:
            return _hole_why(unknown[0])
        # Only symbols inside the text: text with symbols.
        pieces: list[str | Symbol] = []
        for index, piece in enumerate(marker.split(data)):
            item: Symbol | Ref | Unknown | str = holes[int(piece)] if index % 2 else piece
            if isinstance(item, str | Symbol):
                pieces.append(item)
        return symbolic(pieces)
    if isinstance(data, list):
        return [_fill(item, holes, marker) for item in data]
    if isinstance(data, dict):
        filled: dict[str, Data] = {}
        for key, value in data.items():
            if marker.search(key):
                return Unknown(f"a policy key is not known: {_hole_why(holes[0]).why}")
            filled[key] = _fill(value, holes, marker)
        return filled
    return data


def finish(document: Data, trail: Trail) -> Value[Data]:
    """The document as the provider's ``json`` attribute: JSON text when fully known."""
    if isinstance(document, Unknown):
        return document
    if first_unknown(document) is None:
        return Known(json.dumps(document, indent=2), trail)
    return Known(document, trail)


def _list_of(value: Value[Data] | None) -> Data:
    if value is None:
        return None
    data = data_of(value)
    if isinstance(data, str | Ref | SymbolicText | Unknown):
        return [data]
    return data


def _statement(ev: Evaluator, body: Body, scope: Scope) -> dict[str, Data]:
    statement: dict[str, Data] = {}
    sid = ev.attribute(body, "sid", scope)
    if sid is not None and data_of(sid) not in (None, ""):
        statement["Sid"] = data_of(sid)
    effect = ev.attribute(body, "effect", scope)
    statement["Effect"] = "Allow" if effect is None or data_of(effect) is None else data_of(effect)
    for arg, key in (
        ("actions", "Action"),
        ("not_actions", "NotAction"),
        ("resources", "Resource"),
        ("not_resources", "NotResource"),
    ):
        value = _list_of(ev.attribute(body, arg, scope))
        if value is not None and value != []:
            statement[key] = value
    for block_type, key in (("principals", "Principal"), ("not_principals", "NotPrincipal")):
        principals = _principals(ev, body, block_type, scope)
        if principals is not None:
            statement[key] = principals
    condition = _conditions(ev, body, scope)
    if condition is not None:
        statement["Condition"] = condition
    return statement


def _principals(ev: Evaluator, body: Body, block_type: str, scope: Scope) -> Data:
    blocks = nested_blocks(ev, body, block_type, scope)
    if isinstance(blocks, Unknown):
        return blocks
    if not blocks:
        return None
    merged: dict[str, Data] = {}
    for inner, inner_scope in blocks:
        kind = data_of(ev.attribute(inner, "type", inner_scope) or Known(None))
        identifiers = _list_of(ev.attribute(inner, "identifiers", inner_scope))
        if not isinstance(kind, str):
            return Unknown(f"the type of a {block_type} block is not known")
        if kind == "*":
            return "*"
        existing = merged.get(kind)
        if isinstance(existing, list) and isinstance(identifiers, list):
            merged[kind] = existing + identifiers
        else:
            merged[kind] = identifiers
    return merged


def _conditions(ev: Evaluator, body: Body, scope: Scope) -> Data:
    blocks = nested_blocks(ev, body, "condition", scope)
    if isinstance(blocks, Unknown):
        return blocks
    if not blocks:
        return None
    merged: dict[str, Data] = {}
    for inner, inner_scope in blocks:
        test = data_of(ev.attribute(inner, "test", inner_scope) or Known(None))
        variable = data_of(ev.attribute(inner, "variable", inner_scope) or Known(None))
        values = _list_of(ev.attribute(inner, "values", inner_scope))
        if not isinstance(test, str) or not isinstance(variable, str):
            # A condition we cannot name still restricts the statement: it stays, unknown.
            return Unknown("the test or variable of a policy condition is not known")
        per_test = merged.setdefault(test, {})
        if isinstance(per_test, dict):
            per_test[variable] = values
    return merged


def _merge(statements: list[dict[str, Data]], new: list[dict[str, Data]]) -> None:
    """The provider's ``IAMPolicyDoc.Merge``: a statement replaces one with the same sid."""
    for statement in new:
        sid = statement.get("Sid")
        if isinstance(sid, str) and sid:
            for pos, existing in enumerate(statements):
                if existing.get("Sid") == sid:
                    statements[pos] = statement
                    break
            else:
                statements.append(statement)
        else:
            statements.append(statement)


def _optional(
    own: list[tuple[dict[str, Data], Unknown | None]], others: list[dict[str, Data]]
) -> dict[int, Unknown] | Unknown:
    """The own statements a ``dynamic`` block may or may not make, by identity, with why; or
    why the document is wholly unknown: a statement that may be there could replace another by
    its ``sid`` (an unknown sid, or one another statement has), and so take a grant away."""
    optional = {id(statement): why for statement, why in own if why is not None}
    sids = [
        sid
        for statement in [*others, *(s for s, why in own if why is None)]
        if (sid := statement.get("Sid")) not in (None, "")
    ]
    for statement, why in own:
        if why is None:
            continue
        sid = statement.get("Sid")
        if sid in (None, ""):
            continue
        if not isinstance(sid, str) and sids:
            return Unknown(f"{why.why}; and the sid of its statements is not known", why.trail)
        if sid in sids:
            return Unknown(f"{why.why}; and its statement {sid} may replace another", why.trail)
    return optional


def _statement_list(statements: list[dict[str, Data]], optional: dict[int, Unknown]) -> Data:
    """The ``Statement`` list: known, or a list of its possible statements, each marked certain
    or not, that key-policy readers judge monotonically (an optional Allow grants nothing, an
    optional Deny leaves the verdict unknown)."""
    whys = [optional[id(s)] for s in statements if id(s) in optional]
    if not whys:
        return list(statements)
    items = tuple((statement, id(statement) not in optional) for statement in statements)
    return Unknown(whys[0].why, whys[0].trail, items=items)


def _documents(
    ev: Evaluator, body: Body, arg: str, scope: Scope
) -> list[dict[str, Data]] | Unknown:
    """The statements of ``source_policy_documents``/``override_policy_documents``."""
    value = ev.attribute(body, arg, scope)
    if value is None:
        return []
    data = data_of(value)
    if isinstance(data, Unknown):
        return data
    if not isinstance(data, list):
        return Unknown(f"{arg} is not a list of documents")
    found: list[dict[str, Data]] = []
    for item in data:
        try:
            document = document_data(item)
        except InvalidJson as exc:
            return Unknown(f"a document in {arg} is not valid JSON: {exc}")
        if isinstance(document, Unknown):
            return Unknown(f"a document in {arg} is not known: {document.why}")
        if not isinstance(document, dict):
            return Unknown(f"a document in {arg} is not a policy document")
        statements = document.get("Statement", [])
        if isinstance(statements, dict):
            statements = [statements]
        if not isinstance(statements, list) or not all(isinstance(s, dict) for s in statements):
            return Unknown(f"a document in {arg} has statements that are not known")
        found.extend(s for s in statements if isinstance(s, dict))
    return found


def policy_document(ev: Evaluator, resource: ResourceInstance) -> Value[Data]:
    """The ``json`` attribute of a ``data "aws_iam_policy_document"`` instance."""
    body, scope = resource.block.body, resource.scope
    sources = _documents(ev, body, "source_policy_documents", scope)
    if isinstance(sources, Unknown):
        return sources
    sids = [sid for s in sources if isinstance(sid := s.get("Sid"), str) and sid]
    if len(sids) != len(set(sids)):
        return Unknown(f"{resource.address}: duplicate sid in source_policy_documents")
    statements: list[dict[str, Data]] = []
    _merge(statements, sources)
    own = [
        (_statement(ev, inner, inner_scope), optional)
        for inner, inner_scope, optional in possible_nested_blocks(ev, body, "statement", scope)
    ]
    overrides = _documents(ev, body, "override_policy_documents", scope)
    if isinstance(overrides, Unknown):
        return overrides
    optional = _optional(own, [*sources, *overrides])
    if isinstance(optional, Unknown):
        return optional
    _merge(statements, [statement for statement, _ in own])
    _merge(statements, overrides)
    version = ev.attribute(body, "version", scope)
    document: dict[str, Data] = {
        "Version": "2012-10-17" if version is None else data_of(version),
        "Statement": _statement_list(statements, optional),
    }
    policy_id = ev.attribute(body, "policy_id", scope)
    if policy_id is not None and data_of(policy_id) is not None:
        document["Id"] = data_of(policy_id)
    return finish(document, ())

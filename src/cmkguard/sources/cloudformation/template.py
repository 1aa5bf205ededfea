"""CloudFormation template files: recognised by content, parsed by cfn-lint's decoder.

cfn-lint's decoder (``cfnlint.decode``) reads YAML with the short-form tags (``!Ref``, ``!Sub``
...) and JSON, rejects duplicate keys, guards against YAML alias bombs, and keeps each node's
position. It is untyped, so this module is the only one that touches it: the rest of the package
sees ``Node`` values and asks ``line_of`` for positions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypeAlias, cast

from cmkguard.errors import InputError

Node: TypeAlias = dict[str, "Node"] | list["Node"] | str | int | float | bool | None
"""A parsed template value: plain YAML/JSON data whose containers and strings carry positions."""

TEMPLATE_SUFFIXES = (".yaml", ".yml", ".json", ".template")
"""File names a template tree is searched for (``.template`` is the AWS samples' habit)."""

# Cheap byte tests before parsing: a template names its resources and at least one AWS type.
_NEEDLES = (b"Resources", b"AWS::")


@dataclass(frozen=True, slots=True)
class Template:
    """One parsed template file."""

    path: str
    """The file relative to the scanned root, ``/``-separated."""
    body: dict[str, Node]
    """The template's top-level mapping."""
    resources: dict[str, dict[str, Node]] = field(default_factory=dict)
    """``Resources``: logical ID -> resource mapping (entries that are not mappings dropped)."""

    def section(self, name: str) -> dict[str, Node]:
        """A top-level mapping section (``Parameters``, ``Conditions``, ``Mappings``,
        ``Outputs``), empty when absent or not a mapping."""
        found = self.body.get(name)
        return found if isinstance(found, dict) else {}

    def resource_line(self, logical_id: str) -> int:
        """The line of a resource's logical ID (its key in ``Resources``)."""
        for key in self.resources:
            if key == logical_id:
                return line_of(key) or line_of(self.resources[key]) or 1
        return 1

    @property
    def transforms(self) -> tuple[str, ...]:
        """The template-level ``Transform`` names."""
        found = self.body.get("Transform")
        if isinstance(found, str):
            return (found,)
        if isinstance(found, list):
            return tuple(t for t in found if isinstance(t, str))
        return ()


def line_of(node: object) -> int | None:
    """The 1-based line a parsed node starts on, when the decoder recorded one."""
    mark = getattr(node, "start_mark", None)
    line = getattr(mark, "line", None)
    return line + 1 if isinstance(line, int) else None


def may_be_template(data: bytes) -> bool:
    """True when a file's bytes could hold a CloudFormation template (checked before parsing)."""
    return all(needle in data for needle in _NEEDLES)


def is_template(body: object) -> bool:
    """A ``Resources`` mapping with at least one ``Type: AWS::...`` (or ``Custom::``) entry."""
    if not isinstance(body, dict):
        return False
    resources = body.get("Resources")
    if not isinstance(resources, dict):
        return False
    return any(
        isinstance(r, dict)
        and isinstance(r.get("Type"), str)
        and str(r["Type"]).startswith(("AWS::", "Custom::"))
        for r in resources.values()
    )


def parse_template(text: str, display: str) -> Template | InputError | None:
    """Parse a file's text. ``None`` when it parses but is not a template; an ``InputError``
    naming the line when it is not valid YAML/JSON."""
    # Imported here: cfn-lint's package import costs over a second, paid only when a file
    # looks like a template.
    from cfnlint.decode import decode_str

    body, matches = decode_str(text)
    if matches:
        first = matches[0]
        line = first.linenumber if isinstance(first.linenumber, int) and first.linenumber else None
        message = " ".join(str(first.message).split())
        return InputError(display, line, f"not a valid YAML/JSON template: {message}")
    if not is_template(body):
        return None
    typed = cast(dict[str, Node], body)
    raw = typed["Resources"]
    resources = (
        {k: v for k, v in raw.items() if isinstance(v, dict)} if isinstance(raw, dict) else {}
    )
    return Template(display, typed, resources)

"""Setting one attribute of a block the way ``terraform fmt`` would have written it.

``terraform fmt`` aligns the ``=`` of consecutive single-line attributes (a blank line, a
comment line, a nested block or a multi-line value ends such a run). A new attribute joins the
run holding ``instance_type`` (or ``role_arn``, or the last run), padded to its width; when its
name is longer than every name there, the run's other lines are re-padded too, which is what
``terraform fmt`` itself would do. Everything else in the file is left byte for byte.
"""

from __future__ import annotations

from pathlib import Path

from cmkguard.fix.edits import TextEdit
from cmkguard.sources.terraform.positions import AttributeSpan, BlockSpan, FileLayout

__all__ = ["set_attribute"]

_ANCHORS = ("instance_type", "role_arn")
"""Attributes whose run a new notebook argument joins, in order of preference."""


def set_attribute(
    path: Path, layout: FileLayout, block: BlockSpan, name: str, value: str
) -> tuple[TextEdit, ...] | None:
    """The edits that make ``block``'s attribute ``name`` equal to the expression ``value``:
    its value replaced, or a new line added. ``None`` when the block is written on one line
    (no line of its own to add)."""
    existing = block.attribute(name)
    if existing is not None:
        if existing.value == value:
            return ()
        return (TextEdit(path, existing.value_start, existing.value_end, value),)
    if block.line == block.end_line:
        return None
    runs = _runs(layout, block)
    run = _anchor_run(runs)
    if run is None:
        return _after_opening(path, layout, block, name, value)
    width = max(len(a.name) for a in run)
    indent = layout.text[layout.line_start(run[0].start) : run[0].start]
    edits: list[TextEdit] = []
    if len(name) > width:
        width = len(name)
        edits.extend(_padded(path, layout, attribute, width) for attribute in run)
    end = layout.line_end(run[-1].end)
    line = f"{layout.newline}{indent}{name.ljust(width)} = {value}"
    edits.append(TextEdit(path, end, end, line))
    # Lines already padded to the width need no edit.
    return tuple(e for e in edits if layout.text[e.start : e.end] != e.replacement)


def _runs(layout: FileLayout, block: BlockSpan) -> list[list[AttributeSpan]]:
    """The block's runs of consecutive single-line attributes, each alone on its line."""
    runs: list[list[AttributeSpan]] = []
    previous: AttributeSpan | None = None
    for attribute in block.attributes:
        alone = (
            attribute.line == attribute.end_line
            and not layout.text[layout.line_start(attribute.start) : attribute.start].strip()
        )
        if not alone:
            previous = None
            continue
        if previous is not None and attribute.line == previous.line + 1:
            runs[-1].append(attribute)
        else:
            runs.append([attribute])
        previous = attribute
    return runs


def _anchor_run(runs: list[list[AttributeSpan]]) -> list[AttributeSpan] | None:
    for anchor in _ANCHORS:
        for run in runs:
            if any(a.name == anchor for a in run):
                return run
    return runs[-1] if runs else None


def _padded(path: Path, layout: FileLayout, attribute: AttributeSpan, width: int) -> TextEdit:
    """The spaces between ``attribute``'s name and its ``=``, padded to ``width``."""
    name_end = attribute.start + len(attribute.name)
    equals = layout.text.index("=", name_end)
    return TextEdit(path, name_end, equals, " " * (width - len(attribute.name) + 1))


def _after_opening(
    path: Path, layout: FileLayout, block: BlockSpan, name: str, value: str
) -> tuple[TextEdit, ...]:
    """A new line right after the block's opening line, a blank line keeping it out of the
    run that may follow."""
    block_indent = layout.text[layout.line_start(block.start) : block.start]
    end = layout.line_end(block.start)
    newline = layout.newline
    following = layout.text[end + len(newline) : layout.line_end(end + len(newline))].strip()
    gap = newline if following and following != "}" else ""
    return (TextEdit(path, end, end, f"{newline}{block_indent}  {name} = {value}{gap}"),)

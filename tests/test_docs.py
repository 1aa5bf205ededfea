"""The generated pages in docs/ match what the code generates now."""

from __future__ import annotations

from pathlib import Path

import pytest

from cmkguard.catalogue.entries import CATALOGUE
from cmkguard.cli import build_parser, subcommands
from cmkguard.docs import REGENERATE, generate

ROOT = Path(__file__).parent.parent
PAGES = generate()


@pytest.mark.parametrize("relative", sorted(PAGES))
def test_generated_page_is_current(relative: str) -> None:
    path = ROOT / relative
    assert path.exists(), f"{relative} is missing: run `{REGENERATE}`"
    assert path.read_text(encoding="utf-8") == PAGES[relative], (
        f"{relative} is out of date: run `{REGENERATE}`"
    )


def test_cli_page_embeds_every_subcommand_help() -> None:
    page = PAGES["docs/cli.md"]
    parser = build_parser()
    for name, sub in subcommands(parser).items():
        assert f"## `cmkguard {name}`" in page
        assert f"usage: cmkguard {name}" in page
        assert sub.description is None or sub.description.split()[0] in page


def test_reasons_page_has_every_code_with_before_and_after() -> None:
    page = PAGES["docs/reasons.md"]
    for code, entry in CATALOGUE.items():
        section = page.split(f'<a id="{entry.anchor}"></a>', 1)[1]
        assert section.lstrip().startswith(f"## `{code.value}`")
        for heading in (
            "### What it checks",
            "### Why it matters",
            "Before:",
            "After:",
            "### References",
            "### Since",
        ):
            assert heading in section

"""Which files of a directory are configuration, as OpenTofu picks them: ``.tofu`` and
``.tofu.json`` are read too, and replace the ``.tf``/``.tf.json`` file of the same name."""

from __future__ import annotations

import pytest

from cmkguard.sources.terraform.config import config_files, is_override_file


@pytest.mark.parametrize(
    ("names", "chosen"),
    [
        (["main.tf", "vars.tf.json"], ["main.tf", "vars.tf.json"]),
        (["main.tf", "main.tofu"], ["main.tofu"]),
        (["kms.tf.json", "kms.tofu.json"], ["kms.tofu.json"]),
        # Only the same name and form is replaced.
        (["main.tf", "main.tofu.json"], ["main.tf", "main.tofu.json"]),
        (["a.tf", "b.tofu"], ["a.tf", "b.tofu"]),
        ([".hidden.tofu", "#x.tofu", "x.tofu~", "notes.txt"], []),
        (["x_override.tf", "x_override.tofu"], ["x_override.tofu"]),
    ],
)
def test_tofu_files_replace_tf_files_of_the_same_name(names: list[str], chosen: list[str]) -> None:
    assert config_files(names) == chosen


@pytest.mark.parametrize(
    ("name", "override"),
    [
        ("override.tofu", True),
        ("kms_override.tofu", True),
        ("kms_override.tofu.json", True),
        ("override.tf.json", True),
        ("override.tofu.txt", False),
        ("main.tofu", False),
        ("overrides.tofu", False),
    ],
)
def test_override_files_in_every_form(name: str, override: bool) -> None:
    assert is_override_file(name) is override

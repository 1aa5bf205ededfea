"""Plans and state are read in linear work (issue 8, item 5).

Locating each notebook's line re-searched the whole text, and resolving each key identifier
compared it with every resource: 4,000 notebooks took 12 s and 100,000 never finished. These
tests count the work instead of timing it (no test asserts a timing; ``benchmarks/plan_scale.py``
prints the figures): the text is scanned once, and identities are computed once per resource,
however many notebooks share a key. They also pin that the located lines are the right ones.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from cmkguard.inventory import KeyRef, SourceLocation
from cmkguard.sources.plan import build, lines, load_plan
from cmkguard.values import Known

NB = "aws_sagemaker_notebook_instance"
ACCOUNT = "111122223333"


def _key(name: str, number: int) -> dict[str, Any]:
    key_id = f"00000000-0000-4000-8000-{number:012d}"
    return {
        "address": f"aws_kms_key.{name}",
        "mode": "managed",
        "type": "aws_kms_key",
        "name": name,
        "values": {
            "arn": f"arn:aws:kms:us-east-1:{ACCOUNT}:key/{key_id}",
            "id": key_id,
            "key_id": key_id,
            "is_enabled": True,
            "policy": None,
        },
    }


def _notebook(index: int, key_id: str) -> dict[str, Any]:
    return {
        "address": f'{NB}.nb["n{index}"]',
        "mode": "managed",
        "type": NB,
        "name": "nb",
        "index": f"n{index}",
        "values": {
            "arn": f"arn:aws:sagemaker:us-east-1:{ACCOUNT}:notebook-instance/n{index}",
            "kms_key_id": key_id,
            "role_arn": f"arn:aws:iam::{ACCOUNT}:role/nb",
        },
    }


def _state(notebooks: int, keys: int) -> bytes:
    made = [_key(f"k{k}", k) for k in range(keys)]
    ids = [str(k["values"]["key_id"]) for k in made]
    resources = made + [_notebook(i, ids[i % keys]) for i in range(notebooks)]
    document = {
        "format_version": "1.0",
        "terraform_version": "1.9.8",
        "values": {"root_module": {"resources": resources}},
    }
    return json.dumps(document, indent=1).encode()


def _count_calls(monkeypatch: pytest.MonkeyPatch, module: Any, name: str) -> list[int]:
    """Wrap the real ``module.name`` so that each call is counted (it still does its work)."""
    real = getattr(module, name)
    counter = [0]

    def counted(*args: Any, **kwargs: Any) -> Any:
        counter[0] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, counted)
    return counter


@pytest.mark.parametrize("notebooks", [200, 2_000])
def test_work_per_resource_does_not_grow_with_the_document(
    notebooks: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    keys = notebooks // 10
    text_scans = _count_calls(monkeypatch, lines, "_first_lines")
    identities = _count_calls(monkeypatch, build, "_identities")
    inventory, _, errors = load_plan(_state(notebooks, keys), "state.json")
    assert errors == []
    assert len(inventory.notebooks) == notebooks
    assert text_scans == [1], "the text is scanned once, not once per resource"
    # Once per resource to build the identifier index; the old code compared every notebook's
    # key with every resource (2,000 notebooks x 2,200 resources = 4.4 million comparisons).
    assert identities[0] <= notebooks + keys
    for notebook in inventory.notebooks:
        ref = notebook.kms_key
        assert isinstance(ref, Known)
        assert isinstance(ref.value, KeyRef)
        assert ref.value.key is not None, "every notebook still finds its key"


def test_lines_are_those_of_each_resource() -> None:
    data = _state(30, 3)
    text = data.decode()
    inventory, _, _ = load_plan(data, "state.json")
    for notebook in inventory.notebooks:
        assert isinstance(notebook.location, SourceLocation)
        line = text.splitlines()[notebook.location.line - 1]
        assert json.dumps(notebook.address) in line


def test_addresses_with_escapes_are_located() -> None:
    """The address in the text is a JSON string: a quote in an instance key is escaped."""
    resources = [
        {**_notebook(0, "alias/x"), "address": f'{NB}.nb["a\\"b"]', "index": 'a"b'},
        {**_notebook(1, "alias/x"), "address": f'{NB}.nb["a\\\\b"]', "index": "a\\b"},
    ]
    document = {"format_version": "1.0", "values": {"root_module": {"resources": resources}}}
    text = json.dumps(document, indent=1)
    inventory, _, _ = load_plan(text.encode(), "state.json")
    assert len(inventory.notebooks) == 2
    for notebook in inventory.notebooks:
        assert isinstance(notebook.location, SourceLocation)
        assert notebook.location.line > 1
        shown = text.splitlines()[notebook.location.line - 1]
        assert json.dumps(notebook.address) in shown, notebook.address


def test_raw_state_lines_come_from_type_and_name() -> None:
    state = {
        "version": 4,
        "terraform_version": "1.9.8",
        "resources": [
            {
                "mode": "managed",
                "type": NB,
                "name": f"nb{i}",
                "provider": 'provider["registry.terraform.io/hashicorp/aws"]',
                "instances": [{"attributes": {"kms_key_id": None}}],
            }
            for i in range(5)
        ],
    }
    text = json.dumps(state, indent=1)
    inventory, _, _ = load_plan(text.encode(), "terraform.tfstate")
    assert len(inventory.notebooks) == 5
    for notebook in inventory.notebooks:
        assert isinstance(notebook.location, SourceLocation)
        name = notebook.address.rsplit(".", 1)[1]
        assert f'"name": "{name}"' in text.splitlines()[notebook.location.line]

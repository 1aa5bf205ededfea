"""The Terraform functions that read files: ``file``, ``fileexists``, ``filebase64`` and
``templatefile``, confined to the scanned directory's repository (``SourceTree.boundary``: a
path beyond it is unknown, never read), and never reading hidden files or directories
(``.git/config``, ``.env``: where secrets live).
"""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING

from cmkguard.sources.terraform import hcl
from cmkguard.sources.terraform.discovery import join
from cmkguard.sources.terraform.evaluated import EvalError, prefix, unknown_from, wrap
from cmkguard.sources.terraform.functions import Pending
from cmkguard.sources.terraform.modules import Scope
from cmkguard.values import Data, Known, Step, Trail, Unknown, Value

if TYPE_CHECKING:
    from cmkguard.sources.terraform.expressions import Evaluator


def _hidden(rel: str) -> bool:
    """True when a path names a hidden file or passes through a hidden directory (``.git``)."""
    return any(part.startswith(".") and part not in (".", "..") for part in rel.split("/"))


FILE_FUNCTIONS = frozenset({"file", "fileexists", "templatefile", "filebase64"})
"""The functions this module implements."""


def call(ev: Evaluator, name: str, data: list[Data], scope: Scope, trail: Trail) -> Value[Data]:
    """``file``, ``fileexists``, ``filebase64`` or ``templatefile`` on the scanned tree."""
    if not data:
        raise EvalError(f"{name}() needs a path")
    path = data[0]
    if isinstance(path, Pending):
        return wrap(unknown_from(path), trail)
    if not isinstance(path, str):
        raise EvalError(f"{name}(): the path must be a string")
    rel = join(scope.module.root_dir, path) if not path.startswith("/") else path
    if _hidden(ev.tree.package_part(rel)):
        # CI checkouts keep their token in .git/config and secrets in .env: a pull request
        # must not be able to print them into findings and evidence.
        why = f"{name}({path}): files in hidden directories or hidden files are not read"
        return Unknown(why, trail)
    step = Step(f"{name}({path})", rel if ev.tree.inside(rel) else None)
    if name == "fileexists":
        if not ev.tree.inside(rel):
            return Unknown(f"fileexists({path}): outside {ev.tree.boundary_name}", trail)
        return Known(ev.tree.path(rel).is_file(), (*trail, step))
    content = ev.tree.read(rel)
    if isinstance(content, str):
        if content.endswith("does not exist"):
            raise EvalError(f"{name}(): {content}")
        return Unknown(f"{name}(): {content}", (*trail, step))
    if name == "filebase64":
        return Known(base64.b64encode(content).decode(), (*trail, step))
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        raise EvalError(f"{name}(): {path} is not UTF-8 text") from None
    if name == "file":
        return Known(text, (*trail, step))
    if len(data) != 2 or not isinstance(data[1], dict):
        vars_data = data[1] if len(data) == 2 else None
        if isinstance(vars_data, Pending):
            return wrap(unknown_from(vars_data), trail)
        raise EvalError("templatefile() needs a path and a map of variables")
    template, problems = hcl.parse_template(text, rel, 1)
    if template is None:
        message = problems[0].message if problems else "cannot parse"
        raise EvalError(f"templatefile(): {message}", rel, problems[0].line if problems else None)
    names = {k: wrap(v) for k, v in data[1].items()}
    inner = Scope(scope.module, rel, names=names, only_names=True)
    return prefix(ev.evaluate(template, inner), *trail, step)

"""The CloudFormation entry point: templates (a tree or one file) to an ``Inventory``.

Each template is a stack evaluated with the parameter values given, except templates that a
scanned template uses as a nested stack (``AWS::CloudFormation::Stack`` whose ``TemplateURL``
is a local path, as ``aws cloudformation package`` takes it, or CDK's ``aws:asset:path``): those
are evaluated in their parent with the parameters it passes, and never on their own, as
CloudFormation deploys them. Findings are addressed ``template.yaml#LogicalId`` (nested:
``parent.yaml#Child/LogicalId``), with paths relative to the scanned argument.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cmkguard.cfninputs import StackInput
from cmkguard.errors import InputError
from cmkguard.inventory import Inventory, Notebook
from cmkguard.sources.cloudformation.build import InventoryBuilder, LoadedStack
from cmkguard.sources.cloudformation.discovery import (
    CdkStack,
    cdk_stacks,
    read_template,
    template_files,
)
from cmkguard.sources.cloudformation.intrinsics import STACK_REGION, Evaluator, Stack
from cmkguard.sources.cloudformation.parameters import given_values
from cmkguard.sources.cloudformation.template import Node, Template, line_of
from cmkguard.sources.interface import given_region
from cmkguard.values import Data, Known, Step, Symbol, Unknown, Value

STACK_TYPE = "AWS::CloudFormation::Stack"
_REMOTE = ("https://", "http://", "s3://")


@dataclass(slots=True)
class _Tree:
    """The templates of one scanned argument."""

    root: Path
    templates: dict[Path, Template] = field(default_factory=dict)
    errors: list[InputError] = field(default_factory=list)
    evaluated: set[Path] = field(default_factory=set)
    """Templates evaluated as a stack or nested stack so far."""

    def display(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def template(self, path: Path) -> Template | None:
        """A template of the tree, read on first use (nested templates outside the walk)."""
        if path not in self.templates:
            read = read_template(path, self.display(path))
            if isinstance(read, InputError):
                self.errors.append(read)
                return None
            if read is None:
                return None
            self.templates[path] = read
        return self.templates[path]


def deploy_region(env: Mapping[str, str], given: str | None = None) -> Value[str]:
    """``AWS::Region`` of stacks deployed from this environment: ``--region`` when ``given``,
    else, as the AWS CLI and SAM deploy, ``AWS_REGION`` (else ``AWS_DEFAULT_REGION``); with
    none, one region not named."""
    found = given_region(env, given)
    if found is None:
        return STACK_REGION
    region, origin = found
    return Known(region, (Step(f"AWS::Region {region} (from {origin})"),))


def load_cloudformation(
    paths: Sequence[Path],
    given: Sequence[StackInput] = (),
    env: Mapping[str, str] | None = None,
    region_flag: str | None = None,
) -> tuple[Inventory, list[InputError]]:
    """Load the notebooks of CloudFormation templates (directories searched by content, files
    taken as templates); ``region_flag`` is ``--region``. Never raises on bad input: problems
    are ``InputError``s."""
    values, errors = given_values(given)
    region = deploy_region(env or {}, region_flag)
    notebooks: list[Notebook] = []
    for path in paths:
        found, problems = _load_path(path, values, region)
        notebooks.extend(found)
        errors.extend(problems)
    return Inventory(tuple(notebooks)), errors


def _load_path(
    path: Path, values: dict[str, str | Unknown], region: Value[str]
) -> tuple[list[Notebook], list[InputError]]:
    if path.is_dir():
        tree = _Tree(path.resolve())
        for file in template_files(tree.root):
            tree.template(file)
        roots = [p for p in tree.templates if p not in _nested_files(tree)]
    else:
        tree = _Tree(path.resolve().parent)
        template = tree.template(path.resolve())
        roots = [path.resolve()] if template is not None else []
        if template is None and not tree.errors:
            # Named on the command line: a file that holds no template is not passed over.
            message = "not a CloudFormation template (no Resources with an AWS:: type)"
            tree.errors.append(InputError(tree.display(path.resolve()), None, message))
    notebooks: list[Notebook] = []
    # Roots first; then templates only nested in one another (a cycle), which no root reaches:
    # judged as roots too, so that the cycle is reported and their notebooks are not skipped.
    for file in [*roots, *(p for p in list(tree.templates) if p not in roots)]:
        if file in tree.evaluated:
            continue
        stacks: dict[str, LoadedStack] = {}
        cdk = cdk_stacks(file.parent).get(file.name)
        _open_stack(tree, file, _root_stack(tree.templates[file], values, cdk, region), stacks, ())
        builder = InventoryBuilder(stacks)
        notebooks.extend(builder.notebooks())
        for loaded in stacks.values():
            tree.errors.extend(e for e in loaded.evaluator.errors if e not in tree.errors)
        tree.errors.extend(e for e in builder.errors if e not in tree.errors)
    return notebooks, tree.errors


def _root_stack(
    template: Template,
    values: dict[str, str | Unknown],
    cdk: CdkStack | None,
    region: Value[str],
) -> tuple[Stack, tuple[Step, ...]]:
    declared = template.section("Parameters")
    parameters: dict[str, Data] = {k: v for k, v in values.items() if k in declared}
    account: str | Symbol = Symbol.CURRENT_ACCOUNT
    context: tuple[Step, ...] = ()
    if cdk is not None:
        context = (Step(f"CDK stack {cdk.name}", "manifest.json"),)
        if cdk.region is not None:
            region = Known(cdk.region, (Step(f"CDK environment region {cdk.region}"),))
        if cdk.account is not None:
            account = cdk.account
    stack = Stack(template, f"{template.path}#", parameters, region, account)
    return stack, context


def _open_stack(
    tree: _Tree,
    file: Path,
    made: tuple[Stack, tuple[Step, ...]],
    stacks: dict[str, LoadedStack],
    chain: tuple[Path, ...],
) -> Evaluator:
    """Evaluate one stack and, depth first, the nested stacks it declares."""
    stack, context = made
    tree.evaluated.add(file)
    children: dict[str, Evaluator] = {}
    # Each output once: outputs built from a child's outputs twice over, level after level,
    # would otherwise be evaluated exponentially often.
    outputs: dict[tuple[str, str], Data] = {}

    def output(child: str, name: str) -> Data:
        if child not in children:  # not opened (yet): not remembered
            return _output(children, child, name)
        if (child, name) not in outputs:
            outputs[child, name] = _output(children, child, name)
        return outputs[child, name]

    evaluator = Evaluator(stack, output)
    stacks[stack.prefix] = LoadedStack(evaluator, context)
    template = stack.template
    for logical, resource in template.resources.items():
        if resource.get("Type") != STACK_TYPE:
            continue
        line = template.resource_line(logical)
        child_file = _child_file(tree, file, evaluator, resource, line)
        if child_file is None:
            continue
        if child_file in (*chain, file):
            evaluator.errors.append(
                InputError(template.path, line, f"nested stack {logical} includes itself")
            )
            continue
        child = tree.template(child_file)
        if child is None:
            evaluator.errors.append(
                InputError(
                    template.path,
                    line,
                    f"nested stack {logical}: {tree.display(child_file)} "
                    "is not a readable template",
                )
            )
            continue
        parameters = _child_parameters(evaluator, resource, child)
        child_stack = Stack(
            child, f"{stack.target(logical)}/", parameters, stack.region, stack.account
        )
        step = Step(f"nested stack {stack.target(logical)}", template.path, line)
        children[logical] = _open_stack(
            tree, child_file, (child_stack, (*context, step)), stacks, (*chain, file)
        )
    return evaluator


def _output(children: dict[str, Evaluator], logical: str, name: str) -> Data:
    child = children.get(logical)
    if child is None:
        return Unknown(f"the template of nested stack {logical} is not in the scanned input")
    output = child.template.section("Outputs").get(name)
    if not isinstance(output, dict) or "Value" not in output:
        return Unknown(f"nested stack {logical} has no output {name}")
    found = child.value(output["Value"])
    if found is None:
        return None
    return found.value if isinstance(found, Known) else found


def _child_parameters(
    parent: Evaluator, resource: dict[str, Node], child: Template
) -> dict[str, Data]:
    properties = resource.get("Properties")
    given = properties.get("Parameters") if isinstance(properties, dict) else None
    if given is None:
        return {}
    evaluated = parent.value(given)
    if isinstance(evaluated, Unknown):
        return dict.fromkeys(child.section("Parameters"), evaluated)
    if evaluated is None or not isinstance(evaluated.value, dict):
        return {}
    return dict(evaluated.value)


def _child_file(
    tree: _Tree, file: Path, ev: Evaluator, resource: dict[str, Node], line: int
) -> Path | None:
    """The local template file of a nested stack, or ``None`` after recording why there is none
    (a nested stack whose template we cannot read may hold notebooks: never silent)."""
    metadata = resource.get("Metadata")
    asset = metadata.get("aws:asset:path") if isinstance(metadata, dict) else None
    if isinstance(asset, str) and (file.parent / asset).is_file():
        local = (file.parent / asset).resolve()
        # The same boundary as TemplateURL's below: a CDK asset path is scanned text too.
        if local.is_relative_to(tree.root):
            return local
        message = f"nested stack template {asset} is not in the scanned tree"
        ev.errors.append(InputError(ev.template.path, line, message))
        return None
    properties = resource.get("Properties")
    url_node = properties.get("TemplateURL") if isinstance(properties, dict) else None
    template = ev.template
    url = ev.value(url_node) if url_node is not None else None
    where = line_of(url_node) or line
    if not isinstance(url, Known) or not isinstance(url.value, str):
        why = url.why if isinstance(url, Unknown) else "it has no TemplateURL"
        ev.errors.append(
            InputError(template.path, where, f"nested stack template is not known: {why}")
        )
        return None
    if url.value.startswith(_REMOTE):
        ev.errors.append(
            InputError(
                template.path,
                where,
                f"nested stack template {url.value} is not in the scanned tree: it may hold "
                "notebooks (scan the local template given to `aws cloudformation package`)",
            )
        )
        return None
    child = (file.parent / url.value).resolve()
    if not child.is_relative_to(tree.root) or not child.is_file():
        ev.errors.append(
            InputError(
                template.path,
                where,
                f"nested stack template {url.value} is not in the scanned tree",
            )
        )
        return None
    return child


def _nested_files(tree: _Tree) -> set[Path]:
    """Template files some scanned template uses as a nested stack (best effort, literal
    ``TemplateURL``s and CDK asset paths)."""
    nested: set[Path] = set()
    for file, template in tree.templates.items():
        for resource in template.resources.values():
            if resource.get("Type") != STACK_TYPE:
                continue
            metadata = resource.get("Metadata")
            asset = metadata.get("aws:asset:path") if isinstance(metadata, dict) else None
            properties = resource.get("Properties")
            url = properties.get("TemplateURL") if isinstance(properties, dict) else None
            for name in (asset, url):
                if isinstance(name, str) and not name.startswith(_REMOTE):
                    nested.add((file.parent / name).resolve())
    return nested

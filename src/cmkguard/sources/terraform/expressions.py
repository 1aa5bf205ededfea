"""The lazy evaluator: Terraform expressions to ``Known``/``Unknown`` values with evidence trails.

Nothing is evaluated until something asks: a notebook's ``kms_key_id`` pulls in the locals,
variables, module outputs and resource attributes it references, and nothing else. Every named
value (``var.x``, ``local.x``, module outputs, resource attributes, ``count``/``for_each``
expansions) is computed once per module instance.

Values are ``values.Data``: JSON-like data with ``Ref`` (an attribute the provider computes, known
only after apply, but the same object whenever referenced) and ``Unknown`` parts kept in place.
An expression Terraform would reject raises ``EvalError`` internally (``try``/``can`` catch it);
the public ``value`` turns it into an ``Unknown`` naming the problem.

The value kinds and helpers it computes with live in ``evaluated.py``; what the AWS provider
says about regions, accounts and its data sources in ``aws_provider.py``; how ``count``,
``for_each`` and ``dynamic`` make instances in ``expansion.py``; the functions that read files in
``file_functions.py``; the rest of the function table in ``functions.py``.
"""

from __future__ import annotations

import json
import posixpath
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import TypeAlias

from cmkguard.address import render_key
from cmkguard.errors import InputError
from cmkguard.sources import kms_resources
from cmkguard.sources.terraform import (
    aws_provider,
    file_functions,
    functions,
    hcl,
    partly_known,
)
from cmkguard.sources.terraform.ast import (
    Binary,
    Block,
    Body,
    Call,
    Conditional,
    Expr,
    ForExpr,
    GetAttr,
    Index,
    ObjectExpr,
    Splat,
    SplatItem,
    Template,
    TemplateFor,
    TemplateIf,
    TupleExpr,
    Unary,
    Unsupported,
    Variable,
)
from cmkguard.sources.terraform.ast import Literal as LiteralExpr
from cmkguard.sources.terraform.conversions import (
    ConversionError,
    TypeSyntaxError,
    convert_to,
    parse_type,
)
from cmkguard.sources.terraform.discovery import ModuleSource, SourceTree
from cmkguard.sources.terraform.environment import TerraformEnvironment
from cmkguard.sources.terraform.evaluated import (
    AttrStr,
    EvalError,
    LimitError,
    Mode,
    ObjectRef,
    Partial,
    Piece,
    ResourceInstance,
    arith,
    as_bool,
    as_number,
    call_shape,
    data_of,
    first_unknown,
    items_of,
    partial,
    pieces_of,
    prefix,
    trails,
    unknown_from,
    wrap,
)
from cmkguard.sources.terraform.expansion import expand_count, expand_for_each, module_instances
from cmkguard.sources.terraform.functions import Pending
from cmkguard.sources.terraform.modules import (
    SINGLE,
    Expansion,
    ModuleInstance,
    ProviderConfig,
    Scope,
    find_provider,
    join_address,
    resource_provider_key,
)
from cmkguard.sources.terraform.variables import Assignment, parses_as_expression
from cmkguard.values import (
    Data,
    Known,
    Ref,
    Step,
    Symbol,
    Unknown,
    Value,
)

MAX_DEPTH = 150
"""Deeper nesting of expressions and references than this is reported, not followed."""

# Bounds on the work one root module may cause (issue 8): a pull request's "billion laughs" of
# doubling locals must end in UNKNOWN, not exhaust the CI runner's memory or time.
MAX_STEPS = 1_000_000
"""Expressions evaluated for one root module."""
MAX_STRING = 1024 * 1024
"""Characters in one string value."""
MAX_ITEMS = 100_000
"""Elements or attributes in one list, set or object value."""
_DEADLINE_EVERY = 64
"""Steps between two looks at the clock for ``--timeout``."""


TemplatePart: TypeAlias = "str | Expr | TemplateIf | TemplateFor"
_SPLAT = "*"  # not a Terraform identifier: the splat element's name in Scope.names


PolicyBuilder: TypeAlias = "Callable[[Evaluator, ResourceInstance], Value[Data]]"


class Evaluator:
    """Evaluates one root module's configuration lazily, memoising per module instance."""

    def __init__(
        self,
        tree: SourceTree,
        root: ModuleInstance,
        assignments: Mapping[str, Assignment],
        policy_document: PolicyBuilder,
        environment: TerraformEnvironment | None = None,
    ) -> None:
        """``assignments`` are the root variables' values from outside the configuration;
        ``policy_document`` builds ``data.aws_iam_policy_document`` documents; ``environment``
        gives the workspace and the default region."""
        self.tree = tree
        self.root = root
        self.assignments = assignments
        environment = environment or TerraformEnvironment()
        workspace = environment.workspace_of(tree.root / root.root_dir)
        self.workspace: Value[Data] = Known(workspace.value, workspace.trail)
        """``terraform.workspace``, with where it came from."""
        self.default_region = environment.default_region()
        """The region of provider configurations without ``region``, when the run gives one."""
        self.deadline = environment.deadline
        """The scan's ``--timeout``: once it passes, every expression evaluates to unknown."""
        self.timed_out = False
        """Whether evaluation stopped at the deadline (the root module was cut short)."""
        self.errors: list[InputError] = []
        self._policy_document = policy_document
        self._memo: dict[tuple[str, ...], Value[Data] | EvalError] = {}
        self._stack: list[tuple[tuple[str, ...], str]] = []
        self._depth = 0
        self._steps = 0
        self._objects: dict[str, ResourceInstance | ModuleInstance] = {"": root}
        self._expansions: dict[tuple[str, str, str, str], Expansion] = {}
        self._children: dict[
            tuple[str, str], tuple[Expansion, tuple[ModuleInstance, ...]] | Unknown
        ] = {}
        self._regions: dict[tuple[str, str], Value[str]] = {}

    # ---------------------------------------------------------------- public API

    def value(self, expr: Expr, scope: Scope) -> Value[Data]:
        """Evaluate ``expr``; an expression Terraform would reject gives ``Unknown``."""
        try:
            return self.evaluate(expr, scope)
        except EvalError as exc:
            return Unknown(exc.why)
        except RecursionError:
            return Unknown(f"expression nested too deeply ({scope.file})")

    def attribute(self, body: Body, name: str, scope: Scope) -> Value[Data] | None:
        """The value of argument ``name`` of a block body, with a step naming it; ``None`` when
        the body does not set it."""
        attr = body.attributes.get(name)
        if attr is None:
            return None
        return prefix(self.value(attr.expr, scope), Step(name, scope.file, attr.line))

    def lookup(self, target: str) -> ResourceInstance | ModuleInstance | None:
        """The resource, data source or module instance a ``Ref`` target names."""
        return self._objects.get(target)

    def resource_expansion(self, module: ModuleInstance, block: Block) -> Expansion:
        """The instances of a resource or data block (``count``/``for_each``), memoised."""
        mode: Mode = "data" if block.type == "data" else "managed"
        memo_key = (module.address, mode, block.labels[0], block.labels[1])
        found = self._expansions.get(memo_key)
        if found is not None:
            return found
        local = f"{'data.' if mode == 'data' else ''}{block.labels[0]}.{block.labels[1]}"
        if block.invalid is not None:
            step = Step(block.invalid, block.file, block.line)
            expansion = Expansion(SINGLE.instances, False, Unknown(block.invalid, (step,)))
        else:
            expansion = self.expand(
                block.body, Scope(module, block.file), join_address(module.address, local)
            )
        self._expansions[memo_key] = expansion
        for inst in expansion.instances:
            address = join_address(module.address, local + render_key(inst.key))
            scope = Scope(module, block.file, inst.each, inst.count)
            self._objects.setdefault(
                address, ResourceInstance(module, block, mode, inst.key, scope, address)
            )
        return expansion

    def resource_instances(self, module: ModuleInstance, block: Block) -> list[ResourceInstance]:
        """The ``ResourceInstance`` objects of a block, in key order."""
        expansion = self.resource_expansion(module, block)
        mode = "data." if block.type == "data" else ""
        local = f"{mode}{block.labels[0]}.{block.labels[1]}"
        found = []
        for inst in expansion.instances:
            obj = self._objects.get(join_address(module.address, local + render_key(inst.key)))
            if isinstance(obj, ResourceInstance):
                found.append(obj)
        return found

    def expand(self, body: Body, scope: Scope, label: str) -> Expansion:
        """The instances ``count``/``for_each`` of a block make (``label`` names the block)."""
        count = body.attributes.get("count")
        for_each = body.attributes.get("for_each")
        if count is not None:
            return expand_count(self.value(count.expr, scope), label)
        if for_each is not None:
            return expand_for_each(self.value(for_each.expr, scope), label)
        return SINGLE

    def children(
        self, module: ModuleInstance, name: str
    ) -> tuple[Expansion, tuple[ModuleInstance, ...]] | Unknown:
        """The instances of the module call ``name`` in ``module``, or why it cannot be read."""
        memo_key = (module.address, name)
        found = self._children.get(memo_key)
        if found is not None:
            return found
        result = module_instances(self, module, name)
        if not isinstance(result, Unknown):
            for child in result[1]:
                self._objects.setdefault(child.address, child)
        self._children[memo_key] = result
        return result

    def call_source(self, module: ModuleInstance, name: str) -> ModuleSource:
        """Where the module called ``name`` in ``module`` lives, without instantiating it."""
        call = module.config.modules[name]
        source_attr = call.body.attributes.get("source")
        source = None
        if source_attr is not None and isinstance(source_attr.expr, LiteralExpr):
            source = source_attr.expr.value
        if not isinstance(source, str):
            return ModuleSource(None, f"module {name} has no literal source", True)
        key_path = f"{module.key_path}.{name}" if module.key_path else name
        return self.tree.resolve_source(module.dir, source, module.root_dir, key_path)

    def call_dir(self, module: ModuleInstance, name: str) -> str | None:
        """The directory of a module call's source, when it can be read."""
        return self.call_source(module, name).dir

    def provider(self, module: ModuleInstance, block: Block) -> ProviderConfig | Unknown:
        """The provider configuration a resource or data block uses."""
        return find_provider(module, resource_provider_key(block))

    def provider_region(self, provider: ProviderConfig | Unknown) -> Value[str]:
        """The ``region`` of a provider configuration (one value per configuration, so that two
        resources through the same configuration share even an unknown region)."""
        if isinstance(provider, Unknown):
            return provider
        memo_key = (provider.module.address, provider.key)
        found = self._regions.get(memo_key)
        if found is not None:
            return found
        result = aws_provider.configured_region(self, provider)
        self._regions[memo_key] = result
        return result

    def region(self, module: ModuleInstance, block: Block, scope: Scope) -> Value[str]:
        """The region of a resource (see ``aws_provider.resource_region``)."""
        return aws_provider.resource_region(self, module, block, scope)

    def account(self, module: ModuleInstance, block: Block) -> Value[str | Symbol]:
        """The account a resource is created in (see ``aws_provider.account``)."""
        return aws_provider.account(self, module, block)

    # ---------------------------------------------------------------- expressions

    def evaluate(self, expr: Expr, scope: Scope) -> Value[Data]:
        """Evaluate ``expr`` in ``scope``; raises ``EvalError`` where Terraform would fail."""
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise LimitError(
                    "expressions and references nested too deeply", scope.file, expr.line
                )
            self._steps += 1
            if self._steps > MAX_STEPS:
                raise LimitError(f"evaluation over cmkguard's limit of {MAX_STEPS:,} steps")
            # Sticky once passed: ``try()`` and ``can()`` catch errors, and a fallback
            # evaluated after the deadline must not be the value that decides a PASS.
            if self.timed_out or (self._steps % _DEADLINE_EVERY == 0 and self.deadline.passed()):
                self.timed_out = True
                raise LimitError(f"evaluation stopped: {self.deadline.reason}")
            return _bounded(self._dispatch(expr, scope))
        except EvalError as exc:
            if exc.file is None:
                raise type(exc)(exc.message, scope.file, expr.line) from None
            raise
        finally:
            self._depth -= 1

    def _dispatch(self, expr: Expr, scope: Scope) -> Value[Data]:
        match expr:
            case LiteralExpr(value=value):
                return Known(value)
            case Template(parts=parts):
                if len(parts) == 1 and not isinstance(parts[0], str | TemplateIf | TemplateFor):
                    return self.evaluate(parts[0], scope)
                return self._template(parts, scope)
            case Variable() | GetAttr() | Index():
                return self._traversal(expr, scope)
            case SplatItem():
                item = scope.names.get(_SPLAT)
                if item is None:
                    raise EvalError("splat element outside a splat")
                return item
            case Splat(source=source, each=each):
                return self._splat(self.evaluate(source, scope), each, scope)
            case TupleExpr(items=items):
                values = [self.evaluate(item, scope) for item in items]
                return Known([data_of(v) for v in values], trails(*values))
            case ObjectExpr(items=items):
                return self._object(items, scope)
            case Call():
                return self._call(expr, scope)
            case Conditional():
                return self._conditional(expr, scope)
            case Unary(op=op, operand=operand):
                return self._unary(op, self.evaluate(operand, scope))
            case Binary():
                return self._binary(expr, scope)
            case ForExpr():
                return self._for(expr, scope)
            case Unsupported(what=what, rejected=True):
                return Unknown(f"{what} ({scope.file}:{expr.line})")
            case Unsupported(what=what):
                return Unknown(f"{what} is not evaluated ({scope.file}:{expr.line})")
        raise EvalError(f"unexpected expression {type(expr).__name__}")

    def _template(self, parts: Sequence[TemplatePart], scope: Scope) -> Value[Data]:
        pieces: list[Piece] = []
        trail: list[Value[Data]] = []
        self._render(parts, scope, pieces, trail)
        return partial(pieces, trails(*trail))

    def _render(
        self,
        parts: Sequence[TemplatePart],
        scope: Scope,
        pieces: list[Piece],
        trail: list[Value[Data]],
    ) -> None:
        for part in parts:
            if isinstance(part, str):
                pieces.append(part)
            elif isinstance(part, TemplateIf):
                condition = self.evaluate(part.condition, scope)
                trail.append(condition)
                data = data_of(condition)
                if isinstance(data, Pending):
                    pieces.append(unknown_from(data))
                    continue
                branch = part.then if as_bool(data, "template if") else part.otherwise
                self._render(branch, scope, pieces, trail)
            elif isinstance(part, TemplateFor):
                collection = self.evaluate(part.collection, scope)
                trail.append(collection)
                data = data_of(collection)
                if isinstance(data, Pending):
                    pieces.append(unknown_from(data))
                    continue
                for key, item in items_of(data, "template for"):
                    names = {part.value_var: wrap(item)}
                    if part.key_var is not None:
                        names[part.key_var] = Known(key)
                    self._render(part.body, scope.bind(**names), pieces, trail)
            else:
                value = self.evaluate(part, scope)
                trail.append(value)
                try:
                    pieces.extend(pieces_of(data_of(value)))
                except functions.FunctionError as exc:
                    raise EvalError(f"template interpolation: {exc}") from None

    def _object(self, items: Sequence[tuple[Expr, Expr]], scope: Scope) -> Value[Data]:
        result: dict[str, Data] = {}
        values: list[Value[Data]] = []
        for key_expr, value_expr in items:
            key_value = self.evaluate(key_expr, scope)
            key = data_of(key_value)
            if isinstance(key, Pending):
                return Unknown(
                    f"an object key is not known: {unknown_from(key).why}", key_value.trail
                )
            text = functions.to_text(key) if not isinstance(key, list | dict) else None
            if not isinstance(text, str):
                raise EvalError("an object key must be a string")
            value = self.evaluate(value_expr, scope)
            values.append(value)
            result[text] = data_of(value)
        return Known(result, trails(*values))

    def _conditional(self, expr: Conditional, scope: Scope) -> Value[Data]:
        condition = self.evaluate(expr.condition, scope)
        data = data_of(condition)
        if not isinstance(data, Pending):
            chosen = expr.then if as_bool(data, "condition") else expr.otherwise
            result = self.evaluate(chosen, scope)
            return prefix(result, *condition.trail)
        then = self.evaluate(expr.then, scope)
        otherwise = self.evaluate(expr.otherwise, scope)
        if (
            isinstance(then, Known)
            and isinstance(otherwise, Known)
            and functions.equal(then.value, otherwise.value)
        ):
            return Known(then.value, trails(condition, then))
        why = unknown_from(data).why
        return Unknown(f"the condition is not known: {why}", trails(condition))

    def _unary(self, op: str, operand: Value[Data]) -> Value[Data]:
        data = data_of(operand)
        if isinstance(data, Pending):
            return wrap(unknown_from(data), operand.trail)
        if op == "!":
            return Known(not as_bool(data, "!"), operand.trail)
        return Known(-as_number(data, "-"), operand.trail)

    def _binary(self, expr: Binary, scope: Scope) -> Value[Data]:
        op = expr.op
        left = self.evaluate(expr.left, scope)
        right = self.evaluate(expr.right, scope)
        trail = trails(left, right)
        a, b = data_of(left), data_of(right)
        if op in ("==", "!="):
            same = functions.equal(a, b)
            if same is None:
                hole = first_unknown(a) or first_unknown(b)
                why = unknown_from(hole).why if hole is not None else "a value is not known"
                return Unknown(why, trail)
            return Known(same if op == "==" else not same, trail)
        if op in ("&&", "||"):
            decisive = op == "||"
            known = [x for x in (a, b) if not isinstance(x, Pending)]
            if any(as_bool(x, op) is decisive for x in known):
                return Known(decisive, trail)
            if len(known) == 2:
                return Known(not decisive, trail)
            holes = [x for x in (a, b) if isinstance(x, Pending)]
            return Unknown(unknown_from(holes[0]).why, trail)
        for side in (a, b):
            if isinstance(side, Pending):
                return Unknown(unknown_from(side).why, trail)
        return Known(arith(op, as_number(a, op), as_number(b, op)), trail)

    def _for(self, expr: ForExpr, scope: Scope) -> Value[Data]:
        collection = self.evaluate(expr.collection, scope)
        data = data_of(collection)
        if isinstance(data, Pending):
            # Not the collection's possible elements: the ``for`` maps them to others.
            return wrap(replace(unknown_from(data), items=None), collection.trail)
        values: list[Value[Data]] = [collection]
        out_list: list[Data] = []
        out_map: dict[str, Data] = {}
        groups: dict[str, list[Data]] = {}
        # A list ``for`` whose ``if`` is unknown for some elements: each such element may or may
        # not be in the result (kept with its certainty, see ``values.Unknown.items``).
        maybe: Unknown | None = None
        certain: list[bool] = []
        for key, item in items_of(data, "for"):
            names = {expr.value_var: wrap(item)}
            if expr.key_var is not None:
                names[expr.key_var] = Known(key)
            inner = scope.bind(**names)
            present = True
            if expr.condition is not None:
                keep = self.evaluate(expr.condition, inner)
                cond = data_of(keep)
                if isinstance(cond, Pending):
                    unknown = Unknown(
                        f"a for condition is not known: {unknown_from(cond).why}", keep.trail
                    )
                    if expr.key is not None:
                        return unknown
                    maybe, present = maybe or unknown, False
                elif not as_bool(cond, "for condition"):
                    continue
            value = self.evaluate(expr.value, inner)
            values.append(value)
            if expr.key is None:
                out_list.append(data_of(value))
                certain.append(present)
                continue
            key_value = self.evaluate(expr.key, inner)
            k = data_of(key_value)
            if isinstance(k, Pending):
                return Unknown(f"a for key is not known: {unknown_from(k).why}", key_value.trail)
            text = functions.to_text(k) if not isinstance(k, list | dict) else None
            if not isinstance(text, str):
                raise EvalError("a for key must be a string")
            if expr.group:
                groups.setdefault(text, []).append(data_of(value))
            elif text in out_map:
                raise EvalError(f"duplicate key {text!r} in a for expression (use ... to group)")
            else:
                out_map[text] = data_of(value)
        trail = trails(*values)
        if maybe is not None:
            return replace(maybe, items=tuple(zip(out_list, certain, strict=True)))
        if expr.key is None:
            return Known(out_list, trail)
        if expr.group:
            return Known(dict(groups), trail)
        return Known(out_map, trail)

    def _splat(self, source: Value[Data], each: Expr, scope: Scope) -> Value[Data]:
        data = data_of(source)
        if isinstance(data, Unknown):
            return replace(data, items=None)
        if data is None:
            return Known([], source.trail)
        items = data if isinstance(data, list) else [data]
        results = [self.evaluate(each, scope.bind(**{_SPLAT: wrap(item)})) for item in items]
        return Known([data_of(r) for r in results], trails(source, *results))

    # ---------------------------------------------------------------- traversals

    def _traversal(self, expr: Expr, scope: Scope) -> Value[Data]:
        steps: list[GetAttr | Index] = []
        node = expr
        while isinstance(node, GetAttr | Index):
            steps.append(node)
            node = node.obj
        steps.reverse()
        if isinstance(node, Variable):
            value, used = self._reference(node, steps, scope)
            rest = steps[used:]
        else:
            value, rest = self.evaluate(node, scope), steps
        for step in rest:
            value = self._step(value, step, scope)
        return value

    def _step(self, value: Value[Data], step: GetAttr | Index, scope: Scope) -> Value[Data]:
        data = data_of(value)
        if isinstance(step, GetAttr):
            return prefix(self._get_attr(data, step.name), *value.trail)
        key_value = self.evaluate(step.key, scope)
        key = data_of(key_value)
        trail = trails(value, key_value)
        if isinstance(data, Unknown):
            return wrap(Unknown(data.why), trail)
        if isinstance(key, Pending):
            return wrap(unknown_from(key), trail)
        if isinstance(data, ObjectRef):
            raise EvalError(f"{data.target} is not a list or map")
        if isinstance(data, Ref):
            return Known(Ref(data.target, f"{data.attribute}[{json.dumps(key)}]"), trail)
        if isinstance(data, list):
            index = as_number(key, "index")
            if index != int(index) or not 0 <= index < len(data):
                raise EvalError(f"index {key} out of range for a list of {len(data)}")
            return wrap(data[int(index)], trail)
        if isinstance(data, dict):
            text = functions.to_text(key) if not isinstance(key, list | dict) else None
            if not isinstance(text, str) or text not in data:
                raise EvalError(f"the map has no element {key!r}")
            return wrap(data[text], trail)
        raise EvalError("only lists and maps can be indexed")

    def _get_attr(self, data: Data, name: str) -> Value[Data]:
        if isinstance(data, Unknown):
            return Unknown(data.why)
        if isinstance(data, ObjectRef):
            target = self._objects.get(data.target)
            if isinstance(target, ModuleInstance):
                return self._output(target, name)
            if isinstance(target, ResourceInstance):
                return self._resource_attr(target, name)
            raise EvalError(f"{data.target} is not declared")
        if isinstance(data, Ref):
            return Known(Ref(data.target, f"{data.attribute}.{name}"))
        if isinstance(data, dict):
            if name not in data:
                raise EvalError(f"the object has no attribute {name!r}")
            return wrap(data[name])
        if isinstance(data, list):
            raise EvalError(f"a list has no attribute {name!r} (use [*].{name} or an index)")
        raise EvalError(f"a {type(data).__name__} value has no attribute {name!r}")

    def _attr_name(self, steps: Sequence[GetAttr | Index], at: int, what: str) -> str:
        step = steps[at] if at < len(steps) else None
        if not isinstance(step, GetAttr):
            raise EvalError(f"{what} must be followed by an attribute name")
        return step.name

    def _reference(
        self, root: Variable, steps: Sequence[GetAttr | Index], scope: Scope
    ) -> tuple[Value[Data], int]:
        """Resolve a reference; returns the value and how many steps it consumed."""
        name = root.name
        bound = scope.names.get(name)
        if bound is not None:
            return bound, 0
        if scope.only_names:
            raise EvalError(f"{name} cannot be referenced here")
        module = scope.module
        if name == "var":
            return self._variable(module, self._attr_name(steps, 0, "var")), 1
        if name == "local":
            return self._local(module, self._attr_name(steps, 0, "local")), 1
        if name == "module":
            return self._module_value(module, self._attr_name(steps, 0, "module")), 1
        if name == "data":
            data_type = self._attr_name(steps, 0, "data")
            data_name = self._attr_name(steps, 1, f"data.{data_type}")
            return self._collection(module, "data", data_type, data_name), 2
        if name == "each":
            return self._each(scope, self._attr_name(steps, 0, "each")), 1
        if name == "count":
            if self._attr_name(steps, 0, "count") != "index" or scope.count is None:
                raise EvalError("count.index is only available in a block with count")
            return wrap(scope.count), 1
        if name == "path":
            return self._path(module, self._attr_name(steps, 0, "path")), 1
        if name == "terraform":
            if self._attr_name(steps, 0, "terraform") != "workspace":
                return Unknown("terraform.* other than workspace is not evaluated"), 1
            return self.workspace, 1
        if name == "self":
            return Unknown("self is not evaluated"), 0
        if "_" in name and steps and isinstance(steps[0], GetAttr):
            return self._collection(module, "managed", name, steps[0].name), 1
        raise EvalError(f"unknown reference {name!r}")

    def _each(self, scope: Scope, attr: str) -> Value[Data]:
        each = scope.each
        if each is None:
            raise EvalError("each is only available in a block with for_each")
        if isinstance(each, Unknown):
            return each
        if attr == "key":
            return wrap(each[0])
        if attr == "value":
            return wrap(each[1])
        raise EvalError(f"each has no attribute {attr!r}")

    def _path(self, module: ModuleInstance, attr: str) -> Value[Data]:
        if attr == "module":
            return Known(posixpath.relpath(module.dir, module.root_dir))
        if attr in ("root", "cwd"):
            return Known(".")
        raise EvalError(f"path has no attribute {attr!r}")

    # ---------------------------------------------------------------- named values

    def _memoised(
        self, key: tuple[str, ...], label: str, compute: Callable[[], Value[Data]]
    ) -> Value[Data]:
        found = self._memo.get(key)
        if isinstance(found, EvalError):
            raise found
        if found is not None:
            return found
        for pos, (active, _) in enumerate(self._stack):
            if active == key:
                chain = " → ".join([lbl for _, lbl in self._stack[pos:]] + [label])
                return Unknown(f"cycle: {chain}")
        self._stack.append((key, label))
        try:
            result: Value[Data] | EvalError = compute()
        except EvalError as exc:
            result = exc
        finally:
            self._stack.pop()
        self._memo[key] = result
        if isinstance(result, EvalError):
            raise result
        return result

    def _cycle_check(self, label: str, file: str, line: int, value: Value[Data]) -> Value[Data]:
        """Report a reference cycle once, where it closes."""
        if isinstance(value, Unknown) and value.why.startswith("cycle: ") and not value.trail:
            error = InputError(file, line, value.why)
            if error not in self.errors:
                self.errors.append(error)
            return Unknown(value.why, (Step(label, file, line),))
        return value

    def _variable(self, module: ModuleInstance, name: str) -> Value[Data]:
        decl = module.config.variables.get(name)
        if decl is None:
            raise EvalError(f"var.{name} is not declared in {module.describe()}")
        label = f"var.{name}" if not module.address else f"{module.address}.var.{name}"
        step = Step(f"var.{name}", decl.file, decl.line)
        value = self._memoised(
            ("var", module.address, name), label, lambda: self._variable_value(module, name, decl)
        )
        return prefix(self._cycle_check(label, decl.file, decl.line, value), step)

    def _variable_value(self, module: ModuleInstance, name: str, decl: Block) -> Value[Data]:
        body = decl.body
        type_attr = body.attributes.get("type")
        type_expr = type_attr.expr if type_attr is not None else None
        nullable_attr = body.attributes.get("nullable")
        nullable = not (
            nullable_attr is not None
            and isinstance(nullable_attr.expr, LiteralExpr)
            and nullable_attr.expr.value is False
        )
        constant = Scope(module, decl.file, only_names=True)
        try:
            kind = parse_type(type_expr, lambda e: data_of(self.value(e, constant)))
        except TypeSyntaxError as exc:
            return Unknown(f"var.{name}: invalid type constraint: {exc}")
        given = self._given(module, name, parses_as_expression(type_expr, kind))
        default_attr = body.attributes.get("default")
        if given is None or (not nullable and isinstance(given, Known) and given.value is None):
            if default_attr is None:
                if module.parent is None:
                    return Unknown(
                        f"var.{name} has no value (set it with --var, --var-file or TF_VAR_{name})"
                    )
                call = module.call
                where = f" ({call.file}:{call.line})" if call is not None else ""
                return Unknown(f"{module.address} does not set the required input {name}{where}")
            given = prefix(
                self.evaluate(default_attr.expr, Scope(module, decl.file, only_names=True)),
                Step(f"default of var.{name}", decl.file, default_attr.line),
            )
        data = data_of(given)
        try:
            converted = convert_to(data, kind)
        except ConversionError as exc:
            return Unknown(f"var.{name}: {exc}", given.trail)
        return wrap(converted, given.trail)

    def _given(self, module: ModuleInstance, name: str, raw_parses: bool) -> Value[Data] | None:
        """The value a variable is given: module call argument, or root assignment."""
        if module.parent is not None:
            call, call_scope = module.call, module.call_scope
            if call is None or call_scope is None:
                return None
            attr = call.body.attributes.get(name)
            if attr is None:
                return None
            step = Step(f"module.{call.labels[0]} input {name}", call.file, attr.line)
            return prefix(self.evaluate(attr.expr, call_scope), step)
        assignment = self.assignments.get(name)
        if assignment is None:
            return None
        constant = Scope(module, assignment.step.file or "<input>", only_names=True)
        if assignment.expr is not None:
            return prefix(self.evaluate(assignment.expr, constant), assignment.step)
        raw = assignment.raw or ""
        if not raw_parses:
            return Known(raw, (assignment.step,))
        parsed, problems = hcl.parse_expression(raw, assignment.step.label)
        if parsed is None:
            message = problems[0].message if problems else "not an expression"
            return Unknown(f"{assignment.step.label}: {message}", (assignment.step,))
        return prefix(self.evaluate(parsed, constant), assignment.step)

    def _local(self, module: ModuleInstance, name: str) -> Value[Data]:
        local = module.config.locals.get(name)
        if local is None:
            raise EvalError(f"local.{name} is not declared in {module.describe()}")
        label = f"local.{name}" if not module.address else f"{module.address}.local.{name}"
        value = self._memoised(
            ("local", module.address, name),
            label,
            lambda: self.evaluate(local.expr, Scope(module, local.file)),
        )
        value = self._cycle_check(label, local.file, local.line, value)
        return prefix(value, Step(f"local.{name}", local.file, local.line))

    def _module_value(self, module: ModuleInstance, name: str) -> Value[Data]:
        if name not in module.config.modules:
            raise EvalError(f"module.{name} is not declared in {module.describe()}")
        children = self.children(module, name)
        if isinstance(children, Unknown):
            return children
        expansion, instances = children
        if expansion.unknown is not None:
            return expansion.unknown
        if not expansion.keyed:
            return Known(ObjectRef(instances[0].address, ""))
        refs = [
            (inst.key, ObjectRef(child.address, ""))
            for inst, child in zip(expansion.instances, instances, strict=True)
        ]
        if all(isinstance(k, int) for k, _ in refs):
            return Known([r for _, r in refs])
        return Known({str(k): r for k, r in refs})

    def _output(self, module: ModuleInstance, name: str) -> Value[Data]:
        if module.unknown is not None:
            return module.unknown
        decl = module.config.outputs.get(name)
        if decl is None:
            raise EvalError(f"{module.address} has no output {name!r}")
        value_attr = decl.body.attributes.get("value")
        if value_attr is None:
            return Known(None)
        label = f"{module.address}.{name}"
        value = self._memoised(
            ("output", module.address, name),
            label,
            lambda: self.evaluate(value_attr.expr, Scope(module, decl.file)),
        )
        value = self._cycle_check(label, decl.file, decl.line, value)
        return prefix(value, Step(label, decl.file, value_attr.line))

    def _collection(self, module: ModuleInstance, mode: Mode, rtype: str, name: str) -> Value[Data]:
        table = module.config.data if mode == "data" else module.config.resources
        block = table.get((rtype, name))
        local = f"{'data.' if mode == 'data' else ''}{rtype}.{name}"
        if block is None:
            raise EvalError(f"{local} is not declared in {module.describe()}")
        expansion = self.resource_expansion(module, block)
        if expansion.unknown is not None:
            return expansion.unknown
        address = join_address(module.address, local)
        if not expansion.keyed:
            return Known(ObjectRef(address, ""))
        refs = [(i.key, ObjectRef(address + render_key(i.key), "")) for i in expansion.instances]
        if block.body.attributes.get("count") is not None:
            return Known([r for _, r in refs])
        return Known({str(k): r for k, r in refs})

    def _resource_attr(self, resource: ResourceInstance, name: str) -> Value[Data]:
        label = f"{resource.address}.{name}"
        block = resource.block
        value = self._memoised(
            ("attr", resource.address, name), label, lambda: self._compute_attr(resource, name)
        )
        value = self._cycle_check(label, block.file, block.line, value)
        return prefix(value, Step(label, block.file, block.line))

    def _compute_attr(self, resource: ResourceInstance, name: str) -> Value[Data]:
        if resource.mode == "data":
            special = aws_provider.data_attribute(self, resource, name)
            if special is not None:
                return special
        attr = resource.block.body.attributes.get(name)
        if attr is None or name in ("count", "for_each", "provider", "depends_on", "lifecycle"):
            return Known(Ref(resource.address, name, name=self._role_name(resource, name)))
        value = self.evaluate(attr.expr, resource.scope)
        if (
            isinstance(value, Known)
            and isinstance(value.value, str)
            and not isinstance(value.value, AttrStr)
        ):
            return Known(AttrStr(value.value, Ref(resource.address, name)), value.trail)
        return value

    def _role_name(self, resource: ResourceInstance, name: str) -> str | None:
        """The fixed name of an IAM role whose ``arn`` is referenced: key policies that name other
        roles by literal ARN can then be told apart from it (``Ref.name``)."""
        if resource.mode == "data" or resource.type != "aws_iam_role" or name != "arn":
            return None
        if "name" not in resource.block.body.attributes:
            return None
        # Through the memo and its cycle check: a name may (wrongly) refer to the role's arn.
        value = self._resource_attr(resource, "name")
        if isinstance(value, Known) and isinstance(value.value, str):
            return str(value.value)
        return None

    def policy_document(self, resource: ResourceInstance) -> Value[Data]:
        """The document a ``data "aws_iam_policy_document"`` renders."""
        return self._policy_document(self, resource)

    # ---------------------------------------------------------------- functions

    def _call(self, expr: Call, scope: Scope) -> Value[Data]:
        name = expr.name
        if name == "try":
            return self._try(expr, scope)
        if name == "can":
            return self._can(expr, scope)
        args = [self.evaluate(arg, scope) for arg in expr.args]
        trail = trails(*args)
        data = [data_of(a) for a in args]
        if expr.expand_final and data:
            last = data.pop()
            if isinstance(last, Pending):
                return wrap(unknown_from(last), trail)
            if not isinstance(last, list):
                raise EvalError(f"{name}(...): the expanded argument must be a list")
            data.extend(last)
        if name in file_functions.FILE_FUNCTIONS:
            return file_functions.call(self, name, data, scope, trail)
        impl = functions.FUNCTIONS.get(name)
        if impl is None:
            return Unknown(_not_evaluated(name, data), trail)
        kept = partly_known.kept(name, data, self._is_key_identifier)
        if kept is not None:
            return wrap(kept, trail)
        try:
            result = impl(data)
        except functions.FunctionError as exc:
            raise EvalError(str(exc)) from None
        if isinstance(result, Unknown) and not isinstance(result, Partial):
            parts = call_shape(name, data)
            if parts is not None:
                return partial(parts, trail)
        return wrap(partly_known.same_text(name, data, result), trail)

    def _is_key_identifier(self, ref: Ref) -> bool:
        """Whether ``ref`` is the ARN or ID of a KMS key the configuration creates."""
        target = self.lookup(ref.target)
        return (
            isinstance(target, ResourceInstance)
            and target.mode == "managed"
            and target.type in kms_resources.KEY_TYPES
            and ref.attribute in kms_resources.KEY_ATTRIBUTES
        )

    def _try(self, expr: Call, scope: Scope) -> Value[Data]:
        problems: list[str] = []
        for arg in expr.args:
            try:
                return self.evaluate(arg, scope)
            except LimitError:
                raise
            except EvalError as exc:
                problems.append(exc.message)
        raise EvalError("try(): no argument could be evaluated: " + "; ".join(problems))

    def _can(self, expr: Call, scope: Scope) -> Value[Data]:
        if len(expr.args) != 1:
            raise EvalError("can() takes 1 argument")
        try:
            value = self.evaluate(expr.args[0], scope)
        except LimitError:
            raise
        except EvalError:
            return Known(False)
        if isinstance(value, Unknown):
            return value
        return Known(True, value.trail)


def _not_evaluated(name: str, args: Sequence[Data]) -> str:
    """Why a call of a function cmkguard does not evaluate is unknown: an unknown argument
    first, since its cause is what the user can act on."""
    pending = next((p for a in args if (p := first_unknown(a)) is not None), None)
    if pending is None:
        return f"function {name}() is not evaluated"
    return f"{unknown_from(pending).why} (and function {name}() is not evaluated)"


def _bounded(value: Value[Data]) -> Value[Data]:
    """``value``, or ``EvalError`` when it is over the size limits (checked at every step, so a
    value doubled over and over fails when it first passes a limit, not after)."""
    if isinstance(value, Known):
        data = value.value
        if isinstance(data, str) and len(data) > MAX_STRING:
            raise LimitError(f"a string over cmkguard's limit of {MAX_STRING:,} characters")
        if isinstance(data, list | dict) and len(data) > MAX_ITEMS:
            raise LimitError(f"a collection over cmkguard's limit of {MAX_ITEMS:,} elements")
    return value

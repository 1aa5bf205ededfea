"""Evaluate a template's values: intrinsic functions, parameters, conditions, mappings.

The result is the same currency the Terraform source yields: plain data with ``Ref`` for
resources of the stack (known only once the stack exists, yet equal whenever referenced) and
``Unknown`` parts kept in place, each naming the input that is missing. Pseudo parameters are
symbols: ``AWS::AccountId`` is the deploying account, ``AWS::Region`` the stack's region.
Nothing is ever looked up in AWS.

Intrinsic functions: https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference.html
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import TypeAlias

from cmkguard.errors import InputError
from cmkguard.kms import dns_suffix, partition_of
from cmkguard.sources.cloudformation.template import Node, Template, line_of
from cmkguard.sources.terraform.evaluated import Partial, partial
from cmkguard.values import Data, Known, Ref, Symbol, SymbolicText, Unknown, Value


class NoValue(Enum):
    """``AWS::NoValue``: the property or list element is removed."""

    NO_VALUE = "AWS::NoValue"


NO_VALUE = NoValue.NO_VALUE
Result: TypeAlias = Data | NoValue
Piece: TypeAlias = str | Symbol | Ref | Unknown

LANGUAGE_EXTENSIONS = "AWS::LanguageExtensions"
# Functions AWS::LanguageExtensions adds; evaluated as unknown rather than rejected.
_EXTENSION_FUNCTIONS = frozenset({"Fn::Length", "Fn::ToJsonString", "Fn::ForEach"})
_SUB_VARIABLE = re.compile(r"\$\{(!?)([^}]*)\}")
_LIST_TYPES = ("CommaDelimitedList", "List<")
_SSM_TYPE = "AWS::SSM::Parameter::Value<"


STACK_REGION = Unknown("AWS::Region: the region the stack is deployed to is not in the template")
"""The region of a stack deployed without a fixed region: one region, but not named."""


@dataclass(frozen=True, slots=True)
class Stack:
    """One stack to evaluate: a template with the values its deployment gives it."""

    template: Template
    """The template."""
    prefix: str
    """Address prefix of its resources: ``template.yaml#`` or ``parent.yaml#Child/``."""
    parameters: Mapping[str, Data] = field(default_factory=dict)
    """Values given for parameters (command line, parameters file, a parent stack), over the
    template's defaults."""
    region: Value[str] = field(default_factory=lambda: STACK_REGION)
    """``AWS::Region``."""
    account: str | Symbol = Symbol.CURRENT_ACCOUNT
    """``AWS::AccountId``: the deploying account unless the deployment fixes it (CDK env)."""

    def target(self, logical_id: str) -> str:
        """The address of a resource of this stack, as ``Ref`` targets and findings use it."""
        return f"{self.prefix}{logical_id}"


OutputLookup: TypeAlias = Callable[[str, str], Data]
"""``(nested stack logical ID, output name) -> value`` for ``Fn::GetAtt Child.Outputs.Name``."""


class Evaluator:
    """Evaluates values of one stack. Problems that CloudFormation itself rejects (an unknown
    function, a ``Ref`` to nothing, a circular condition) are ``InputError``s and evaluate as
    ``Unknown``."""

    def __init__(self, stack: Stack, outputs: OutputLookup | None = None) -> None:
        """Evaluate in ``stack``; ``outputs`` resolves nested stacks' outputs."""
        self.stack = stack
        self.template = stack.template
        self.errors: list[InputError] = []
        self._outputs = outputs
        self._conditions: dict[str, bool | Unknown] = {}
        self._evaluating: list[str] = []
        self._extensions = LANGUAGE_EXTENSIONS in self.template.transforms

    # ---------------------------------------------------------------- entry points

    def value(self, node: Node) -> Value[Data] | None:
        """A property's value; ``None`` when it evaluates to ``AWS::NoValue`` (absent)."""
        result = self.data(node, line_of(node) or 1)
        if result is NO_VALUE:
            return None
        if isinstance(result, Unknown):
            return result
        return Known(result)

    def data(self, node: Node, line: int) -> Result:
        """Evaluate a node deeply; ``line`` locates errors in nodes that carry no position."""
        line = line_of(node) or line
        if isinstance(node, dict):
            if len(node) == 1:
                (name,) = node
                if name == "Ref" or name.startswith("Fn::"):
                    return self._intrinsic(name, node[name], line)
            out: dict[str, Data] = {}
            for key, child in node.items():
                evaluated = self.data(child, line)
                if evaluated is not NO_VALUE:
                    out[str(key)] = evaluated
            return out
        if isinstance(node, list):
            items = [self.data(item, line) for item in node]
            return [i for i in items if i is not NO_VALUE]
        if isinstance(node, str):
            return str(node)
        return node

    def condition(self, name: str, line: int) -> bool | Unknown:
        """A named condition of ``Conditions`` (memoised; a cycle is an error)."""
        found = self._conditions.get(name)
        if found is not None:
            return found
        conditions = self.template.section("Conditions")
        if name not in conditions:
            return self._error(line, f"condition {name} is not defined")
        if name in self._evaluating:
            cycle = " -> ".join([*self._evaluating[self._evaluating.index(name) :], name])
            return self._error(line_of(conditions[name]) or line, f"circular condition: {cycle}")
        self._evaluating.append(name)
        try:
            result = self.truth(conditions[name], line_of(conditions[name]) or line)
        finally:
            self._evaluating.pop()
        if isinstance(result, Unknown):
            result = Unknown(f"condition {name}: {result.why}")
        self._conditions[name] = result
        return result

    # ---------------------------------------------------------------- errors

    def _error(self, line: int, message: str) -> Unknown:
        error = InputError(self.template.path, line, message)
        if error not in self.errors:
            self.errors.append(error)
        return Unknown(f"{message} ({self.template.path}:{line})")

    # ---------------------------------------------------------------- dispatch

    def _intrinsic(self, name: str, arg: Node, line: int) -> Result:
        handler = _HANDLERS.get(name)
        if handler is not None:
            return handler(self, arg, line)
        if self._extensions and name in _EXTENSION_FUNCTIONS:
            return Unknown(f"{name} (AWS::LanguageExtensions) is not evaluated")
        return self._error(line, f"unknown intrinsic function {name}")

    def _ref(self, arg: Node, line: int) -> Result:
        if not isinstance(arg, str):
            return self._error(line, "Ref takes a name")
        return self._name(arg, line, "Ref")

    def _name(self, name: str, line: int, how: str) -> Result:
        """What ``Ref`` / a ``${Name}`` in ``Fn::Sub`` gives for ``name``."""
        if name.startswith("AWS::"):
            return self._pseudo(name, line)
        if name in self.template.section("Parameters"):
            return self._parameter(name)
        if name in self.template.resources:
            return Ref(self.stack.target(name), "Ref")
        return self._error(line, f"{how} to {name}, which is not a parameter or resource")

    def _pseudo(self, name: str, line: int) -> Result:
        region = self.stack.region
        if name == "AWS::AccountId":
            account = self.stack.account
            return SymbolicText((account,)) if isinstance(account, Symbol) else account
        if name == "AWS::Region":
            return region.value if isinstance(region, Known) else region
        if name == "AWS::Partition" and isinstance(region, Unknown):
            # One partition, the notebook's own: a symbol, so root ARNs built with it still name
            # the account.
            return SymbolicText((Symbol.CURRENT_PARTITION,))
        if name in ("AWS::Partition", "AWS::URLSuffix"):
            if isinstance(region, Unknown):
                return Unknown(f"{name} depends on the stack's region: {region.why}")
            partition = partition_of(region.value)
            if name == "AWS::Partition":
                return partition
            suffix = dns_suffix(partition)
            return suffix if suffix is not None else Unknown(f"the URL suffix of {partition}")
        if name == "AWS::NoValue":
            return NO_VALUE
        if name in ("AWS::StackName", "AWS::StackId", "AWS::NotificationARNs"):
            return Unknown(f"{name} is chosen when the stack is deployed")
        return self._error(line, f"unknown pseudo parameter {name}")

    def _parameter(self, name: str) -> Data:
        declared = self.template.section("Parameters")[name]
        kind = declared.get("Type") if isinstance(declared, dict) else None
        kind = kind if isinstance(kind, str) else "String"
        if name in self.stack.parameters:
            given = self.stack.parameters[name]
        elif isinstance(declared, dict) and "Default" in declared:
            default = self.data(declared["Default"], line_of(declared) or 1)
            given = None if isinstance(default, NoValue) else default
        else:
            return Unknown(f"parameter {name} has no value: pass --parameter {name}=VALUE")
        if kind.startswith(_SSM_TYPE):
            return Unknown(f"parameter {name} is read from SSM Parameter Store ({given}) on deploy")
        if isinstance(given, int | float) and not isinstance(given, bool):
            given = str(given)
        if kind.startswith(_LIST_TYPES) and isinstance(given, str):
            return [part.strip() for part in given.split(",")]
        return given

    def _get_att(self, arg: Node, line: int) -> Result:
        if isinstance(arg, str):
            logical_text, _, attribute_text = arg.partition(".")
            return self._attribute(logical_text, attribute_text, line)
        if not isinstance(arg, list) or len(arg) != 2 or not isinstance(arg[0], str):
            return self._error(line, "Fn::GetAtt takes [LogicalId, Attribute]")
        logical = arg[0]
        attribute = self.data(arg[1], line)
        if not isinstance(attribute, str):
            return Unknown(f"the attribute of Fn::GetAtt {logical} is not known")
        return self._attribute(logical, attribute, line)

    def _attribute(self, logical: str, attribute: str, line: int) -> Result:
        resource = self.template.resources.get(logical)
        if resource is None:
            return self._error(line, f"Fn::GetAtt of {logical}, which is not a resource")
        if (
            resource.get("Type") == "AWS::CloudFormation::Stack"
            and attribute.startswith("Outputs.")
            and self._outputs is not None
        ):
            return self._outputs(logical, attribute.removeprefix("Outputs."))
        return Ref(self.stack.target(logical), attribute)

    # ---------------------------------------------------------------- strings

    def _sub(self, arg: Node, line: int) -> Result:
        variables: dict[str, Result] = {}
        if isinstance(arg, list) and len(arg) == 2 and isinstance(arg[1], dict):
            text_node: Node = arg[0]
            variables = {str(k): self.data(v, line) for k, v in arg[1].items()}
        else:
            text_node = arg
        if not isinstance(text_node, str):
            return self._error(line, "Fn::Sub takes a string or [string, {variables}]")
        pieces: list[Piece] = []
        pos = 0
        for match in _SUB_VARIABLE.finditer(text_node):
            pieces.append(text_node[pos : match.start()])
            pos = match.end()
            literal, name = match.group(1), match.group(2).strip()
            if literal:
                pieces.append("${" + match.group(2) + "}")
                continue
            if name in variables:
                found = variables[name]
            elif "." in name and not name.startswith("AWS::"):
                logical, attribute = name.split(".", 1)
                found = self._attribute(logical, attribute, line)
            else:
                found = self._name(name, line, "Fn::Sub")
            pieces.extend(self._pieces(found))
        pieces.append(text_node[pos:])
        return text_of(pieces)

    def _pieces(self, data: Result) -> list[Piece]:
        if isinstance(data, Partial):
            return list(data.parts)
        if isinstance(data, SymbolicText):
            return list(data.parts)
        if isinstance(data, str | Ref | Unknown):
            return [data]
        if isinstance(data, bool):
            return ["true" if data else "false"]
        if isinstance(data, int | float):
            return [str(data)]
        return [Unknown("a list or mapping is used as text")]

    def _join(self, arg: Node, line: int) -> Result:
        if not isinstance(arg, list) or len(arg) != 2:
            return self._error(line, "Fn::Join takes [delimiter, [values]]")
        delimiter = self.data(arg[0], line)
        items = self.data(arg[1], line)
        if not isinstance(delimiter, str):
            return Unknown("the delimiter of Fn::Join is not known")
        if isinstance(items, Unknown):
            return items
        if not isinstance(items, list):
            return self._error(line, "Fn::Join needs a list of values")
        pieces: list[Piece] = []
        for index, item in enumerate(items):
            if index:
                pieces.append(delimiter)
            pieces.extend(self._pieces(item))
        return text_of(pieces)

    def _split(self, arg: Node, line: int) -> Result:
        if not isinstance(arg, list) or len(arg) != 2:
            return self._error(line, "Fn::Split takes [delimiter, string]")
        delimiter, text = self.data(arg[0], line), self.data(arg[1], line)
        if isinstance(delimiter, str) and isinstance(text, str):
            return list(text.split(delimiter))
        return Unknown("Fn::Split of a string that is not known")

    def _select(self, arg: Node, line: int) -> Result:
        if not isinstance(arg, list) or len(arg) != 2:
            return self._error(line, "Fn::Select takes [index, [values]]")
        index, items = self.data(arg[0], line), self.data(arg[1], line)
        if isinstance(index, str) and index.isdigit():
            index = int(index)
        if isinstance(items, Unknown):
            return items
        if not isinstance(index, int) or isinstance(index, bool):
            return Unknown("the index of Fn::Select is not known")
        if not isinstance(items, list):
            return self._error(line, "Fn::Select needs a list")
        if not 0 <= index < len(items):
            return self._error(line, f"Fn::Select index {index} is out of range")
        return items[index]

    def _base64(self, arg: Node, line: int) -> Result:
        text = self.data(arg, line)
        if isinstance(text, str):
            return base64.b64encode(text.encode()).decode()
        return Unknown("Fn::Base64 of a string that is not known")

    # ---------------------------------------------------------------- lookups

    def _find_in_map(self, arg: Node, line: int) -> Result:
        if not isinstance(arg, list) or len(arg) not in (3, 4):
            return self._error(line, "Fn::FindInMap takes [map, top key, second key]")
        keys = [self._comparable(self.data(a, line)) for a in arg[:3]]
        name = keys[0]
        if not isinstance(name, str):
            return Unknown("the map name of Fn::FindInMap is not known")
        mapping = self.template.section("Mappings").get(name)
        if not isinstance(mapping, dict):
            return self._error(line, f"Fn::FindInMap: mapping {name} is not defined")
        candidates: list[Node] = [mapping]
        for key in keys[1:]:
            if isinstance(key, Unknown):
                # Any entry could be chosen: the result is known only if they all agree.
                candidates = [v for c in candidates if isinstance(c, dict) for v in c.values()]
                values = [self.data(c, line) for c in candidates]
                if values and all(v == values[0] for v in values) and key is keys[-1]:
                    return values[0]
                if key is keys[-1]:
                    return Unknown(f"Fn::FindInMap {name}: {key.why}")
                continue
            if not isinstance(key, str | int):
                return Unknown(f"a key of Fn::FindInMap {name} is not text")
            nxt = []
            for c in candidates:
                if not isinstance(c, dict) or str(key) not in c:
                    if len(candidates) == 1:
                        return self._error(line, f"Fn::FindInMap: {name} has no key {key}")
                    continue
                nxt.append(c[str(key)])
            candidates = nxt
        values = [self.data(c, line) for c in candidates]
        if values and all(v == values[0] for v in values):
            return values[0]
        unknown = next((k for k in keys if isinstance(k, Unknown)), None)
        why = unknown.why if unknown is not None else "the key is not known"
        return Unknown(f"Fn::FindInMap {name}: {why}")

    def _import_value(self, arg: Node, line: int) -> Result:
        name = self.data(arg, line)
        shown = name if isinstance(name, str) else "an export"
        return Unknown(
            f"Fn::ImportValue {shown}: the value is exported by another stack, not in the "
            "scanned input"
        )

    # ---------------------------------------------------------------- conditions

    def _if(self, arg: Node, line: int) -> Result:
        if not isinstance(arg, list) or len(arg) != 3 or not isinstance(arg[0], str):
            return self._error(line, "Fn::If takes [condition, value if true, value if false]")
        truth = self.condition(arg[0], line)
        if isinstance(truth, bool):
            return self.data(arg[1] if truth else arg[2], line)
        when_true, when_false = self.data(arg[1], line), self.data(arg[2], line)
        if when_true == when_false:
            return when_true
        return Unknown(f"Fn::If {arg[0]}: {truth.why}")

    def truth(self, node: Node, line: int) -> bool | Unknown:
        line = line_of(node) or line
        if isinstance(node, dict) and len(node) == 1:
            (name,) = node
            arg = node[name]
            if name == "Condition":
                if not isinstance(arg, str):
                    return self._error(line, "Condition takes a condition name")
                return self.condition(arg, line)
            if name in ("Fn::Not", "Fn::And", "Fn::Or"):
                if not isinstance(arg, list) or not arg:
                    return self._error(line, f"{name} takes a list of conditions")
                parts = [self.truth(a, line) for a in arg]
                return _combine(name, parts)
            if name == "Fn::Equals":
                return self._equals(arg, line)
        evaluated = self.data(node, line)
        if isinstance(evaluated, bool):
            return evaluated
        if evaluated in ("true", "false"):
            return evaluated == "true"
        if isinstance(evaluated, Unknown):
            return evaluated
        return self._error(line, "a condition must be Fn::Equals, Fn::Not, Fn::And, Fn::Or")

    def _equals(self, arg: Node, line: int) -> bool | Unknown:
        if not isinstance(arg, list) or len(arg) != 2:
            return self._error(line, "Fn::Equals takes two values")
        left, right = (self._comparable(self.data(a, line)) for a in arg)
        if isinstance(left, Unknown):
            return left
        if isinstance(right, Unknown):
            return right
        return left == right

    @staticmethod
    def _comparable(data: Result) -> Data:
        if isinstance(data, Ref):
            return Unknown(f"{data} is known only once the stack exists")
        if isinstance(data, SymbolicText):
            return Unknown(f"{data} is not spelled out in the template")
        if isinstance(data, bool):
            return "true" if data else "false"
        if isinstance(data, int | float):
            return str(data)
        if isinstance(data, list | dict):
            # A list compared whole is undecided when any element is (``[!Ref Env]``).
            for item in data.values() if isinstance(data, dict) else data:
                nested = Evaluator._comparable(item)
                if isinstance(nested, Unknown):
                    return nested
        return None if isinstance(data, NoValue) else data


def _combine(name: str, parts: list[bool | Unknown]) -> bool | Unknown:
    unknown = next((p for p in parts if isinstance(p, Unknown)), None)
    if name == "Fn::Not":
        if len(parts) != 1:
            return Unknown("Fn::Not takes one condition")
        return parts[0] if isinstance(parts[0], Unknown) else not parts[0]
    if name == "Fn::And":
        if any(p is False for p in parts):
            return False
        return unknown if unknown is not None else True
    if any(p is True for p in parts):
        return True
    return unknown if unknown is not None else False


def text_of(pieces: list[Piece]) -> Data:
    """A string from text and holes: ``str`` (or text with symbols) when all known, else a
    ``Partial`` keeping the literal pieces (so ``alias/aws/...`` built around an unknown region
    is still recognised)."""
    # A resource's attribute exists once the stack does: say so in CloudFormation's words.
    holes = [
        Unknown(f"{p} is known only once the stack exists") if isinstance(p, Ref) else p
        for p in pieces
    ]
    made = partial(holes, ())
    return made if isinstance(made, Unknown) else made.value


def _deploy_time(what: str) -> Callable[[Evaluator, Node, int], Result]:
    def handler(_ev: Evaluator, _arg: Node, _line: int) -> Result:
        return Unknown(what)

    return handler


def _as_value(name: str) -> Callable[[Evaluator, Node, int], Result]:
    # Fn::Equals / Fn::Not / Fn::And / Fn::Or used as a value rather than in Conditions.
    def handler(ev: Evaluator, arg: Node, line: int) -> Result:
        return ev.truth({name: arg}, line)

    return handler


_HANDLERS: dict[str, Callable[[Evaluator, Node, int], Result]] = {
    "Ref": Evaluator._ref,
    "Fn::GetAtt": Evaluator._get_att,
    "Fn::Sub": Evaluator._sub,
    "Fn::Join": Evaluator._join,
    "Fn::Split": Evaluator._split,
    "Fn::Select": Evaluator._select,
    "Fn::Base64": Evaluator._base64,
    "Fn::FindInMap": Evaluator._find_in_map,
    "Fn::ImportValue": Evaluator._import_value,
    "Fn::If": Evaluator._if,
    "Fn::Equals": _as_value("Fn::Equals"),
    "Fn::Not": _as_value("Fn::Not"),
    "Fn::And": _as_value("Fn::And"),
    "Fn::Or": _as_value("Fn::Or"),
    "Fn::GetAZs": _deploy_time("Fn::GetAZs lists the region's Availability Zones at deploy time"),
    "Fn::Cidr": _deploy_time("Fn::Cidr is not evaluated"),
    "Fn::Transform": _deploy_time("Fn::Transform runs a macro when the stack is deployed"),
}

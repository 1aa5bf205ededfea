"""Terraform functions over values.Data: one table per family, plus unknown and Ref handling."""

from __future__ import annotations

import pytest

from cmkguard.sources.terraform.functions import (
    FUNCTIONS,
    FunctionError,
    equal,
    to_text,
)
from cmkguard.values import Data, Ref, Unknown

ROLE = Ref("aws_iam_role.nb", "arn")
KEY = Ref("aws_kms_key.k", "arn")
MISSING = Unknown("var.key_arn has no value")

Case = tuple[str, list[Data], Data]


def call(name: str, *args: Data) -> Data:
    return FUNCTIONS[name](list(args))


def run_table(name: str, args: list[Data], expected: Data) -> None:
    assert FUNCTIONS[name](args) == expected


STRINGS: list[Case] = [
    (
        "format",
        ["arn:aws:kms:%s:%s:alias/%s", "eu-west-1", "111122223333", "k"],
        "arn:aws:kms:eu-west-1:111122223333:alias/k",
    ),
    ("format", ["%d items", 3], "3 items"),
    ("format", ["%d", 3.0], "3"),
    ("format", ["%s", 3.0], "3"),
    ("format", ["%s", 2.5], "2.5"),
    ("format", ["%v %v %v", True, None, 1], "true null 1"),
    ("format", ["%#v", {"b": [1], "a": "x"}], '{"a":"x","b":[1]}'),
    ("format", ["%v", ["a", 1]], '["a",1]'),
    ("format", ["%5s|%-5s|", "ab", "cd"], "   ab|cd   |"),
    ("format", ["%05d %+d %x %X %o %b", 42, 7, 255, 255, 8, 5], "00042 +7 ff FF 10 101"),
    ("format", ["%.2f %e", 3.14159, 1234.5], "3.14 1.234500e+03"),
    ("format", ["%t", True], "true"),
    ("format", ["%q", 'a"b'], '"a\\"b"'),
    ("format", ["%[2]s-%[1]s", "a", "b"], "b-a"),
    ("format", ["100%%"], "100%"),
    ("format", ["%.3s", "abcdef"], "abc"),
    ("formatlist", ["%s-%s", ["a", "b"], "x"], ["a-x", "b-x"]),
    ("formatlist", ["%s=%s", ["a", "b"], [1, 2]], ["a=1", "b=2"]),
    ("join", [",", ["a", "b"], ["c"]], "a,b,c"),
    ("join", ["-", [1, True]], "1-true"),
    ("join", [",", []], ""),
    ("split", [",", "a,b,,c"], ["a", "b", "", "c"]),
    ("split", [",", ""], [""]),
    ("lower", ["ALIAS/AWS/SageMaker"], "alias/aws/sagemaker"),
    ("basename", ["arn:aws:kms:eu-west-1:111122223333:key/k1"], "k1"),
    ("basename", ["a/b/"], "b"),
    ("basename", ["///"], "/"),
    ("basename", [""], "."),
    ("basename", ["file"], "file"),
    ("dirname", ["a/b/c"], "a/b"),
    ("dirname", ["a/b/"], "a/b"),
    ("dirname", ["c"], "."),
    ("dirname", ["/a"], "/"),
    ("dirname", ["//a/b"], "/a"),
    ("upper", ["abc"], "ABC"),
    ("title", ["hello wORLD-foo_bar"], "Hello WORLD-Foo_bar"),
    ("trim", ["?!hello?!", "!?"], "hello"),
    ("trimspace", ["  a b \n"], "a b"),
    ("trimprefix", ["alias/aws/x", "alias/"], "aws/x"),
    ("trimprefix", ["x", "alias/"], "x"),
    ("trimsuffix", ["a.tf", ".tf"], "a"),
    ("replace", ["alias/aws/x", "aws", "AWS"], "alias/AWS/x"),
    ("replace", ["a-b-c", "/(\\w)-/", "$1+"], "a+b+c"),
    ("replace", ["key-1", "/(?P<n>\\d)/", "<${n}>"], "key-<1>"),
    ("replace", ["abc", "/b/", "$$"], "a$c"),
    ("substr", ["hello world", 1, 4], "ello"),
    ("substr", ["hello world", -5, -1], "world"),
    ("substr", ["hello", 0, 10], "hello"),
    ("strrev", ["abc"], "cba"),
    ("startswith", ["alias/aws/x", "alias/aws/"], True),
    ("endswith", ["a.tf", ".json"], False),
    ("strcontains", ["arn:aws:kms", "kms"], True),
    ("regex", ["[a-z]+", "123abc456"], "abc"),
    ("regex", ["(\\d+)-(\\d+)", "x12-34"], ["12", "34"]),
    (
        "regex",
        ["(?P<region>[a-z]+-[a-z]+-\\d):(?P<acct>\\d+)", "eu-west-1:111"],
        {"region": "eu-west-1", "acct": "111"},
    ),
    ("regex", ["(?<name>a)", "a"], {"name": "a"}),
    ("regexall", ["\\d", "a1b2"], ["1", "2"]),
    ("regexall", ["x", "abc"], []),
    ("chomp", ["a\n\n"], "a"),
    ("indent", [2, "a\nb"], "a\n  b"),
]


@pytest.mark.parametrize(("name", "args", "expected"), STRINGS)
def test_strings(name: str, args: list[Data], expected: Data) -> None:
    run_table(name, args, expected)


COLLECTIONS: list[Case] = [
    ("coalesce", [None, "", "a", "b"], "a"),
    ("coalesce", [None, 0], 0),
    ("coalescelist", [[], ["a"], ["b"]], ["a"]),
    ("compact", [["a", "", None, "b"]], ["a", "b"]),
    ("concat", [["a"], [], ["b", "c"]], ["a", "b", "c"]),
    ("contains", [["a", "b"], "b"], True),
    ("contains", [["a", "b"], "c"], False),
    ("contains", [["1"], 1], True),
    ("distinct", [["a", "b", "a", "c", "b"]], ["a", "b", "c"]),
    ("element", [["a", "b", "c"], 1], "b"),
    ("element", [["a", "b", "c"], 4], "b"),
    ("flatten", [[["a", ["b"]], [], "c"]], ["a", "b", "c"]),
    ("index", [["a", "b"], "b"], 1),
    ("keys", [{"b": 1, "a": 2}], ["a", "b"]),
    ("values", [{"b": 1, "a": 2}], [2, 1]),
    ("length", [["a", None]], 2),
    ("length", [{"a": 1}], 1),
    ("length", ["héllo"], 5),
    ("lookup", [{"a": "x"}, "a"], "x"),
    ("lookup", [{"a": "x"}, "b", "d"], "d"),
    ("lookup", [{"a": "x"}, "b", None], None),
    ("merge", [{"a": 1, "b": 2}, None, {"b": 3}], {"a": 1, "b": 3}),
    ("merge", [], {}),
    ("one", [[]], None),
    ("one", [["a"]], "a"),
    ("range", [3], [0, 1, 2]),
    ("range", [1, 4], [1, 2, 3]),
    ("range", [3, 0], [3, 2, 1]),
    ("range", [0, 1, 0.25], [0, 0.25, 0.5, 0.75]),
    ("range", [0], []),
    ("reverse", [[1, 2, 3]], [3, 2, 1]),
    ("slice", [["a", "b", "c", "d"], 1, 3], ["b", "c"]),
    ("sort", [["b", "a", "c"]], ["a", "b", "c"]),
    ("sort", [[10, 9]], ["10", "9"]),
    ("toset", [["b", "a", "b"]], ["a", "b"]),
    ("toset", [[3, 1, 3, 2]], [1, 2, 3]),
    ("toset", [["a", 1]], ["1", "a"]),
    ("zipmap", [["a", "b"], [1, 2]], {"a": 1, "b": 2}),
    ("transpose", [{"a": ["1", "2"], "b": ["2", "3"]}], {"1": ["a"], "2": ["a", "b"], "3": ["b"]}),
    ("setunion", [["b", "a"], ["c", "a"]], ["a", "b", "c"]),
    ("setintersection", [["a", "b", "c"], ["b", "c", "d"], ["c", "b"]], ["b", "c"]),
    ("setsubtract", [["a", "b", "c"], ["b"]], ["a", "c"]),
    ("chunklist", [["a", "b", "c"], 2], [["a", "b"], ["c"]]),
    ("chunklist", [["a", "b"], 0], [["a", "b"]]),
    ("alltrue", [[True, "true"]], True),
    ("alltrue", [[]], True),
    ("alltrue", [[True, False]], False),
    ("anytrue", [[False, True]], True),
    ("anytrue", [[]], False),
]


@pytest.mark.parametrize(("name", "args", "expected"), COLLECTIONS)
def test_collections(name: str, args: list[Data], expected: Data) -> None:
    run_table(name, args, expected)


CONVERSIONS: list[Case] = [
    ("tostring", [1], "1"),
    ("tostring", [1.5], "1.5"),
    ("tostring", [True], "true"),
    ("tostring", [None], None),
    ("tonumber", ["42"], 42),
    ("tonumber", ["1.5"], 1.5),
    ("tonumber", [7], 7),
    ("tonumber", [None], None),
    ("tobool", ["true"], True),
    ("tobool", [False], False),
    ("tolist", [["a"]], ["a"]),
    ("tomap", [{"a": 1}], {"a": 1}),
    ("sensitive", ["s"], "s"),
    ("nonsensitive", [{"a": KEY}], {"a": KEY}),
]


@pytest.mark.parametrize(("name", "args", "expected"), CONVERSIONS)
def test_conversions(name: str, args: list[Data], expected: Data) -> None:
    run_table(name, args, expected)


POLICY: Data = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "kms:*"}],
}

ENCODING: list[Case] = [
    (
        "jsonencode",
        [POLICY],
        '{"Statement":[{"Action":"kms:*","Effect":"Allow","Principal":{"AWS":"*"}}],'
        '"Version":"2012-10-17"}',
    ),
    (
        "jsonencode",
        [{"a": 1.0, "b": 0.5, "c": None, "d": [True]}],
        '{"a":1,"b":0.5,"c":null,"d":[true]}',
    ),
    ("jsonencode", ["<a & b>"], '"\\u003ca \\u0026 b\\u003e"'),
    ("jsonencode", ["é"], '"é"'),
    ("jsondecode", ['{"a": [1, 2.0, 2.5, null, true]}'], {"a": [1, 2, 2.5, None, True]}),
    ("base64encode", ["hello"], "aGVsbG8="),
    ("base64decode", ["aGVsbG8="], "hello"),
    ("md5", ["hello"], "5d41402abc4b2a76b9719d911017c592"),
    ("sha1", ["hello"], "aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d"),
    ("sha256", ["hello"], "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"),
    ("base64sha256", ["hello"], "LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ="),
    ("urlencode", ["a b/c"], "a%20b%2Fc"),
]


@pytest.mark.parametrize(("name", "args", "expected"), ENCODING)
def test_encoding(name: str, args: list[Data], expected: Data) -> None:
    run_table(name, args, expected)


NUMBERS: list[Case] = [
    ("abs", [-3], 3),
    ("abs", [-2.5], 2.5),
    ("ceil", [1.2], 2),
    ("floor", [-1.2], -2),
    ("max", [1, 5, 3], 5),
    ("min", [1, 5, -3], -3),
    ("max", ["7", 2], 7),
    ("parseint", ["ff", 16], 255),
    ("parseint", ["-101", 2], -5),
    ("pow", [2, 10], 1024),
    ("pow", [4, 0.5], 2),
    ("signum", [-7], -1),
    ("signum", [0], 0),
    ("sum", [[1, 2.5, "3"]], 6.5),
    ("sum", [[0.5, 0.5]], 1),
    ("log", [8, 2], 3),
    ("cidrsubnet", ["10.0.0.0/16", 8, 2], "10.0.2.0/24"),
    ("cidrsubnet", ["fd00::/56", 8, 1], "fd00:0:0:1::/64"),
    ("cidrhost", ["10.0.0.0/24", 5], "10.0.0.5"),
    ("cidrhost", ["10.0.0.0/24", -1], "10.0.0.255"),
]


@pytest.mark.parametrize(("name", "args", "expected"), NUMBERS)
def test_numbers(name: str, args: list[Data], expected: Data) -> None:
    run_table(name, args, expected)


ERRORS: list[tuple[str, list[Data], str]] = [
    ("format", ["%s %s", "a"], "not enough arguments"),
    ("format", ["%s", "a", "b"], "too many arguments"),
    ("format", ["%d", 1.5], "whole number"),
    ("format", ["%d", "x"], "cannot convert"),
    ("format", ["%s", ["a"]], "cannot format a list"),
    ("format", ["%z", 1], "unsupported format verb"),
    ("format", ["abc %"], "ends in the middle of a verb"),
    ("formatlist", ["%s%s", ["a"], ["b", "c"]], "same length"),
    ("join", [",", ["a", None]], "null element"),
    ("join", [","], "at least 2 arguments"),
    ("lower", [None], "must not be null"),
    ("lower", [["a"]], "a string is required, not a list"),
    ("lower", ["a", "b"], "takes 1 argument, got 2"),
    ("regex", ["x", "abc"], "did not match"),
    ("regex", ["(", "abc"], "invalid regular expression"),
    ("regex", ["(?P<a>x)(y)", "xy"], "mix named and unnamed"),
    ("substr", ["abc", 5, 1], "beyond the end"),
    ("coalesce", [None, ""], "no non-null"),
    ("coalescelist", [[], []], "no non-empty list"),
    ("element", [[], 0], "empty list"),
    ("element", [["a"], -1], "negative index"),
    ("index", [["a"], "b"], "not found"),
    ("keys", [["a"]], "a map or object is required"),
    ("lookup", [{"a": 1}, "b"], "does not exist"),
    ("lookup", [{"a": 1}], "takes 2 to 3 arguments"),
    ("one", [["a", "b"]], "at most one element"),
    ("range", [0, 5, 0], "step must not be zero"),
    ("range", [0, 5, -1], "wrong direction"),
    ("range", [2000], "more than 1024"),
    ("slice", [["a"], 0, 2], "invalid slice"),
    ("tonumber", ["abc"], "cannot convert"),
    ("tobool", ["yes"], "a bool is required"),
    ("tolist", ["a"], "cannot convert a string to a list"),
    ("tomap", [["a"]], "cannot convert a list to a map"),
    ("tostring", [["a"]], "a string is required"),
    ("zipmap", [["a"], [1, 2]], "same length"),
    ("jsondecode", ["{"], "invalid JSON"),
    ("base64decode", ["!!"], "not valid base64"),
    ("base64decode", ["/w=="], "not valid UTF-8"),
    ("parseint", ["12", 1], "between 2 and 62"),
    ("parseint", ["zz", 10], "cannot parse"),
    ("pow", [10, 1000], "out of range"),
    ("sum", [[]], "empty list"),
    ("cidrsubnet", ["10.0.0.0/30", 8, 0], "insufficient address space"),
    ("cidrsubnet", ["10.0.0.0/16", 2, 4], "does not accommodate"),
    ("cidrsubnet", ["nope", 2, 0], "invalid CIDR"),
    ("abs", [True], "a number is required, not a bool"),
    ("chunklist", [["a"], -1], "must be positive"),
    ("alltrue", [[1]], "a bool is required"),
]


@pytest.mark.parametrize(("name", "args", "fragment"), ERRORS)
def test_errors_name_the_function(name: str, args: list[Data], fragment: str) -> None:
    with pytest.raises(FunctionError) as raised:
        FUNCTIONS[name](args)
    assert str(raised.value).startswith(f"{name}(): ")
    assert fragment in str(raised.value)


AFTER_APPLY = Unknown("aws_kms_key.k.arn is known only after apply")
ROLE_AFTER_APPLY = Unknown("aws_iam_role.nb.arn is known only after apply")

# An Unknown that matters makes the result that Unknown; a Ref whose text is needed makes it
# "known only after apply".
UNKNOWN_PROPAGATION: list[Case] = [
    ("lower", [MISSING], MISSING),
    ("lower", [KEY], AFTER_APPLY),
    ("format", ["alias/%s", MISSING], MISSING),
    ("format", ["%s", KEY], AFTER_APPLY),
    ("format", [MISSING, "a"], MISSING),
    ("format", ["%v", {"a": MISSING}], MISSING),
    ("join", [",", ["a", MISSING]], MISSING),
    ("join", [",", MISSING], MISSING),
    ("join", [",", [KEY]], AFTER_APPLY),
    ("split", [",", MISSING], MISSING),
    ("replace", [KEY, "a", "b"], AFTER_APPLY),
    ("startswith", [MISSING, "alias/aws/"], MISSING),
    ("regex", ["x", MISSING], MISSING),
    ("length", [MISSING], MISSING),
    ("length", [KEY], AFTER_APPLY),
    ("keys", [MISSING], MISSING),
    ("lookup", [MISSING, "a"], MISSING),
    ("lookup", [{"a": 1}, MISSING], MISSING),
    ("merge", [{"a": 1}, MISSING], MISSING),
    ("concat", [["a"], MISSING], MISSING),
    ("element", [["a"], MISSING], MISSING),
    ("element", [MISSING, 0], MISSING),
    ("coalesce", [None, MISSING, "a"], MISSING),
    ("coalescelist", [MISSING, ["a"]], MISSING),
    ("compact", [["a", MISSING]], MISSING),
    ("distinct", [["a", MISSING]], MISSING),
    ("flatten", [["a", MISSING]], MISSING),
    ("sort", [["b", MISSING]], MISSING),
    ("sort", [["b", KEY]], AFTER_APPLY),
    ("toset", [["b", MISSING]], MISSING),
    ("contains", [["a", MISSING], "b"], MISSING),
    ("contains", [[KEY], "arn:aws:kms:us-east-1:1:key/x"], AFTER_APPLY),
    ("alltrue", [[True, MISSING]], MISSING),
    ("anytrue", [[False, MISSING]], MISSING),
    ("tonumber", [MISSING], MISSING),
    ("tonumber", [KEY], AFTER_APPLY),
    ("jsondecode", [MISSING], MISSING),
    ("jsondecode", [KEY], AFTER_APPLY),
    ("sha256", [ROLE], ROLE_AFTER_APPLY),
    ("max", [1, MISSING], MISSING),
    ("range", [MISSING], MISSING),
    ("uuid", [], Unknown("uuid() is not known until apply")),
    ("timestamp", [], Unknown("timestamp() is not known until apply")),
]


@pytest.mark.parametrize(("name", "args", "expected"), UNKNOWN_PROPAGATION)
def test_unknown_propagation(name: str, args: list[Data], expected: Data) -> None:
    run_table(name, args, expected)


# Decided results even though some parts are unknown or references.
DECIDED_DESPITE_UNKNOWN: list[Case] = [
    ("alltrue", [[MISSING, False]], False),
    ("anytrue", [[MISSING, True]], True),
    ("contains", [[MISSING, "b"], "b"], True),
    ("contains", [[KEY, "b"], KEY], True),
    ("length", [[MISSING, KEY]], 2),
    ("keys", [{"a": MISSING}], ["a"]),
    ("coalesce", ["a", MISSING], "a"),
    ("format", ["%s", "x"], "x"),
    ("formatlist", ["k-%s", ["a", MISSING]], ["k-a", MISSING]),
]


@pytest.mark.parametrize(("name", "args", "expected"), DECIDED_DESPITE_UNKNOWN)
def test_decided_despite_unknown_parts(name: str, args: list[Data], expected: Data) -> None:
    run_table(name, args, expected)


# Functions that only move values keep Refs (and nested Unknowns) intact.
REF_PASS_THROUGH: list[Case] = [
    ("element", [[KEY, "b"], 0], KEY),
    ("element", [[KEY, "b"], 2], KEY),
    ("lookup", [{"k": KEY}, "k"], KEY),
    ("lookup", [{"a": 1}, "k", KEY], KEY),
    ("coalesce", [None, "", KEY], KEY),
    ("coalesce", [KEY, "fallback"], KEY),
    ("concat", [[KEY], [ROLE, MISSING]], [KEY, ROLE, MISSING]),
    ("merge", [{"a": KEY}, {"b": ROLE}], {"a": KEY, "b": ROLE}),
    ("merge", [{"a": MISSING}, {"a": KEY}], {"a": KEY}),
    ("tolist", [KEY], KEY),
    ("tolist", [[KEY]], [KEY]),
    ("tomap", [{"k": KEY}], {"k": KEY}),
    ("tostring", [KEY], KEY),
    ("tostring", [MISSING], MISSING),
    ("one", [[KEY]], KEY),
    ("values", [{"a": KEY}], [KEY]),
    ("reverse", [[KEY, "a"]], ["a", KEY]),
    ("slice", [[KEY, ROLE, "a"], 0, 2], [KEY, ROLE]),
    ("compact", [[KEY, "", None]], [KEY]),
    ("flatten", [[[KEY], [[ROLE]]]], [KEY, ROLE]),
    ("distinct", [[KEY, KEY, ROLE]], [KEY, ROLE]),
    ("toset", [[KEY, "b", KEY, "a"]], ["a", "b", KEY]),
    ("zipmap", [["k"], [KEY]], {"k": KEY}),
    ("coalescelist", [[], [KEY]], [KEY]),
    ("chunklist", [[KEY, ROLE], 1], [[KEY], [ROLE]]),
    ("sensitive", [KEY], KEY),
    # jsonencode of a partly unknown value is the value itself (documented)
    ("jsonencode", [{"Principal": {"AWS": ROLE}}], {"Principal": {"AWS": ROLE}}),
    ("jsonencode", [[MISSING]], [MISSING]),
    ("jsonencode", [KEY], KEY),
]


@pytest.mark.parametrize(("name", "args", "expected"), REF_PASS_THROUGH)
def test_refs_pass_through(name: str, args: list[Data], expected: Data) -> None:
    run_table(name, args, expected)


def test_to_text() -> None:
    assert to_text(True) == "true"
    assert to_text(2.0) == "2"
    assert to_text(None) is None
    assert to_text(KEY) is KEY
    with pytest.raises(FunctionError):
        to_text({"a": 1})


def test_registry_is_explicit_and_complete() -> None:
    required = {
        "format", "formatlist", "join", "split", "lower", "upper", "title", "trim", "trimspace",
        "trimprefix", "trimsuffix", "replace", "substr", "strrev", "startswith", "endswith",
        "strcontains", "regex", "regexall", "coalesce", "coalescelist", "compact", "concat",
        "contains", "distinct", "element", "flatten", "index", "keys", "values", "length",
        "lookup", "merge", "one", "range", "reverse", "slice", "sort", "toset", "tolist",
        "tomap", "tostring", "tonumber", "tobool", "zipmap", "jsonencode", "jsondecode",
        "base64encode", "base64decode", "md5", "sha1", "sha256", "uuid", "timestamp", "abs",
        "ceil", "floor", "max", "min", "parseint", "pow", "signum", "alltrue", "anytrue", "sum",
        "transpose", "setunion", "setintersection", "setsubtract", "chunklist", "nonsensitive",
        "sensitive",
    }  # fmt: skip
    assert required <= set(FUNCTIONS)
    # lazily evaluated by the evaluator, never here; file access never here
    assert not {"can", "try", "file", "templatefile", "fileexists"} & set(FUNCTIONS)
    with pytest.raises(TypeError):
        FUNCTIONS["lower"] = FUNCTIONS["upper"]  # type: ignore[index]  # a read-only mapping


def test_inputs_are_not_mutated() -> None:
    items: list[Data] = ["b", "a"]
    mapping: dict[str, Data] = {"a": 1}
    call("sort", items)
    call("reverse", items)
    call("merge", mapping, {"b": 2})
    assert items == ["b", "a"]
    assert mapping == {"a": 1}


EQUALITY: list[tuple[Data, Data, bool | None, bool | None]] = [
    # left, right, == (no unification), contains-style (unified)
    (1, 1.0, True, True),
    (1, "1", False, True),
    (True, "true", False, True),
    (True, 1, False, False),
    (None, None, True, True),
    (None, "", False, False),
    (["a", 1], ["a", 1], True, True),
    (["a"], ["a", "b"], False, False),
    ({"a": 1}, {"a": 1}, True, True),
    ({"a": 1}, {"b": 1}, False, False),
    ([1], {"a": 1}, False, False),
    (KEY, KEY, True, True),
    (KEY, ROLE, None, None),
    (KEY, "arn:aws:kms:us-east-1:1:key/x", None, None),
    (MISSING, "a", None, None),
    (["a", MISSING], ["b", MISSING], False, False),
    (["a", MISSING], ["a", "b"], None, None),
]


@pytest.mark.parametrize(("left", "right", "strict", "unified"), EQUALITY)
def test_equal(left: Data, right: Data, strict: bool | None, unified: bool | None) -> None:
    assert equal(left, right) is strict
    assert equal(right, left) is strict
    assert equal(left, right, unify=True) is unified

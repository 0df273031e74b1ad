"""Field types read text by target type: YAML 1.1 traps never fire."""

import pytest

from lightshow.schema.fields import (INVALID, Bool, Field, Float, Int, ListOf, ReadContext, Record,
                                     Seconds, Str, parse_seconds, read_document)
from lightshow.schema.yamltree import parse_yaml

RECORD = Record("thing", {
    "count": Field(Int(0, 100)),
    "flag": Field(Bool()),
    "name": Field(Str()),
    "at": Field(Seconds()),
    "level": Field(Float(0, 1)),
    "items": Field(ListOf(Int())),
    "must": Field(Int(), required=False),
})


def read(text: str):
    root, problems = parse_yaml(text, "t.yaml")
    assert problems == []
    ctx = ReadContext("t.yaml")
    values = RECORD.read(root, ctx)
    return values, [d.format() for d in ctx.diagnostics]


def test_text_stays_text_for_string_fields():
    values, problems = read("name: on\n")
    assert problems == [] and values["name"] == "on"
    values, problems = read("name: 010\n")
    assert values["name"] == "010"


def test_yaml11_booleans_are_not_booleans():
    values, problems = read("flag: yes\n")
    assert values["flag"] is INVALID
    assert problems == ["t.yaml:1:7: error[wrong-type]: expected true or false, found 'yes' "
                        "(YAML 1.1 words are not booleans here)"]
    assert read("flag: true\n")[0]["flag"] is True


def test_leading_zero_is_decimal_not_octal():
    assert read("count: 010\n")[0]["count"] == 10


def test_sexagesimal_is_not_an_integer_but_is_a_time():
    values, problems = read("count: 1:30\n")
    assert problems == ["t.yaml:1:8: error[wrong-type]: expected a whole number from 0 to 100, "
                        "found '1:30'"]
    assert read("at: 1:30\n")[0]["at"] == 90.0
    assert read("at: 1:02:03.5\n")[0]["at"] == 3723.5


def test_quoted_numbers_are_strings():
    values, problems = read("count: '5'\n")
    assert problems == ["t.yaml:1:8: error[wrong-type]: expected a whole number from 0 to 100, "
                        "found the string '5'"]


@pytest.mark.parametrize("text, seconds", [
    ("12", 12.0), ("12.5", 12.5), ("0:05", 5.0), ("2:00.250", 120.25), ("1:00:00", 3600.0),
    ("1:60", None), ("1:60:00", None), ("abc", None), ("nan", None), ("inf", None), ("", None),
])
def test_parse_seconds(text, seconds):
    assert parse_seconds(text) == seconds


def test_duplicate_keys_are_errors_and_the_first_wins():
    values, problems = read("count: 1\ncount: 2\n")
    assert problems == ["t.yaml:2:1: error[duplicate-key]: duplicate key 'count' (first given at line 1)"]
    assert values["count"] == 1


def test_unknown_keys_suggest_close_names():
    _, problems = read("cuont: 1\n")
    assert problems == ["t.yaml:1:1: error[unknown-key]: unknown key 'cuont' in thing "
                        "(did you mean 'count'?)"]


def test_merge_keys_apply_and_explicit_keys_win():
    root, _ = parse_yaml("base: &b {count: 1, level: 0.5}\nthing: {<<: *b, count: 2}\n", "t.yaml")
    ctx = ReadContext("t.yaml")
    values = RECORD.read(root.value[1][1], ctx)
    assert ctx.diagnostics == []
    assert (values["count"], values["level"]) == (2, 0.5)


def test_all_problems_are_collected():
    _, problems = read("count: -1\nflag: maybe\nlevel: 2\nitems: [1, x, 3]\n")
    assert [p.split(": ")[1] for p in problems] == [
        "error[out-of-range]", "error[wrong-type]", "error[out-of-range]", "error[wrong-type]"]


def test_alias_bomb_is_refused_quickly():
    lines = ["a0: &a0 [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]"]
    for i in range(1, 9):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    lines.append("items: [*a8]")
    root, _ = parse_yaml("\n".join(lines) + "\n", "t.yaml")
    ctx = ReadContext("t.yaml")
    bomb = ListOf(ListOf(ListOf(ListOf(ListOf(ListOf(ListOf(ListOf(ListOf(ListOf(Int()))))))))))
    value = bomb.read(root.value[-1][1], ctx)
    codes = [d.code for d in ctx.diagnostics]
    assert codes == ["too-large"]
    flat = str(value).count("INVALID") if len(str(value)) < 50_000_000 else -1
    assert flat > 0, "the expansion was cut short"


def test_recursive_alias_is_refused():
    root, _ = parse_yaml("items: &a [*a]\n", "t.yaml")
    ctx = ReadContext("t.yaml")
    nested = ListOf(Int())
    for _ in range(70):
        nested = ListOf(nested)
    nested.read(root.value[0][1], ctx)
    assert ctx.diagnostics and all(d.code in ("too-deep", "wrong-type") for d in ctx.diagnostics)


@pytest.mark.parametrize("text, place, found", [("- title: x\n- rig: r.yaml\n", "1:1", "a list"),
                                                ("\n\n  just words\n", "3:3", "'just words'")])
def test_a_document_that_is_not_a_mapping_says_so_where_it_starts(text, place, found):
    root, _ = parse_yaml(text, "t.yaml")
    ctx = ReadContext("t.yaml")
    document = Record("thing", {"name": Field(Str(), required=True), "count": Field(Int())})
    assert read_document(root, document, ctx, "thing") is INVALID
    assert [d.format() for d in ctx.diagnostics] == [
        f"t.yaml:{place}: error[wrong-type]: a thing file must be a mapping at the top level "
        f"(with keys name), found {found}"]

"""Records: duplicate, unknown and merged keys, every problem collected, whole documents."""

import pytest

from lightshow.schema.reading import INVALID, ReadContext
from lightshow.schema.records import Field, Record, read_document
from lightshow.schema.scalars import Int, Str
from lightshow.schema.yamltree import parse_yaml
from tests.schema.sample_record import RECORD, read


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

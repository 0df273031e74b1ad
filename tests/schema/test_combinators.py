"""Field types made of field types: the first alternative that reads wins, values keep their span."""

from lightshow.diagnostics import SourceSpan
from lightshow.schema.combinators import ListOf, Located, OneOf
from lightshow.schema.reading import INVALID, ReadContext
from lightshow.schema.scalars import Int, Str
from lightshow.schema.yamltree import parse_yaml


def read_value(field, text: str):
    root, problems = parse_yaml(f"v: {text}\n", "t.yaml")
    assert problems == []
    ctx = ReadContext("t.yaml")
    value = field.read(root.value[0][1], ctx)
    return value, [d.format() for d in ctx.diagnostics]


def test_one_of_takes_the_first_alternative_that_reads_without_a_problem():
    either = OneOf(Int(0, 10), Str())
    assert read_value(either, "7") == (7, [])
    assert read_value(either, "70") == ("70", [])
    assert read_value(either, "[1, 2]") == (INVALID, ["t.yaml:1:4: error[wrong-type]: expected a whole "
                                                      "number from 0 to 10 or a string, found a list"])


def test_one_of_lets_the_only_alternative_of_the_right_shape_explain():
    either = OneOf(Int(0, 10), ListOf(Int()))
    assert read_value(either, "[1, 2]") == ([1, 2], [])
    assert read_value(either, "x") == (INVALID, ["t.yaml:1:4: error[wrong-type]: expected a whole number "
                                                 "from 0 to 10, found 'x'"])


def test_located_values_come_with_where_they_were_written():
    assert read_value(Located(Int()), "5") == ((5, SourceSpan("t.yaml", 1, 4)), [])
    assert read_value(Located(Int()), "x")[0] is INVALID

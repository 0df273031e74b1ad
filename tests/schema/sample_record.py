"""A record of every scalar type, read from YAML text, for the schema tests."""

from lightshow.schema.combinators import ListOf
from lightshow.schema.reading import ReadContext
from lightshow.schema.records import Field, Record
from lightshow.schema.scalars import Bool, Float, Int, Seconds, Str
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

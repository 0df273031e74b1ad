"""The read context guards against alias bombs and runaway nesting."""

from lightshow.schema.combinators import ListOf
from lightshow.schema.reading import ReadContext
from lightshow.schema.scalars import Int
from lightshow.schema.yamltree import parse_yaml


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

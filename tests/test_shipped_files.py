"""Every show, rig and fixture profile we ship validates clean, also against the JSON Schema."""

import pathlib

import jsonschema
import pytest
import yaml

from lightshow.load.project import detect_kind, validate_paths
from lightshow.load.schemas import SCHEMAS
from lightshow.schema.yamltree import parse_yaml

REPO = pathlib.Path(__file__).resolve().parents[1]
SHIPPED = sorted([*REPO.glob("shows/*.yaml"), *REPO.glob("fixtures/*.yaml")])


def test_there_are_shipped_files():
    kinds = {detect_kind(parse_yaml(p.read_text(encoding="utf-8"), str(p))[0]) for p in SHIPPED}
    assert kinds == {"show", "rig", "fixture", "schedule"}


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_shipped_file_validates_clean(path):
    assert [d.format() for d in validate_paths([str(path)])] == []


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_shipped_file_matches_its_json_schema(path):
    text = path.read_text(encoding="utf-8")
    kind = detect_kind(parse_yaml(text, str(path))[0])
    schema = SCHEMAS[kind]()
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(yaml.safe_load(text), schema, cls=jsonschema.Draft202012Validator)


def test_json_schema_rejects_what_the_loader_rejects():
    schema = SCHEMAS["rig"]()
    bad = {"name": "x", "patch": [{"id": "a", "profile": "p", "universe": 40000, "address": 1}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema, cls=jsonschema.Draft202012Validator)

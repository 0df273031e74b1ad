"""JSON Schemas of the file kinds, for editors' YAML plugins."""

from __future__ import annotations

from lightshow.core.effects import EFFECTS
from lightshow.load.profile_file import PROFILE
from lightshow.load.rig_file import RIG
from lightshow.load.marks_file import MARKS
from lightshow.load.schedule_file import SCHEDULE
from lightshow.load.show_file import CUE, SHOW, TEMPLATE
from lightshow.schema.records import Record, document_schema

SCHEMA_BASE = "https://lightshow.invalid/schema/"


def _with_effect_params(record: Record) -> dict:
    """A cue's schema where ``params`` is checked against the chosen effect's."""
    schema = record.json_schema()
    schema["allOf"] = [
        {"if": {"properties": {"effect": {"const": name}}, "required": ["effect"]},
         "then": {"properties": {"params": effect.params.json_schema()}}}
        for name, effect in EFFECTS.items()
    ]
    schema["properties"]["effect"] = {"enum": list(EFFECTS),
                                      "description": "one of `lightshow effects`"}
    return schema


def show_schema() -> dict:
    schema = document_schema(SHOW, "lightshow show", SCHEMA_BASE + "show.json")
    chapter = schema["properties"]["chapters"]["items"]
    chapter["properties"]["cues"]["items"] = _with_effect_params(CUE)
    schema["properties"]["templates"]["additionalProperties"] = _with_effect_params(TEMPLATE)
    return schema


def rig_schema() -> dict:
    return document_schema(RIG, "lightshow rig", SCHEMA_BASE + "rig.json")


def fixture_schema() -> dict:
    return document_schema(PROFILE, "lightshow fixture profile", SCHEMA_BASE + "fixture.json")


def schedule_schema() -> dict:
    return document_schema(SCHEDULE, "lightshow schedule", SCHEMA_BASE + "schedule.json")


def marks_schema() -> dict:
    return document_schema(MARKS, "lightshow marks", SCHEMA_BASE + "marks.json")


SCHEMAS = {"show": show_schema, "rig": rig_schema, "fixture": fixture_schema, "schedule": schedule_schema,
           "marks": marks_schema}

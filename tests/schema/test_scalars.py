"""Scalar field types read text by target type: YAML 1.1 traps never fire."""

import pytest

from lightshow.schema.reading import INVALID
from lightshow.schema.scalars import parse_seconds
from tests.schema.sample_record import read


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

"""Text fields are plain one-line text within their lengths, kept exactly as typed."""

import pytest

from lightshow.content.rejection import ContentRejected
from lightshow.content.text_fields import check_upload_name, validate_submission_text


def test_chinese_and_punctuation_are_kept_as_typed():
    text = validate_submission_text("  长江 & \"Yangtze\" 'river' ", "王小明", "", True)
    assert text.title == "长江 & \"Yangtze\" 'river'"
    assert (text.name, text.city) == ("王小明", "")


def test_sql_is_only_text():
    text = validate_submission_text("x'); DROP TABLE artworks;--", "", "", True)
    assert text.title == "x'); DROP TABLE artworks;--"


def test_lengths_count_characters_not_bytes():
    assert validate_submission_text("长" * 60, "", "", True).title == "长" * 60
    with pytest.raises(ContentRejected, match="61 characters"):
        validate_submission_text("长" * 61, "", "", True)


@pytest.mark.parametrize("name", ["photo.jpg", "我的画.png", ""])
def test_plain_file_names_pass(name):
    check_upload_name(name)


@pytest.mark.parametrize("name", ["../x.png", "a/b.png", "c:\\x.png", "x\x00.png"])
def test_file_names_with_paths_are_refused(name):
    with pytest.raises(ContentRejected) as refused:
        check_upload_name(name)
    assert refused.value.status == 400

"""Every file of the hostile corpus is refused by the pure rules with its status and code."""

import pytest

from lightshow.content.rejection import ContentRejected
from lightshow.content.text_fields import check_upload_name, validate_submission_text
from lightshow.content.validation import decode_artwork
from tests.content.hostile import hostile_cases

CASES = hostile_cases()


def test_the_corpus_has_at_least_twenty_files():
    assert len(CASES) >= 20
    assert len({c.id for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_each_hostile_input_is_refused_with_its_status(case):
    with pytest.raises(ContentRejected) as refused:
        check_upload_name(case.file_name)
        f = case.fields
        validate_submission_text(f["title"], f["name"], f["city"], f["consent"] == "yes")
        decode_artwork(case.data)
    assert (refused.value.status, refused.value.code) == (case.status, case.code)
    assert refused.value.reason_zh and refused.value.reason_en
    assert 400 <= refused.value.status < 500

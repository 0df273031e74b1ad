"""The words of a submission: a title, an optional name and city, and the consent to show it.

Stored and shown as plain text: one line, no control or invisible formatting
characters (bidi overrides, zero-width), no markup, within its length.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from lightshow.content.limits import ContentLimits
from lightshow.content.rejection import ContentRejected

# Cc control, Cf format (bidi overrides, zero-width), Cs surrogates, Co private use, Cn unassigned
_REFUSED_CATEGORIES = ("Cc", "Cf", "Cs", "Co", "Cn")
_FIELD_NAMES = {"title": ("标题", "title"), "name": ("姓名", "name"), "city": ("城市", "city")}


@dataclass(frozen=True)
class SubmissionText:
    title: str
    name: str       # "" when not given
    city: str


def clean_field(field: str, value: str | None, max_chars: int, required: bool) -> str:
    zh, en = _FIELD_NAMES[field]
    text = unicodedata.normalize("NFC", value or "").strip()
    if required and not text:
        raise ContentRejected(422, f"{field}-missing", f"请填写{zh}。", f"the {en} is missing")
    if len(text) > max_chars:
        raise ContentRejected(422, f"{field}-too-long",
                              f"{zh}太长:{len(text)} 个字符,最多 {max_chars} 个。",
                              f"the {en} is too long: {len(text)} characters, at most {max_chars}")
    for ch in text:
        if unicodedata.category(ch) in _REFUSED_CATEGORIES:
            raise ContentRejected(422, f"{field}-invalid-character",
                                  f"{zh}中含有不可见或控制字符(U+{ord(ch):04X})。",
                                  f"the {en} contains an invisible or control character "
                                  f"(U+{ord(ch):04X})")
        if ch in "<>":
            raise ContentRejected(422, f"{field}-markup",
                                  f"{zh}中不能包含 < 或 > 符号。",
                                  f"the {en} may not contain markup (< or >)")
    return text


def validate_submission_text(title: str | None, name: str | None, city: str | None,
                             consent: bool, limits: ContentLimits = ContentLimits()) -> SubmissionText:
    clean = SubmissionText(clean_field("title", title, limits.max_title_chars, True),
                           clean_field("name", name, limits.max_name_chars, False),
                           clean_field("city", city, limits.max_city_chars, False))
    if not consent:
        raise ContentRejected(422, "consent-missing",
                              "请勾选同意在建筑外立面上展示您的作品。",
                              "consent to show the work on the facades is required")
    return clean


def check_upload_name(file_name: str | None) -> None:
    """The browser's file name is never used; one with a path or control characters is refused."""
    name = file_name or ""
    if ("/" in name or "\\" in name or ".." in name or
            any(unicodedata.category(ch) == "Cc" for ch in name) or len(name) > 255):
        raise ContentRejected(400, "bad-file-name", "文件名无效(不能包含路径)。",
                              "the file name is not valid (it may not contain a path)")

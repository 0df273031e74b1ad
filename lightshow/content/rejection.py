"""Why a submission or a moderation request is refused: an HTTP status and a reason in two languages."""

from __future__ import annotations

from lightshow.errors import LightshowError


class ContentRejected(LightshowError):
    """A refused upload or request; ``status`` is the HTTP status the web layer answers with.

    ``code`` is a stable machine name (``too-large``, ``not-an-image`` …); ``reason_zh`` and
    ``reason_en`` are shown to the citizen (Chinese first).
    """

    def __init__(self, status: int, code: str, reason_zh: str, reason_en: str):
        self.status = status
        self.code = code
        self.reason_zh = reason_zh
        self.reason_en = reason_en
        super().__init__(f"{reason_en} ({code})")

    def as_dict(self) -> dict[str, object]:
        return {"error": self.code, "status": self.status,
                "reason_zh": self.reason_zh, "reason_en": self.reason_en}

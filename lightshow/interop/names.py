"""Foreign labels ("Pan fine", "12ch (RGB)") -> our names (``pan_fine``, ``12ch_rgb``)."""

from __future__ import annotations

import re
import unicodedata

from lightshow.schema.scalars import NAME_MAX_CHARS

_NOT_NAME = re.compile(r"[^a-z0-9]+")


def slug(label: str, fallback: str = "channel", sep: str = "_") -> str:
    """Lower-case ASCII letters and digits joined by ``sep``; never empty."""
    ascii_text = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode()
    text = _NOT_NAME.sub(sep, ascii_text.lower()).strip(sep)
    return text or fallback


class NameAllocator:
    """Hands out distinct names of at most ``max_chars`` characters (the longest our loader takes),
    shortening a longer one and suffixing ``_2``, ``_3`` ... on a clash."""

    def __init__(self, sep: str = "_", max_chars: int = NAME_MAX_CHARS) -> None:
        self.taken: set[str] = set()
        self.sep, self.max_chars = sep, max_chars

    def claim(self, wanted: str) -> str:
        name, n = wanted[:self.max_chars], 2
        while name in self.taken:
            suffix = f"{self.sep}{n}"
            name, n = wanted[:self.max_chars - len(suffix)] + suffix, n + 1
        self.taken.add(name)
        return name

"""Where commands write by default: ``build/<show name><suffix>`` under the working folder."""

from __future__ import annotations

import os

BUILD_FOLDER = "build"


def build_path(show_path: str, suffix: str) -> str:
    """``shows/anniversary.yaml`` and ``.fseq`` -> ``build/anniversary.fseq``."""
    return os.path.join(BUILD_FOLDER, os.path.splitext(os.path.basename(show_path))[0] + suffix)

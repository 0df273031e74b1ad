"""The shared interop sample files and a helper to import one of them."""

import json
import pathlib

from lightshow.interop.importer import ImportResult, import_fixture

SAMPLES = pathlib.Path("/work/shared/interop")
OFL = SAMPLES / "ofl" / "fixtures"
QLCPLUS = SAMPLES / "qlcplus"
OFL_FILES = sorted(p for p in OFL.glob("*/*.json"))
QLCPLUS_FILES = sorted(QLCPLUS.glob("*.qxf"))
MANUFACTURERS = json.loads((OFL / "manufacturers.json").read_text(encoding="utf-8"))


def import_sample(path: pathlib.Path) -> ImportResult:
    return import_fixture(path.read_bytes(), str(path), MANUFACTURERS)


def profile_text(result: ImportResult, profile_id: str) -> str:
    return dict(result.profiles)[profile_id]

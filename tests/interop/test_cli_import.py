"""``lightshow fixtures import``: files and folders in, profiles out, warnings and errors printed."""

import shutil

from lightshow import cli
from lightshow.load.project import validate_paths
from tests.interop.samples import OFL, QLCPLUS


def test_import_a_folder_and_a_file(project, capsys):
    shutil.copytree(OFL / "robe", project.root / "ofl" / "robe")
    shutil.copy(OFL / "manufacturers.json", project.root / "ofl")
    code = cli.run(["fixtures", "import", "ofl", str(QLCPLUS / "Martin-Mac-350-Entour.qxf"),
                    "-o", "imported"])
    captured = capsys.readouterr()
    assert code == 0
    written = sorted(p.name for p in (project.root / "imported").iterdir())
    assert "robe-robin-ledwash-600.yaml" in written and "martin-mac-350-entour.yaml" in written
    assert ("Martin-Mac-350-Entour.qxf:270:11: warning[unsupported-capability]: channel 'Iris' (group Beam) "
            "is imported as generic (only its default value is sent)") in captured.out
    assert captured.err.startswith(f"imported {len(list((project.root / 'ofl' / 'robe').iterdir())) + 1}"
                                   " of ")
    assert validate_paths(["imported"], "fixture") == []


def test_a_broken_file_fails_with_a_positioned_message(project, capsys):
    (project.root / "bad.json").write_text('{\n  "name": "x",\n  "modes": [,]\n}')
    (project.root / "ok.qxf").write_bytes((QLCPLUS / "ADB-ALC4.qxf").read_bytes())
    assert cli.run(["fixtures", "import", "bad.json", "ok.qxf", "-o", "out", "-q"]) == 1
    captured = capsys.readouterr()
    assert captured.out == "bad.json:3:13: error[invalid-json]: invalid JSON: Expecting value\n"
    assert "imported 1 of 2 fixture files into 1 profiles in out, 1 failed" in captured.err
    assert (project.root / "out" / "adb-alc4.yaml").exists()


def test_a_missing_path_is_a_usage_error(project, capsys):
    assert cli.run(["fixtures", "import", "nowhere", "-o", "out"]) == 2
    assert "no such file or folder: 'nowhere'" in capsys.readouterr().err

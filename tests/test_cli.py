"""The CLI's error boundary: exit codes 0/1/2/3 and no traceback for bad input."""

import json
import pathlib
import subprocess
import sys

import pytest

from lightshow import cli

REPO = pathlib.Path(__file__).resolve().parents[1]


def test_validate_clean_files_exits_0(capsys):
    assert cli.run(["validate", str(REPO / "fixtures"), str(REPO / "shows")]) == 0
    assert capsys.readouterr().out == ""


def test_validate_bad_file_exits_1_with_diagnostics_on_stdout(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bad.yaml").write_text("name: x\nchannels: {r: red}\nmodes: {m: {channels: [g]}}\n")
    assert cli.run(["validate", "bad.yaml"]) == 1
    out = capsys.readouterr().out
    assert out == "bad.yaml:3:24: error[unknown-channel]: mode 'm' lists unknown channel 'g'\n"


def test_usage_errors_exit_2(capsys, tmp_path):
    with pytest.raises(SystemExit) as info:
        cli.run(["validate"])
    assert info.value.code == 2
    with pytest.raises(SystemExit) as info:
        cli.run(["frobnicate"])
    assert info.value.code == 2
    assert cli.run(["validate", str(tmp_path)]) == 2
    assert "no YAML files under" in capsys.readouterr().err


def test_a_bug_exits_3_with_a_traceback(monkeypatch, capsys):
    def broken(args):
        raise RuntimeError("boom")
    monkeypatch.setattr(cli, "cmd_effects", broken)
    assert cli.run(["effects"]) == 3
    assert "RuntimeError: boom" in capsys.readouterr().err


@pytest.mark.parametrize("kind", ["show", "rig", "fixture"])
def test_schema_prints_json(kind, capsys):
    assert cli.run(["schema", kind]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["$schema"].startswith("https://json-schema.org/")


def test_effects_lists_parameters(capsys):
    assert cli.run(["effects"]) == 0
    assert "solid: one colour on every pixel of the target" in capsys.readouterr().out


def test_console_script_runs_as_a_process(tmp_path):
    (tmp_path / "junk.yaml").write_bytes(b"\xff\xfe\x00junk")
    result = subprocess.run([sys.executable, "-m", "lightshow", "validate", "junk.yaml"],
                            cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 1
    assert result.stdout == ("junk.yaml:1:1: error[encoding]: expected UTF-8 text, found byte 0xff "
                             "(is this a binary file?)\n")
    assert "Traceback" not in result.stderr

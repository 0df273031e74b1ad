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
    from lightshow.commands import effects

    monkeypatch.setattr(effects, "run", broken)
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


def test_effects_shows_every_parameter_with_its_description(capsys):
    from lightshow.core.effects import EFFECTS

    assert cli.run(["effects"]) == 0
    parameters = [line for line in capsys.readouterr().out.splitlines() if line.startswith("    ")]
    assert len(parameters) == sum(len(e.params.fields) for e in EFFECTS.values())
    assert all(" — " in line for line in parameters)


def small_show(project, fps: float, duration_s: float) -> str:
    """A show of one par lit for ``duration_s`` at ``fps``; its path."""
    project.rig("name: r\npatch:\n  - {id: p, profile: par, universe: 0, address: 1}\n")
    project.show(f"title: t\nrig: rig.yaml\nfps: {fps}\nchapters:\n  - id: a\n    cues:\n"
                 f"      - {{target: all, effect: solid, duration: {duration_s}}}\n")
    return "shows/show.yaml"


@pytest.mark.parametrize("text, message", [
    ("5..6", "--range 5..6 starts after the show ends (1.5 s)"),
    ("0:01.5..", "--range 0:01.5.. starts where the show ends (1.5 s)"),
    ("1.49..2", "--range 1.49..2 holds no frame (frames are 1/20 s apart; the show is 1.5 s)"),
])
def test_compile_range_past_the_end_is_a_user_error(project, capsys, text, message):
    show = small_show(project, 20, 1.5)
    assert cli.run(["compile", show, "-o", "x.fseq", "-q", "--range", text]) == 1
    assert capsys.readouterr().err == f"lightshow: error: {message}\n"
    assert not (project.root / "x.fseq").exists()


@pytest.mark.parametrize("command", [["compile", "-q", "-o"], ["export", "--fseq"]])
def test_fseq_step_drift_is_a_warning_naming_fps_step_and_drift(project, capsys, command):
    show = small_show(project, 30, 9)
    assert cli.run([command[0], show, *command[1:], "x.fseq"]) == 0
    err = capsys.readouterr().err
    assert err == ("lightshow: warning: 30 fps is written as a 33 ms FSEQ step (whole milliseconds), "
                   "so Falcon Player plays it at 30.303 fps and runs 0.09 s ahead over 9 s; "
                   "an fps that divides 1000 (20, 25, 40) does not drift\n")
    assert (project.root / "x.fseq").exists()


def test_no_drift_warning_when_the_step_is_whole_milliseconds(project, capsys):
    show = small_show(project, 40, 9)
    assert cli.run(["compile", show, "-q", "-o", "x.fseq"]) == 0
    assert cli.run(["export", show, "--fseq", "y.fseq"]) == 0
    assert "warning" not in capsys.readouterr().err


def test_console_script_runs_as_a_process(tmp_path):
    (tmp_path / "junk.yaml").write_bytes(b"\xff\xfe\x00junk")
    result = subprocess.run([sys.executable, "-m", "lightshow", "validate", "junk.yaml"],
                            cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 1
    assert result.stdout == ("junk.yaml:1:1: error[encoding]: expected UTF-8 text, found byte 0xff "
                             "(is this a binary file?)\n")
    assert "Traceback" not in result.stderr


def test_schedule_prints_the_runs_of_a_date_and_the_next_ones(capsys):
    schedule = str(REPO / "shows" / "riverfront.schedule.yaml")
    assert cli.run(["schedule", schedule, "--on", "2026-12-31"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "2026-12-31 Thu 20:00 CST  new-year-broadcast anniversary.yaml"]      # the exclusive night
    assert cli.run(["schedule", schedule, "--from", "2026-10-01T22:00", "--next", "3"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "2026-10-01 Thu 22:30 CST  evenings         anniversary.yaml",
        "2026-10-01 Thu 23:00 CST  holiday-late     anniversary.yaml",         # National Day
        "2026-10-02 Fri 18:30 CST  evenings         anniversary.yaml"]         # sunset+20, clamped
    assert cli.run(["schedule", schedule, "--on", "2026-13-01"]) == 2
    assert "--on expects a date YYYY-MM-DD" in capsys.readouterr().err


def test_a_start_to_the_second_resolves_to_the_second(tmp_path, capsys):
    (tmp_path / "a.yaml").write_text("title: a\n")
    (tmp_path / "s.yaml").write_text(
        "site: {latitude: 36.65, longitude: 117.12, timezone: Asia/Shanghai}\nentries:\n"
        "  - {id: broadcast, days: [2026-12-31], start: \"19:58:30\", repeat_every_min: 1, until: \"19:59:45\","
        " playlist: [a.yaml]}\n")
    assert cli.run(["schedule", str(tmp_path / "s.yaml"), "--on", "2026-12-31"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "2026-12-31 Thu 19:58:30 CST  broadcast        a.yaml",
        "2026-12-31 Thu 19:59:30 CST  broadcast        a.yaml"]


def test_report_writes_html_and_csv_from_the_play_log(tmp_path, capsys):
    import datetime as dt
    from zoneinfo import ZoneInfo

    from lightshow.files.play_log import PlayLog

    zone = ZoneInfo("Asia/Shanghai")
    log = PlayLog(str(tmp_path / "log.sqlite"))
    first = dt.datetime(2026, 10, 2, 18, 30, tzinfo=zone)
    log.record(first, "run-start", "evenings", first, elapsed_s=0.0)
    log.close()
    args = ["report", "--log", str(tmp_path / "log.sqlite"), "--schedule",
            str(REPO / "shows" / "riverfront.schedule.yaml"), "--from", "2026-10-02",
            "-o", str(tmp_path / "r.html"), "--csv", str(tmp_path / "r.csv")]
    assert cli.run(args) == 0
    assert "1 played, 0 rejoined, 5 missed, 0 to come" in capsys.readouterr().err   # 4 on the hour, 23:00 (a holiday)
    assert (tmp_path / "r.csv").read_text().splitlines()[1] == "2026-10-02,2026-10-02T18:30:00+08:00,evenings,played,"
    assert "<svg" in (tmp_path / "r.html").read_text()
    assert cli.run(args[:-4] + ["--to", "2026-10-01"]) == 2


def test_a_sync_latch_outside_0_to_10_ms_is_a_usage_error(capsys, sim_show):
    assert cli.run(["play", sim_show, "--no-window", "--sync-latch", "12"]) == 2
    assert "--sync-latch must be 0 to 10 ms, found 12" in capsys.readouterr().err


def test_multisync_players_latch_3_ms_after_the_deadline_and_ask_for_real_time_quietly():
    import argparse

    from lightshow.commands.player_options import add_player_arguments, realtime_priority, sync_latch_s

    parser = argparse.ArgumentParser()
    add_player_arguments(parser)

    def parse(*args):
        parsed = parser.parse_args(["show.yaml", *args])
        return sync_latch_s(parsed), realtime_priority(parsed)
    assert parse() == (0.0, (None, True))
    assert parse("--sync-remote") == (0.003, (10, True))
    assert parse("--sync-master", "--sync-latch", "0", "--no-realtime") == (0.0, (None, True))
    assert parse("--realtime", "20", "--sync-latch", "2.5") == (0.0025, (20, False))

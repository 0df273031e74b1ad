"""Compiled show files: deterministic FSEQ with an index, readable back frame by frame."""

import hashlib
import os

import numpy as np
import pytest

from lightshow import cli
from lightshow.adapters.compiled_file import CompiledShow, compile_show
from lightshow.core.render import ShowRenderer
from lightshow.errors import FormatError
from lightshow.load.project import load_show
from tests.projects import RGB_PIXEL_BAR

SHOW = """\
title: t
rig: rig.yaml
fps: 20
chapters:
  - id: one
    cues:
      - {id: rain, target: all, effect: rainbow, duration: 2, fade_in: 0.5}
  - id: two
    cues:
      - {id: sparks, target: all, effect: chase, duration: 1.5, params: {count: 3}}
"""


@pytest.fixture
def show(project):
    project.fixture("bar200", RGB_PIXEL_BAR.format(n=200))
    project.rig("name: t\npatch:\n  - {id: b, profile: bar200, universe: 1, address: auto}\n"
                "  - {id: p, profile: par, universe: 9, address: 1}\n")
    project.show(SHOW)
    return load_show("shows/show.yaml")


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("compression", ["zstd", "zlib", "none"])
def test_file_frames_equal_rendered_frames(show, tmp_path, compression):
    path = tmp_path / "show.fseq"
    result = compile_show(show, str(path), compression=compression)
    expected = ShowRenderer(show).render(0, 70)
    assert result.n_frames == 70 and result.n_channels == 3 * 512
    with CompiledShow(str(path)) as compiled:
        assert compiled.n_frames == 70
        assert np.array_equal(compiled.frames(0, 70), expected)
        assert compiled.index["universes"] == [1, 2, 9]
        assert [(c["id"], c["start_frame"], c["stop_frame"]) for c in compiled.index["chapters"]] == [
            ("one", 0, 40), ("two", 40, 70)]
        assert compiled.index["cues"][1]["id"] == "sparks"


def test_compiling_twice_gives_identical_bytes(show, tmp_path):
    first, second = tmp_path / "a.fseq", tmp_path / "b.fseq"
    compile_show(show, str(first))
    compile_show(load_show("shows/show.yaml"), str(second))
    assert digest(first) == digest(second)


@pytest.mark.parametrize("compression", ["zstd", "zlib", "none"])
def test_compiling_in_several_processes_writes_the_same_file(show, tmp_path, compression,
                                                           monkeypatch):
    from lightshow.adapters import compiled_file

    from lightshow.protocol import fseq

    # blocks of 4 frames, chunks of one block, tasks of two chunks: several for each process
    monkeypatch.setattr(fseq, "TARGET_BLOCK_BYTES", 4 * 3 * 512)
    monkeypatch.setattr(compiled_file, "TASK_FRAMES", 8)
    one, three = tmp_path / "one.fseq", tmp_path / "three.fseq"
    renderer = ShowRenderer(show)
    renderer.block_frames = 4
    render, pids = renderer.render, tmp_path / "pids"

    def render_noting_the_process(start, stop):
        with open(pids, "a") as log:
            log.write(f"{os.getpid()}\n")
        return render(start, stop)

    renderer.render = render_noting_the_process
    compile_show(show, str(three), 5, 66, compression=compression, renderer=renderer, jobs=3)
    assert str(os.getpid()) not in pids.read_text().split()
    assert len(set(pids.read_text().split())) > 1
    compile_show(show, str(one), 5, 66, compression=compression, jobs=1)
    assert digest(one) == digest(three)
    with CompiledShow(str(three)) as compiled:
        assert np.array_equal(compiled.frames(0, 61), ShowRenderer(show).render(5, 66))


WRITE_LIMITED = """
import resource, signal, sys
from lightshow.adapters import compiled_file
from lightshow.adapters.compiled_file import compile_show
from lightshow.errors import LightshowError
from lightshow.load.project import load_show
show = load_show("shows/show.yaml")
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG
resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))
compiled_file.TASK_FRAMES = 8  # several tasks, so that processes compile
try:
    compile_show(show, sys.argv[1], compression="none", jobs=int(sys.argv[2]))
except LightshowError as exc:
    print(exc)
"""


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_failing_write_is_a_clear_error_and_leaves_no_file(show, tmp_path, jobs):
    import subprocess
    import sys

    path = tmp_path / "big.fseq"
    done = subprocess.run([sys.executable, "-c", WRITE_LIMITED, str(path), str(jobs)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"cannot write '{path}': File too large")
    assert not path.exists() and not (tmp_path / "big.fseq.partial").exists()


def test_a_range_compiles_those_frames_only(show, tmp_path):
    path = tmp_path / "part.fseq"
    compile_show(show, str(path), 30, 50)
    with CompiledShow(str(path)) as compiled:
        assert compiled.n_frames == 20
        assert compiled.index["frames"] == [30, 50]
        assert np.array_equal(compiled.frames(0, 20), ShowRenderer(show).render(30, 50))


def test_a_file_that_is_not_ours_is_refused(tmp_path):
    path = tmp_path / "junk.fseq"
    path.write_bytes(b"PSEQ" + bytes(60))
    with pytest.raises(FormatError):
        CompiledShow(str(path))


def test_cli_compile_with_range(project, show, capsys):
    assert cli.run(["compile", "shows/show.yaml", "-o", "out/x.fseq", "--range", "two", "-q"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("compiled shows/show.yaml -> out/x.fseq: 30 frames (1.5 s at 20 fps), "
                          "3 universes")
    with CompiledShow("out/x.fseq") as compiled:
        assert compiled.index["frames"] == [40, 70]
    assert cli.run(["compile", "shows/show.yaml", "--range", "0:01..0:00.5"]) == 2


def test_cli_compile_reports_show_problems(project, capsys):
    project.show("title: t\nrig: nowhere.yaml\nchapters: [{id: a, duration: 1}]\n")
    assert cli.run(["compile", "shows/show.yaml", "-q"]) == 1
    assert "error[file-not-found]" in capsys.readouterr().out

"""Compiled show files: deterministic FSEQ with an index, readable back frame by frame."""

import hashlib

import numpy as np
import pytest

from lightshow import cli
from lightshow.files.compiled_file import CompiledShow, compile_show
from lightshow.core.render import ShowRenderer
from lightshow.errors import FormatError
from lightshow.load.project import load_show

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
        assert list(compiled.index.universes) == [1, 2, 9]
        assert [(c.id, c.start_frame, c.stop_frame) for c in compiled.index.chapters] == [
            ("one", 0, 40), ("two", 40, 70)]
        assert compiled.index.cues[1].id == "sparks"


def test_compiling_twice_gives_identical_bytes(show, tmp_path):
    first, second = tmp_path / "a.fseq", tmp_path / "b.fseq"
    compile_show(show, str(first))
    compile_show(load_show("shows/show.yaml"), str(second))
    assert digest(first) == digest(second)


def test_a_range_compiles_those_frames_only(show, tmp_path):
    path = tmp_path / "part.fseq"
    compile_show(show, str(path), 30, 50)
    with CompiledShow(str(path)) as compiled:
        assert compiled.n_frames == 20
        assert [compiled.index.first_frame, compiled.index.stop_frame] == [30, 50]
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
        assert [compiled.index.first_frame, compiled.index.stop_frame] == [40, 70]
    assert cli.run(["compile", "shows/show.yaml", "--range", "0:01..0:00.5"]) == 2


def test_cli_compile_reports_show_problems(project, capsys):
    project.show("title: t\nrig: nowhere.yaml\nchapters: [{id: a, duration: 1}]\n")
    assert cli.run(["compile", "shows/show.yaml", "-q"]) == 1
    assert "error[file-not-found]" in capsys.readouterr().out


@pytest.mark.parametrize("compression, level", [("zstd", -7), ("zstd", 19), ("zlib", 9)])
def test_cli_compile_at_a_level_gives_the_same_frames(project, show, capsys, compression, level):
    assert cli.run(["compile", "shows/show.yaml", "-o", "a.fseq", "-q", "--compression", compression]) == 0
    assert cli.run(["compile", "shows/show.yaml", "-o", "b.fseq", "-q", "--compression", compression,
                    "--level", str(level)]) == 0
    with CompiledShow("a.fseq") as a, CompiledShow("b.fseq") as b:
        assert np.array_equal(a.frames(0, 70), b.frames(0, 70))
    assert digest(project.root / "a.fseq") != digest(project.root / "b.fseq")


@pytest.mark.parametrize("arguments, message", [
    (["--level", "20"], "--level: zstd compression levels are -7..19, got 20"),
    (["--compression", "zlib", "--level", "0"], "--level: zlib compression levels are 1..9, got 0"),
])
def test_cli_compile_refuses_a_level_its_compression_lacks(project, show, capsys, arguments, message):
    assert cli.run(["compile", "shows/show.yaml", "-o", "c.fseq", "-q", *arguments]) == 2
    assert message in capsys.readouterr().err
    assert not (project.root / "c.fseq").exists()
    assert cli.run(["export", "shows/show.yaml", "--fseq", "c.fseq", *arguments]) == 2

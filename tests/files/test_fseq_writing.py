"""Writing FSEQ files in chunks of whole blocks, in one thread or several."""

import hashlib
import os
import signal
import subprocess
import sys
import threading
import time

import numpy as np
import pytest

from lightshow.files.compiled_file import CompiledShow, compile_show
from lightshow.files.fseq_writing import chunk_blocks
from lightshow.core.render import ShowRenderer
from lightshow.errors import LightshowError
from tests.projects import RGB_PIXEL_BAR


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def note_renders(monkeypatch, note) -> list:
    """``note(start, stop)`` of every render call of every renderer (the threads' own too),
    in a list."""
    notes = []
    render = ShowRenderer.render

    def render_noting(self, start, stop, master=1.0):
        notes.append(note(start, stop))
        return render(self, start, stop, master)

    monkeypatch.setattr(ShowRenderer, "render", render_noting)
    return notes


def test_chunks_are_runs_of_whole_blocks():
    assert chunk_blocks((10, 6, 6, 6, 6, 3), 37, 12) == [(10,), (6, 6), (6, 6), (3,)]
    assert chunk_blocks((1, 6, 6, 6, 6, 6, 6, 6), 43, 20) == [(1, 6, 6, 6), (6, 6, 6), (6,)]
    assert chunk_blocks((10, 6, 6), 22, 1) == [(10,), (6,), (6,)]
    assert chunk_blocks((), 25, 10) == [(10,), (10,), (5,)]  # uncompressed: no blocks
    # a block longer than a chunk is a chunk of its own (rendered a chunk at a time)
    assert chunk_blocks((10, 25, 25, 3), 63, 16) == [(10,), (25,), (25,), (3,)]


@pytest.mark.parametrize("compression", ["zstd", "zlib", "none"])
def test_compiling_in_several_threads_writes_the_same_file(show, tmp_path, compression, monkeypatch):
    from lightshow.protocol import fseq_format

    # blocks of 4 frames, chunks of one block: several for each thread
    monkeypatch.setattr(fseq_format, "TARGET_BLOCK_BYTES", 4 * 3 * 512)
    one, three = tmp_path / "one.fseq", tmp_path / "three.fseq"
    renderer = ShowRenderer(show)
    renderer.block_frames = 4
    threads = note_renders(monkeypatch, lambda start, stop: threading.current_thread().name)
    compile_show(show, str(three), 5, 66, compression=compression, renderer=renderer, jobs=3)
    assert threading.current_thread().name not in threads   # the threads render, this one writes
    assert "compile-0" in threads and set(threads) <= {"compile-0", "compile-1", "compile-2"}
    compile_show(show, str(one), 5, 66, compression=compression, jobs=1)
    assert digest(one) == digest(three)
    with CompiledShow(str(three)) as compiled:
        assert np.array_equal(compiled.frames(0, 61), ShowRenderer(show).render(5, 66))


@pytest.mark.parametrize("compression, jobs, chunk_frames", [
    ("zstd", 1, 4), ("zlib", 1, 4), ("zstd", 2, 4), ("zstd", 1, 16)])
def test_blocks_longer_than_a_chunk_are_rendered_a_chunk_at_a_time(show, tmp_path, compression,
                                                                   jobs, chunk_frames, monkeypatch):
    from lightshow.protocol import fseq_format

    # 25-frame blocks (a long show's; the first one 10), 4- or 16-frame render chunks: no
    # render call asks for more than a chunk, so memory does not grow with the blocks, and
    # the frames are the same
    monkeypatch.setattr(fseq_format, "TARGET_BLOCK_BYTES", 25 * 3 * 512)
    renderer = ShowRenderer(show)
    renderer.block_frames = chunk_frames
    asked = note_renders(monkeypatch, lambda start, stop: stop - start)
    path = tmp_path / "long_blocks.fseq"
    compile_show(show, str(path), 5, 66, compression=compression, renderer=renderer, jobs=jobs)
    assert max(asked) == chunk_frames
    with CompiledShow(str(path)) as compiled:
        firsts = [first for first, _ in compiled.reader.header.blocks]
        assert np.diff(firsts)[1:3].tolist() == [25, 25]
        assert np.array_equal(compiled.frames(0, 61), ShowRenderer(show).render(5, 66))


def test_an_error_in_a_rendering_thread_is_the_compiles_and_leaves_no_file(show, tmp_path,
                                                                           monkeypatch):
    from lightshow.protocol import fseq_format

    monkeypatch.setattr(fseq_format, "TARGET_BLOCK_BYTES", 4 * 3 * 512)
    render = ShowRenderer.render

    def failing_render(self, start, stop, master=1.0):
        if start >= 40:
            raise LightshowError(f"cannot render frame {start}")
        return render(self, start, stop, master)

    monkeypatch.setattr(ShowRenderer, "render", failing_render)
    path = tmp_path / "failed.fseq"
    renderer = ShowRenderer(show)
    renderer.block_frames = 4
    with pytest.raises(LightshowError, match="cannot render frame"):
        compile_show(show, str(path), 0, 66, renderer=renderer, jobs=2)
    assert not path.exists() and not (tmp_path / "failed.fseq.partial").exists()
    assert [t.name for t in threading.enumerate() if t.name.startswith("compile-")] == []

WRITE_LIMITED = """
import resource, signal, sys
from lightshow.files.compiled_file import compile_show
from lightshow.errors import LightshowError
from lightshow.load.project import load_show
show = load_show("shows/show.yaml")
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG
resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))
try:
    compile_show(show, sys.argv[1], compression="none", jobs=int(sys.argv[2]))
except LightshowError as exc:
    print(exc)
"""


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_failing_write_is_a_clear_error_and_leaves_no_file(show, tmp_path, jobs):
    path = tmp_path / "big.fseq"
    done = subprocess.run([sys.executable, "-c", WRITE_LIMITED, str(path), str(jobs)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"cannot write '{path}': File too large")
    assert not path.exists() and not (tmp_path / "big.fseq.partial").exists()


def _default_interrupts() -> None:
    """A terminal's Ctrl-C handling for the compile, even when these tests were started in
    the background (a non-interactive shell starts background jobs ignoring SIGINT, and
    Python keeps an ignored SIGINT ignored)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _a_long_compile_under_way(project) -> subprocess.Popen:
    """``compile --jobs 2`` of a ten-minute show in a session of its own (with a terminal's Ctrl-C
    handling), once its partial file has grown: its threads are at work."""
    project.fixture("bar200", RGB_PIXEL_BAR.format(n=200))
    patch = "".join(f"  - {{id: b{i}, profile: bar200, universe: {2 * i}, address: auto}}\n"
                    for i in range(8))
    project.rig("name: t\npatch:\n" + patch)
    project.show("title: t\nrig: rig.yaml\nfps: 40\nchapters:\n  - id: one\n    cues:\n"
                 "      - {target: all, effect: noise, duration: 600}\n")
    compiling = subprocess.Popen([sys.executable, "-m", "lightshow", "compile", "shows/show.yaml",
                                  "-o", "out.fseq", "--jobs", "2", "-q"],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                 start_new_session=True, preexec_fn=_default_interrupts)
    deadline = time.monotonic() + 120  # a fresh checkout compiles the kernels first
    while not os.path.exists("out.fseq.partial") or os.path.getsize("out.fseq.partial") < 100_000:
        assert compiling.poll() is None and time.monotonic() < deadline
        time.sleep(0.05)
    return compiling


def test_ctrl_c_stops_the_compile_and_leaves_no_file(project):
    """SIGINT to the whole process group (as a terminal sends it): exit 130, no tracebacks
    from the threads, no file and no partial file."""
    compiling = _a_long_compile_under_way(project)
    os.killpg(compiling.pid, signal.SIGINT)
    out, err = compiling.communicate(timeout=60)
    assert compiling.returncode == 130, err
    assert "Traceback" not in err
    assert not os.path.exists("out.fseq") and not os.path.exists("out.fseq.partial")
    with pytest.raises(ProcessLookupError):  # nothing of the group is left
        os.killpg(compiling.pid, 0)

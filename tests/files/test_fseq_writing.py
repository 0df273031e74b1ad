"""Writing FSEQ files in chunks of whole blocks, here or in forked worker processes."""

import hashlib
import os
import signal
import subprocess
import sys
import time

import numpy as np
import pytest

from lightshow.files.compiled_file import CompiledShow, compile_show
from lightshow.files.fseq_writing import chunk_blocks
from lightshow.core.render import ShowRenderer
from tests.processes import children, running
from tests.projects import RGB_PIXEL_BAR


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def noting_renderer(show, log_path, note, chunk_frames: int = 4) -> ShowRenderer:
    """A renderer in ``chunk_frames`` chunks that appends ``note(start, stop)`` of each render
    call to ``log_path`` (a file, so that forked worker processes' calls are seen too)."""
    renderer = ShowRenderer(show)
    renderer.block_frames = chunk_frames
    render = renderer.render

    def render_noting(start, stop):
        with open(log_path, "a") as log:
            log.write(f"{note(start, stop)}\n")
        return render(start, stop)

    renderer.render = render_noting
    return renderer


def test_chunks_are_runs_of_whole_blocks():
    assert chunk_blocks((10, 6, 6, 6, 6, 3), 37, 12) == [(10,), (6, 6), (6, 6), (3,)]
    assert chunk_blocks((1, 6, 6, 6, 6, 6, 6, 6), 43, 20) == [(1, 6, 6, 6), (6, 6, 6), (6,)]
    assert chunk_blocks((10, 6, 6), 22, 1) == [(10,), (6,), (6,)]
    assert chunk_blocks((), 25, 10) == [(10,), (10,), (5,)]  # uncompressed: no blocks
    # a block longer than a chunk is a chunk of its own (rendered a chunk at a time)
    assert chunk_blocks((10, 25, 25, 3), 63, 16) == [(10,), (25,), (25,), (3,)]


@pytest.mark.parametrize("compression", ["zstd", "zlib", "none"])
def test_compiling_in_several_processes_writes_the_same_file(show, tmp_path, compression,
                                                           monkeypatch):
    from lightshow.files import fseq_writing
    from lightshow.protocol import fseq_format

    # blocks of 4 frames, chunks of one block, tasks of two chunks: several for each process
    monkeypatch.setattr(fseq_format, "TARGET_BLOCK_BYTES", 4 * 3 * 512)
    monkeypatch.setattr(fseq_writing, "TASK_FRAMES", 8)
    one, three = tmp_path / "one.fseq", tmp_path / "three.fseq"
    pids = tmp_path / "pids"
    renderer = noting_renderer(show, pids, lambda start, stop: os.getpid())
    compile_show(show, str(three), 5, 66, compression=compression, renderer=renderer, jobs=3)
    assert str(os.getpid()) not in pids.read_text().split()
    assert len(set(pids.read_text().split())) > 1
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
    asked = tmp_path / "asked"
    renderer = noting_renderer(show, asked, lambda start, stop: stop - start, chunk_frames)
    path = tmp_path / "long_blocks.fseq"
    compile_show(show, str(path), 5, 66, compression=compression, renderer=renderer, jobs=jobs)
    assert max(map(int, asked.read_text().split())) == chunk_frames
    with CompiledShow(str(path)) as compiled:
        firsts = [first for first, _ in compiled.reader.header.blocks]
        assert np.diff(firsts)[1:3].tolist() == [25, 25]
        assert np.array_equal(compiled.frames(0, 61), ShowRenderer(show).render(5, 66))

WRITE_LIMITED = """
import resource, signal, sys
from lightshow.files import fseq_writing
from lightshow.files.compiled_file import compile_show
from lightshow.errors import LightshowError
from lightshow.load.project import load_show
show = load_show("shows/show.yaml")
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG
resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))
fseq_writing.TASK_FRAMES = 8  # several tasks, so that processes compile
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
    handling), once its partial file has grown: worker processes are at work."""
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


def test_ctrl_c_stops_every_process_and_leaves_no_file(project):
    """SIGINT to the whole process group (as a terminal sends it): exit 130, no tracebacks
    from the worker processes, no file and no partial file."""
    compiling = _a_long_compile_under_way(project)
    os.killpg(compiling.pid, signal.SIGINT)
    out, err = compiling.communicate(timeout=60)
    assert compiling.returncode == 130, err
    assert "Traceback" not in err
    assert not os.path.exists("out.fseq") and not os.path.exists("out.fseq.partial")
    with pytest.raises(ProcessLookupError):  # nothing of the group is left
        os.killpg(compiling.pid, 0)


def test_a_killed_compile_leaves_no_worker_behind(project):
    """SIGKILL to the compiling process alone (an out-of-memory killer, a kill -9): its worker
    processes die with it instead of living on as orphans holding their buffers."""
    compiling = _a_long_compile_under_way(project)
    workers = children(compiling.pid)
    assert workers                                       # it was compiling in worker processes
    compiling.kill()
    compiling.communicate(timeout=10)
    deadline = time.monotonic() + 10
    while any(running(pid) for pid in workers):
        if time.monotonic() > deadline:
            os.killpg(compiling.pid, signal.SIGKILL)            # tidy up, then fail
            raise AssertionError("workers outlived the killed compile")
        time.sleep(0.05)

"""Edit-to-frame time of a one-cue edit of the anniversary show while a player plays it.

A copy of the project is compiled (the full compile's time is reported), a player plays the
compiled file on the real clock with ``--watch``'s reloader and watcher, and the bench edits
one cue playing at the playhead (ch2-river-shimmer's opacity) again and again.  Each edit's
time runs from the write of the file to the first tick that sends the edited show's frame
(checked against a render of the edited show from a second copy).  Then ``compile
--incremental`` of the edited show is timed and compared byte for byte with a full compile.

    python3 bench/reload.py [--edits 20]

Last line: ``reload: edit-to-frame p95 <t> ms, rendered <f> of <n> frames, full compile <c> s``
(f: frames of the edited cue, rendered again; the others are read from the compiled file).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import threading
import time

import numpy as np

sys.path[0] = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))   # not bench/ (its queue.py)

from lightshow.core.render import ShowRenderer  # noqa: E402
from lightshow.core.show_diff import diff_shows  # noqa: E402
from lightshow.files.compiled_file import compile_incremental, compile_show  # noqa: E402
from lightshow.load.project import load_show  # noqa: E402
from lightshow.playback.show_player import open_player  # noqa: E402
from lightshow.playback.show_reload import LiveShow, start_watching  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CUE_LINE = "        opacity: 0.35\n"      # ch2-river-shimmer, 325 s .. 360 s
PLAY_FROM_S = 326.0


class ProbeSink:
    """Keeps the frames sent while armed, with their deadlines and show frames."""

    def __init__(self):
        self.armed, self.sent, self._lock = False, [], threading.Lock()

    def send(self, frame, deadline_s, show_s):
        if self.armed and show_s is not None:
            with self._lock:
                self.sent.append((deadline_s, int(round(show_s * 40)), frame.reshape(-1).copy()))

    def take(self):
        with self._lock:
            sent, self.sent, self.armed = self.sent, [], False
        return sent

    def close(self):
        pass


def copy_project(root: str) -> str:
    for folder in ("shows", "fixtures"):
        shutil.copytree(os.path.join(REPO, folder), os.path.join(root, folder))
    return os.path.join(root, "shows", "anniversary.yaml")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--edits", type=int, default=20)
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="lightshow-reload-")
    try:
        watched = copy_project(os.path.join(work, "a"))
        reference = copy_project(os.path.join(work, "b"))
        text = open(watched, encoding="utf-8").read()
        assert CUE_LINE in text
        show = load_show(watched)
        fseq = os.path.join(work, "anniversary.fseq")
        began = time.perf_counter()
        compile_show(show, fseq)
        full_s = time.perf_counter() - began
        print(f"full compile: {full_s:.1f} s ({show.n_frames} frames)", file=sys.stderr)

        probe = ProbeSink()
        player = open_player(show, fseq, [probe])
        player.seek_s(PLAY_FROM_S)
        player.play()
        player.start()
        live = LiveShow(player, show, report=lambda line: None)
        stop = start_watching(live)
        time.sleep(1.0)
        latencies, old_text = [], text
        for n in range(args.edits):
            new_text = text.replace(CUE_LINE, f"        opacity: {0.40 + 0.05 * (n % 10):.2f}\n")
            with open(reference, "w", encoding="utf-8") as f:
                f.write(new_text)
            want = ShowRenderer(load_show(reference))
            with open(reference, "w", encoding="utf-8") as f:
                f.write(old_text)
            before = ShowRenderer(load_show(reference))
            probe.sent, probe.armed = [], True
            edited_at = time.monotonic()
            with open(watched, "w", encoding="utf-8") as f:
                f.write(new_text)
            time.sleep(1.0)
            sent = probe.take()
            first = None
            for deadline, k, frame in sent:
                new, old = want.render(k, k + 1)[0], before.render(k, k + 1)[0]
                if np.array_equal(new, old):
                    continue                      # this frame does not tell the shows apart
                if np.array_equal(frame, new):
                    first = deadline if first is None else first
                elif first is not None and np.array_equal(frame, old):
                    raise SystemExit(f"edit {n}: frame {k} went back to the old show")
            if first is None:
                raise SystemExit(f"edit {n}: the edited show never reached the output")
            latencies.append(1000 * (first - edited_at))
            old_text = new_text
            print(f"edit {n}: {latencies[-1]:.0f} ms", file=sys.stderr)
        stop()
        held = player.stats.held
        player.close()
        edited = load_show(watched)
        rendered = diff_shows(show, edited).n_changed     # the edited cue's frames, against the base
        began = time.perf_counter()
        patched = compile_incremental(edited, fseq, fseq)
        incremental_s = time.perf_counter() - began
        full = os.path.join(work, "full.fseq")
        compile_show(edited, full)
        same = open(fseq, "rb").read() == open(full, "rb").read()
        print(f"compile --incremental: {incremental_s:.2f} s, rendered {patched.rendered_frames} frames, "
              f"copied {patched.copied_frames}; byte-identical to a full compile: {same}", file=sys.stderr)
        print(f"ticks holding a frame not ready in time: {held}", file=sys.stderr)
        p95 = float(np.percentile(latencies, 95))
        print(f"reload: edit-to-frame p95 {p95:.0f} ms, rendered {rendered} of {show.n_frames} frames, "
              f"full compile {full_s:.1f} s")
        return 0 if same else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

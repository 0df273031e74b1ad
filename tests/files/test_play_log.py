"""The play log keeps what it acknowledged, even when the process is killed right after."""

import datetime as dt
import subprocess
import sys

from lightshow.files.play_log import PlayLog

UTC = dt.timezone.utc
KILLED_AFTER_RECORDING = """
import datetime as dt, os, signal, sys
from lightshow.files.play_log import PlayLog
log = PlayLog(sys.argv[1])
at = dt.datetime(2026, 10, 1, 19, 30, tzinfo=dt.timezone.utc)
log.record(at, "run-start", "evening", at, elapsed_s=0.0)
print("recorded", flush=True)
os.kill(os.getpid(), signal.SIGKILL)            # a power cut, as far as this process can tell
"""


def test_what_was_recorded_survives_a_kill_right_after(tmp_path):
    path = str(tmp_path / "log.sqlite")
    done = subprocess.run([sys.executable, "-c", KILLED_AFTER_RECORDING, path], capture_output=True, text=True)
    assert done.stdout.strip() == "recorded" and done.returncode == -9
    log = PlayLog(path)
    [event] = log.events(dt.datetime(2026, 1, 1, tzinfo=UTC), dt.datetime(2027, 1, 1, tzinfo=UTC))
    assert (event.kind, event.entry, event.detail) == ("run-start", "evening", {"elapsed_s": 0.0})
    log.close()


def test_events_come_back_in_order_within_the_window(tmp_path):
    log = PlayLog(str(tmp_path / "log.sqlite"))
    times = [dt.datetime(2026, 10, 1, h, tzinfo=UTC) for h in (19, 20, 21)]
    for at, kind in zip(times, ("run-start", "hold", "release")):
        log.record(at, kind, why="pause")
    assert [e.kind for e in log.events(times[0], times[2])] == ["run-start", "hold"]
    log.close()

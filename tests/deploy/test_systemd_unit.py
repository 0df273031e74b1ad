"""The systemd unit we ship passes systemd's own check."""

import pathlib
import shutil
import subprocess

import pytest

UNIT = pathlib.Path(__file__).resolve().parents[2] / "deploy" / "lightshow.service"


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd is not installed (.ci/install installs it)")
def test_systemd_analyze_verifies_the_unit(tmp_path):
    lightshow = shutil.which("lightshow")
    assert lightshow, "lightshow is not installed"
    text = UNIT.read_text()
    assert "Type=notify" in text and "WatchdogSec=" in text and "Restart=always" in text
    unit = tmp_path / "lightshow.service"
    unit.write_text(text.replace("/usr/local/bin/lightshow", lightshow))    # where pip put it here
    checked = subprocess.run(["systemd-analyze", "verify", str(unit)], capture_output=True, text=True)
    assert checked.returncode == 0 and checked.stderr.strip() == "", checked.stderr
    unit.write_text(text.replace("/usr/local/bin/lightshow", lightshow).replace("Restart=", "Restartt="))
    checked = subprocess.run(["systemd-analyze", "verify", str(unit)], capture_output=True, text=True)
    assert "Unknown key 'Restartt'" in checked.stderr                         # it does look

"""The malformed-input corpus: ``lightshow validate main.yaml`` must print exactly ``expected.txt``.

Each folder under ``corpus/`` is one case: its input files (``main.yaml`` plus whatever it
names: a rig, ``fixtures/`` ...), ``expected.txt`` (the exact stdout, paths relative to the
case folder) and ``exit_code`` when that is not 1.  A case holding an ``isolate`` file is run
in a child process, because the input once killed or starved the interpreter; the file says
why.  Every expected output was checked by hand: where the loader was wrong, ``expected.txt``
holds what it should print, not what it printed.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from lightshow import cli

REPO = Path(__file__).resolve().parents[2]
CORPUS = Path(__file__).resolve().parent / "corpus"
CASES = sorted(p for p in CORPUS.iterdir() if p.is_dir())
CHILD_TIMEOUT_S = 120
CHILD_MEMORY_BYTES = 2 * 1024 ** 3


def expected_of(case: Path) -> tuple[str, int]:
    stdout = (case / "expected.txt").read_bytes().decode("utf-8")
    code_file = case / "exit_code"
    code = int(code_file.read_text().strip()) if code_file.exists() else 1
    return stdout, code


def child_env() -> dict[str, str]:
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    return env


def _limit_memory() -> None:  # pragma: no cover - runs in the child
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (CHILD_MEMORY_BYTES, CHILD_MEMORY_BYTES))


def run_child(argv: list[str], case: Path) -> tuple[str, str, int]:
    """Run ``argv`` in ``case`` with bounded time and memory; (stdout, stderr, exit code)."""
    try:
        done = subprocess.run(argv, cwd=case, env=child_env(), capture_output=True,
                              timeout=CHILD_TIMEOUT_S,
                              preexec_fn=_limit_memory if os.name == "posix" else None)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{case.name}: still running after {CHILD_TIMEOUT_S} s")
    stdout = done.stdout.decode("utf-8", "replace").replace(os.linesep, "\n")
    stderr = done.stderr.decode("utf-8", "replace")
    return stdout, stderr, done.returncode


def check(case: Path, stdout: str, stderr: str, code: int) -> None:
    expected_stdout, expected_code = expected_of(case)
    assert "Traceback" not in stderr, f"{case.name}: lightshow crashed:\n{stderr[-3000:]}"
    assert code >= 0, f"{case.name}: the process was killed by signal {-code}"
    assert stdout == expected_stdout, f"{case.name}: stdout differs"
    assert code == expected_code, f"{case.name}: exit code {code}, expected {expected_code}"


def test_corpus_has_at_least_40_cases():
    assert len(CASES) >= 40, [c.name for c in CASES]


def test_every_case_is_complete():
    for case in CASES:
        assert (case / "expected.txt").is_file(), f"{case.name} has no expected.txt"
        if (case / "exit_code").exists():
            assert (case / "exit_code").read_text().strip() in ("0", "1", "2"), case.name


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_case(case: Path, monkeypatch, capsys):
    if (case / "isolate").exists():
        if os.name != "posix":
            pytest.skip("isolated cases need POSIX (resource limits, /dev/zero)")
        argv = [sys.executable, "-c",
                "import sys; from lightshow.cli import run; sys.exit(run(['validate', 'main.yaml']))"]
        stdout, stderr, code = run_child(argv, case)
    else:
        monkeypatch.chdir(case)
        code = cli.run(["validate", "main.yaml"])
        stdout, stderr = capsys.readouterr()
    check(case, stdout, stderr, code)


# one clean case (exit 0), one binary file (exit 1) and a folder named main.yaml (exit 2)
PROCESS_CASES = ["13-clean-octal-looking-address", "50-binary-junk", "61-main-is-a-directory"]


@pytest.mark.parametrize("name", PROCESS_CASES)
def test_real_process(name: str):
    case = CORPUS / name
    assert case.is_dir(), f"corpus case {name} is missing"
    stdout, stderr, code = run_child(
        [sys.executable, "-m", "lightshow", "validate", "main.yaml"], case)
    check(case, stdout, stderr, code)

"""The progress bar: drawn on stderr only when stderr is a terminal and the
work has run past the delay; never on a pipe, never with --quiet.

The terminal is a real pseudo-terminal (Python's pty module). The delay is
set through DECKC_PROGRESS_DELAY_MS so the test does not depend on how fast
the machine builds: 0 shows the bar at once, a minute never shows it.
"""
import os
import pathlib
import pty
import shutil
import subprocess
import tempfile

ROOT = pathlib.Path(__file__).resolve().parents[2]
BIN = os.environ.get("DECKC_BIN", str(ROOT / "target" / "release" / "deckc"))
ERASE_LINE = b"\x1b[2K"


def copy_content(tmp):
    content = pathlib.Path(tmp) / "content"
    shutil.copytree(ROOT / "content", content)
    return content


def run_on_pty(args, delay_ms):
    """Runs deckc with stdout and stderr on a pseudo-terminal; returns
    (exit code, everything the terminal received)."""
    env = dict(os.environ, DECKC_PROGRESS_DELAY_MS=str(delay_ms), TERM="xterm")
    primary, secondary = pty.openpty()
    proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=secondary,
                            stderr=secondary, env=env)
    os.close(secondary)
    received = b""
    while True:
        try:
            chunk = os.read(primary, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        received += chunk
    os.close(primary)
    return proc.wait(timeout=120), received


def build_args(tmp, *extra):
    content = copy_content(tmp)
    return [BIN, "build", "--content", str(content), "--out", str(pathlib.Path(tmp) / "out"), *extra]


def test_terminal_shows_the_bar_past_the_delay():
    with tempfile.TemporaryDirectory() as tmp:
        code, seen = run_on_pty(build_args(tmp), delay_ms=0)
    assert code == 0, seen
    assert ERASE_LINE in seen, seen[-500:]
    # Every step is counted, the emitters included, and the bar is cleared
    # before the summary line.
    assert b"/15" in seen, seen[-500:]
    assert seen.rstrip().endswith(b"files)"), seen[-300:]


def test_terminal_shows_nothing_before_the_delay():
    with tempfile.TemporaryDirectory() as tmp:
        code, seen = run_on_pty(build_args(tmp), delay_ms=60_000)
    assert code == 0, seen
    assert ERASE_LINE not in seen and b"/15" not in seen, seen


def test_quiet_shows_nothing_on_a_terminal():
    with tempfile.TemporaryDirectory() as tmp:
        code, seen = run_on_pty(build_args(tmp, "--quiet"), delay_ms=0)
    assert code == 0, seen
    assert seen == b"", seen


def test_a_pipe_gets_no_bar():
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, DECKC_PROGRESS_DELAY_MS="0", TERM="xterm")
        done = subprocess.run(build_args(tmp), capture_output=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert b"\x1b" not in done.stderr and b"/15" not in done.stderr, done.stderr
    assert done.stderr.decode().startswith("deckc: Python Interview:"), done.stderr

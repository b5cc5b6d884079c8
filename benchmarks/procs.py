"""Real processes, timed from spawn: the TUI to its first card in a pseudo-terminal, `quizapp due`,
a bare Textual app (the floor) and Anki's backend; a child's peak RSS is its VmHWM, read from
/proc just before it is stopped.

The TUI is driven as a user would: wait until the home screen is painted, press Enter, wait until
the quiz screen's first card is painted. "Painted" = its text has reached the terminal.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
COLUMNS, LINES = 120, 40
_ANSI = re.compile(rb"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[()][A-Za-z0-9]|[=>78])")
HOME_MARKERS = (b"today's session", b"nothing due today", "今日练习".encode(), "今天没有".encode())
CARD_MARKERS = (b"Leave", "离开".encode())  # the quiz screen's footer (esc Leave): painted with the first card


@dataclass
class Run:
    seconds: float  # spawn → last marker
    steps: dict[str, float]  # marker name → seconds from spawn
    maxrss_mb: float
    ok: bool = True
    tail: str = ""


def _env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env.update({"TERM": "xterm-256color", "COLUMNS": str(COLUMNS), "LINES": str(LINES),
                "PYTHONUNBUFFERED": "1", "TEXTUAL_ANIMATIONS": "none"})
    env.pop("TEXTUAL", None)
    env.pop("NO_COLOR", None)
    if extra:
        env.update(extra)
    return env


class _Child:
    """A child reaped with wait4 (not Popen.wait)."""

    def __init__(self, proc: subprocess.Popen):
        self.proc = proc
        self.done = False

    def _reap(self, flags: int) -> bool:
        if self.done:
            return True
        pid, status, _usage = os.wait4(self.proc.pid, flags)
        if pid == 0:
            return False
        self.done = True
        self.proc.returncode = os.waitstatus_to_exitcode(status)
        return True

    def exited(self) -> bool:
        return self._reap(os.WNOHANG)

    def wait(self) -> None:
        self._reap(0)


def in_pty(argv: list[str], steps: list[tuple[str, tuple[bytes, ...], bytes | None]],
           timeout: float = 600.0, env: dict[str, str] | None = None) -> Run:
    """Spawn `argv` on a new pseudo-terminal; for each step wait for one of its markers in the
    screen text (escape sequences stripped), then send its keys (if any)."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", LINES, COLUMNS, 0, 0))
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=_env(env),
                            start_new_session=True, close_fds=True)
    os.close(slave)
    child = _Child(proc)
    raw = b""
    seen: dict[str, float] = {}
    ok = True
    try:
        for name, markers, keys in steps:
            while True:
                text = _ANSI.sub(b"", raw)
                if any(m in text for m in markers):
                    seen[name] = time.perf_counter() - start
                    raw = b""  # the next step looks at what is painted after this one
                    if keys:
                        os.write(master, keys)
                    break
                left = timeout - (time.perf_counter() - start)
                if left <= 0:
                    ok = False
                    break
                ready, _, _ = select.select([master], [], [], min(left, 1.0))
                if ready:
                    try:
                        chunk = os.read(master, 65536)
                    except OSError:
                        chunk = b""
                    if not chunk:
                        ok = False
                        break
                    raw += chunk
                    if len(raw) > 4_000_000:
                        raw = raw[-2_000_000:]
                elif child.exited():
                    ok = False
                    break
            if not ok:
                break
    finally:
        total = max(seen.values(), default=time.perf_counter() - start)
        peak = _vmhwm(proc.pid)
        if not child.exited():
            os.killpg(proc.pid, signal.SIGTERM)
            deadline = time.time() + 10
            while not child.exited() and time.time() < deadline:
                _drain(master)
            if not child.exited():
                os.killpg(proc.pid, signal.SIGKILL)
                child.wait()
        os.close(master)
    tail = "" if ok else _ANSI.sub(b"", raw)[-600:].decode("utf-8", "replace")
    return Run(total, seen, peak, ok, tail)


def _vmhwm(pid: int) -> float:
    """The process's peak RSS so far, in MB (VmHWM). Read from /proc while it runs: the ru_maxrss
    that wait4 reports starts from the parent's RSS at fork time, which would hide the child's."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0.0


def _drain(fd: int) -> None:
    ready, _, _ = select.select([fd], [], [], 0.05)
    if ready:
        with contextlib.suppress(OSError):
            os.read(fd, 65536)


def timed(argv: list[str], env: dict[str, str] | None = None, timeout: float = 600.0) -> Run:
    """Spawn → exit, output discarded; fails (ok=False) on a non-zero exit."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, env=_env(env))
    child = _Child(proc)
    deadline = start + timeout
    while not child.exited():
        if time.perf_counter() > deadline:
            proc.kill()
            child.wait()
            break
        time.sleep(0.002)
    seconds = time.perf_counter() - start
    err = proc.stderr.read() if proc.stderr else b""
    if proc.stderr:
        proc.stderr.close()
    ok = proc.returncode == 0
    return Run(seconds, {"exit": seconds}, 0.0, ok, "" if ok else err[-600:].decode())


# -- what is run --------------------------------------------------------------------------------------
def quizapp_exe() -> list[str]:
    exe = Path(sys.executable).with_name("quizapp")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "quizapp"]


def tui_first_card(db: Path, deck: Path | None, timeout: float = 600.0) -> Run:
    argv = [*quizapp_exe(), "--db", str(db)]
    if deck is not None:
        argv += ["--deck", str(deck)]
    return in_pty([*argv, "quiz"], [("home", HOME_MARKERS, b"\r"), ("card", CARD_MARKERS, None)],
                  timeout)


def quizapp_due(db: Path, deck: Path | None, timeout: float = 600.0) -> Run:
    argv = [*quizapp_exe(), "--db", str(db)]
    if deck is not None:
        argv += ["--deck", str(deck)]
    return timed([*argv, "due"], timeout=timeout)


def hello_textual(timeout: float = 120.0) -> Run:
    return in_pty([sys.executable, str(HERE / "hello_app.py")],
                  [("hello", (b"hello from a bare Textual app",), None)], timeout)


def anki_first_card(collection: Path, timeout: float = 300.0) -> Run:
    """Anki's engine from process start: open the collection, build the queue, render the first
    card's question (no GUI: Anki's desktop app is not part of the `anki` package)."""
    return in_pty([sys.executable, str(HERE / "anki_child.py"), "first-card", str(collection)],
                  [("card", (b"ANKI-FIRST-CARD",), None)], timeout)


def anki_due(collection: Path, timeout: float = 300.0) -> Run:
    return timed([sys.executable, str(HERE / "anki_child.py"), "due", str(collection)],
                 timeout=timeout)

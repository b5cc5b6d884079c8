"""Helpers for hostile-input tests: run the real `quizapp` command and read what it printed."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from tests.conftest import child_env

TIMEOUT = 60


def quizapp(*args: str | Path, cwd: Path | None = None, user: int | None = None,
            timeout: float = TIMEOUT) -> subprocess.CompletedProcess[str]:
    env = child_env()
    return subprocess.run([sys.executable, "-m", "quizapp", *map(str, args)], capture_output=True,
                          text=True, errors="replace", env=env, cwd=cwd, timeout=timeout,
                          check=False, user=user, stdin=subprocess.DEVNULL)


def assert_clean_failure(run: subprocess.CompletedProcess[str], stream: str = "stdout") -> list[str]:
    """Exit code 1, no traceback, and every problem line shaped `file:line: message` or
    `file: message`. Returns the problem lines."""
    assert run.returncode == 1, (run.returncode, run.stdout[-2000:], run.stderr[-2000:])
    for text in (run.stdout, run.stderr):
        assert "Traceback" not in text and "Error:" not in text.split(":", 1)[0], text[-3000:]
    lines = (run.stdout if stream == "stdout" else run.stderr).splitlines()
    lines = [line for line in lines if not line.endswith("problem(s) found")]
    assert lines, (run.stdout, run.stderr)
    for line in lines:
        assert ": " in line and not any(c in line for c in "\x1b\r\x00"), repr(line[:300])
    return lines


def deck_check(paths: Sequence[str | Path], **kw) -> subprocess.CompletedProcess[str]:
    return quizapp("decks", "check", *paths, **kw)


def due(paths: Sequence[str | Path], db: Path, **kw) -> subprocess.CompletedProcess[str]:
    args: list[str | Path] = ["--db", db]
    for path in paths:
        args += ["--deck", path]
    return quizapp(*args, "due", **kw)

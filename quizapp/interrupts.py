"""Stopping cleanly: SIGINT, SIGTERM and SIGHUP unwind like Ctrl-C, so an answer being saved is
finished or rolled back and the database closes; the exit code is 128 + the signal number.

Only `quizapp.cli` uses this (at the edge, before any command runs); stdlib only, so start-up
stays cheap.
"""

from __future__ import annotations

import signal
import sys

_STOP_SIGNALS = ("SIGINT", "SIGTERM", "SIGHUP")


class Interrupted(KeyboardInterrupt):
    """SIGINT, SIGTERM or SIGHUP (terminal closed): unwind like Ctrl-C so open transactions roll
    back and the database closes; the exit code is 128 + the signal number."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def _on_stop_signal(signum: int, _frame: object) -> None:
    for name in _STOP_SIGNALS:  # one clean unwind: a second signal must not interrupt the cleanup
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_IGN)
    raise Interrupted(signum)


def install_signal_handlers() -> dict[int, object]:
    """Returns the previous handlers (main() restores them: it may be called in-process)."""
    previous: dict[int, object] = {}
    for name in _STOP_SIGNALS:
        if hasattr(signal, name):
            signum = getattr(signal, name)
            try:
                previous[signum] = signal.signal(signum, _on_stop_signal)
            except ValueError:  # not the main thread (an embedding test): leave signals alone
                break
    return previous


def restore_default_signals() -> None:
    """The full-screen app handles its own terminal; leave it the default dispositions."""
    signal.signal(signal.SIGINT, signal.default_int_handler)
    for name in _STOP_SIGNALS[1:]:
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_DFL)


def silence_output(stderr: bool = True) -> None:
    """Point stdout (and stderr) at /dev/null: the reader or the terminal is gone, and flushing
    to it at exit must not fail with a traceback."""
    import contextlib
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    for stream in (sys.stdout, sys.stderr) if stderr else (sys.stdout,):
        with contextlib.suppress(OSError, ValueError):
            os.dup2(devnull, stream.fileno())

"""Child processes that take CPU-bound stages of a build off the parent (which encodes meanwhile).

A child is a fresh interpreter (`python -c`), not a multiprocessing one: fork would copy the
parent's torch and Chroma threads in an undefined state, and multiprocessing's spawn re-runs the
parent's main script when it lacks an `if __name__ == "__main__"` guard. Messages are pickled on
the child's stdin, fed by a thread so the parent never waits for the child to read. A child dies
with its parent (PR_SET_PDEATHSIG), so a kill -9 of a build stops it too.
"""

from __future__ import annotations

import os
import pickle
import queue
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from retrieval.errors import RetrievalError

_PR_SET_PDEATHSIG = 1
_END = object()


class Child:
    """A child running `entry` (module:function); send() queues messages, finish() waits for it."""

    def __init__(self, entry: str, what: str, max_pending: int = 8) -> None:
        module, func = entry.split(":")
        root = str(Path(__file__).resolve().parent.parent)  # where `retrieval` is, whatever the cwd
        pythonpath = os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH")) if p)
        self.what = what
        self._proc = subprocess.Popen(
            [sys.executable, "-c", f"from {module} import {func}; {func}()"],
            stdin=subprocess.PIPE,
            env={**os.environ, "PYTHONPATH": pythonpath},
        )
        self._queue: queue.Queue = queue.Queue(max_pending)
        self._feeder = threading.Thread(target=self._feed, daemon=True)
        self._feeder.start()
        self.send(os.getpid())

    def _feed(self) -> None:
        assert self._proc.stdin is not None
        try:
            with self._proc.stdin:
                while (msg := self._queue.get()) is not _END:
                    pickle.dump(msg, self._proc.stdin, protocol=5)
        except OSError:  # the child died: finish() reports its exit code
            while self._queue.get() is not _END:
                pass

    def send(self, message: Any) -> None:
        """Queue a message; blocks only while `max_pending` messages wait (back-pressure)."""
        if self._proc.poll() is not None:
            self.finish()
        self._queue.put(message)

    def finish(self) -> None:
        """No more messages: wait for the child; RetrievalError if it failed."""
        self._queue.put(_END)
        self._feeder.join()
        if self._proc.wait() != 0:
            raise RetrievalError(
                f"{self.what} failed in its child process (exit code {self._proc.returncode}); "
                "its error is printed above"
            )

    def kill(self) -> None:
        if self._proc.poll() is None:
            self._proc.kill()
            self._proc.wait()
        self._queue.put(_END)


def messages() -> Iterator[Any]:
    """The child's side: die with the parent, then yield the parent's messages until stdin closes."""
    stream = sys.stdin.buffer
    parent = pickle.load(stream)
    if sys.platform.startswith("linux"):
        import ctypes
        import signal

        ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before prctl
        sys.exit(1)
    while True:
        try:
            yield pickle.load(stream)
        except EOFError:
            return

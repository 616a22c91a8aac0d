"""A child process watched from outside: wall time, peak RSS of its process tree, and its ru_maxrss.

Subtle: on Linux, exec records the old address space's high-water mark in the new program's ru_maxrss,
so a child spawned straight from this (large) benchmark process reports *our* RSS as its ru_maxrss
(measured: 814 MB for a `python -c` that uses 13 MB). The command is therefore run by a tiny launcher
(`_LAUNCHER`) that forks and execs it, reaps it with `os.wait4` and writes its ru_maxrss to a file;
the launcher forwards SIGTERM/SIGINT, and is left out of the sampled RSS.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import psutil

MB = 1024 * 1024
_LAUNCHER = """
import os, signal, sys
out, argv = sys.argv[1], sys.argv[2:]
pid = os.fork()
if pid == 0:
    os.execvp(argv[0], argv)
for sig in (signal.SIGTERM, signal.SIGINT):
    signal.signal(sig, lambda signum, frame: os.kill(pid, signum))
_, status, usage = os.wait4(pid, 0)
with open(out, "w") as f:
    f.write(str(usage.ru_maxrss))
code = os.waitstatus_to_exitcode(status)
sys.exit(code if code >= 0 else 128 - code)
"""


@dataclass(frozen=True)
class Finished:
    """How a watched process ended; times are seconds from just before it was spawned."""

    seconds: float
    returncode: int
    peak_rss_mb: float  # sampled every `interval`: the process and its children, summed
    maxrss_mb: float  # the kernel's high-water mark for the process itself (ru_maxrss)
    timed_out: bool = False


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def clean_env(**extra: str) -> dict[str, str]:
    """The current environment without DERCI_* settings (so the shell cannot change what is measured)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DERCI_")}
    env.update(
        HF_HUB_OFFLINE="1",
        TRANSFORMERS_OFFLINE="1",
        ANONYMIZED_TELEMETRY="False",
        GRADIO_ANALYTICS_ENABLED="False",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


class Watched:
    """Spawn `cmd` with output to `log`, and sample its memory until it is reaped."""

    def __init__(
        self,
        cmd: Sequence[str],
        *,
        env: Mapping[str, str],
        log: Path,
        cwd: Path | None = None,
        interval: float = 0.05,
    ) -> None:
        self.log = log
        self._out = log.open("wb")
        self._maxrss_file = log.with_name(log.name + ".maxrss")
        launched = [sys.executable, "-c", _LAUNCHER, str(self._maxrss_file), *cmd]
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(
            launched, env=dict(env), cwd=cwd, stdout=self._out, stderr=subprocess.STDOUT
        )
        self.peak_rss = 0
        self.returncode: int | None = None
        self.maxrss_kb = 0
        self.ended = 0.0
        self._stop = threading.Event()
        self._sampler = threading.Thread(target=self._sample, args=(interval,), daemon=True)
        self._sampler.start()

    def elapsed(self) -> float:
        return time.perf_counter() - self.started

    def alive(self) -> bool:
        return not self._reap(block=False)

    def wait(self, timeout: float) -> Finished:
        """Wait for the process to exit; kill it after `timeout` seconds."""
        deadline = time.perf_counter() + timeout
        while not self._reap(block=False):
            if time.perf_counter() > deadline:
                self._kill()
                return self._finish(timed_out=True)
            time.sleep(0.01)
        return self._finish()

    def stop(self, grace: float = 15.0) -> Finished:
        """Terminate the process (SIGTERM, then SIGKILL after `grace` seconds) and reap it."""
        if self._reap(block=False):
            return self._finish()
        seconds = self.elapsed()
        self.proc.terminate()
        deadline = time.perf_counter() + grace
        while not self._reap(block=False):
            if time.perf_counter() > deadline:
                self._kill()
                break
            time.sleep(0.02)
        finished = self._finish()
        # A server's useful life ends when it is asked to stop, not when it has finished shutting down.
        return Finished(seconds, finished.returncode, finished.peak_rss_mb, finished.maxrss_mb)

    def output(self, tail: int = 4000) -> str:
        return self.log.read_text(errors="replace")[-tail:]

    def _kill(self) -> None:
        """SIGKILL the command and the launcher (a killed launcher cannot forward anything)."""
        try:
            for proc in psutil.Process(self.proc.pid).children(recursive=True):
                proc.kill()
        except psutil.Error:
            pass
        self.proc.kill()
        self._reap(block=True)

    def _reap(self, *, block: bool) -> bool:
        if self.returncode is not None:
            return True
        pid, status, _ = os.wait4(self.proc.pid, 0 if block else os.WNOHANG)
        if pid == 0:
            return False
        self.ended = time.perf_counter()
        self.returncode = os.waitstatus_to_exitcode(status)
        self.proc.returncode = self.returncode  # so that Popen never waits for it again
        try:
            self.maxrss_kb = int(self._maxrss_file.read_text())  # kilobytes on Linux
        except (OSError, ValueError):  # killed before it could write
            self.maxrss_kb = 0
        return True

    def _finish(self, *, timed_out: bool = False) -> Finished:
        self._stop.set()
        self._sampler.join(timeout=2)
        self._out.close()
        return Finished(
            seconds=self.ended - self.started,
            returncode=self.returncode if self.returncode is not None else -1,
            peak_rss_mb=self.peak_rss / MB,
            maxrss_mb=self.maxrss_kb / 1024,
            timed_out=timed_out,
        )

    def _sample(self, interval: float) -> None:
        try:
            root = psutil.Process(self.proc.pid)
        except psutil.Error:
            return
        while not self._stop.is_set():
            total = 0
            try:
                for proc in root.children(recursive=True):  # not the launcher itself
                    try:
                        total += proc.memory_info().rss
                    except psutil.Error:  # a child that exited between the listing and the read
                        continue
            except psutil.Error:
                return
            self.peak_rss = max(self.peak_rss, total)
            self._stop.wait(interval)

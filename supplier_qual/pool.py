"""Worker processes that take one job at a time, where a job that kills its worker costs that job alone.

Each worker is forked from the parent when the parent runs a single thread (a few
milliseconds, and the worker inherits the loaded plugins; a single-threaded parent
holds no lock another thread could leave taken), else a fresh interpreter
(``spawn``). It receives a job over a pipe, runs it and sends the result back, then
takes the next; the parent hands out jobs as workers become free, so the work
spreads evenly and no more than one job per worker is ever in flight. Should a
worker die (a native abort, the kernel's memory killer) or overrun the deadline
(then the parent kills it), the job it held is given to ``lost`` and a new worker
takes its place: no other job is lost or run twice. A worker also asks to be
replaced after a job that left it in doubt (it ran out of memory).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection, wait
from typing import Any, Generic, TypeVar

from .errors import ConfigurationError

J = TypeVar("J")
R = TypeVar("R")
READY = "ready"
START_TIMEOUT = 120.0
"""Seconds a new worker has to start (a fresh interpreter loading the plugins) before it is given up."""
RETIRE = "retire"
"""A job's result may be ``(RETIRE, result)``: the result stands, and its worker is replaced."""


def _work(connection: Connection, task: Callable[[Any], Any], setup: Callable[[], None] | None) -> None:
    """A worker's life: set up once, then one job at a time until told to stop (``None``)."""
    if setup is not None:
        setup()
    connection.send(READY)
    while True:
        try:
            message = connection.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        index, job = message
        result = task(job)
        connection.send((index, result))
        if isinstance(result, tuple) and len(result) == 2 and result[0] == RETIRE:
            return


class _Worker(Generic[J]):
    def __init__(self, context: Any, task: Callable[[J], Any], setup: Callable[[], None] | None) -> None:
        self.connection, theirs = context.Pipe()
        self.process = context.Process(target=_work, args=(theirs, task, setup), daemon=True)
        self.process.start()
        theirs.close()
        self.index: int | None = None
        self.since = 0.0
        self.ready = False

    def started(self) -> bool:
        """Whether the worker came up (it says so once set up); ``False``: it died or hung on the way."""
        if not self.ready:
            try:
                self.ready = self.connection.poll(START_TIMEOUT) and self.connection.recv() == READY
            except (EOFError, OSError):
                self.ready = False
        return self.ready

    def give(self, index: int, job: J) -> None:
        self.index, self.since = index, time.monotonic()
        self.connection.send((index, job))

    def stop(self, *, kill: bool = False) -> None:
        if kill:
            self.process.kill()
        else:
            with contextlib.suppress(OSError, ValueError):
                self.connection.send(None)
        self.process.join(5)
        if self.process.exitcode is None:
            self.process.kill()
            self.process.join()
        self.connection.close()


def run_pool(
    jobs: Sequence[J],
    task: Callable[[J], R | tuple[str, R]],
    *,
    workers: int,
    deadline: float,
    lost: Callable[[J, str], R],
    finish: Callable[[int, R], None],
    setup: Callable[[], None] | None = None,
) -> None:
    """Run every job on ``workers`` processes; ``finish(index, result)`` hears of each as it ends.

    :param task: what a worker does with a job: a module-level function, picklable.
    :param deadline: seconds a job may take before its worker is killed.
    :param lost: the result of a job whose worker died (``"died"``) or was killed at the deadline (``"time"``).
    :param setup: run once in each worker before its first job (module-level, picklable).
    :raises ConfigurationError: the workers cannot start (their set-up fails), so that no job
        is blamed for it.
    """
    forking = "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1
    context = multiprocessing.get_context("fork" if forking else "spawn")
    for stream in (sys.stdout, sys.stderr):  # nothing buffered here is written again by a forked worker
        with contextlib.suppress(Exception):
            stream.flush()
    pending = deque(range(len(jobs)))
    idle: list[_Worker[J]] = [_Worker(context, task, setup) for _ in range(min(workers, len(jobs)))]
    busy: dict[Connection, _Worker[J]] = {}

    failed_starts = 0

    def hand_out() -> None:
        nonlocal failed_starts
        while idle and pending:
            worker = idle.pop()
            if not worker.started():
                worker.stop(kill=True)
                failed_starts += 1
                if failed_starts > 2 * workers:
                    raise ConfigurationError(f"the worker processes could not start ({failed_starts} tries)")
                idle.append(_Worker(context, task, setup))
                continue
            index = pending.popleft()
            try:
                worker.give(index, jobs[index])
            except OSError:  # it died before its first job: the job goes back, another worker comes
                pending.appendleft(index)
                worker.stop(kill=True)
                idle.append(_Worker(context, task, setup))
                continue
            busy[worker.connection] = worker

    def replace(worker: _Worker[J], *, kill: bool) -> None:
        worker.stop(kill=kill)
        if pending:
            idle.append(_Worker(context, task, setup))

    try:
        hand_out()
        while busy:
            now = time.monotonic()
            wake = min(w.since for w in busy.values()) + deadline - now
            sentinels = {w.process.sentinel: w for w in busy.values()}
            ready = wait([*busy, *sentinels], timeout=max(wake, 0.0))
            for worker in list(busy.values()):
                index = worker.index
                if index is None:
                    continue
                outcome: tuple[str, Any] | None = None
                if worker.connection in ready or worker.process.sentinel in ready:
                    try:
                        outcome = ("ok", worker.connection.recv()) if worker.connection.poll() else ("died", None)
                    except (EOFError, OSError):
                        outcome = ("died", None)
                elif time.monotonic() - worker.since > deadline:
                    outcome = ("time", None)
                if outcome is None:
                    continue
                del busy[worker.connection]
                worker.index = None
                kind, message = outcome
                if kind == "ok":
                    _, result = message
                    retire = isinstance(result, tuple) and len(result) == 2 and result[0] == RETIRE
                    finish(index, result[1] if retire else result)
                    if retire:
                        replace(worker, kill=False)
                    else:
                        idle.append(worker)
                else:
                    finish(index, lost(jobs[index], kind))
                    replace(worker, kill=True)
            hand_out()
    finally:
        for worker in [*idle, *busy.values()]:
            worker.stop(kill=worker.index is not None)

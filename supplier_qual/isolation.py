"""Running a reader in a child process under a memory limit and a time limit.

A parser defect that a crafted file triggers (a native abort, an allocation of
hundreds of gigabytes, a loop) then ends the child, not the caller: the caller
gets one clear refusal and carries on. The child gets ``RLIMIT_AS`` (its address
space may grow by at most the memory allowed), ``RLIMIT_CPU`` and a wall-clock
deadline after which it is killed.

The child is forked from the caller when the caller runs a single thread (the
command line, a bulk run's workers, a pre-forking web server's workers): that
costs a few milliseconds and the child inherits the loaded plugins. A
multi-threaded caller (a threaded web server) must not fork, so its child comes
from multiprocessing's fork server and loads the plugins itself.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import pickle
import select
import signal
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from .errors import ConfigurationError, InputError, Problem, SubmissionError
from .limits import MIB, ReadLimits

T = TypeVar("T")
_PRELOAD = ["supplier_qual.api", "supplier_qual.plugins", "supplier_qual.adapters.xlsx.workbook"]
"""Imported once by the fork server, so that each of its children starts with the readers loaded."""
Outcome = tuple[Any, ...]
_doubt = {"in_doubt": False}


def in_doubt() -> bool:
    """Whether a reader run in this process (``in_process=True``) ran out of memory or failed since it started:
    such a process had better be replaced, since the failure may have left it in a bad state."""
    return _doubt["in_doubt"]


def run_isolated(
    task: Callable[[], T], *, limits: ReadLimits, source: str, what: str = "file", in_process: bool = False
) -> T:
    """``task()`` in a child process under ``limits``; its input and configuration errors are raised here.

    :param task: for a forked child any callable; for a child of the fork server it must be
        picklable (a module-level function or an instance of a module-level class).
    :param what: how refusals name the input (``workbook``, ``file``).
    :param in_process: run ``task`` here, refusing as a child would: only for a caller that is
        itself such a child, under :func:`limit_worker` (a bulk run's worker, whose death costs
        that one file), where a child of its own would cost a fork for nothing.
    :raises SubmissionError: the child ran out of memory or time, died, or failed, in words
        a supplier can act on (``{source}: this workbook could not be read safely: …``).
    """
    if in_process:
        outcome = _outcome(task)
        _doubt["in_doubt"] = _doubt["in_doubt"] or outcome[0] in ("memory", "failed")
    else:
        single_threaded = hasattr(os, "fork") and threading.active_count() == 1
        outcome = _forked(task, limits) if single_threaded else _served(task, limits)
    kind = outcome[0]
    if kind == "ok":
        result: T = outcome[1]
        return result
    if kind == "input":
        error_class, problems = outcome[1], outcome[2]
        raise error_class([Problem(*p) for p in problems])
    if kind == "configuration":
        raise ConfigurationError(outcome[1])
    reasons = {
        "memory": f"reading it needed more than the {limits.memory_mb:,} MB of memory allowed",
        "time": time_reason(limits),
        "died": f"the reader stopped ({outcome[1] if len(outcome) > 1 else 'no answer'})",
        "failed": f"the reader failed ({outcome[1] if len(outcome) > 1 else 'no answer'})",
    }
    raise SubmissionError([Problem(refusal(what, reasons.get(kind) or str(kind)))], source=source)


def refusal(what: str, reason: str) -> str:
    """The words of a refusal for a reader that ran out of memory or time, or failed."""
    return f"this {what} could not be read safely: {reason}; save it again or send another file"


def time_reason(limits: ReadLimits) -> str:
    return f"reading it took longer than the {limits.seconds:,} seconds allowed"


def limit_worker(limits: ReadLimits) -> None:
    """In a worker process that reads untrusted files in-process: bound its address space as a child's is.

    Its time is bounded by whoever hands it work (a wall-clock deadline per file, then
    the worker is killed); CPU time is not limited here, since it adds up over files.
    """
    import resource

    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    budget = _address_space() + limits.memory_mb * MIB
    if hard != resource.RLIM_INFINITY:
        budget = min(budget, hard)
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_AS, (budget, hard))


def _outcome(task: Callable[[], Any]) -> Outcome:
    """What ``task()`` gave, as data the parent can rebuild its errors from."""
    try:
        return ("ok", task())
    except InputError as exc:
        return ("input", type(exc), [(p.message, p.location, p.source) for p in exc.problems])
    except ConfigurationError as exc:
        return ("configuration", str(exc))
    except MemoryError:
        return ("memory",)
    except RecursionError:
        return ("failed", "the file nests too deeply")
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # a reader defect on a crafted file (a native panic too) is a refusal, not a crash
        return ("failed", f"{type(exc).__name__}: {str(exc)[:200]}")


def _limit(limits: ReadLimits) -> None:
    """In the child: bound its address space, its CPU time, and silence its standard error."""
    import resource

    limit_worker(limits)
    _, cpu_hard = resource.getrlimit(resource.RLIMIT_CPU)
    cpu = limits.seconds if cpu_hard == resource.RLIM_INFINITY else min(limits.seconds, cpu_hard)
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu_hard))
    with contextlib.suppress(OSError):  # a native reader's own "allocation failed" lines are not for the user
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 2)


def _address_space() -> int:
    """The child's address space now: the limit is that much plus the memory allowed."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 256 * MIB


def _forked(task: Callable[[], Any], limits: ReadLimits) -> Outcome:
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns, never runs the parent's exit handlers
        try:
            os.close(read_end)
            _limit(limits)
            payload = _pickled(_outcome(task))
            view = memoryview(payload)
            while view:
                view = view[os.write(write_end, view) :]
        finally:
            os._exit(0)
    os.close(write_end)
    chunks: list[bytes] = []
    deadline = time.monotonic() + limits.seconds + 1
    timed_out = False
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                timed_out = True
                break
            ready, _, _ = select.select([read_end], [], [], remaining)
            if not ready:
                continue
            chunk = os.read(read_end, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(read_end)
        if timed_out:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
    if timed_out:
        return ("time",)
    return _decoded(b"".join(chunks), status)


def _decoded(payload: bytes, status: int) -> Outcome:
    if payload:
        try:
            outcome: Outcome = pickle.loads(payload)  # noqa: S301 - written by our own child, never by the input
        except (pickle.UnpicklingError, EOFError, AttributeError, ImportError, IndexError):
            return ("died", "its answer was cut short")
        return outcome
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        if number == getattr(signal, "SIGXCPU", None):
            return ("time",)
        return ("died", signal.Signals(number).name if number in signal.Signals._value2member_map_ else number)
    return ("died", f"exit status {os.WEXITSTATUS(status)}")


def _pickled(outcome: Outcome) -> bytes:
    try:
        return pickle.dumps(outcome)
    except Exception as exc:  # an unpicklable error or result
        return pickle.dumps(("failed", f"{type(exc).__name__}: {str(exc)[:200]}"))


def _served(task: Callable[[], Any], limits: ReadLimits) -> Outcome:
    """The same, in a child of multiprocessing's fork server (or a spawned one where there is none)."""
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    if "forkserver" in methods:
        context.set_forkserver_preload(_PRELOAD)
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_serve, args=(task, limits, sender), daemon=True)  # type: ignore[attr-defined]
    process.start()
    sender.close()
    payload = b""
    try:
        if receiver.poll(limits.seconds + 1):
            with contextlib.suppress(EOFError, OSError):
                payload = receiver.recv_bytes()
        else:
            process.kill()
            process.join()
            return ("time",)
    finally:
        receiver.close()
    process.join(limits.seconds + 1)
    if process.exitcode is None:
        process.kill()
        process.join()
        return ("time",)
    code = process.exitcode
    status = (-code & 0x7F) if code < 0 else (code << 8)
    return _decoded(payload, status)


def _serve(task: Callable[[], Any], limits: ReadLimits, sender: Any) -> None:
    if hasattr(os, "fork"):
        _limit(limits)
    sender.send_bytes(_pickled(_outcome(task)))
    sender.close()

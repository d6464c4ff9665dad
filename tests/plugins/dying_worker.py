"""A bulk-run task whose worker dies on one file, as a worker killed by a parser defect or the kernel would."""

from __future__ import annotations

import os
import time

from supplier_qual import batch
from supplier_qual.batch import Job, JobResult, assess_one


def dies_on_poison(job: Job) -> JobResult:
    if "poison" in job.source.name:
        os._exit(134)  # what an aborting native reader does to its process
    return assess_one(job)


def hangs_on_poison(job: Job) -> JobResult:
    if "poison" in job.source.name:
        time.sleep(60)  # a reader in a loop: the pool's deadline must end it
    return assess_one(job)


def where_it_ran(job: Job) -> JobResult:
    """Which process assessed the job, and whether it read its file in-process (a pool's worker does)."""
    time.sleep(0.05 * (5 - int(job.source.stem[-1])) if job.source.stem[-1].isdigit() else 0)
    return JobResult(str(job.source), decision=f"{os.getpid()} {'in-process' if batch._in_pool else 'child'}")


def _exhausted() -> None:
    raise MemoryError


def exhausts_memory_on_poison(job: Job) -> JobResult:
    """A reader that runs out of memory on one file (in-process, as a pool worker reads): refused, and the
    worker is then replaced."""
    from supplier_qual.errors import SubmissionError
    from supplier_qual.isolation import run_isolated
    from supplier_qual.limits import ReadLimits

    if "poison" in job.source.name:
        try:
            run_isolated(_exhausted, limits=ReadLimits(), source=str(job.source), in_process=batch._in_pool)
        except SubmissionError as exc:
            problems = tuple(str(p) for p in exc.problems)
            return JobResult(str(job.source), decision=str(os.getpid()), problems=problems)
    return JobResult(str(job.source), decision=str(os.getpid()))

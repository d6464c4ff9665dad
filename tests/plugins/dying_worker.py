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

"""A bulk-run task whose worker dies on one file, as a worker killed by a parser defect or the kernel would."""

from __future__ import annotations

import os

from supplier_qual.batch import Job, JobResult, assess_one


def dies_on_poison(job: Job) -> JobResult:
    if "poison" in job.source.name:
        os._exit(134)  # what an aborting native reader does to its process
    return assess_one(job)

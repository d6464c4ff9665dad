"""Assessing many submissions at once, on all cores: ``supplier-qual assess DIR_OR_FILES… -o OUT_DIR``.

Each file is written to one result file in the output directory, and a file that
cannot be assessed is reported with its problems without stopping the others.

From :data:`SMALL_BATCH` files on, the files are shared among worker processes
(:mod:`supplier_qual.pool`), one file at a time each: a worker is the isolation of the
files it reads, under the memory limit of a reader's child (:func:`~supplier_qual.
isolation.limit_worker`) and a wall-clock deadline per file. A file that kills its
worker, or overruns the deadline, is reported alone and a new worker takes over;
after a file that ran a reader out of memory the worker is replaced too. So the
workers read each file in-process, without a fork per file. A smaller batch is
assessed in this process, each file read in a child of its own
(:func:`~supplier_qual.uploads.read_upload`), as one file on the command line is.

Results reach ``done`` in the order of the files, and the summary lists them in that
order, whichever worker finished first; each result goes to its file as soon as it is
made, so memory does not grow with the batch.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import pluggy

from .errors import ConfigurationError, InputError, Problem
from .isolation import in_doubt, limit_worker, refusal, time_reason
from .limits import ReadLimits
from .performance_data import PerformanceRecord
from .pool import RETIRE, run_pool
from .terminal import for_output, printable
from .uploads import WORKBOOK_SUFFIXES, read_upload

SUBMISSION_SUFFIXES = (".json", ".xlsx", ".xlsm", ".xlsb", ".xls", ".ods")
"""Files a directory contributes: those the readers claim (the wrong kind of spreadsheet is refused by name)."""
EXTENSIONS = {"json": ".json", "text": ".txt", "xlsx": ".xlsx", "html": ".html"}
SMALL_BATCH = 4
"""Fewer files than this are assessed in this process by default: below it, starting workers costs more than
they save. Forked workers start in milliseconds and read without a fork per file, so the crossover is low;
``bench/bulk.py`` measures it (two workers were faster from 3 files on the project's machine, 2026-12-03)."""
DEADLINE_MARGIN = 10
"""Seconds a worker has beyond the reading time limit to assess and write a file before it is killed."""


@dataclasses.dataclass(frozen=True)
class Job:
    """One submission to assess and where its result goes."""

    source: Path
    output: Path
    fmt: str
    as_of: dt.date
    questionnaire: str | None = None
    policy: Path | None = None
    performance: Path | None = None


@dataclasses.dataclass(frozen=True)
class JobResult:
    """What became of one submission: its decision and result file, or the problems that stopped it."""

    source: str
    output: str = ""
    decision: str = ""
    score: float | None = None
    problems: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems


def collect(paths: Iterable[Path], skipped: list[str] | None = None) -> list[Path]:
    """The submission files among ``paths``: files as given, directories' submission files sorted by name.

    :param skipped: receives one line per file or folder in a directory that is not
        assessed, saying why (``inbox/notes.txt: skipped: not a submission …``).
    :raises InputError: a path that does not exist.
    """
    found: list[Path] = []
    missing = []
    for path in paths:
        if path.is_dir():
            for entry in sorted(path.iterdir()):
                reason = _skip_reason(entry)
                if reason is None:
                    found.append(entry)
                elif skipped is not None:
                    skipped.append(f"{entry}: skipped: {reason}")
        elif path.exists():
            found.append(path)
        else:
            missing.append(Problem("no such file or directory", source=str(path)))
    if missing:
        raise InputError(missing)
    return found


def _skip_reason(entry: Path) -> str | None:
    """Why a directory entry is not assessed, or ``None`` for a submission file."""
    if entry.is_dir():
        return "a folder (folders are not searched: name it to assess what it holds)"
    if not entry.is_file():
        return "not a regular file"
    if entry.name.startswith("~$"):
        return "an Excel lock file (the workbook is open in Excel)"
    if entry.name.startswith("."):
        return "a hidden file"
    if entry.suffix.lower() not in SUBMISSION_SUFFIXES:
        return "not a submission (.json or .xlsx)"
    return None


def plan(sources: Sequence[Path], out_dir: Path, fmt: str, as_of: dt.date, **options: object) -> list[Job]:
    """One job per source, each with its own result file in ``out_dir`` (``name.json``; ``name.xlsx.json``
    where two sources share a name or the result would overwrite a source)."""
    extension = EXTENSIONS.get(fmt, f".{fmt}")
    stems = [source.stem for source in sources]
    inputs = {source.resolve() for source in sources}
    jobs = []
    for source in sources:
        output = out_dir / f"{source.stem}{extension}"
        if stems.count(source.stem) > 1 or output.resolve() in inputs:
            output = out_dir / f"{source.name}{extension}"
        jobs.append(Job(source, output, fmt, as_of, **options))  # type: ignore[arg-type]
    return jobs


def run(
    jobs: Sequence[Job],
    *,
    workers: int | None = None,
    done: Callable[[JobResult], None] | None = None,
    task: Callable[[Job], JobResult] | None = None,
    limits: ReadLimits | None = None,
    pool: bool | None = None,
) -> list[JobResult]:
    """Run ``jobs``, on worker processes when there are enough of them to repay starting workers.

    :param workers: how many processes; by default all cores, and one (this process) for fewer
        than :data:`SMALL_BATCH` jobs. Given explicitly, more than one always means workers.
    :param done: hears of each job as it finishes, in the order of ``jobs`` (so that what is
        printed is the same from run to run, whichever worker is faster).
    :param task: what is done with a job (a module-level function); :func:`assess_one` by default.
    :param limits: the memory and time each file may take; by default :meth:`ReadLimits.from_env`.
    :param pool: ``True``: worker processes even for one worker; ``False``: this process; ``None``
        (default): workers for more than one worker, unless the batch is small (see ``workers``).
    :return: the results in the order of ``jobs``.
    """
    task = task or assess_one
    limits = limits or ReadLimits.from_env()
    results: list[JobResult | None] = [None] * len(jobs)
    reported = 0

    def finish(index: int, result: JobResult) -> None:
        nonlocal reported
        results[index] = result
        while reported < len(jobs) and (ready := results[reported]) is not None:
            if done:
                done(ready)
            reported += 1

    count = min(workers or os.cpu_count() or 1, len(jobs))
    if pool is None:
        pool = count > 1 and (workers is not None or len(jobs) >= SMALL_BATCH)
    if not pool or not jobs:
        for index, job in enumerate(jobs):  # here each file is read in a child of its own (read_upload)
            finish(index, _guarded(task, job))
    else:

        def lost(job: Job, why: str) -> JobResult:
            source = job.source
            if why == "time":
                what = "workbook" if source.name.lower().endswith(WORKBOOK_SUFFIXES) else "file"
                return JobResult(str(source), problems=(f"{source}: {refusal(what, time_reason(limits))}",))
            return JobResult(str(source), problems=(f"{source}: the worker assessing this file died",))

        from .api import catalog

        catalog(_plugin_manager())  # loaded once here: forked workers inherit the plugins and questionnaires
        run_pool(
            jobs,
            _in_worker,
            workers=count,
            deadline=limits.seconds + DEADLINE_MARGIN,
            lost=lost,
            finish=finish,
            setup=functools.partial(_setup_worker, task, limits),
        )
    return [result for result in results if result is not None]


_task: Callable[[Job], JobResult] | None = None
_in_pool = False


def _setup_worker(task: Callable[[Job], JobResult], limits: ReadLimits) -> None:
    """Once in each worker: load the plugins and questionnaires, then bound the worker as a reader's child is.

    The worker is the isolation: a file that kills it costs that file alone (:mod:`.pool`),
    so its files are read here, in-process, not in a child each.
    """
    global _task, _in_pool
    from .api import catalog

    _task, _in_pool = task, True
    catalog(_plugin_manager())
    limit_worker(limits)


def _in_worker(job: Job) -> JobResult | tuple[str, JobResult]:
    if _task is None:
        raise RuntimeError("a worker runs jobs only after _setup_worker")
    result = _guarded(_task, job)
    return (RETIRE, result) if in_doubt() else result  # after running out of memory, a fresh worker


def _guarded(task: Callable[[Job], JobResult], job: Job) -> JobResult:
    try:
        return task(job)
    except Exception as exc:  # one file's crash must not lose the others' results
        source = job.source
        return JobResult(str(source), problems=(f"{source}: unexpected error (please report it): {exc!r}",))


@functools.cache
def _plugin_manager() -> pluggy.PluginManager:
    from .plugins import get_plugin_manager

    return get_plugin_manager()


@functools.cache
def _performance(path: Path) -> tuple[PerformanceRecord, ...]:
    # Read once per worker process, not once per submission.
    from .performance_data import read_performance

    return read_performance(path)


def assess_one(job: Job) -> JobResult:
    """Read, assess and render one submission, writing its result file; input problems are returned."""
    from . import api

    source = str(job.source)
    try:
        pm = _plugin_manager()
        questionnaire = None
        if job.questionnaire:
            qid, _, version = job.questionnaire.partition(":")
            questionnaire = api.load_questionnaire(qid, version or None, pm=pm)
        submission = read_upload(job.source, questionnaire=questionnaire, pm=pm, in_process=_in_pool)
        if job.performance is not None:
            submission = api.with_performance(submission, _performance(job.performance))
        assessment = api.assess(submission, questionnaire=questionnaire, policy=job.policy, as_of=job.as_of, pm=pm)
        rendered = api.render(assessment, job.fmt, pm=pm)
        try:
            if isinstance(rendered, bytes):
                job.output.write_bytes(rendered)
            else:
                job.output.write_text(for_output(rendered, job.fmt), encoding="utf-8")
        except OSError as exc:
            raise InputError([Problem(f"cannot write the result: {exc.strerror}")], source=str(job.output)) from exc
    except InputError as exc:
        return JobResult(source, problems=tuple(str(p.in_source(source)) for p in exc.problems))
    except ConfigurationError as exc:
        return JobResult(source, problems=(f"{source}: configuration problem: {exc}",))
    decision = assessment.decision
    return JobResult(
        source,
        output=str(job.output),
        decision=decision.decision if decision else "",
        score=round(decision.score, 1) if decision else None,
    )


def summary(results: Sequence[JobResult]) -> str:
    """A table of every submission: decision and score, or how many problems stopped it."""
    names = {r.source: printable(r.source, one_line=True) for r in results}  # file names are anyone's to choose
    width = max([len("File"), *(len(name) for name in names.values())])
    lines = [f"{'File':<{width}}  {'Decision':<13}  {'Score':>5}  Result"]
    for r in results:
        if r.ok:
            score = f"{r.score:5.1f}" if r.score is not None else "    -"
            output = printable(r.output, one_line=True)
            lines.append(f"{names[r.source]:<{width}}  {r.decision:<13}  {score}  {output}")
        else:
            count = len(r.problems)
            lines.append(f"{names[r.source]:<{width}}  {'refused':<13}  {'-':>5}  {count} problem{'s' * (count != 1)}")
    refused = sum(1 for r in results if not r.ok)
    lines.append(f"{len(results) - refused} assessed, {refused} refused")
    return "\n".join(lines) + "\n"

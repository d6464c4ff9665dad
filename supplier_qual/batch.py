"""Assessing many submissions at once, on all cores: ``supplier-qual assess DIR_OR_FILES… -o OUT_DIR``.

Each file is assessed in a worker process of its own plugin manager and written to
one result file in the output directory. A file that cannot be assessed is
reported with its problems and does not stop the others; each file is read in a
child process of its worker (:func:`~supplier_qual.uploads.read_upload`), and should
a worker die all the same, the files it may have held are assessed again one by one,
so that the file that kills a worker is reported alone.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import multiprocessing
import os
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pluggy

from .errors import ConfigurationError, InputError, Problem
from .performance_data import PerformanceRecord
from .terminal import for_output, printable
from .uploads import read_upload

SUBMISSION_SUFFIXES = (".json", ".xlsx", ".xlsm", ".xlsb", ".xls", ".ods")
"""Files a directory contributes: those the readers claim (the wrong kind of spreadsheet is refused by name)."""
EXTENSIONS = {"json": ".json", "text": ".txt", "xlsx": ".xlsx", "html": ".html"}


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
) -> list[JobResult]:
    """Run ``jobs`` on ``workers`` processes (default: all cores); ``done`` hears of each as it finishes.

    :param task: what a worker does with a job (a module-level function); :func:`assess_one` by default.

    :return: the results in the order of ``jobs``.
    """
    workers = min(workers or os.cpu_count() or 1, len(jobs))
    task = task or assess_one
    results: dict[int, JobResult] = {}

    def finish(index: int, result: JobResult) -> None:
        results[index] = result
        if done:
            done(result)

    if workers <= 1:
        for index, job in enumerate(jobs):
            finish(index, task(job))
        return [results[i] for i in range(len(jobs))]
    lost = _pooled(jobs, range(len(jobs)), workers, finish, task)
    for index in lost:  # a worker died holding these: each alone now, so that a death names its file
        if _pooled(jobs, [index], 1, finish, task):
            source = jobs[index].source
            finish(index, JobResult(str(source), problems=(f"{source}: the worker assessing this file died",)))
    return [results[i] for i in range(len(jobs))]


def _pooled(
    jobs: Sequence[Job],
    indexes: Iterable[int],
    workers: int,
    finish: Callable[[int, JobResult], None],
    task: Callable[[Job], JobResult],
) -> list[int]:
    """Run the jobs at ``indexes`` on a pool of ``workers``; the indexes lost because a worker died."""
    lost: list[int] = []
    # "spawn" gives each worker a clean interpreter: no locks or threads inherited from the parent.
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        futures: dict[Future[JobResult], int] = {pool.submit(task, jobs[i]): i for i in indexes}
        for future in as_completed(futures):
            index = futures[future]
            try:
                finish(index, future.result())
            except BrokenProcessPool:
                lost.append(index)
            except Exception as exc:  # one file's crash must not lose the others' results
                source = jobs[index].source
                finish(
                    index, JobResult(str(source), problems=(f"{source}: unexpected error (please report it): {exc!r}",))
                )
    return sorted(lost)


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
        submission = read_upload(job.source, questionnaire=questionnaire, pm=pm)
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

"""``supplier-qual assess``: one submission to a report, or many to a folder of results."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from ..errors import InputError, Problem
from ..terminal import printable
from .common import (
    AS_OF,
    EXIT_INPUT,
    POLICY,
    emit,
    plugin_manager,
    policy_from,
    questionnaire_ref,
    reference_date,
    reports_problems,
)


@click.command(
    help="Assess suppliers' submissions (.json or .xlsx) and decide qualified, conditional or not qualified. "
    "Give one file, or several files or directories with -o OUT_DIR for one result file each."
)
@click.argument("submissions", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-q", "--questionnaire", "questionnaire_id", help="Questionnaire to score against (ID or ID:VERSION).")
@POLICY
@click.option(
    "--performance",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Your performance data (on-time delivery, defect ppm, lots rejected, complaints, corrective actions): "
    "JSON or CSV, one supplier or many keyed by supplier_id; each record applies only to its supplier.",
)
@AS_OF
@click.option("-f", "--format", "fmt", default="text", show_default=True, help="Output format: json, text or xlsx.")
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), help="Write to this file (several submissions: this directory)."
)
@click.option(
    "-j", "--jobs", type=click.IntRange(min=1), help="Processes for several submissions (default: all cores)."
)
@reports_problems
def assess(
    submissions: tuple[Path, ...],
    questionnaire_id: str | None,
    policy: Path | None,
    performance: Path | None,
    as_of: dt.datetime | None,
    fmt: str,
    output: Path | None,
    jobs: int | None,
) -> None:
    if len(submissions) > 1 or submissions[0].is_dir():
        _assess_many(submissions, questionnaire_id, policy, performance, reference_date(as_of), fmt, output, jobs)
        return
    from .. import api  # the engine and the readers, imported by the commands that use them
    from ..uploads import read_upload

    submission = submissions[0]
    pm = plugin_manager()
    questionnaire = None
    if questionnaire_id:
        questionnaire = api.load_questionnaire(*questionnaire_ref(questionnaire_id), pm=pm)
    chosen_policy = policy_from(policy)
    read = read_upload(submission, questionnaire=questionnaire, pm=pm)
    if performance is not None:
        read = api.with_performance(read, api.read_performance(performance))
    assessment = api.assess(read, questionnaire=questionnaire, policy=chosen_policy, as_of=reference_date(as_of), pm=pm)
    rendered = api.render(assessment, fmt, pm=pm)
    if isinstance(rendered, bytes) and output is None and sys.stdout.isatty():
        raise InputError([Problem(f"the {fmt} format is binary: write it to a file with -o FILE.{fmt}")])
    emit(rendered, output, fmt)


def _assess_many(
    paths: tuple[Path, ...],
    questionnaire_id: str | None,
    policy: Path | None,
    performance: Path | None,
    as_of: dt.date,
    fmt: str,
    out_dir: Path | None,
    jobs: int | None,
) -> None:
    from .. import api, batch

    if out_dir is None or out_dir.is_file():
        raise InputError([Problem("several submissions: give a directory for the results with -o OUT_DIR")])
    if performance is not None:
        api.require_supplier_ids(api.read_performance(performance))
    if questionnaire_id:
        api.load_questionnaire(*questionnaire_ref(questionnaire_id), pm=plugin_manager())
    policy_from(policy)
    skipped: list[str] = []
    sources = batch.collect(paths, skipped)
    for line in skipped:
        click.echo(printable(line, one_line=True), err=True)
    if not sources:
        raise InputError([Problem("no submissions (.json or .xlsx files) found")])
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError([Problem(f"cannot create the directory: {exc.strerror}")], source=str(out_dir)) from exc
    planned = batch.plan(
        sources, out_dir, fmt, as_of, questionnaire=questionnaire_id, policy=policy, performance=performance
    )

    def report(result: batch.JobResult) -> None:
        for line in result.problems:
            click.echo(printable(line, one_line=True), err=True)

    if sys.stderr.isatty():
        with click.progressbar(length=len(planned), label="Assessing", file=sys.stderr) as bar:

            def step(result: batch.JobResult) -> None:
                bar.update(1)
                report(result)

            results = batch.run(planned, workers=jobs, done=step)
    else:
        results = batch.run(planned, workers=jobs, done=report)
    click.echo(batch.summary(results), nl=False)
    if not all(result.ok for result in results):
        sys.exit(EXIT_INPUT)

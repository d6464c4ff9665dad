"""The ``supplier-qual`` command line.

Bad input never prints a traceback: each problem is one line naming the file and
the place (``supplier.json: $.answers.A1.value: "Maybe" is not one of Yes, Partly,
No``) and the exit status is 2. Valid input exits 0 whatever the decision.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click
import pluggy

from . import __version__, api
from .errors import ConfigurationError, InputError, Problem
from .model import Certificate, CertificateReport
from .plugins import get_plugin_manager, list_plugins
from .policy import Policy, load_policy

F = TypeVar("F", bound=Callable[..., Any])
EXIT_INPUT = 2
EXIT_CONFIGURATION = 3


def reports_problems(command: F) -> F:
    """Print input and configuration errors as located one-liners instead of tracebacks."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except InputError as exc:
            for problem in exc.problems:
                click.echo(str(problem), err=True)
            sys.exit(EXIT_INPUT)
        except ConfigurationError as exc:
            click.echo(f"supplier-qual: configuration problem: {exc}", err=True)
            sys.exit(EXIT_CONFIGURATION)

    return wrapper  # type: ignore[return-value]


def _pm() -> pluggy.PluginManager:
    pm = click.get_current_context().obj
    if not isinstance(pm, pluggy.PluginManager):
        raise ConfigurationError("the command line was started without its plugins")
    return pm


def _as_of(value: dt.datetime | None) -> dt.date:
    return value.date() if value else dt.date.today()


def _load_policy(path: Path | None) -> Policy | None:
    return load_policy(path) if path else None


def _emit(output: str | bytes, out: Path | None) -> None:
    if out is None:
        if isinstance(output, bytes):
            sys.stdout.buffer.write(output)
        else:
            click.echo(output, nl=False)
        return
    try:
        if isinstance(output, bytes):
            out.write_bytes(output)
        else:
            out.write_text(output, encoding="utf-8")
    except OSError as exc:
        raise InputError([Problem(f"cannot write the output: {exc.strerror}")], source=str(out)) from exc


AS_OF = click.option(
    "--as-of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Reference date for certificate validity and the assessment (YYYY-MM-DD; default today).",
)
POLICY = click.option(
    "--policy",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Policy file (YAML) with your thresholds, weights and caps; default: the standard policy.",
)


@click.group(help="Qualify suppliers against the expected outcomes of ISO 9001 certification (A–I).")
@click.version_option(__version__, prog_name="supplier-qual")
def cli() -> None:
    pass


@cli.group(help="The questionnaires suppliers answer.")
def questionnaires() -> None:
    pass


@questionnaires.command("list", help="List the installed questionnaires.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@reports_problems
def questionnaires_list(as_json: bool) -> None:
    found = api.list_questionnaires(pm=_pm())
    if as_json:
        data = [{"id": q.id, "version": q.version, "title": q.title, "questions": len(q.questions)} for q in found]
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    for q in found:
        click.echo(f"{q.id:<24} {q.version:<8} {len(q.questions):>3} questions  {q.title}")


@questionnaires.command("show", help="Show a questionnaire's questions (ID or ID:VERSION).")
@click.argument("questionnaire_id")
@click.option("--json", "as_json", is_flag=True, help="Print the full definition as JSON.")
@reports_problems
def questionnaires_show(questionnaire_id: str, as_json: bool) -> None:
    from .schemas.questionnaire import questionnaire_to_dict

    qid, _, version = questionnaire_id.partition(":")
    questionnaire = api.load_questionnaire(qid, version or None, pm=_pm())
    if as_json:
        click.echo(json.dumps(questionnaire_to_dict(questionnaire), ensure_ascii=False, indent=2))
        return
    click.echo(f"{questionnaire.title} ({questionnaire.id} {questionnaire.version})\n")
    for q in questionnaire.questions:
        flags = [f for f, on in (("knockout", q.knockout), ("evidence required", q.evidence.required)) if on]
        click.echo(f"{q.id:<4} [{q.outcome}] {q.text}" + (f"  ({', '.join(flags)})" if flags else ""))
        if q.options:
            click.echo(f"       answers: {', '.join(q.choices)}")
        elif q.bands:
            click.echo(f"       answer: a number{f' in {q.unit}' if q.unit else ''}")


@cli.command(help="Assess a supplier's submission (.json) and decide qualified, conditional or not qualified.")
@click.argument("submission", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-q", "--questionnaire", "questionnaire_id", help="Questionnaire to score against (ID or ID:VERSION).")
@POLICY
@click.option(
    "--performance",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Your performance data for this supplier (JSON: on-time delivery, defect ppm, complaints …).",
)
@AS_OF
@click.option("-f", "--format", "fmt", default="text", show_default=True, help="Output format: json or text.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to this file.")
@reports_problems
def assess(
    submission: Path,
    questionnaire_id: str | None,
    policy: Path | None,
    performance: Path | None,
    as_of: dt.datetime | None,
    fmt: str,
    output: Path | None,
) -> None:
    pm = _pm()
    questionnaire = None
    if questionnaire_id:
        qid, _, version = questionnaire_id.partition(":")
        questionnaire = api.load_questionnaire(qid, version or None, pm=pm)
    chosen_policy = _load_policy(policy)
    read = api.read_submission(submission, questionnaire=questionnaire, pm=pm)
    if performance is not None:
        read = dataclasses.replace(read, performance=_read_performance(performance))
    assessment = api.assess(read, questionnaire=questionnaire, policy=chosen_policy, as_of=_as_of(as_of), pm=pm)
    _emit(api.render(assessment, fmt, pm=pm), output)


def _read_performance(path: Path) -> Any:
    from .schemas.submission import PerformanceSchema

    source = str(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise InputError([Problem(f"cannot read the file: {exc.strerror}")], source=source) from exc
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError([Problem(f"not valid JSON: {exc}")], source=source) from exc
    if isinstance(data, dict) and "performance" in data and len(data) == 1:
        return PerformanceSchema.parse(data["performance"], source=source, prefix=("performance",))
    return PerformanceSchema.parse(data, source=source)


@cli.command(help="Check ISO 9001 certificates: edition, status, accreditation, dates.")
@click.argument("certificates", type=click.Path(dir_okay=False, path_type=Path))
@AS_OF
@POLICY
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@reports_problems
def verify(certificates: Path, as_of: dt.datetime | None, policy: Path | None, as_json: bool) -> None:
    pm = _pm()
    found = _read_certificates(certificates)
    report: CertificateReport = api.verify_certificates(found, as_of=_as_of(as_of), policy=_load_policy(policy), pm=pm)
    _emit(api.render(report, "json" if as_json else "text", pm=pm), None)


def _read_certificates(path: Path) -> list[Certificate]:
    from .schemas.submission import CertificateSchema

    source = str(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise InputError([Problem(f"cannot read the file: {exc.strerror}")], source=source) from exc
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError([Problem(f"not valid JSON: {exc}")], source=source) from exc
    prefix: tuple[str, ...] = ()
    if isinstance(data, dict) and "certificates" in data:
        data, prefix = data["certificates"], ("certificates",)
    elif isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        raise InputError(
            [Problem("expected a certificate, a list of them, or an object with 'certificates'")], source=source
        )
    problems: list[Problem] = []
    found = []
    for index, item in enumerate(data):
        try:
            found.append(CertificateSchema.parse(item, source=source, prefix=(*prefix, index)))
        except InputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputError(problems)
    return found


@cli.command(help="List the loaded plugins and the hooks each implements.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def plugins(as_json: bool) -> None:
    infos = list_plugins(_pm())
    if as_json:
        data = [dataclasses.asdict(info) for info in infos]
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    for info in infos:
        version = f" {info.version}" if info.version else ""
        click.echo(f"{info.name}{version}")
        click.echo(f"    hooks: {', '.join(info.hooks) or '(none)'}")


def main(argv: list[str] | None = None) -> None:
    """Entry point of ``supplier-qual``: loads the plugins, lets them add commands, runs."""
    try:
        pm = get_plugin_manager()
    except ConfigurationError as exc:
        click.echo(f"supplier-qual: configuration problem: {exc}", err=True)
        sys.exit(EXIT_CONFIGURATION)
    pm.hook.register_commands(cli=cli)
    cli.main(args=argv, prog_name="supplier-qual", obj=pm)

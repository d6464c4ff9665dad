"""What every command shares: error reporting, common options, reading and writing files."""

from __future__ import annotations

import datetime as dt
import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click
import pluggy

from ..errors import ConfigurationError, InputError, Problem
from ..limits import date_problem
from ..terminal import for_output, printable

if TYPE_CHECKING:
    from ..policy import Policy

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
                click.echo(printable(str(problem), one_line=True), err=True)
            sys.exit(EXIT_INPUT)
        except ConfigurationError as exc:
            click.echo(printable(f"supplier-qual: configuration problem: {exc}", one_line=True), err=True)
            sys.exit(EXIT_CONFIGURATION)

    return wrapper  # type: ignore[return-value]


def plugin_manager() -> pluggy.PluginManager:
    """The plugin manager the command line was started with."""
    pm = click.get_current_context().obj
    if not isinstance(pm, pluggy.PluginManager):
        raise ConfigurationError("the command line was started without its plugins")
    return pm


def reference_date(value: dt.datetime | None) -> dt.date:
    """The ``--as-of`` date, today when not given.

    :raises InputError: a date outside the years accepted (:func:`~supplier_qual.limits.date_problem`).
    """
    day = value.date() if value else dt.date.today()
    problem = date_problem(day)
    if problem:
        raise InputError([Problem(problem, "--as-of")])
    return day


def policy_from(path: Path | None) -> Policy | None:
    """The ``--policy`` file, or ``None`` for the default policy."""
    from ..policy import load_policy

    return load_policy(path) if path else None


def questionnaire_ref(text: str) -> tuple[str, str | None]:
    """``ID`` or ``ID:VERSION`` as (id, version or None)."""
    qid, _, version = text.partition(":")
    return qid, version or None


def read_json(path: Path) -> Any:
    """A JSON file's content; unreadable or invalid files are input errors naming the file."""
    from ..documents import parse_json, read_bytes

    return parse_json(read_bytes(path, what="file"), source=str(path))


def emit(output: str | bytes, out: Path | None, fmt: str) -> None:
    """Write ``output`` (rendered as ``fmt``) to ``out``, or to standard output when ``None``.

    Text is made safe to print on the way out (:func:`~supplier_qual.terminal.for_output`).
    """
    if isinstance(output, str):
        output = for_output(output, fmt)
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

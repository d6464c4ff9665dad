"""``supplier-qual eligibility``: every bid checked against a tender's requirements."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from .. import api
from ..errors import InputError, Problem
from .common import AS_OF, POLICY, emit, plugin_manager, policy_from, reference_date, reports_problems


@click.command(
    help="Check bids for a tender: per bidder, eligible or not for the tender's requirements (YAML or JSON), "
    "with each requirement met or not and why. Any invalid file stops the run, every problem listed, so "
    "that no bidder is silently left out."
)
@click.argument("tender", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@AS_OF
@POLICY
@click.option("-f", "--format", "fmt", default="text", show_default=True, type=click.Choice(["json", "text", "xlsx"]))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to this file.")
@reports_problems
def eligibility(
    tender: Path,
    files: tuple[Path, ...],
    as_of: dt.datetime | None,
    policy: Path | None,
    fmt: str,
    output: Path | None,
) -> None:
    pm = plugin_manager()
    if fmt == "xlsx" and output is None and sys.stdout.isatty():
        raise InputError([Problem("the xlsx format is binary: write it to a file with -o FILE.xlsx")])
    result = api.eligibility(tender, files, as_of=reference_date(as_of), policy=policy_from(policy), pm=pm)
    emit(api.render(result, fmt, pm=pm), output, fmt)

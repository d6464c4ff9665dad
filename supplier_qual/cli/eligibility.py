"""``supplier-qual eligibility``: every bid checked against a tender's requirements, lot by lot."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from ..errors import InputError, Problem
from .common import AS_OF, POLICY, emit, plugin_manager, policy_from, reference_date, reports_problems


@click.command(
    help="Check bids for a tender: per bidder (and lot), eligible, not eligible or cannot tell, with each "
    "requirement met, not met or cannot tell (no evidence) and why. TENDER is the tender's requirements file "
    "(YAML or JSON), an OCDS release or record package, an ESPD request or a ProZorro tender, recognised by its "
    "content; BIDS are submissions (JSON, workbooks) and ESPD responses. With --ocds, every argument is a bid. "
    "The same bid given twice, or two from one supplier, is reported and counted once. Any invalid file stops "
    "the run, every problem listed, so that no bidder is silently left out."
)
@click.argument("inputs", nargs=-1, metavar="TENDER [BIDS]...", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--ocds",
    type=click.Path(dir_okay=False, path_type=Path),
    help="An OCDS release or record package: the tender, its lots, criteria and bidders.",
)
@click.option(
    "--submissions",
    type=click.Path(file_okay=False, path_type=Path),
    help="A folder of bids (.json, .xlsx, .xml), matched to the tender's bidders by identifier, then by name.",
)
@click.option("--lot", help="Check this lot only (its id as the tender gives it).")
@AS_OF
@POLICY
@click.option(
    "--performance",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Your performance data for the bidders (JSON or CSV), each record keyed by the bidder's supplier_id.",
)
@click.option(
    "-f", "--format", "fmt", default="text", show_default=True, type=click.Choice(["json", "text", "xlsx", "ocds"])
)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to this file.")
@reports_problems
def eligibility(
    inputs: tuple[Path, ...],
    ocds: Path | None,
    submissions: Path | None,
    lot: str | None,
    as_of: dt.datetime | None,
    policy: Path | None,
    performance: Path | None,
    fmt: str,
    output: Path | None,
) -> None:
    from .. import api

    pm = plugin_manager()
    if fmt == "xlsx" and output is None and sys.stdout.isatty():
        raise InputError([Problem("the xlsx format is binary: write it to a file with -o FILE.xlsx")])
    if ocds is not None:
        tender, bids = ocds, inputs
    elif inputs:
        tender, bids = inputs[0], inputs[1:]
    else:
        raise InputError([Problem("give the tender file (or --ocds PACKAGE.json) and the bids")])
    result = api.eligibility(
        tender,
        bids,
        submissions=submissions,
        lot=lot,
        as_of=reference_date(as_of),
        policy=policy_from(policy),
        performance=performance,
        pm=pm,
    )
    emit(api.render(result, fmt, pm=pm), output, fmt)

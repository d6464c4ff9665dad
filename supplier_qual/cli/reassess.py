"""``supplier-qual reassess``: re-run stored submissions under the current policy and say what changed."""

from __future__ import annotations

import datetime as dt
import json

import click

from ..errors import InputError, Problem
from .common import AS_OF, reference_date, reports_problems
from .serve import DB, open_register
from .tokens import operator


@click.command(
    help="Re-assess suppliers' latest submissions (with the buyer's latest performance data) under the current "
    "policy and report what changed. A changed result is stored as a new assessment; history is never overwritten."
)
@click.option("--supplier", "suppliers", multiple=True, help="A supplier's id in the register (repeatable).")
@click.option("--all", "everyone", is_flag=True, help="Every supplier in the register.")
@AS_OF
@click.option("--dry-run", is_flag=True, help="Report what would change; store nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@DB
@reports_problems
def reassess(
    suppliers: tuple[str, ...],
    everyone: bool,
    as_of: dt.datetime | None,
    dry_run: bool,
    as_json: bool,
    db_url: str | None,
) -> None:
    from ..web import qualification

    if not suppliers and not everyone:
        raise InputError([Problem("name suppliers with --supplier ID, or give --all")])
    with open_register(db_url) as service:
        known = set(qualification.all_supplier_ids(service))
        unknown = [s for s in suppliers if s not in known]
        if unknown:
            raise InputError([Problem(f"no supplier {s} in the register") for s in unknown])
        chosen = sorted(known) if everyone else list(dict.fromkeys(suppliers))
        day = reference_date(as_of) if as_of else service.today()
        changes = qualification.reassess(service, operator(), chosen, as_of=day, dry_run=dry_run)  # type: ignore[arg-type]
    if as_json:
        click.echo(
            json.dumps(
                [
                    {
                        "supplier_id": c.supplier_id,
                        "changed": c.changed,
                        "before": {
                            "assessment_id": c.previous.id,
                            "decision": c.previous.decision,
                            "score": c.previous.overall_score,
                        }
                        if c.previous
                        else None,
                        "after": {
                            "decision": c.decision,
                            "score": c.score,
                            "assessment_id": c.stored.id if c.stored else None,
                        },
                        "outcomes": {
                            k: {"before": old, "after": new}
                            for k, (old, new) in c.outcomes.items()
                            if old is None or round(old, 1) != round(new, 1)
                        },
                    }
                    for c in changes
                ],
                indent=2,
            )
        )
        return
    click.echo(f"Re-assessed as of {day.isoformat()}{' (dry run: nothing stored)' if dry_run else ''}")
    for change in changes:
        before = (
            f"{change.previous.decision} {change.previous.overall_score:.1f}" if change.previous else "not assessed"
        )
        after = f"{change.decision} {change.score:.1f}"
        if not change.changed:
            click.echo(f"  {change.supplier_id}: unchanged ({after})")
            continue
        moved = ", ".join(
            f"{k} {old if old is None else f'{old:.1f}'} -> {new:.1f}"
            for k, (old, new) in change.outcomes.items()
            if old is None or round(old, 1) != round(new, 1)
        )
        stored = f"; stored as assessment {change.stored.id}" if change.stored else ""
        click.echo(f"  {change.supplier_id}: {before} -> {after}{' (' + moved + ')' if moved else ''}{stored}")
    skipped = len(chosen) - len(changes)
    if skipped:
        click.echo(f"  ({skipped} supplier{'s' if skipped != 1 else ''} with no submission skipped)")

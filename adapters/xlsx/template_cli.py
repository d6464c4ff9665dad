"""The ``supplier-qual template`` command: writes the Excel self-assessment for a questionnaire."""

from __future__ import annotations

from pathlib import Path

import click
import pluggy

from supplier_qual.cli import reports_problems
from supplier_qual.errors import ConfigurationError, InputError, Problem


@click.command(help="Write the Excel self-assessment template a supplier fills in.")
@click.option("-q", "--questionnaire", "questionnaire_id", help="Questionnaire (ID or ID:VERSION); default the latest.")
@click.option("--supplier-name", default="", help="Fill in the supplier's name.")
@click.option("--supplier-id", default="", help="Fill in the supplier's identifier (for example GB-COH-01234567).")
@click.option("--supplier-country", default="", help="Fill in the supplier's country (two-letter code).")
@click.option(
    "-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path), help="The .xlsx file to write."
)
@click.option("--force", is_flag=True, help="Overwrite FILE.xlsx if it exists (it may be a filled-in workbook).")
@reports_problems
def template(
    questionnaire_id: str | None,
    supplier_name: str,
    supplier_id: str,
    supplier_country: str,
    output: Path,
    force: bool,
) -> None:
    from supplier_qual import api
    from supplier_qual.model import Supplier

    pm = click.get_current_context().find_object(pluggy.PluginManager)
    if pm is None:
        raise ConfigurationError("the command line was started without its plugins")
    if output.suffix.lower() != ".xlsx":
        raise InputError([Problem("the template is an Excel workbook: name the output FILE.xlsx")], source=str(output))
    if output.exists() and not force:
        raise InputError(
            [Problem("the file exists (perhaps a workbook already filled in): choose another name, or add --force")],
            source=str(output),
        )
    if questionnaire_id:
        qid, _, version = questionnaire_id.partition(":")
        questionnaire = api.load_questionnaire(qid, version or None, pm=pm)
    else:
        questionnaire = api.catalog(pm).default()
    supplier = None
    if supplier_name or supplier_id or supplier_country:
        supplier = Supplier(name=supplier_name, id=supplier_id, country=supplier_country)
    from .template import build_template  # openpyxl loads only when a template is written

    workbook = build_template(questionnaire, supplier)
    try:
        with open(output, "wb" if force else "xb") as stream:  # "x": never over a file created meanwhile
            stream.write(workbook)
    except FileExistsError as exc:
        raise InputError([Problem("the file exists: choose another name, or add --force")], source=str(output)) from exc
    except OSError as exc:
        raise InputError([Problem(f"cannot write the template: {exc.strerror}")], source=str(output)) from exc
    click.echo(
        f"Wrote {output}: questionnaire {questionnaire.id} {questionnaire.version}, "
        f"{len(questionnaire.questions)} questions."
    )

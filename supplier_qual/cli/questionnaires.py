"""``supplier-qual questionnaires list|show``: the questionnaires suppliers answer."""

from __future__ import annotations

import json

import click

from .common import plugin_manager, questionnaire_ref, reports_problems


@click.group(help="The questionnaires suppliers answer.")
def questionnaires() -> None:
    pass


@questionnaires.command("list", help="List the installed questionnaires.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@reports_problems
def questionnaires_list(as_json: bool) -> None:
    from .. import api

    found = api.list_questionnaires(pm=plugin_manager())
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
    from .. import api
    from ..schemas.questionnaire import questionnaire_to_dict

    questionnaire = api.load_questionnaire(*questionnaire_ref(questionnaire_id), pm=plugin_manager())
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

"""The ``supplier-qual`` command line.

Bad input never prints a traceback: each problem is one line naming the file and
the place (``supplier.json: $.answers.A1.value: "Maybe" is not one of Yes, Partly,
No``) and the exit status is 2. Valid input exits 0 whatever the decision; a
configuration problem (a plugin, reference data, a refused registry key) exits 3.
"""

from __future__ import annotations

import dataclasses
import json
import sys

import click

from .._version import VERSION
from ..errors import ConfigurationError
from ..plugins import get_plugin_manager, list_plugins
from ..terminal import printable
from .assess import assess
from .certificates import expiring, verify
from .common import EXIT_CONFIGURATION, EXIT_INPUT, plugin_manager, reports_problems
from .eligibility import eligibility
from .questionnaires import questionnaires
from .reassess import reassess
from .serve import db, serve
from .tokens import token
from .users import user

__all__ = ["EXIT_CONFIGURATION", "EXIT_INPUT", "cli", "main", "reports_problems"]


@click.group(help="Qualify suppliers against the expected outcomes of ISO 9001 certification (A–I).")
@click.version_option(VERSION, prog_name="supplier-qual")
def cli() -> None:
    pass


@cli.command(help="List the loaded plugins and the hooks each implements.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def plugins(as_json: bool) -> None:
    infos = list_plugins(plugin_manager())
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
        click.echo(printable(f"supplier-qual: configuration problem: {exc}", one_line=True), err=True)
        sys.exit(EXIT_CONFIGURATION)
    pm.hook.register_commands(cli=cli)
    cli.main(args=argv, prog_name="supplier-qual", obj=pm)


for _command in (questionnaires, assess, eligibility, verify, expiring, serve, db, token, user, reassess):
    cli.add_command(_command)

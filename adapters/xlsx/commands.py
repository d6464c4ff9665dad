"""Adds ``supplier-qual template`` to the command line (the command itself is in :mod:`.template_cli`).

The command is imported only when the command line is built, so that a server
reading uploads loads neither click nor openpyxl for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from supplier_qual import hookimpl

if TYPE_CHECKING:
    import click


@hookimpl
def register_commands(cli: click.Group) -> None:
    from .template_cli import template

    cli.add_command(template)

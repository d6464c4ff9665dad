"""The generic procurement REST connector and the ``supplier-qual sync pull|push`` commands."""

from __future__ import annotations

from supplier_qual import hookimpl

from .commands import sync

__all__ = ["sync"]


@hookimpl
def register_commands(cli: object) -> None:
    import click

    if isinstance(cli, click.Group):
        cli.add_command(sync)

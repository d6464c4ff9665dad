"""ProZorro (Ukraine's openprocurement): a tender with its criteria and bids, read from a file or the public API.

Recognised by content: a tender object with ``tenderID`` or ``procurementMethodType``,
bare or under ``data`` as the API returns it. ``supplier-qual prozorro pull ID`` fetches one from the
public API (``docs/connectors.md``).
In the report, what a bidder must still supply is worded for ProZorro's
correction of documents within 24 hours.
"""

from __future__ import annotations

from supplier_qual import hookimpl
from supplier_qual.documents import parse_json
from supplier_qual.errors import Problem, TenderError
from supplier_qual.tender import Tender

from .read import is_criteria_list, read_prozorro, unwrap

__all__ = ["read_prozorro"]


@hookimpl
def read_tender(data: bytes, filename: str, media_type: str | None) -> Tender | None:
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if head not in (b"{", b"["):
        return None
    parsed = parse_json(data, source=filename, error=TenderError)
    if is_criteria_list(parsed):
        raise TenderError(
            [
                Problem(
                    "this is a list of ProZorro criteria (a template), not a tender: "
                    "give the tender (GET /api/2.5/tenders/{id})"
                )
            ],
            source=filename,
        )
    tender = unwrap(parsed)
    if tender is None:
        return None
    return read_prozorro(tender, source=filename)


@hookimpl
def register_commands(cli: object) -> None:
    import click

    from .commands import prozorro

    if isinstance(cli, click.Group):
        cli.add_command(prozorro)

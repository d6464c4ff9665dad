"""``supplier-qual prozorro pull``: a tender and its bids from the ProZorro API, saved for ``eligibility``."""

from __future__ import annotations

import json
from pathlib import Path

import click

from supplier_qual.http import Endpoint

from .client import DEFAULT_BASE_URL, fetch_tender


@click.group(help="ProZorro (openprocurement) tenders.")
def prozorro() -> None:
    pass


@prozorro.command(
    "pull",
    help="Fetch tender TENDER_ID (GET /api/2.5/tenders/{id}, with its bids where public) and write it as JSON, "
    "ready to give to `supplier-qual eligibility`.",
)
@click.argument("tender_id")
@click.option("--base-url", default=DEFAULT_BASE_URL, show_default=True, help="The API's base URL.")
@click.option("--token-env", default="", help="Environment variable holding a broker token, if the API needs one.")
@click.option("--timeout", default=30.0, show_default=True, type=float, help="Read timeout in seconds.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path), help="Write here.")
def pull(tender_id: str, base_url: str, token_env: str, timeout: float, output: Path) -> None:
    from supplier_qual.cli.common import emit, reports_problems

    @reports_problems
    def run() -> None:
        endpoint = Endpoint("ProZorro", base_url, token_env=token_env, auth_scheme="Basic", read_timeout=timeout)
        tender = fetch_tender(endpoint, tender_id)
        emit(json.dumps(tender, ensure_ascii=False, indent=2) + "\n", output, "json")
        bids = len(tender["data"].get("bids", []))
        click.echo(f"Wrote {output}: tender {tender['data'].get('tenderID', tender_id)}, {bids} bid(s).", err=True)

    run()

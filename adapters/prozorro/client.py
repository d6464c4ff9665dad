"""A client of the ProZorro public API (openprocurement): a tender and, where public, its bids."""

from __future__ import annotations

import urllib.parse
from typing import Any

from supplier_qual.errors import ConfigurationError, InputError
from supplier_qual.http import Client, Endpoint

DEFAULT_BASE_URL = "https://public-api.prozorro.gov.ua"
API = "api/2.5"


def fetch_tender(endpoint: Endpoint, tender_id: str) -> dict[str, Any]:
    """``GET /api/2.5/tenders/{id}`` (its ``data``), with the bids added from ``…/bids`` when not included and public.

    :raises InputError: no such tender; :raises ConfigurationError: the API refused
        the credentials, did not answer or answered something that is not a tender.
    """
    client = Client(endpoint)
    quoted = urllib.parse.quote(tender_id, safe="")
    answer = client.request("GET", f"{API}/tenders/{quoted}")
    tender = answer.get("data") if isinstance(answer, dict) else None
    if not isinstance(tender, dict):
        raise ConfigurationError(f"{endpoint.name}: the answer for tender {tender_id} has no tender under 'data'")
    if "bids" not in tender:
        try:
            bids = client.request("GET", f"{API}/tenders/{quoted}/bids")
        except (InputError, ConfigurationError) as exc:
            if "HTTP 403" not in str(exc) and "HTTP 404" not in str(exc):
                raise
            bids = None  # bids are not public before the tender's qualification stage
        if isinstance(bids, dict) and isinstance(bids.get("data"), list):
            tender["bids"] = bids["data"]
    return {"data": tender}

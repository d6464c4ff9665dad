"""The generic procurement REST connector: pull records page by page, push results once.

Pulling follows either a cursor (each page names the next: ``next_cursor``; absent
or null ends) or page numbers (``page=1, 2, …`` until a page holds fewer records
than asked for). Pushing POSTs one JSON body per result with an
``Idempotency-Key`` that is the SHA-256 of the body, so pushing the same result
twice cannot record it twice (a system that keeps idempotency keys answers the
second push as the first).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from typing import Any

from supplier_qual.errors import ConfigurationError
from supplier_qual.http import Client

from .config import Connector


def pull(connector: Connector) -> Iterator[Mapping[str, Any]]:
    """Every record the system lists at the pull path, page by page.

    :raises ConfigurationError: the system's answers are not pages of records, or
        paging does not end within ``max_pages``.
    """
    spec = connector.pull
    if spec is None:
        raise ConfigurationError(f"{connector.endpoint.name}: the connector has no 'pull' section")
    client = Client(connector.endpoint)
    cursor: str | None = None
    page = spec.first_page
    for _ in range(spec.max_pages):
        params: dict[str, Any] = {spec.size_param: connector.page_size}
        if spec.pagination == "cursor":
            if cursor is not None:
                params[spec.cursor_param] = cursor
        else:
            params[spec.page_param] = page
        answer = client.request("GET", spec.path, params=params)
        items = answer.get(spec.items) if isinstance(answer, Mapping) else None
        if not isinstance(items, list) or not all(isinstance(i, Mapping) for i in items):
            raise ConfigurationError(
                f"{connector.endpoint.name}: {spec.path} answered a page without a list of records under {spec.items!r}"
            )
        yield from items
        if spec.pagination == "cursor":
            following = answer.get(spec.next_cursor) if isinstance(answer, Mapping) else None
            if following in (None, "") or not items:
                return
            if not isinstance(following, str | int):
                raise ConfigurationError(f"{connector.endpoint.name}: the next cursor {spec.next_cursor!r} is not text")
            cursor = str(following)
        else:
            if len(items) < connector.page_size:
                return
            page += 1
    raise ConfigurationError(f"{connector.endpoint.name}: paging did not end within {spec.max_pages} pages")


def push_body(kind: str, result: Mapping[str, Any]) -> dict[str, Any]:
    """The body pushed for one result: ``{"kind": "eligibility" | "assessment", "result": …}``."""
    return {"kind": kind, "result": result}


def idempotency_key(body: Mapping[str, Any]) -> str:
    """The SHA-256 of the body as canonical JSON: the same result always gets the same key."""
    canonical = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def push(connector: Connector, kind: str, result: Mapping[str, Any]) -> tuple[str, Any]:
    """POST one result; returns its idempotency key and the system's answer."""
    spec = connector.push
    if spec is None:
        raise ConfigurationError(f"{connector.endpoint.name}: the connector has no 'push' section")
    body = push_body(kind, result)
    key = idempotency_key(body)
    answer = Client(connector.endpoint).request("POST", spec.path, body=body, idempotency_key=key)
    return key, answer

"""Finding what a request names, answering exactly alike for "does not exist" and "not yours"."""

from __future__ import annotations

import base64
import binascii
from typing import Any
from urllib.parse import urlencode

from flask import request
from sqlalchemy.orm import Session

from ..auth import Principal
from ..problems import abort_with
from ..store.models import Assessment, Supplier

# The same words whether the thing does not exist or belongs to another supplier.
NO_SUPPLIER = "no such supplier"
NO_ASSESSMENT = "no such assessment"


def supplier_or_404(session: Session, principal: Principal, supplier_id: str) -> Supplier:
    found = session.get(Supplier, supplier_id) if principal.sees_supplier(supplier_id) else None
    if found is None:
        abort_with(404, NO_SUPPLIER)
    return found


def assessment_or_404(session: Session, principal: Principal, assessment_id: int) -> Assessment:
    found = session.get(Assessment, assessment_id)
    if found is None or not principal.sees_supplier(found.supplier_id):
        abort_with(404, NO_ASSESSMENT)
    return found


def encode_cursor(value: str | int) -> str:
    return base64.urlsafe_b64encode(str(value).encode("utf-8")).decode("ascii").rstrip("=")


def decode_cursor(cursor: str | None) -> str | None:
    """The position a cursor stands for; a cursor this service did not make is a 422 at ``query.cursor``."""
    if cursor is None:
        return None
    try:
        return base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        abort_with(422, "not a cursor this service gave out", "query.cursor")


def page(items: list[dict[str, Any]], next_cursor: str | None) -> tuple[dict[str, Any], int, dict[str, str]]:
    """A page of a collection, with ``Link: <…>; rel="next"`` when more follow."""
    headers = {}
    if next_cursor is not None:
        args = {**request.args.to_dict(flat=True), "cursor": next_cursor}
        headers["Link"] = f'<{request.path}?{urlencode(args)}>; rel="next"'
    return {"items": items, "next_cursor": next_cursor}, 200, headers


def decode_int_cursor(cursor: str | None) -> int | None:
    value = decode_cursor(cursor)
    if value is None:
        return None
    if not value.isdigit():
        abort_with(422, "not a cursor this service gave out", "query.cursor")
    return int(value)
